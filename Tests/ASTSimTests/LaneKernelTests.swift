import PIControl
import Testing
@testable import ASTSim

/// The SIMD lane kernel that sweeps run (`Simulator.runLanes`) must reproduce the scalar
/// `PIControl.Controller` (through `Simulator.runGroup`) bit for bit, and its streamed sweep
/// metrics must equal `TraceMetrics`' fields bit for bit: a sweep's output files may not
/// change by one byte.
@Suite("SIMD lane kernel")
struct LaneKernelTests {
    /// Configurations covering every law, anti-windup scheme, EMA form, rate measurement, a
    /// deadband and both fallback triggers, with bounds tight enough to saturate.
    static func configurations() throws -> [(String, ControllerConfiguration)] {
        var result: [(String, ControllerConfiguration)] = []
        for preset in [Preset.incrementalClamped, .positionalPI, .velocityPI, .seedPackage] {
            result.append((preset.rawValue, try preset.configuration(target: 0.1)))
        }
        let tight = try ThresholdBounds(lower: 0.5, upper: 3)
        let windups: [(String, AntiWindup)] = [
            ("none", .none), ("clamp", .clamp(bound: 5)), ("conditional", .conditional),
            ("backCalculation", .backCalculation(gain: 0.7)),
            ("decayGating", .seedDecay(factor: 0.9, bound: 4, band: try ThresholdBounds(lower: 0.8, upper: 2.5),
                                       condition: .gatingThresholdInside)),
            ("decayOutput", .seedDecay(factor: 0.8, bound: 4, band: try ThresholdBounds(lower: 0.8, upper: 2.5),
                                       condition: .outputInside)),
        ]
        let laws: [ControlLaw] = [.sundewIncremental, .positional(reference: 1.5), .velocity]
        for (lawIndex, law) in laws.enumerated() {
            for (windupIndex, (name, windup)) in windups.enumerated() {
                let variant = lawIndex + windupIndex
                result.append(("\(law.name)/\(name)", try ControllerConfiguration(
                    target: 0.15, law: law, proportionalGain: 0.8, integralGain: 0.3, emaAlpha: 0.4,
                    emaForm: variant % 2 == 0 ? .increment : .weightedSum, deadband: variant % 3 == 0 ? 0.004 : 0,
                    initialThreshold: 2, thresholdBounds: tight, antiWindup: windup,
                    rateMeasurement: variant % 4 == 1 ? .cumulative : .perBatch,
                    fallback: variant % 5 == 2
                        ? try Fallback(minimumCount: 3, trigger: .noneSelected, countsTowardRate: variant % 2 == 0)
                        : .disabled)))
            }
        }
        // Gains near overflow: the output reaches ±∞ (clamped to a bound), and the lane law keeps
        // its non-finite guards on for such a group.
        result.append(("incremental/clamp/huge gains", try ControllerConfiguration(
            target: 0.1, law: .sundewIncremental, proportionalGain: 1e306, integralGain: 1e305, emaAlpha: 0.5,
            initialThreshold: 1, thresholdBounds: tight, antiWindup: .clamp(bound: 1e10))))
        return result
    }

    /// `count` lanes of gains spread around the base configuration's (some large enough to
    /// oscillate into the bounds), as a sweep grid would give.
    static func gains(_ count: Int, base: ControllerConfiguration) -> [Simulator.LaneGains] {
        (0..<count).map { lane in
            let scale = 0.25 + 1.7 * Double(lane) / Double(max(1, count - 1))
            return Simulator.LaneGains(proportionalGain: base.proportionalGain * scale * 3,
                                       integralGain: base.integralGain * scale * scale * 2,
                                       emaAlpha: min(1, 0.15 + 0.2 * Double(lane % 5)))
        }
    }

    static func lanes(_ gains: [Simulator.LaneGains], base: ControllerConfiguration) -> [ControllerConfiguration] {
        gains.map { gain in
            var configuration = base
            configuration.proportionalGain = gain.proportionalGain
            configuration.integralGain = gain.integralGain
            configuration.emaAlpha = gain.emaAlpha
            return configuration
        }
    }

