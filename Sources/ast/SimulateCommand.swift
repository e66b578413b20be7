import ArgumentParser
import ASTReport
import ASTSim
import Foundation

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a scenario's controllers (or one given controller) on one seed; write trace.csv, summary.json, plot.svg."
    )

    @Argument(help: "Scenario YAML file.")
    var scenario: String

    @OptionGroup var controllerOptions: ControllerOptions

    @Option(help: "Seed (default: the scenario's first seed).")
    var seed: UInt64?

    @Option(help: "Output directory (default: out/simulate/<scenario name>).")
    var out: String?

    func validate() throws {
        if let seed, seed == 0 { throw ValidationError("--seed must be >= 1") }
        if let out { try OutputDirectory.check(out, flag: "--out") }
    }

    func run() throws {
        var loaded = try ScenarioLoader.load(path: scenario)
        if let chosen = try controllerOptions.controller(target: loaded.target) {
            let expectations = loaded.controllers.first { $0.name == chosen.name }?.expectations ?? []
            loaded.controllers = [ScenarioController(name: chosen.name, configuration: chosen.configuration, expectations: expectations)]
        }
        loaded.seeds = [seed ?? loaded.seeds[0]]
        for note in loaded.notes { Diagnostics.note("note: \(note)") }
        let result = try ScenarioRunner.run(loaded, keepTraces: true)
        let directory = out ?? "out/simulate/\(loaded.name)"
        try SimulationWriters.write(result, to: directory)
        print(SimulationTables.summary(result).render())
        print("\nwrote \(directory)/trace.csv, summary.json, plot.svg")
    }
}
