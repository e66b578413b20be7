import PIControl

/// Runs a controller in closed loop over pre-generated batches.
public enum Simulator {
    /// Simulates `configuration` over `batches`.
    ///
    /// A deterministic gate (hard, no energy budget) takes the fast path: the number of
    /// scores above `θ` is found by binary search in the sorted batch and the fallback is
    /// applied to the count, which is exactly what ``Controller/select(scores:into:using:)``
    /// would do. Stochastic gates run the full selection with a generator seeded by `seed`.
    /// - Parameters:
    ///   - configuration: The controller.
    ///   - batches: The batches, shared across controllers.
    ///   - seed: Seeds the gate's randomness (stochastic gates, random fallback).
    /// - Returns: The trace.
    public static func run(configuration: ControllerConfiguration, batches: BatchSet, seed: UInt64) throws(ConfigurationError) -> Trace {
        var controller = try Controller(configuration: configuration)
        var trace = Trace(capacity: batches.steps)
        let deterministic = batches.allFinite && !configuration.gate.isStochastic
            && !(configuration.fallback.choice == .random && hasFallback(configuration))
        if deterministic {
            runCounting(&controller, batches: batches, into: &trace)
        } else {
            var generator = SeededGenerator(seed: seed)
            var selected: [Int] = []
            selected.reserveCapacity(batches.batchSize)
            for step in 0..<batches.steps {
                let selection = controller.select(scores: batches.batch(step), into: &selected, using: &generator)
                record(selection.step, selection: selection, ideal: batches.idealThresholds[step], into: &trace, controller: controller)
            }
        }
        return trace
    }

    static func hasFallback(_ configuration: ControllerConfiguration) -> Bool {
        configuration.fallback.minimumCount > 0 || configuration.fallback.minimumFraction > 0
    }

    /// The counting path. Writes every series by index into buffers sized up front: this
    /// loop is what sweeps spend their time in, so it avoids per-step appends.
    static func runCounting(_ controller: inout Controller, batches: BatchSet, into trace: inout Trace) {
        let steps = batches.steps
        let batchSize = batches.batchSize
        let fallback = controller.configuration.fallback
        var thresholds = [Double](repeating: 0, count: steps)
        var selected = [Int](repeating: 0, count: steps)
        var rates = [Double](repeating: 0, count: steps)
        var emas = [Double](repeating: 0, count: steps)
        var errors = [Double](repeating: 0, count: steps)
        var integrals = [Double](repeating: 0, count: steps)
        var saturated = [Bool](repeating: false, count: steps)
        var fallbacks = [Bool](repeating: false, count: steps)
        let inverseBatch = 1 / Double(batchSize)
        batches.sortedScores.withUnsafeBufferPointer { sorted in
            thresholds.withUnsafeMutableBufferPointer { thresholds in
            selected.withUnsafeMutableBufferPointer { selected in
            rates.withUnsafeMutableBufferPointer { rates in
            emas.withUnsafeMutableBufferPointer { emas in
            errors.withUnsafeMutableBufferPointer { errors in
            integrals.withUnsafeMutableBufferPointer { integrals in
            saturated.withUnsafeMutableBufferPointer { saturated in
            fallbacks.withUnsafeMutableBufferPointer { fallbacks in
                // The threshold moves little between batches, so the previous count is a good
                // hint; searching outward from it touches memory at a fixed stride, which the
                // prefetcher follows (a plain bisection here was bound by cache misses).
                var hint = batchSize / 2
                for step in 0..<steps {
                    let threshold = controller.state.threshold
                    hint = countAtMost(threshold, in: sorted, base: step * batchSize, count: batchSize, hint: hint)
                    let passed = batchSize - hint
                    let selectedCount = fallback.selectedCount(passed: passed, batchSize: batchSize)
                    let counted = fallback.countsTowardRate ? selectedCount : passed
                    let update = controller.advanceCounting(selectedCount: counted, batchSize: batchSize)
                    thresholds[step] = threshold
                    selected[step] = selectedCount
                    rates[step] = Double(selectedCount) * inverseBatch
                    emas[step] = update.ema
                    errors[step] = update.error
                    integrals[step] = update.integral
                    saturated[step] = update.saturated
                    fallbacks[step] = selectedCount > passed
                }
            }}}}}}}}
        }
        trace = Trace(threshold: thresholds, selected: selected, batchSize: Array(repeating: batchSize, count: steps),
                      rate: rates, ema: emas, error: errors, integral: integrals, idealThreshold: batches.idealThresholds,
                      saturated: saturated, fallback: fallbacks)
    }

    static func record(_ update: ControllerStep?, selection: Selection, ideal: Double, into trace: inout Trace, controller: Controller) {
        trace.append(
            threshold: selection.gatingThreshold, selected: selection.selectedCount,
            batchSize: selection.batchSize - selection.rejectedNonFiniteCount,
            ema: update?.ema ?? controller.state.ema, error: update?.error ?? 0,
            integral: controller.state.integral, idealThreshold: ideal,
            saturated: update?.saturated ?? false, fallback: selection.usedFallback)
    }

    /// How many of `sorted[base ..< base+count]` are `<= value`: an exponential search
    /// outward from `hint`, then bisection in the bracket found.
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

    /// How many of `sorted[base ..< base+count]` are `<= value` (binary search).
    @inlinable
    public static func countAtMost(_ value: Double, in sorted: UnsafeBufferPointer<Double>, base: Int, count: Int) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) >> 1
            if sorted[base + middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
