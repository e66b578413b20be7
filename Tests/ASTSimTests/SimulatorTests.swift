import Testing
import ASTSim
import PIControl
import SignificanceModels

/// The simulator's counting path against the controller's own selection, and its determinism.
@Suite struct SimulatorTests {
    /// The reference: a plain loop over `Controller.select`, recorded field by field.
    static func referenceTrace(_ configuration: ControllerConfiguration, _ batches: BatchSet, seed: UInt64) throws -> Trace {
        var controller = try Controller(configuration: configuration)
        var generator = SeededGenerator(seed: seed)
        var trace = Trace(capacity: batches.steps)
        for step in 0..<batches.steps {
            let scores = Array(batches.batch(step))
            let (selection, indices) = controller.select(scores: scores, using: &generator)
            // Never a non-finite score among the selected.
            precondition(indices.allSatisfy { scores[$0].isFinite })
            trace.append(
                threshold: selection.gatingThreshold, selected: selection.selectedCount,
                batchSize: selection.rateDenominator,
                ema: selection.step?.ema ?? controller.state.ema, error: selection.step?.error ?? 0,
                integral: controller.state.integral, idealThreshold: batches.idealThresholds[step],
                saturated: selection.step?.saturated ?? false, fallback: selection.usedFallback)
        }
        return trace
    }

    static func batches(seed: UInt64, steps: Int = 300, batchSize: Int = 64) throws -> BatchSet {
        try ScenarioRunner.batches(for: Fixtures.lognormalScenario(steps: steps, batchSize: batchSize), seed: seed)
    }

    /// Hard-gate controllers (so `Simulator.run` counts by binary search), including the
    /// seed package's top-score fallback, which is deterministic too.
    static let hardGateControllers: [String] = ["seedPackage", "incrementalClamped", "positionalPI", "velocityPI",
                                                 "fallbackNotCounted"]

    static func configuration(_ name: String) throws -> ControllerConfiguration {
        if name == "fallbackNotCounted" {
            // Fast gains, fallback topping up to 12 of 64 but not counting toward the rate:
            // the loop then drives θ up and the fallback fires on most batches.
            var config = try Preset.velocityPI.configuration(target: 0.1)
            config.fallback = try Fallback(minimumCount: 12, trigger: .belowMinimum, choice: .highestScores,
                                           countsTowardRate: false)
            return config
        }
        return try Preset(rawValue: name)!.configuration(target: 0.1)
    }

    @Test(arguments: hardGateControllers)
    func countingPathEqualsFullSelectionStepForStep(name: String) throws {
        let configuration = try Self.configuration(name)
        #expect(!configuration.gate.isStochastic)
        let batches = try Self.batches(seed: 5)
        #expect(batches.allFinite)
        let fast = try Simulator.run(configuration: configuration, batches: batches, seed: 5)
        let reference = try Self.referenceTrace(configuration, batches, seed: 5)
        #expect(fast.count == batches.steps)
        // Ideal thresholds are finite (lognormal), so whole-trace equality is meaningful.
        #expect(fast == reference)
        if let step = (0..<fast.count).first(where: { fast.selected[$0] != reference.selected[$0] || fast.threshold[$0] != reference.threshold[$0] }) {
            Issue.record("first difference at step \(step): fast θ \(fast.threshold[step]) n \(fast.selected[step]); reference θ \(reference.threshold[step]) n \(reference.selected[step])")
        }
    }

    @Test func fallbackPathIsExercised() throws {
        // Guard against the comparison above being vacuous for the fallback cases.
        let batches = try Self.batches(seed: 5)
        let seedPackage = try Simulator.run(configuration: Self.configuration("seedPackage"), batches: batches, seed: 5)
        #expect(seedPackage.fallback.contains(true))
        let notCounted = try Simulator.run(configuration: Self.configuration("fallbackNotCounted"), batches: batches, seed: 5)
        #expect(notCounted.fallback.contains(true))
    }