    @Test(arguments: [(64, 1), (64, 7), (13, 5), (16, 9), (128, 4), (1, 3), (2, 6)])
    func laneKernelEqualsScalarController(batchSize: Int, laneCount: Int) throws {
        let scenario = Fixtures.lognormalScenario(steps: 240, batchSize: batchSize)
        let batches = try ScenarioRunner.batches(for: scenario, seed: UInt64(batchSize + laneCount))
        for (name, base) in try Self.configurations() {
            let gains = Self.gains(laneCount, base: base)
            var recorder = LaneSeriesRecorder(lanes: laneCount, steps: batches.steps, batchSize: batchSize)
            try Simulator.runLanes(base: base, gains: gains, batches: batches, recorder: &recorder)
            let fast = recorder.series
            let scalar = try Simulator.runGroup(configurations: Self.lanes(gains, base: base), batches: batches)
            #expect(fast.count == scalar.count)
            for (lane, (fast, scalar)) in zip(fast, scalar).enumerated() {
                let label = "\(name), B = \(batchSize), lane \(lane) of \(laneCount)"
                #expect(fast.threshold.map(\.bitPattern) == scalar.threshold.map(\.bitPattern), "threshold: \(label)")
                #expect(fast.selected == scalar.selected, "selected: \(label)")
                #expect(fast.rate.map(\.bitPattern) == scalar.rate.map(\.bitPattern), "rate: \(label)")
                #expect(fast.ema.map(\.bitPattern) == scalar.ema.map(\.bitPattern), "ema: \(label)")
                #expect(fast.error.map(\.bitPattern) == scalar.error.map(\.bitPattern), "error: \(label)")
                #expect(fast.integral.map(\.bitPattern) == scalar.integral.map(\.bitPattern), "integral: \(label)")
                #expect(fast.saturated == scalar.saturated, "saturated: \(label)")
                #expect(fast.fallback == scalar.fallback, "fallback: \(label)")
            }
        }
    }

    @Test(arguments: [MetricSettings(target: 0.1), MetricSettings(target: 0.15, band: 0.02, window: 7, steadyStateFraction: 0.4),
                      MetricSettings(target: 0.12, band: 0.005, window: 1, steadyStateFraction: 0.1)])
    func streamedSweepMetricsEqualTraceMetrics(settings: MetricSettings) throws {
        let scenario = Fixtures.lognormalScenario(steps: 300, batchSize: 32)
        let batches = try ScenarioRunner.batches(for: scenario, seed: 11)
        for (name, base) in try Self.configurations() {
            let gains = Self.gains(6, base: base)
            var recorder = SweepMetricsRecorder(lanes: gains.count, steps: batches.steps, batchSize: batches.batchSize,
                                                settings: settings)
            defer { recorder.deallocate() }
            try Simulator.runLanes(base: base, gains: gains, batches: batches, recorder: &recorder)
            let scalar = try Simulator.runGroup(configurations: Self.lanes(gains, base: base), batches: batches)
            for (lane, (summary, run)) in zip(recorder.summaries, scalar).enumerated() {
                let metrics = TraceMetrics.compute(rate: run.rate, saturated: run.saturated, threshold: run.threshold,
                                                   idealThreshold: batches.idealThresholds, fallback: run.fallback,
                                                   settings: settings, includeOscillationPeriod: false)
                let label = "\(name), lane \(lane), window \(settings.window)"
                #expect(summary.settlingTime == metrics.settlingTime, "settling: \(label)")
                #expect(summary.steadyStateMeanError.bitPattern == metrics.steadyStateMeanError.bitPattern, "ss error: \(label)")
                #expect(summary.overshoot.bitPattern == metrics.overshoot.bitPattern, "overshoot: \(label)")
                #expect(summary.fractionSaturated.bitPattern == metrics.fractionSaturated.bitPattern, "saturated: \(label)")
            }
        }
    }

    /// A whole sweep on the lane kernel equals the same grid point by point through
    /// `Simulator.run` and `TraceMetrics`, for a grid (7 × 5 = 35 points) that leaves a
    /// partial SIMD chunk and a partial lane group.
    @Test func sweepOnLanesEqualsScalarSweep() throws {
        let scenario = Fixtures.lognormalScenario(steps: 200, batchSize: 48, window: 20)
        let spec = SweepSpec(
            proportionalGains: try GridAxis(lower: 0.05, upper: 2, count: 7, logarithmic: true),
            integralGains: try GridAxis(lower: 0.001, upper: 0.5, count: 5, logarithmic: true),
            emaAlphas: nil, seeds: [1, 2], base: try Preset.positionalPI.configuration(target: 0.1),
            scenarioName: scenario.name)
        let batchSets = try spec.seeds.map { try ScenarioRunner.batches(for: scenario, seed: $0) }
        let indices = spec.shardIndices
        let lanes = try Sweep.laneSummaries(indices: indices, spec: spec, batchSets: batchSets, settings: scenario.metrics)
        let scalar = try Sweep.scalarSummaries(indices: indices, spec: spec, batchSets: batchSets, settings: scenario.metrics)
        #expect(lanes == scalar)
        #expect(lanes.count == 35 && lanes.allSatisfy { $0.count == 2 })
    }
}
