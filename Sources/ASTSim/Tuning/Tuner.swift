import CNumerics
import Foundation
import PIControl

/// Offline gain tuning: Nelder–Mead (GSL `nmsimplex2`) on `(log Kp, log Ki[, logit α])`,
/// from several starts, minimising ``TuningCost`` over a set of scenarios and seeds with
/// common random numbers (batches generated once).
public struct Tuner {
    /// A scenario's pre-generated batches for each seed.
    struct PreparedScenario {
        var scenario: Scenario
        var batchSets: [BatchSet]
    }

    public struct Evaluation: Sendable {
        public var scenario: String
        public var cost: Double
        /// Metrics averaged over seeds.
        public var settledSeeds: Int
        public var seeds: Int
        public var settlingTimeMean: Double?
        public var steadyStateErrorMean: Double
        public var overshootMean: Double
        public var fractionSaturatedMean: Double
    }

    public struct Outcome: Sendable {
        public var configuration: ControllerConfiguration
        public var costBefore: Double
        public var costAfter: Double
        public var starts: Int
        public var evaluations: Int
    }

    let prepared: [PreparedScenario]
    let seeds: [UInt64]

    /// Generates every scenario's batches for `seeds`.
    /// - Throws: ``InputError`` for an invalid model, or when the batches would need more
    ///   memory than the memory limit (half the physical memory) (checked before generating any).
    /// - Parameters:
    ///   - scenarios: The scenarios to tune on.
    ///   - seeds: The score-stream seeds, each run on every scenario.
    public init(scenarios: [Scenario], seeds: [UInt64]) throws(InputError) {
        try Self.checkMemory(scenarios: scenarios, seeds: seeds.count)
        var prepared: [PreparedScenario] = []
        for scenario in scenarios {
            let ideal = try ScenarioRunner.idealThresholds(for: scenario)
            var sets: [BatchSet] = []
            for seed in seeds { sets.append(try ScenarioRunner.batches(for: scenario, seed: seed, idealThresholds: ideal)) }
            prepared.append(PreparedScenario(scenario: scenario, batchSets: sets))
        }
        self.prepared = prepared
        self.seeds = seeds
    }

    /// Refuses tuning whose batches (every seed of every scenario, kept for all evaluations)
    /// would exceed the memory limit (half the physical memory).
    /// - Parameters:
    ///   - scenarios: The scenarios to tune on.
    ///   - seeds: The number of seeds.
    public static func checkMemory(scenarios: [Scenario], seeds: Int) throws(InputError) {
        let estimate = MemoryEstimate.sharedBatches(steps: scenarios.map(\.steps), batchSizes: scenarios.map(\.batchSize), seeds: seeds)
        if let refusal = estimate.refusal(of: "tuning", change: "--steps, --seeds, or the scenarios' steps or batchSize",
                                          file: nil, field: "--steps") {
            throw refusal
        }
    }

    /// Per-scenario cost and metrics of `configuration` (its target replaced by each scenario's).
    public func evaluate(_ configuration: ControllerConfiguration) -> [Evaluation] {
        prepared.map { item in
            var config = configuration
            config.target = item.scenario.target
            var costs: [Double] = []
            var metrics: [RunMetrics] = []
            for (index, batches) in item.batchSets.enumerated() {
                guard let trace = try? Simulator.run(configuration: config, batches: batches, seed: seeds[index]) else {
                    costs.append(.infinity)
                    continue
                }
                let runMetrics = TraceMetrics.compute(trace, settings: item.scenario.metrics, includeOscillationPeriod: false)
                metrics.append(runMetrics)
                costs.append(TuningCost.cost(runMetrics, steps: item.scenario.steps))
            }
            let settling = metrics.compactMap(\.settlingTime).map(Double.init)
            func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
            return Evaluation(
                scenario: item.scenario.name, cost: mean(costs), settledSeeds: settling.count, seeds: item.batchSets.count,
                settlingTimeMean: settling.isEmpty ? nil : mean(settling),
                steadyStateErrorMean: mean(metrics.map(\.steadyStateMeanError)), overshootMean: mean(metrics.map(\.overshoot)),
                fractionSaturatedMean: mean(metrics.map(\.fractionSaturated)))
        }
    }

    /// Mean cost over scenarios.
    public func cost(_ configuration: ControllerConfiguration) -> Double {
        let evaluations = evaluate(configuration)
        return evaluations.reduce(0) { $0 + $1.cost } / Double(max(1, evaluations.count))
    }

