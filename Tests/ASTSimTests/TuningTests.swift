import Foundation
import Testing
import ASTSim
import PIControl

/// The tuning cost and the Nelder–Mead tuner.
@Suite struct TuningTests {
    /// `RunMetrics` has no public memberwise initialiser; build it through its `Codable` form.
    static func metrics(itae: Double, overshoot: Double, fractionSaturated: Double, settlingTime: Int?) throws -> RunMetrics {
        var json = """
        {"overshoot": \(overshoot), "steadyStateMeanError": 0, "steadyStateRMSError": 0, "iae": 0, "itae": \(itae),
         "signChanges": 0, "fractionSaturated": \(fractionSaturated), "unrecoveredEpisodes": 0, "fractionFallback": 0,
         "meanRate": 0.1
        """
        if let settlingTime { json += ", \"settlingTime\": \(settlingTime)" }
        return try JSONDecoder().decode(RunMetrics.self, from: Data((json + "}").utf8))
    }

    @Test func costFollowsTheDocumentedFormula() throws {
        // J = 100·ITAE/Σk + 50·overshoot + 5·fractionSaturated + 5·[not settled], Σk = n(n−1)/2.
        // n = 101 → Σk = 5050; ITAE 1000 → 100·1000/5050 = 19.801980…; overshoot 0.02 → 1;
        // saturated 0.1 → 0.5; not settled → 5. Total 26.301980…
        let unsettled = try Self.metrics(itae: 1000, overshoot: 0.02, fractionSaturated: 0.1, settlingTime: nil)
        #expect(abs(TuningCost.cost(unsettled, steps: 101) - (100_000.0 / 5050 + 1 + 0.5 + 5)) < 1e-12)
        let settled = try Self.metrics(itae: 1000, overshoot: 0.02, fractionSaturated: 0.1, settlingTime: 40)
        #expect(abs(TuningCost.cost(settled, steps: 101) - (100_000.0 / 5050 + 1 + 0.5)) < 1e-12)
        // A perfect settled run costs nothing; one step has no ITAE weight.
        #expect(TuningCost.cost(try Self.metrics(itae: 0, overshoot: 0, fractionSaturated: 0, settlingTime: 0), steps: 50) == 0)
        #expect(TuningCost.cost(try Self.metrics(itae: 7, overshoot: 0, fractionSaturated: 0, settlingTime: 0), steps: 1) == 0)
    }

    @Test func tuningFromPoorGainsLowersTheCostAndSettles() throws {
        let scenario = Fixtures.lognormalScenario(steps: 400, batchSize: 128, window: 20)
        // Deliberately poor: Ki = 0.001 moves θ by at most 0.0004 a step; θ* ≈ 3.6 is 2.6 away.
        let base = try Fixtures.velocity(kp: 0.001, ki: 0.001, alpha: 0.5, theta0: 1)
        let tuner = try Tuner(scenarios: [scenario], seeds: [1])
        let outcome = tuner.tune(base: base, tuneAlpha: false, starts: 2, iterations: 60)
        #expect(outcome.costAfter < outcome.costBefore)
        #expect(outcome.evaluations > 1)
        #expect(abs(tuner.cost(base) - outcome.costBefore) < 1e-12)
        #expect(abs(tuner.cost(outcome.configuration) - outcome.costAfter) < 1e-9)
        // Only the gains move.
        #expect(outcome.configuration.law == base.law)
        #expect(outcome.configuration.emaAlpha == base.emaAlpha)
        #expect(outcome.configuration.thresholdBounds == base.thresholdBounds)

        let batches = try ScenarioRunner.batches(for: scenario, seed: 1)
        let before = TraceMetrics.compute(try Simulator.run(configuration: base, batches: batches, seed: 1), settings: scenario.metrics)
        let after = TraceMetrics.compute(try Simulator.run(configuration: outcome.configuration, batches: batches, seed: 1),
                                         settings: scenario.metrics)
        #expect(before.settlingTime == nil)   // by construction
        // No worse: it settles (the base never does).
        #expect(after.settlingTime != nil)
        let evaluation = try #require(tuner.evaluate(outcome.configuration).first)
        #expect(evaluation.settledSeeds == 1)
    }
}
