import PIControl

extension Simulator {
    /// The series a sweep needs from one run.
    public struct CountingSeries: Sendable {
        public var threshold: [Double]
        public var rate: [Double]
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
    /// - Returns: One series per controller, in order.
    public static func runGroup(configurations: [ControllerConfiguration], batches: BatchSet) throws(ConfigurationError) -> [CountingSeries] {
        var controllers: [Controller] = []
        for configuration in configurations {
            precondition(!configuration.gate.isStochastic && !(configuration.fallback.choice == .random && hasFallback(configuration)),
                         "runGroup needs deterministic gates")
            controllers.append(try Controller(configuration: configuration))
        }
        precondition(batches.allFinite, "runGroup needs finite scores")
        let steps = batches.steps, batchSize = batches.batchSize, count = controllers.count
        let fallbacks = configurations.map(\.fallback)
        // Controller-major series, written by index.
        var thresholds = [Double](repeating: 0, count: count * steps)
        var rates = [Double](repeating: 0, count: count * steps)
        var saturated = [Bool](repeating: false, count: count * steps)
        var fallbackUsed = [Bool](repeating: false, count: count * steps)
        var hints = [Int](repeating: batchSize / 2, count: count)
        let inverseBatch = 1 / Double(batchSize)
        batches.sortedScores.withUnsafeBufferPointer { sorted in
            thresholds.withUnsafeMutableBufferPointer { thresholds in
            rates.withUnsafeMutableBufferPointer { rates in
            saturated.withUnsafeMutableBufferPointer { saturated in
            fallbackUsed.withUnsafeMutableBufferPointer { fallbackUsed in
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
                        saturated[slot] = update.saturated
                        fallbackUsed[slot] = selected > passed
                    }
                }
            }}}}
        }
        return (0..<count).map { index in
            let range = (index * steps)..<((index + 1) * steps)
            return CountingSeries(threshold: Array(thresholds[range]), rate: Array(rates[range]),
                                  saturated: Array(saturated[range]), fallback: Array(fallbackUsed[range]))
        }
    }
}
