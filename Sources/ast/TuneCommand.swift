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

    func run() throws {
        var tuningSet = try scenarios.map(ScenarioLoader.load)
        var heldOutSet = try holdOut.map(ScenarioLoader.load)
        if let steps {
            for index in tuningSet.indices { tuningSet[index].steps = steps }
            for index in heldOutSet.indices { heldOutSet[index].steps = steps }
        }
        // Before any batch (or ideal threshold) is generated: steps × seeds × batch is the size.
        try Tuner.checkMemory(scenarios: tuningSet + heldOutSet, seeds: seeds)
        let target = tuningSet[0].target
        let base = try baseConfiguration(target: target, tuningSet: tuningSet)
        let seedList = (1...seeds).map(UInt64.init)
        FileHandle.standardError.write(Data("generating batches for \(tuningSet.count) tuning and \(heldOutSet.count) held-out scenarios × \(seeds) seeds\n".utf8))
        let tuner = try Tuner(scenarios: tuningSet, seeds: seedList)
        let checker = heldOutSet.isEmpty ? nil : try Tuner(scenarios: heldOutSet, seeds: seedList)
        FileHandle.standardError.write(Data("tuning \(law) (\(tuneAlpha ? "Kp, Ki, α" : "Kp, Ki")) from \(starts) starts…\n".utf8))
        let started = Date()
        let outcome = tuner.tune(base: base, tuneAlpha: tuneAlpha, starts: starts)
        let elapsed = Date().timeIntervalSince(started)
        let tuned = outcome.configuration

        var candidates: [(String, ControllerConfiguration)] = []
        for preset in [Preset.seedPackage, .seedCIFAR] { candidates.append((preset.rawValue, try preset.configuration(target: target))) }
        candidates.append(("start (\(law))", base))
        candidates.append(("tuned (\(law))", tuned))
        print("tuned in \(NumberText.fixed(elapsed, 1)) s, \(outcome.evaluations) cost evaluations; cost \(NumberText.fixed(outcome.costBefore, 3)) → \(NumberText.fixed(outcome.costAfter, 3))")
        print("Kp \(String(format: "%.5g", tuned.proportionalGain)), Ki \(String(format: "%.5g", tuned.integralGain)), α \(String(format: "%.4g", tuned.emaAlpha)), "
              + "bounds [\(String(format: "%.4g", tuned.thresholdBounds.lower)), \(String(format: "%.4g", tuned.thresholdBounds.upper))]\n")
        print("cost per run: \(TuningCost.formula)\n")
        print(table(title: "tuning set", tuner: tuner, candidates: candidates).render())
        if let checker {
            print("")
            print(table(title: "held out", tuner: checker, candidates: candidates).render())
        }
        let record = TuningRecord(
            scenarios: tuningSet.map(\.name), heldOut: heldOutSet.map(\.name), seeds: seedList, cost: TuningCost.formula,
            costBefore: outcome.costBefore, costAfter: outcome.costAfter, starts: outcome.starts, evaluations: outcome.evaluations,
            tunedAlpha: tuneAlpha)
        // Gains that do no better than the start are not a tuning result: say so, write nothing.
        guard outcome.costAfter < outcome.costBefore else {
            print("\ntuning did not lower the cost (\(NumberText.fixed(outcome.costBefore, 3)) before and after): "
                  + "no gains written. Check --bounds [\(base.thresholdBounds.lower), \(base.thresholdBounds.upper)] "
                  + "against the scenarios' ideal thresholds.")
            throw ExitCode(1)
        }
        try AtomicFile.write(try GainsFile(configuration: tuned, tuning: record).encoded(), to: out)
        print("\nwrote \(out)")
    }

    func table(title: String, tuner: Tuner, candidates: [(String, ControllerConfiguration)]) -> TextTable {
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

    /// The law's textbook preset with bounds fitted to the tuning scenarios' score scale and the
    /// initial threshold (and positional reference) at the bounds' midpoint.
    func baseConfiguration(target: Double, tuningSet: [Scenario]) throws -> ControllerConfiguration {
        let preset: Preset = switch law {
        case "positional": .positionalPI
        case "velocity": .velocityPI
        default: .incrementalClamped
        }
        var configuration = try preset.configuration(target: target)
        let (low, high): (Double, Double)
        if let given = try parsedBounds() {
            (low, high) = given
            // Bounds that keep the threshold away from every ideal threshold can never reach the target.
            var ideal: [Double] = []
            for scenario in tuningSet { ideal += try ScenarioRunner.idealThresholds(for: scenario).filter(\.isFinite) }
            if let lowest = ideal.min(), let highest = ideal.max(), high < lowest || low > highest {
                throw ValidationError("--bounds \(low):\(high) lies outside the tuning scenarios' ideal thresholds "
                                      + "[\(String(format: "%.4g", lowest)), \(String(format: "%.4g", highest))]: no gains can reach the target")
            }
        } else {
            var largest = 0.0
            for scenario in tuningSet {
                largest = max(largest, try ScenarioRunner.idealThresholds(for: scenario).filter(\.isFinite).max() ?? 0)
            }
            guard largest > 0 else { throw ValidationError("cannot derive threshold bounds; pass --bounds LO:HI") }
            (low, high) = (0, 2 * largest)
        }
        do {
            configuration.thresholdBounds = try ThresholdBounds(lower: low, upper: high)
        } catch {
            throw ValidationError("--bounds \(low):\(high): \(error)")
        }
        configuration.initialThreshold = 0.5 * (low + high)
        if case .positional = configuration.law { configuration.law = .positional(reference: configuration.initialThreshold) }
        if case .clamp = configuration.antiWindup {
            // Keep the integral able to span the whole threshold range.
            configuration.antiWindup = .clamp(bound: max(50, 2 * (high - low) / max(configuration.integralGain, 1e-9)))
        }
        do {
            try configuration.validate()
        } catch {
            throw ValidationError("--bounds \(low):\(high) gives an invalid start controller: \(error)")
        }
        return configuration
    }
}
