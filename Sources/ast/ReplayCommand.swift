import ArgumentParser
import ASTReport
import ASTSim
import Foundation

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run a controller over a recorded score trace (CSV with header batch,score)."
    )

    @Argument(help: "Score trace CSV (header batch,score; rows of a batch contiguous).")
    var scores: String

    @OptionGroup var controllerOptions: ControllerOptions

    @Option(help: "Target activation rate (default: the gains file's, or 0.1).")
    var target: Double?

    @Option(help: "Seed for stochastic gates and random fallback.")
    var seed: UInt64 = 1

    @Option(help: "Output directory.")
    var out: String = "out/replay"

    func validate() throws {
        guard controllerOptions.isGiven else { throw ValidationError("give --preset NAME or --gains FILE") }
        if let target { try TargetRate.check(target, flag: "--target") }
        try OutputDirectory.check(out, flag: "--out")
    }

    func run() throws {
        let trace = try ScoreTrace.load(path: scores)
        var resolvedTarget = target ?? 0.1
        if target == nil, let gains = controllerOptions.gains { resolvedTarget = try GainsFile.load(path: gains).configuration.target }
        guard let chosen = try controllerOptions.controller(target: resolvedTarget) else { return }
        let result = try Replay.run(configuration: chosen.configuration, trace: trace, seed: seed)
        let metrics = TraceMetrics.compute(result, settings: MetricSettings(target: resolvedTarget))
        try ReplayWriters.write(trace: result, metrics: metrics, controller: chosen.name, target: resolvedTarget,
                                scores: trace, to: out)
        let samples = trace.sampleCount
        let (nan, infinite) = trace.nonFiniteCounts
        print("replayed \(trace.batches.count) batches, \(samples) samples with \(chosen.name) at target \(resolvedTarget)")
        if nan + infinite > 0 {
            print("\(nan + infinite) of the \(samples) scores are not finite (\(nan) NaN, \(infinite) ±inf): "
                  + "the gate rejected them, and each batch's rate is over "
                  + (chosen.configuration.rateDenominator == .wholeBatch ? "the whole batch (as the seed code)" : "its finite scores only"))
        }
        print("mean rate \(NumberText.fixed(metrics.meanRate * 100, 2)) %, steady-state error \(NumberText.fixed(metrics.steadyStateMeanError * 100, 2)) pt, "
              + "settling time \(metrics.settlingTime.map { "\($0) batches" } ?? "never")")
        print("wrote \(out)/trace.csv, summary.json, plot.svg")
    }
}
