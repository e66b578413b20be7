import ArgumentParser
import ASTReport
import ASTSim
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Run every scenario and check its expectations; exit 1 if any fails."
    )

    @Argument(help: "Scenario files or directories (default: Scenarios/).")
    var paths: [String] = []

    @Option(help: "Also write verify.json, verify.csv and a report.html with plots here.")
    var out: String?

    @Flag(help: "List every expectation, not only the failures.")
    var verbose = false

    func run() throws {
        let files = try ScenarioLoader.scenarioFiles(in: paths.isEmpty ? ["Scenarios"] : paths)
        guard !files.isEmpty else { throw ValidationError("no scenario files found in \(paths.isEmpty ? ["Scenarios"] : paths)") }
        var results: [ScenarioResult] = []
        for file in files {
            let scenario = try ScenarioLoader.load(path: file)
            FileHandle.standardError.write(Data("verifying \(scenario.name) (\(scenario.controllers.count) controllers × \(scenario.seeds.count) seeds × \(scenario.steps) steps)\n".utf8))
            results.append(try ScenarioRunner.run(scenario, keepTraces: out != nil))
        }
        print(VerifyTables.matrix(results).render())
        print("")
        let failures = VerifyTables.expectations(results, onlyFailures: !verbose)
        if !failures.rows.isEmpty { print(failures.render()); print("") }
        let checked = results.flatMap(\.outcomes).flatMap(\.expectations)
        let failed = checked.filter { !$0.holds }.count
        print("\(checked.count - failed) passed, \(failed) failed")
        if let out {
            try VerifyWriters.write(results, to: out)
            print("wrote \(out)/verify.csv, verify.json, report.html")
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
