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
        // Seeds are independent streams: generate (and sort) them on all cores.
        let sets = try throwingParallelMap(spec.seeds.count) { position throws(InputError) -> BatchSet in
            try ScenarioRunner.batches(for: scenario, seed: spec.seeds[position], idealThresholds: ideal)
        }
        let indices = spec.shardIndices
        let settings = scenario.metrics
        return try runPoints(indices: indices, spec: spec, batchSets: sets, settings: settings, plantGain: plantGain)
    }

    /// Refuses a sweep whose estimated memory (every seed's batches, kept for the whole grid,
    /// and the points' results) exceeds the memory limit (half the physical memory). Takes counts, so a command can
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
        // One trace per core at a time (the scalar path runs one point at a time; the lane
        // kernel keeps no series at all).
        let estimate = MemoryEstimate.sharedBatches(steps: [scenario.steps], batchSizes: [scenario.batchSize], seeds: seeds,
                                                    gridPoints: gridPoints, groupSize: 1)
        // Name the flag whose term dominates the estimate.
        let field = Double(gridPoints) * 200 > estimate.bytes / 2 ? "--kp, --ki, --alpha" : "--seeds"
        if let refusal = estimate.refusal(of: "this sweep", change: "--seeds, the grid's points (--kp, --ki, --alpha), or the scenario's steps or batchSize",
                                          file: nil, field: field) {
            throw refusal
        }
    }

    /// Grid points per lane group on the lane kernel (``Simulator/runLanes(base:gains:batches:recorder:)``).
    /// A group reads each seed's batches (5 MB for 5,000 × 128) once, so wider groups mean
    /// less traffic from L3; its own state is a few hundred bytes per lane.
    static let laneGroupSize = 64

    static func runPoints(indices: [Int], spec: SweepSpec, batchSets: [BatchSet], settings: MetricSettings,
                          plantGain: Double?) throws(InputError) -> [SweepPoint] {
        let onLanes = batchSets.allSatisfy { Simulator.lanesApply(base: spec.base, batches: $0) && $0.steps > 0 }
        let summaries = onLanes
            ? try laneSummaries(indices: indices, spec: spec, batchSets: batchSets, settings: settings)
            : try scalarSummaries(indices: indices, spec: spec, batchSets: batchSets, settings: settings)
        // The linear analysis per point is independent of the simulation: spread it too.
        let chunk = 256
        let chunks = parallelMap((indices.count + chunk - 1) / chunk) { chunkIndex in
            (chunkIndex * chunk..<min(indices.count, (chunkIndex + 1) * chunk)).map { position in
                let index = indices[position]
                let gains = spec.point(index)
                let stable = plantGain.map {
                    LoopAnalysis.isStable(law: spec.base.law, proportionalGain: gains.proportionalGain,
                                          integralGain: gains.integralGain, emaAlpha: gains.emaAlpha, plantGain: $0)
                }
                return summarise(index: index, gains: gains, summaries: summaries[position], predictedStable: stable)
            }
        }
        return chunks.flatMap { $0 }
    }

    /// The configuration of grid point `index`.
    static func configuration(_ spec: SweepSpec, index: Int) -> ControllerConfiguration {
        let gains = spec.point(index)
        var configuration = spec.base
        configuration.proportionalGain = gains.proportionalGain
        configuration.integralGain = gains.integralGain
        configuration.emaAlpha = gains.emaAlpha
        return configuration
    }

    /// Every point's per-seed summaries on the lane kernel. The work items are (group, seed)
    /// pairs, so a grid smaller than a group still spreads its seeds over the cores.
    static func laneSummaries(indices: [Int], spec: SweepSpec, batchSets: [BatchSet],
                              settings: MetricSettings) throws(InputError) -> [[SweepRunSummary]] {
        let groupSize = laneGroupSize
        let groups = stride(from: 0, to: indices.count, by: groupSize).map { Array(indices[$0..<min($0 + groupSize, indices.count)]) }
        let seedCount = batchSets.count
        let results = try throwingParallelMap(groups.count * seedCount) { item throws(InputError) -> [SweepRunSummary] in
            let group = groups[item / seedCount], batches = batchSets[item % seedCount]
            let gains = group.map { index in
                let point = spec.point(index)
                return Simulator.LaneGains(proportionalGain: point.proportionalGain, integralGain: point.integralGain,
                                           emaAlpha: point.emaAlpha)
            }
            var recorder = SweepMetricsRecorder(lanes: group.count, steps: batches.steps, batchSize: batches.batchSize,
                                                settings: settings)
            defer { recorder.deallocate() }
            do throws(ConfigurationError) {
                try Simulator.runLanes(base: spec.base, gains: gains, batches: batches, recorder: &recorder)
            } catch {
                throw InputError(locating: error, file: nil, line: nil, field: "grid points \(group)")
            }
            return recorder.summaries
        }
        var summaries = Array(repeating: [SweepRunSummary](), count: indices.count)
        for (item, lanes) in results.enumerated() {
            let start = (item / seedCount) * groupSize
            for (lane, summary) in lanes.enumerated() { summaries[start + lane].append(summary) }
        }
        return summaries
    }

    /// Every point's per-seed summaries through ``Simulator/run(configuration:batches:seed:)``
    /// and ``TraceMetrics`` (stochastic gates, non-finite scores).
    static func scalarSummaries(indices: [Int], spec: SweepSpec, batchSets: [BatchSet],
                                settings: MetricSettings) throws(InputError) -> [[SweepRunSummary]] {
        try throwingParallelMap(indices.count) { position throws(InputError) -> [SweepRunSummary] in
            let configuration = configuration(spec, index: indices[position])
            var summaries: [SweepRunSummary] = []
            for (seedIndex, batches) in batchSets.enumerated() {
                do throws(ConfigurationError) {
                    let trace = try Simulator.run(configuration: configuration, batches: batches, seed: spec.seeds[seedIndex])
                    summaries.append(SweepRunSummary(TraceMetrics.compute(trace, settings: settings, includeOscillationPeriod: false)))
                } catch {
                    throw InputError(locating: error, file: nil, line: nil, field: "grid points \([indices[position]])")
                }
            }
            return summaries
        }
    }

    static func summarise(index: Int, gains: (proportionalGain: Double, integralGain: Double, emaAlpha: Double),
                          metrics: [RunMetrics], predictedStable: Bool?) -> SweepPoint {
        summarise(index: index, gains: gains, summaries: metrics.map(SweepRunSummary.init), predictedStable: predictedStable)
    }

    static func summarise(index: Int, gains: (proportionalGain: Double, integralGain: Double, emaAlpha: Double),
                          summaries metrics: [SweepRunSummary], predictedStable: Bool?) -> SweepPoint {
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