    /// Minimises the cost from several starts around `base`'s gains.
    /// - Parameters:
    ///   - base: Law, bounds, anti-windup, gate; its gains are the first start.
    ///   - tuneAlpha: Also tune the EMA weight α.
    ///   - starts: Number of starts (the base, then gains scaled by 10^±1 combinations).
    ///   - iterations: Nelder–Mead iterations per start.
    /// Start points available (the gains scaled by these factor pairs).
    public static var startCount: Int { multipliers.count }
    static let multipliers: [(Double, Double)] = [(1, 1), (10, 10), (0.1, 0.1), (10, 0.1), (0.1, 10), (100, 100), (0.01, 0.01), (3, 0.3)]

    /// - Returns: The best configuration found; `starts` in it is the number of starts run
    ///   (at most ``startCount``) and `evaluations` the cost evaluations done.
    /// - Parameters:
    ///   - base: The starting controller (law, bounds and the other fields are kept).
    ///   - tuneAlpha: Also tune the EMA weight α.
    ///   - starts: Nelder–Mead starts, at most ``startCount``.
    ///   - iterations: Iterations per start.
    public func tune(base: ControllerConfiguration, tuneAlpha: Bool, starts: Int = 4, iterations: Int = 150) -> Outcome {
        let costBefore = cost(base)
        var best = base
        var bestCost = costBefore
        var evaluations = 1
        let multipliers = Self.multipliers
        let startsRun = max(1, min(starts, multipliers.count))
        let safeKp = max(base.proportionalGain, 1e-6), safeKi = max(base.integralGain, 1e-8)
        for start in 0..<startsRun {
            let (kpScale, kiScale) = multipliers[start]
            var initial = [log(safeKp * kpScale), log(safeKi * kiScale)]
            if tuneAlpha { initial.append(logit(base.emaAlpha)) }
            let (point, value, used) = minimise(initial: initial, step: 1.0, iterations: iterations) { x in
                self.cost(self.configuration(base, x, tuneAlpha: tuneAlpha))
            }
            evaluations += used
            if value < bestCost {
                bestCost = value
                best = configuration(base, point, tuneAlpha: tuneAlpha)
            }
        }
        return Outcome(configuration: best, costBefore: costBefore, costAfter: bestCost, starts: startsRun, evaluations: evaluations)
    }

    func configuration(_ base: ControllerConfiguration, _ x: [Double], tuneAlpha: Bool) -> ControllerConfiguration {
        var config = base
        config.proportionalGain = exp(min(50, max(-50, x[0])))
        config.integralGain = exp(min(50, max(-50, x[1])))
        if tuneAlpha {
            // Keep α away from 0 so the EMA still moves.
            config.emaAlpha = min(1, max(0.01, 1 / (1 + exp(-x[2]))))
        }
        return config
    }

    func logit(_ p: Double) -> Double {
        let clamped = min(0.99, max(0.01, p))
        return log(clamped / (1 - clamped))
    }

    /// GSL `nmsimplex2` on `objective`; returns the best point, its value, and evaluations used.
    func minimise(initial: [Double], step: Double, iterations: Int, objective: @escaping ([Double]) -> Double) -> ([Double], Double, Int) {
        final class Box {
            let objective: ([Double]) -> Double
            var evaluations = 0
            init(_ objective: @escaping ([Double]) -> Double) { self.objective = objective }
        }
        let box = Box(objective)
        let dimension = initial.count
        let callback: @convention(c) (UnsafePointer<gsl_vector>?, UnsafeMutableRawPointer?) -> Double = { vector, parameters in
            let box = Unmanaged<Box>.fromOpaque(parameters!).takeUnretainedValue()
            let count = vector!.pointee.size
            let x = (0..<count).map { gsl_vector_get(vector, $0) }
            box.evaluations += 1
            let value = box.objective(x)
            return value.isFinite ? value : 1e12
        }
        GSLErrorHandling.disableAbort()
        let unmanaged = Unmanaged.passRetained(box)
        defer { unmanaged.release() }
        var function = gsl_multimin_function(f: callback, n: dimension, params: unmanaged.toOpaque())
        let start = gsl_vector_alloc(dimension)!
        let steps = gsl_vector_alloc(dimension)!
        let minimizer = gsl_multimin_fminimizer_alloc(ast_multimin_nmsimplex2(), dimension)!
        defer {
            gsl_vector_free(start)
            gsl_vector_free(steps)
            gsl_multimin_fminimizer_free(minimizer)
        }
        for index in 0..<dimension {
            gsl_vector_set(start, index, initial[index])
            gsl_vector_set(steps, index, step)
        }
        gsl_multimin_fminimizer_set(minimizer, &function, start, steps)
        for _ in 0..<iterations {
            if gsl_multimin_fminimizer_iterate(minimizer) != GSL_SUCCESS { break }
            if gsl_multimin_test_size(gsl_multimin_fminimizer_size(minimizer), 1e-3) == GSL_SUCCESS { break }
        }
        let best = (0..<dimension).map { gsl_vector_get(minimizer.pointee.x, $0) }
        return (best, minimizer.pointee.fval, box.evaluations)
    }
}
