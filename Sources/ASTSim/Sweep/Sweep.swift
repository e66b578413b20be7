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

    static func runPoints(indices: [Int], spec: SweepSpec, batchSets: [BatchSet], settings: MetricSettings,
                          plantGain: Double?) throws(InputError) -> [SweepPoint] {
        let results: [Result<SweepPoint, InputError>] = parallelMap(indices.count) { position in
            let index = indices[position]
            let gains = spec.point(index)
            var configuration = spec.base
            configuration.proportionalGain = gains.proportionalGain
            configuration.integralGain = gains.integralGain
            configuration.emaAlpha = gains.emaAlpha
            var metrics: [RunMetrics] = []
            for (seedIndex, batches) in batchSets.enumerated() {
                do {
                    let trace = try Simulator.run(configuration: configuration, batches: batches, seed: spec.seeds[seedIndex])
                    metrics.append(TraceMetrics.compute(trace, settings: settings, includeOscillationPeriod: false))
                } catch {
                    return .failure(InputError(file: "sweep", line: 0, field: "grid point \(index)", message: "\(error)"))
                }
            }
            let stable = plantGain.map {
                LoopAnalysis.isStable(law: configuration.law, proportionalGain: gains.proportionalGain,
                                      integralGain: gains.integralGain, emaAlpha: gains.emaAlpha, plantGain: $0)
            }
            return .success(summarise(index: index, gains: gains, metrics: metrics, predictedStable: stable))
        }
        var points: [SweepPoint] = []
        points.reserveCapacity(results.count)
        for result in results {
            switch result {
            case .success(let point): points.append(point)
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
