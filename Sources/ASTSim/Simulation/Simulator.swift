import PIControl

/// Runs a controller in closed loop over pre-generated batches.
public enum Simulator {
    /// Simulates `configuration` over `batches`.
    ///
    /// A deterministic gate (hard, no energy budget) takes the fast path: the number of
    /// scores above `θ` is found by binary search in the sorted batch and the fallback is
    /// applied to the count, which is exactly what `PIControl.Controller.select(scores:into:using:)`
    /// would do. Stochastic gates run the full selection with a generator seeded by `seed`.
    /// - Parameters:
    ///   - configuration: The controller.
    ///   - batches: The batches, shared across controllers.
    ///   - seed: Seeds the gate's randomness (stochastic gates, random fallback).
    /// - Returns: The trace.
    public static func run(configuration: ControllerConfiguration, batches: BatchSet, seed: UInt64) throws(ConfigurationError) -> Trace {
        if batches.allFinite && countsDeterministically(configuration) {
            let series = try runGroup(configurations: [configuration], batches: batches)[0]
            return Trace(threshold: series.threshold, selected: series.selected,
                         batchSize: Array(repeating: batches.batchSize, count: batches.steps), rate: series.rate,
                         ema: series.ema, error: series.error, integral: series.integral,
                         idealThreshold: batches.idealThresholds, saturated: series.saturated, fallback: series.fallback)
        }
        var controller = try Controller(configuration: configuration)
        var trace = Trace(capacity: batches.steps)
        var generator = SeededGenerator(seed: seed)
        var selected: [Int] = []
        selected.reserveCapacity(batches.batchSize)
        for step in 0..<batches.steps {
            let selection = controller.select(scores: batches.batch(step), into: &selected, using: &generator)
            record(selection.step, selection: selection, ideal: batches.idealThresholds[step], into: &trace, controller: controller)
        }
        return trace
    }

    static func hasFallback(_ configuration: ControllerConfiguration) -> Bool {
        configuration.fallback.minimumCount > 0 || configuration.fallback.minimumFraction > 0
    }

    /// Whether the gate draws no random numbers, so a batch's selection is a count found by
    /// search in the sorted batch (hard gate, no energy budget, no random fallback).
    static func countsDeterministically(_ configuration: ControllerConfiguration) -> Bool {
        !configuration.gate.isStochastic && !(configuration.fallback.choice == .random && hasFallback(configuration))
    }

    static func record(_ update: ControllerStep?, selection: Selection, ideal: Double, into trace: inout Trace, controller: Controller) {
        trace.append(
            threshold: selection.gatingThreshold, selected: selection.selectedCount,
            batchSize: selection.rateDenominator,
            ema: update?.ema ?? controller.state.ema, error: update?.error ?? 0,
            integral: controller.state.integral, idealThreshold: ideal,
            saturated: update?.saturated ?? false, fallback: selection.usedFallback)
    }

    /// How many of `sorted[base ..< base+count]` are `<= value`: an exponential search
    /// outward from `hint`, then bisection in the bracket found.
    /// - Parameters:
    ///   - value: The threshold.
    ///   - sorted: Batches of scores, each sorted ascending.
    ///   - base: The first score of the batch.
    ///   - count: The batch's size.
    ///   - hint: A guess of the answer (the previous batch's count).
    @inlinable
    public static func countAtMost(_ value: Double, in sorted: UnsafeBufferPointer<Double>, base: Int, count: Int, hint: Int) -> Int {
        let start = min(max(hint, 0), count)
        var low: Int, high: Int
        if start > 0 && !(sorted[base + start - 1] <= value) {
            // The answer is below `start`.
            high = start - 1
            var step = 1
            low = high - step
            while low > 0 && !(sorted[base + low - 1] <= value) {
                high = low - 1
                step <<= 1
                low = high - step
            }
            low = max(0, low)
        } else {
            // The answer is at or above `start`.
            low = start
            var step = 1
            high = low + step
            while high <= count && sorted[base + high - 1] <= value {
                low = high
                step <<= 1
                high = low + step
            }
            high = min(high, count + 1) - 1
        }
        // Now low <= answer <= high: bisect on "sorted[i] <= value" for i in [low, high).
        while low < high {
            let middle = (low + high) >> 1
            if sorted[base + middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// How many of `sorted[base ..< base+count]` are `<= value` (binary search: the hinted
    /// search started from the middle).
    /// - Parameters:
    ///   - value: The threshold.
    ///   - sorted: Batches of scores, each sorted ascending.
    ///   - base: The first score of the batch.
    ///   - count: The batch's size.
    @inlinable
    public static func countAtMost(_ value: Double, in sorted: UnsafeBufferPointer<Double>, base: Int, count: Int) -> Int {
        countAtMost(value, in: sorted, base: base, count: count, hint: count / 2)
    }
}
