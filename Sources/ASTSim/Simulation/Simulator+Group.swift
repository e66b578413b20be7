import PIControl

extension Simulator {
    /// One controller's series from a counting run.
    public struct CountingSeries: Sendable {
        public var threshold: [Double]
        public var selected: [Int]
        public var rate: [Double]
        public var ema: [Double]
        public var error: [Double]
        public var integral: [Double]
        public var saturated: [Bool]
        public var fallback: [Bool]
    }

    /// Runs several deterministic-gate controllers in lock-step over the same batches.
    ///
    /// Each batch is loaded from memory once for the whole group: a sweep's batches (tens of
    /// megabytes) do not fit in cache, and one controller at a time was bound by the miss on
    /// every batch's first probe.
    /// - Parameters:
    ///   - configurations: Controllers with deterministic gates (hard, no energy budget, no random fallback).
    ///   - batches: The batches (all finite).
    ///   - recordsControllerState: Also record selected counts, EMA, error and integral. Sweeps
    ///     leave them out: they never read them, and the extra megabytes per group cost page faults.
    /// - Returns: One series per controller, in order (the unrecorded series empty).
    public static func runGroup(configurations: [ControllerConfiguration], batches: BatchSet,
                                recordsControllerState: Bool = true) throws(ConfigurationError) -> [CountingSeries] {
        var controllers: [Controller] = []
        for configuration in configurations {
            precondition(countsDeterministically(configuration), "runGroup needs deterministic gates")
            controllers.append(try Controller(configuration: configuration))
        }
        precondition(batches.allFinite, "runGroup needs finite scores")
        let steps = batches.steps, batchSize = batches.batchSize, count = controllers.count
        let fallbacks = configurations.map(\.fallback)
        // Controller-major series, written by index.
        var thresholds = [Double](repeating: 0, count: count * steps)
        let stateCount = recordsControllerState ? count * steps : 0
        var selectedCounts = [Int](repeating: 0, count: stateCount)
        var rates = [Double](repeating: 0, count: count * steps)
        var emas = [Double](repeating: 0, count: stateCount)
        var errors = [Double](repeating: 0, count: stateCount)
        var integrals = [Double](repeating: 0, count: stateCount)
        var saturated = [Bool](repeating: false, count: count * steps)
        var fallbackUsed = [Bool](repeating: false, count: count * steps)
        var hints = [Int](repeating: batchSize / 2, count: count)
        let inverseBatch = 1 / Double(batchSize)
        batches.sortedScores.withUnsafeBufferPointer { sorted in
            thresholds.withUnsafeMutableBufferPointer { thresholds in
            selectedCounts.withUnsafeMutableBufferPointer { selectedCounts in
            rates.withUnsafeMutableBufferPointer { rates in
            emas.withUnsafeMutableBufferPointer { emas in
            errors.withUnsafeMutableBufferPointer { errors in
            integrals.withUnsafeMutableBufferPointer { integrals in
            saturated.withUnsafeMutableBufferPointer { saturated in
            fallbackUsed.withUnsafeMutableBufferPointer { fallbackUsed in
                // The threshold moves little between batches, so each controller's previous count
                // is a good hint for the next search.
                for step in 0..<steps {
                    let base = step * batchSize
                    for index in 0..<count {
                        let threshold = controllers[index].state.threshold
                        let atMost = countAtMost(threshold, in: sorted, base: base, count: batchSize, hint: hints[index])
                        hints[index] = atMost
                        let passed = batchSize - atMost
                        let fallback = fallbacks[index]
                        let selected = fallback.selectedCount(passed: passed, batchSize: batchSize)
                        let update = controllers[index].advanceCounting(
                            selectedCount: fallback.countsTowardRate ? selected : passed, batchSize: batchSize)
                        let slot = index * steps + step
                        thresholds[slot] = threshold
                        rates[slot] = Double(selected) * inverseBatch
                        if recordsControllerState {
                            selectedCounts[slot] = selected
                            emas[slot] = update.ema
                            errors[slot] = update.error
                            integrals[slot] = update.integral
                        }
                        saturated[slot] = update.saturated
                        fallbackUsed[slot] = selected > passed
                    }
                }
            }}}}}}}}
        }
        return (0..<count).map { index in
            let range = (index * steps)..<((index + 1) * steps)
            let stateRange = recordsControllerState ? range : 0..<0
            return CountingSeries(threshold: Array(thresholds[range]), selected: Array(selectedCounts[stateRange]),
                                  rate: Array(rates[range]), ema: Array(emas[stateRange]), error: Array(errors[stateRange]),
                                  integral: Array(integrals[stateRange]), saturated: Array(saturated[range]),
                                  fallback: Array(fallbackUsed[range]))
        }
    }
}
