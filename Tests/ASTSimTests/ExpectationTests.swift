import Testing
import ASTSim
import PIControl

/// Bounds on metrics: whether they hold, by how much they are exceeded, and the worst seed.
@Suite struct ExpectationTests {
    @Test func atMost() {
        let e = Expectation(metric: .settlingTime, bound: .atMost(10))
        #expect(e.holds(for: 5))
        #expect(e.holds(for: 10))
        #expect(!e.holds(for: 11))
        #expect(e.excess(for: 11) == 1)
        #expect(e.excess(for: 5) == -5)
        #expect(e.worst(of: [3, 12, 7]) == 12)
    }

    @Test func atLeast() {
        let e = Expectation(metric: .fractionFallback, bound: .atLeast(10))
        #expect(e.holds(for: 12))
        #expect(e.holds(for: 10))
        #expect(!e.holds(for: 9))
        #expect(e.excess(for: 9) == 1)
        #expect(e.excess(for: 12) == -2)
        #expect(e.worst(of: [3, 12, 7]) == 3)
    }

    @Test func absoluteAtMost() throws {
        let e = Expectation(metric: .steadyStateMeanError, bound: .absoluteAtMost(0.002))
        #expect(e.holds(for: -0.001))
        #expect(e.holds(for: 0.002))
        #expect(!e.holds(for: -0.003))
        #expect(!e.holds(for: 0.003))
        #expect(abs(try #require(e.excess(for: -0.003)) - 0.001) < 1e-15)
        // The worst is the largest magnitude, whatever its sign.
        #expect(e.worst(of: [0.001, -0.005, 0.003]) == -0.005)
    }

    @Test func equalsFlag() {
        let mustSettle = Expectation(metric: .settled, bound: .equals(true))
        #expect(mustSettle.holds(for: 1))
        #expect(!mustSettle.holds(for: 0))
        #expect(mustSettle.excess(for: 0) == 1)
        #expect(mustSettle.excess(for: 1) == 0)
        #expect(mustSettle.worst(of: [1, 0, 1]) == 0)
        let mustNot = Expectation(metric: .settled, bound: .equals(false))
        #expect(mustNot.holds(for: 0))
        #expect(!mustNot.holds(for: 1))
        #expect(mustNot.worst(of: [0, 1]) == 1)
    }

    @Test(arguments: [Expectation.Bound.atMost(1e9), .atLeast(-1e9), .absoluteAtMost(1e9), .equals(false), .equals(true)])
    func anUndefinedValueFailsEveryBound(bound: Expectation.Bound) {
        let e = Expectation(metric: .settlingTime, bound: bound)
        #expect(!e.holds(for: nil))
        #expect(e.excess(for: nil) == nil)
        // One undefined seed makes the worst value undefined, even among good ones.
        #expect(e.worst(of: [1, nil, 2]) == nil)
    }

    @Test func metricValuesAreUndefinedExactlyWhenTheRunLacksThem() {
        // A run that never settles and was never saturated.
        let metrics = TraceMetrics.compute(rate: [0.5, 0.5, 0.5], saturated: [false, false, false], threshold: [1, 1, 1],
                                           idealThreshold: [.nan, .nan, .nan], settings: MetricSettings(target: 0.1, window: 1))
        #expect(MetricName.settlingTime.value(in: metrics) == nil)
        #expect(MetricName.windupRecoveryTime.value(in: metrics) == nil)
        #expect(MetricName.thresholdTrackingRMS.value(in: metrics) == nil)
        #expect(MetricName.settled.value(in: metrics) == 0)
        #expect(MetricName.meanRate.value(in: metrics) == 0.5)
        #expect(!Expectation(metric: .settlingTime, bound: .atMost(1e9)).holds(for: MetricName.settlingTime.value(in: metrics)))
    }

    @Test func scenarioRunnerReportsEachExpectationOverAllSeeds() throws {
        // meanRate is a fraction, so <= 1 must hold and >= 2 must fail on every seed.
        let controller = ScenarioController(
            name: "v", configuration: try Preset.velocityPI.configuration(target: 0.1),
            expectations: [Expectation(metric: .meanRate, bound: .atMost(1)), Expectation(metric: .meanRate, bound: .atLeast(2))])
        let scenario = Fixtures.lognormalScenario(steps: 200, batchSize: 64, seeds: [1, 2, 3], controllers: [controller])
        let result = try ScenarioRunner.run(scenario)
        let outcome = try #require(result.outcomes.first)
        #expect(outcome.runs.map(\.seed) == [1, 2, 3])
        #expect(outcome.expectations.map(\.holds) == [true, false])
        #expect(!outcome.passed)
        #expect(!result.passed)
        // The worst value of ">= 2" is the smallest mean rate over the seeds.
        let rates = outcome.runs.map(\.metrics.meanRate)
        #expect(outcome.expectations[1].worstValue == rates.min())
        #expect(outcome.expectations[0].worstValue == rates.max())
    }
}