    @Test func nonFiniteScoresTakeTheFullPathAndAreRejected() throws {
        // Batches of 4 with NaN/inf mixed in; θ0 = 1, no gain, so every step gates at θ = 1.
        var scores: [Double] = []
        for step in 0..<20 { scores += [.nan, 2.0 + Double(step), 0.5, step.isMultiple(of: 2) ? .infinity : 3.0] }
        let batches = BatchSet(scores: scores, batchSize: 4, idealThresholds: Array(repeating: 1, count: 20))
        #expect(!batches.allFinite)
        let config = try Fixtures.velocity(kp: 0, ki: 0, theta0: 1)
        let trace = try Simulator.run(configuration: config, batches: batches, seed: 1)
        #expect(trace == (try Self.referenceTrace(config, batches, seed: 1)))
        for step in 0..<20 {
            // Even steps: finite {2+k, 0.5} → 1 of 2 pass. Odd steps: {2+k, 0.5, 3} → 2 of 3.
            #expect(trace.batchSize[step] == (step.isMultiple(of: 2) ? 2 : 3))
            #expect(trace.selected[step] == (step.isMultiple(of: 2) ? 1 : 2))
        }
    }

    @Test func sameSeedGivesIdenticalTraces() throws {
        let a = try Self.batches(seed: 11), b = try Self.batches(seed: 11)
        #expect(a.scores == b.scores)
        for name in ["velocityPI", "seedCIFAR"] {
            let config = try Preset(rawValue: name)!.configuration(target: 0.1)
            #expect(try Simulator.run(configuration: config, batches: a, seed: 11)
                    == Simulator.run(configuration: config, batches: b, seed: 11))
        }
    }

    @Test func differentSeedsGiveDifferentTraces() throws {
        let a = try Self.batches(seed: 11), b = try Self.batches(seed: 12)
        #expect(a.scores != b.scores)
        let config = try Preset.velocityPI.configuration(target: 0.1)
        let ta = try Simulator.run(configuration: config, batches: a, seed: 11)
        let tb = try Simulator.run(configuration: config, batches: b, seed: 12)
        #expect(ta.selected != tb.selected)
        // A stochastic gate on the very same batches: the gate's seed alone changes the run.
        let cifar = try Preset.seedCIFAR.configuration(target: 0.1)
        #expect(try Simulator.run(configuration: cifar, batches: a, seed: 1).selected
                != Simulator.run(configuration: cifar, batches: a, seed: 2).selected)
    }

    // MARK: countAtMost

    static let sorted: [Double] = [-3, -1, 0, 0, 0, 0.5, 2, 2, 7, 7, 7, 7, 9.25]

    static let probes: [Double] = [-10, -3, -2.5, -1, -0.0, 0, 1e-300, 0.25, 0.5, 1.999, 2, 2.001, 7, 8, 9.25, 100,
                                   .infinity, -.infinity]

    @Test(arguments: probes)
    func countAtMostMatchesALinearCount(value: Double) {
        Self.sorted.withUnsafeBufferPointer { buffer in
            #expect(Simulator.countAtMost(value, in: buffer, base: 0, count: buffer.count)
                    == Self.sorted.filter { $0 <= value }.count)
            // A sub-batch: elements 3 ..< 11 (0, 0, 0.5, 2, 2, 7, 7, 7).
            #expect(Simulator.countAtMost(value, in: buffer, base: 3, count: 8)
                    == Self.sorted[3..<11].filter { $0 <= value }.count)
        }
    }

    @Test(arguments: [0, 1, 2, 5])
    func countAtMostOnTinyAndTiedBatches(size: Int) {
        let ties = Array(repeating: 4.0, count: size)
        ties.withUnsafeBufferPointer { buffer in
            #expect(Simulator.countAtMost(4, in: buffer, base: 0, count: size) == size)
            #expect(Simulator.countAtMost(3.999, in: buffer, base: 0, count: size) == 0)
            #expect(Simulator.countAtMost(.nan, in: buffer, base: 0, count: size) == 0)
        }
    }
}
