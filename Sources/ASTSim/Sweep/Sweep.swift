import PIControl

/// Runs gain grids with common random numbers: each seed's batches are generated and sorted
/// once and shared by every grid point; grid points run in parallel.
public enum Sweep {
    /// - Parameters:
    ///   - scenario: Supplies the score stream, steps, batch size and metric settings.
    ///   - spec: Grid, seeds, base controller and shard.
    ///   - plantGain: When given, each point is also judged by the linear analysis.
    /// - Returns: The shard's points in index order.
    public static func run(scenario: Scenario, spec: SweepSpec, plantGain: Double? = nil) throws(InputError) -> [SweepPoint] {
        try checkMemory(scenario: scenario, seeds: spec.seeds.count, gridPoints: spec.shardIndices.count)
        let ideal = try ScenarioRunner.idealThresholds(for: scenario)
        var batchSets: [BatchSet] = []
        for seed in spec.seeds {
            batchSets.append(try ScenarioRunner.batches(for: scenario, seed: seed, idealThresholds: ideal))
        }
        let sets = batchSets
        let indices = spec.shardIndices
        let settings = scenario.metrics
        return try runPoints(indices: indices, spec: spec, batchSets: sets, settings: settings, plantGain: plantGain)
    }

    /// Refuses a sweep whose estimated memory (every seed's batches, kept for the whole grid,
    /// and the points' results) exceeds ``MemoryEstimate/limit``. Takes counts, so a command can
    /// check before it builds the seed list or the grid.
    /// - Parameters:
    ///   - scenario: Supplies steps and batch size.
    ///   - seeds: Seeds per grid point.
    ///   - gridPoints: Grid points this run computes; `nil` when their count overflows.
    public static func checkMemory(scenario: Scenario, seeds: Int, gridPoints: Int?) throws(InputError) {
        guard let gridPoints else {
            throw InputError(file: nil, field: "--kp, --ki, --alpha", expected: "a grid whose points can be counted; use fewer points per axis",
                             actual: "more than \(Int.max) points")
        }
        let estimate = MemoryEstimate.sharedBatches(steps: [scenario.steps], batchSizes: [scenario.batchSize], seeds: seeds,
                                                    gridPoints: gridPoints, groupSize: groupSize)
        // Name the flag whose term dominates the estimate.
        let field = Double(gridPoints) * 200 > estimate.bytes / 2 ? "--kp, --ki, --alpha" : "--seeds"
        if let refusal = estimate.refusal(of: "this sweep", change: "--seeds, the grid's points (--kp, --ki, --alpha), or the scenario's steps or batchSize",
                                          file: nil, field: field) {
            throw refusal
        }
    }

    /// Grid points per lock-step group (see ``Simulator/runGroup(configurations:batches:)``).
    static let groupSize = 16

    static func runPoints(indices: [Int], spec: SweepSpec, batchSets: [BatchSet], settings: MetricSettings,
                          plantGain: Double?) throws(InputError) -> [SweepPoint] {
        let deterministic = Simulator.countsDeterministically(spec.base) && batchSets.allSatisfy(\.allFinite)
        let groupSize = deterministic ? Self.groupSize : 1
        let groups = stride(from: 0, to: indices.count, by: groupSize).map { Array(indices[$0..<min($0 + groupSize, indices.count)]) }
        let results: [Result<[SweepPoint], InputError>] = parallelMap(groups.count) { groupIndex in
            let group = groups[groupIndex]
            let configurations = group.map { index -> ControllerConfiguration in
                let gains = spec.point(index)
                var configuration = spec.base
                configuration.proportionalGain = gains.proportionalGain
                configuration.integralGain = gains.integralGain
                configuration.emaAlpha = gains.emaAlpha
                return configuration
            }
            var metrics = Array(repeating: [RunMetrics](), count: group.count)
            for (seedIndex, batches) in batchSets.enumerated() {
                do throws(ConfigurationError) {
                    if deterministic {
                        let series = try Simulator.runGroup(configurations: configurations, batches: batches, recordsControllerState: false)
                        for (position, run) in series.enumerated() {
                            metrics[position].append(TraceMetrics.compute(
                                rate: run.rate, saturated: run.saturated, threshold: run.threshold,
                                idealThreshold: batches.idealThresholds, fallback: run.fallback, settings: settings,
                                includeOscillationPeriod: false))
                        }
                    } else {
                        for (position, configuration) in configurations.enumerated() {
                            let trace = try Simulator.run(configuration: configuration, batches: batches, seed: spec.seeds[seedIndex])
                            metrics[position].append(TraceMetrics.compute(trace, settings: settings, includeOscillationPeriod: false))
                        }
                    }
                } catch {
                    return .failure(InputError(locating: error, file: nil, line: nil, field: "grid points \(group)"))
                }
            }
            return .success(group.enumerated().map { position, index in
                let gains = spec.point(index)
                let stable = plantGain.map {
                    LoopAnalysis.isStable(law: spec.base.law, proportionalGain: gains.proportionalGain,
                                          integralGain: gains.integralGain, emaAlpha: gains.emaAlpha, plantGain: $0)
                }
                return summarise(index: index, gains: gains, metrics: metrics[position], predictedStable: stable)
            })
        }
        var points: [SweepPoint] = []
        points.reserveCapacity(indices.count)
        for result in results {
            switch result {
            case .success(let group): points += group
            case .failure(let error): throw error
            }
        }
        return points
    }

    static func summarise(index: Int, gains: (proportionalGain: Double, integralGain: Double, emaAlpha: Double),
                          metrics: [RunMetrics], predictedStable: Bool?) -> SweepPoint {
        func meanStd(_ values: [Double]) -> (Double, Double) {
            guard !values.isEmpty else { return (.nan, .nan) }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.count > 1 ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1) : 0
            return (mean, variance.squareRoot())
        }
        let settling = metrics.compactMap(\.settlingTime).map(Double.init)
        let (settlingMean, settlingStd) = meanStd(settling)
        let (errorMean, errorStd) = meanStd(metrics.map(\.steadyStateMeanError))
        return SweepPoint(
            index: index, proportionalGain: gains.proportionalGain, integralGain: gains.integralGain, emaAlpha: gains.emaAlpha,
            settlingTimeMean: settling.isEmpty ? nil : settlingMean, settlingTimeStd: settling.isEmpty ? nil : settlingStd,
            steadyStateErrorMean: errorMean, steadyStateErrorStd: errorStd,
            overshootMean: meanStd(metrics.map(\.overshoot)).0,
            fractionSaturatedMean: meanStd(metrics.map(\.fractionSaturated)).0,
            settledSeeds: settling.count, seeds: metrics.count, predictedStable: predictedStable)
    }
}
