import ArgumentParser
import ASTReport
import ASTSim
import Foundation
import PIControl

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Tune a law's gains offline with GSL's Nelder–Mead over scenarios; check them on held-out scenarios; write a gains file.",
        discussion: "Cost per run: \(TuningCost.formula)."
    )

    @Argument(help: "Scenarios to tune on.")
    var scenarios: [String]

    @Option(help: "Scenario held out of tuning and only checked (repeatable).")
    var holdOut: [String] = []

    @Option(help: "Law: positional, velocity or sundewIncremental.")
    var law: String

    @Flag(help: "Also tune the EMA weight α.")
    var tuneAlpha = false

    @Option(help: "Threshold bounds LO:HI (default: 0 to 2 × the largest ideal threshold of the tuning scenarios).")
    var bounds: String?

    @Option(help: "Seeds per scenario.")
    var seeds: Int = 3

    @Option(help: "Nelder–Mead starts (1 to \(Tuner.startCount)).")
    var starts: Int = 4

    @Option(help: "Steps per scenario used while tuning (default: each scenario's own).")
    var steps: Int?

    @Option(help: "Gains file to write.")
    var out: String = "out/gains.json"

    func validate() throws {
        guard !scenarios.isEmpty else { throw ValidationError("give at least one scenario to tune on") }
        guard ["positional", "velocity", "sundewIncremental"].contains(law) else {
            throw ValidationError("unknown law '\(law)'; expected one of: positional, velocity, sundewIncremental")
        }
        guard seeds >= 1, starts >= 1 else { throw ValidationError("--seeds and --starts must be >= 1") }
        guard starts <= Tuner.startCount else {
            throw ValidationError("--starts must be at most \(Tuner.startCount) (the tuner has \(Tuner.startCount) start points), got \(starts)")
        }
        if let steps, steps < 10 { throw ValidationError("--steps must be >= 10") }
        try OutputDirectory.checkFile(out, flag: "--out")
        _ = try parsedBounds()
    }

    func parsedBounds() throws -> (Double, Double)? {
        guard let bounds else { return nil }
        let parts = bounds.split(separator: ":")
        guard parts.count == 2, let low = Double(parts[0]), let high = Double(parts[1]), low.isFinite, high.isFinite, low < high else {
            throw ValidationError("--bounds must be LO:HI with LO < HI, got '\(bounds)'")
        }
        // The start threshold is the midpoint and the integral's clamp spans the width divided
        // by Ki: both must stay finite numbers.
        guard (high - low).isFinite, (2 * (high - low) / 1e-9).isFinite else {
            throw ValidationError("--bounds \(bounds) is too wide: the width HI − LO must be below 1e290")
        }
        return (low, high)
    }

    var controlLaw: ControlLaw {
        switch law {
        case "positional": .positional(reference: 0)
        case "velocity": .velocity
        default: .sundewIncremental
        }
    }

    func run() throws {
        var tuningSet = try scenarios.map(ScenarioLoader.load)
        var heldOutSet = try holdOut.map(ScenarioLoader.load)
        if let steps {
            for index in tuningSet.indices { tuningSet[index].steps = steps }
            for index in heldOutSet.indices { heldOutSet[index].steps = steps }
        }
        FileHandle.standardError.write(Data("generating batches for \(tuningSet.count) tuning and \(heldOutSet.count) held-out scenarios × \(seeds) seeds\n".utf8))
        let bounds = try parsedBounds().map { (lower: $0.0, upper: $0.1) }
        let session = try TuningSession(law: controlLaw, tuningSet: tuningSet, heldOutSet: heldOutSet,
                                        seeds: (1...seeds).map(UInt64.init), bounds: bounds)
        FileHandle.standardError.write(Data("tuning \(law) (\(tuneAlpha ? "Kp, Ki, α" : "Kp, Ki")) from \(starts) starts…\n".utf8))
        let started = Date()
        let result = session.tune(alpha: tuneAlpha, starts: starts)
        try Self.report(session: session, result: result, law: law, seconds: Date().timeIntervalSince(started))
        // Gains that do no better than the start are not a tuning result: say so, write nothing.
        guard result.improved else {
            print("\ntuning did not lower the cost (\(NumberText.fixed(result.outcome.costBefore, 3)) before and after): "
                  + "no gains written. Check --bounds [\(session.start.thresholdBounds.lower), \(session.start.thresholdBounds.upper)] "
                  + "against the scenarios' ideal thresholds.")
            throw ExitCode(1)
        }
        try AtomicFile.write(try GainsFile(configuration: result.outcome.configuration, tuning: result.record).encoded(), to: out)
        print("\nwrote \(out)")
    }

    /// Prints the tuned gains and the cost tables of the tuning and held-out sets.
    static func report(session: TuningSession, result: TuningSession.Result, law: String, seconds: Double) throws {
        let outcome = result.outcome, tuned = outcome.configuration
        let target = session.tuningSet[0].target
        var candidates: [(String, ControllerConfiguration)] = []
        for preset in [Preset.seedPackage, .seedCIFAR] { candidates.append((preset.rawValue, try preset.configuration(target: target))) }
        candidates.append(("start (\(law))", session.start))
        candidates.append(("tuned (\(law))", tuned))
        print("tuned in \(NumberText.fixed(seconds, 1)) s, \(outcome.evaluations) cost evaluations; cost \(NumberText.fixed(outcome.costBefore, 3)) → \(NumberText.fixed(outcome.costAfter, 3))")
        print("Kp \(String(format: "%.5g", tuned.proportionalGain)), Ki \(String(format: "%.5g", tuned.integralGain)), α \(String(format: "%.4g", tuned.emaAlpha)), "
              + "bounds [\(String(format: "%.4g", tuned.thresholdBounds.lower)), \(String(format: "%.4g", tuned.thresholdBounds.upper))]\n")
        print("cost per run: \(TuningCost.formula)\n")
        print(table(title: "tuning set", tuner: session.tuner, candidates: candidates).render())
        if let checker = session.checker {
            print("")
            print(table(title: "held out", tuner: checker, candidates: candidates).render())
        }
    }

    static func table(title: String, tuner: Tuner, candidates: [(String, ControllerConfiguration)]) -> TextTable {
        var rows: [[String]] = []
        for (name, configuration) in candidates {
            for evaluation in tuner.evaluate(configuration) {
                rows.append([
                    title, evaluation.scenario, name, NumberText.fixed(evaluation.cost, 3),
                    "\(evaluation.settledSeeds)/\(evaluation.seeds)", NumberText.fixed(evaluation.settlingTimeMean, 0),
                    NumberText.fixed(evaluation.steadyStateErrorMean * 100, 2) + " pt",
                    NumberText.fixed(evaluation.overshootMean * 100, 2) + " pt",
                    NumberText.fixed(evaluation.fractionSaturatedMean * 100, 1) + " %",
                ])
            }
        }
        return TextTable(header: ["set", "scenario", "controller", "cost", "settled", "settling", "ss error", "overshoot", "saturated"], rows: rows)
    }
}
