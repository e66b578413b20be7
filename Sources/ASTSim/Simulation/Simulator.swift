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

    static func runCounting(_ controller: inout Controller, batches: BatchSet, into trace: inout Trace) {
        let batchSize = batches.batchSize
        let fallback = controller.configuration.fallback
        batches.sortedScores.withUnsafeBufferPointer { sorted in
            for step in 0..<batches.steps {
                let base = step * batchSize
                let threshold = controller.state.threshold
                let finite = batchSize
                let passed = finite - countAtMost(threshold, in: sorted, base: base, count: finite)
                let selectedCount = fallback.selectedCount(passed: passed, batchSize: finite)
                let counted = fallback.countsTowardRate ? selectedCount : passed
                let update = controller.update(selectedCount: counted, batchSize: finite)
                trace.append(
                    threshold: threshold, selected: selectedCount, batchSize: finite,
                    ema: update?.ema ?? controller.state.ema, error: update?.error ?? 0,
                    integral: controller.state.integral, idealThreshold: batches.idealThresholds[step],
                    saturated: update?.saturated ?? false, fallback: selectedCount > passed)
            }
        }
    }

    static func record(_ update: ControllerStep?, selection: Selection, ideal: Double, into trace: inout Trace, controller: Controller) {
        trace.append(
            threshold: selection.gatingThreshold, selected: selection.selectedCount,
            batchSize: selection.batchSize - selection.rejectedNonFiniteCount,
            ema: update?.ema ?? controller.state.ema, error: update?.error ?? 0,
            integral: controller.state.integral, idealThreshold: ideal,
            saturated: update?.saturated ?? false, fallback: selection.usedFallback)
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
