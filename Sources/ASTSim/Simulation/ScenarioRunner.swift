import PIControl
import SignificanceModels

/// One controller on one seed.
public struct SeedRun: Sendable {
    public var seed: UInt64
    public var trace: Trace
    public var metrics: RunMetrics
}

/// Whether an expectation held, with the worst value over the seeds.
public struct ExpectationResult: Sendable {
    public var expectation: Expectation
    /// The value that came closest to (or furthest past) the bound; `nil` when undefined on some seed.
    public var worstValue: Double?
    public var holds: Bool
}

/// One controller across all seeds of a scenario.
public struct ControllerOutcome: Sendable {
    public var controller: ScenarioController
    public var runs: [SeedRun]
    public var expectations: [ExpectationResult]
    public var passed: Bool { expectations.allSatisfy(\.holds) }
    /// Seeds on which the run settled.
    public var settledCount: Int { runs.filter { $0.metrics.settled }.count }

    /// Mean of a metric over the seeds where it is defined.
    public func mean(_ metric: MetricName) -> Double? {
        let values = runs.compactMap { metric.value(in: $0.metrics) }
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}

/// Every controller of a scenario on every seed.
public struct ScenarioResult: Sendable {
    public var scenario: Scenario
    public var outcomes: [ControllerOutcome]
    public var passed: Bool { outcomes.allSatisfy(\.passed) }
}

/// Runs scenarios: generates each seed's batches once and runs every controller on them.
public enum ScenarioRunner {
    /// Generates the batches of `scenario` for `seed` (with the ideal thresholds).
    /// - Throws: ``InputError`` when the score model is invalid at some step.
    /// - Parameters:
    ///   - scenario: The scenario (score source, steps, batch size).
    ///   - seed: The score stream's seed.
    ///   - idealThresholds: Precomputed ideal thresholds for the steps, or `nil` to compute them (they do not depend on the seed for a model).
    public static func batches(for scenario: Scenario, seed: UInt64, idealThresholds: [Double]? = nil) throws(InputError) -> BatchSet {
        if case .recorded(let recorded) = scenario.scores {
            // Recorded batches are the same for every seed; the seed drives the gate only.
            let steps = min(scenario.steps, recorded.steps)
            let ideal: [Double]
            if let idealThresholds { ideal = idealThresholds } else { ideal = try Self.idealThresholds(for: scenario) }
            return BatchSet(scores: Array(recorded.scores.prefix(steps * recorded.batchSize)), batchSize: recorded.batchSize,
                            idealThresholds: Array(ideal.prefix(steps)))
        }
        var stream = try makeStream(scenario, seed: seed)
        var scores = [Double](repeating: 0, count: scenario.steps * scenario.batchSize)
        scores.withUnsafeMutableBufferPointer { buffer in
            for step in 0..<scenario.steps {
                let slice = UnsafeMutableBufferPointer(rebasing: buffer[(step * scenario.batchSize)..<((step + 1) * scenario.batchSize)])
                stream.fill(step: step, into: slice)
            }
        }
        let ideal: [Double]
        if let idealThresholds { ideal = idealThresholds } else { ideal = try Self.idealThresholds(for: scenario, stream: stream) }
        return BatchSet(scores: scores, batchSize: scenario.batchSize, idealThresholds: ideal)
    }

    /// `θ*_k` for every step at the scenario's target.
    public static func idealThresholds(for scenario: Scenario) throws(InputError) -> [Double] {
        if case .recorded(let recorded) = scenario.scores {
            return (0..<min(scenario.steps, recorded.steps)).map { recorded.idealThreshold(step: $0, target: scenario.target) }
        }
        return try idealThresholds(for: scenario, stream: makeStream(scenario, seed: 1))
    }

    static func idealThresholds(for scenario: Scenario, stream: ScoreStream) throws(InputError) -> [Double] {
        var result = [Double](repeating: .nan, count: scenario.steps)
        do {
            for step in 0..<scenario.steps {
                result[step] = try stream.idealThreshold(step: step, target: scenario.target).value
            }
        } catch {
            throw InputError(model: error, in: scenario)
        }
        return result
    }

    static func makeStream(_ scenario: Scenario, seed: UInt64) throws(InputError) -> ScoreStream {
        guard case .model(let model) = scenario.scores else {
            throw InputError(file: scenario.file, field: "scores", expected: "a score model (one that generates batches)",
                             actual: "recorded scores, which have no generator")
        }
        do {
            return try ScoreStream(model: model, steps: scenario.steps, batchSize: scenario.batchSize, seed: seed)
        } catch {
            throw InputError(model: error, in: scenario)
        }
    }

    /// Refuses a run whose estimated memory (`MemoryEstimate.scenarioRun`)
    /// exceeds the limit, naming the fields to lower.
    /// - Parameters:
    ///   - scenario: The scenario to run.
    ///   - keepTraces: Whether every run's trace is kept (for plots and CSVs) rather than only its metrics.
    public static func checkMemory(_ scenario: Scenario, keepTraces: Bool) throws(InputError) {
        let estimate = MemoryEstimate.scenarioRun(steps: scenario.steps, batchSize: scenario.batchSize, seeds: scenario.seeds.count,
                                                  controllers: scenario.controllers.count, keepTraces: keepTraces)
        if let refusal = estimate.refusal(of: "this scenario", change: "steps, batchSize or the number of seeds",
                                          file: scenario.file, field: "steps") {
            throw refusal
        }
    }

    /// Runs every controller of `scenario` on every seed, seeds in parallel.
    /// - Parameters:
    ///   - scenario: The scenario.
    ///   - keepTraces: Whether to keep full traces (large) or only metrics.
    /// - Throws: ``InputError`` for an invalid model, or (before anything is allocated) when
    ///   the run would need more memory than the memory limit (half the physical memory).
    public static func run(_ scenario: Scenario, keepTraces: Bool = false) throws(InputError) -> ScenarioResult {
        try checkMemory(scenario, keepTraces: keepTraces)
        let ideal = try idealThresholds(for: scenario)
        let seeds = scenario.seeds
        let perSeed = try throwingParallelMap(seeds.count) { index throws(InputError) -> [SeedRun] in
            let batches = try batches(for: scenario, seed: seeds[index], idealThresholds: ideal)
            var runs: [SeedRun] = []
            for controller in scenario.controllers {
                let trace: Trace
                do throws(ConfigurationError) {
                    trace = try Simulator.run(configuration: controller.configuration, batches: batches, seed: seeds[index])
                } catch {
                    throw InputError(locating: error, file: scenario.file, line: nil, field: "controllers.\(controller.name)")
                }
                let metrics = TraceMetrics.compute(trace, settings: scenario.metrics)
                runs.append(SeedRun(seed: seeds[index], trace: keepTraces ? trace : Trace(capacity: 0), metrics: metrics))
            }
            return runs
        }
        var outcomes: [ControllerOutcome] = []
        for (controllerIndex, controller) in scenario.controllers.enumerated() {
            let runs = perSeed.map { $0[controllerIndex] }
            let results = controller.expectations.map { expectation in
                let values = runs.map { expectation.metric.value(in: $0.metrics) }
                return ExpectationResult(expectation: expectation, worstValue: expectation.worst(of: values),
                                         holds: values.allSatisfy { expectation.holds(for: $0) })
            }
            outcomes.append(ControllerOutcome(controller: controller, runs: runs, expectations: results))
        }
        return ScenarioResult(scenario: scenario, outcomes: outcomes)
    }
}
