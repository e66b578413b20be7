import PIControl

/// Runs a controller over a recorded score trace with its full selection semantics.
public enum Replay {
    /// - Parameters:
    ///   - configuration: The controller.
    ///   - trace: The recorded batches.
    ///   - seed: Seeds stochastic gates and random fallback.
    /// - Returns: One trace entry per batch (ideal thresholds are the per-batch empirical
    ///   `(1 − target)` quantiles, labelled as estimates by their source).
    public static func run(configuration: ControllerConfiguration, trace: ScoreTrace, seed: UInt64) throws(ConfigurationError) -> Trace {
        var controller = try Controller(configuration: configuration)
        var generator = SeededGenerator(seed: seed)
        var result = Trace(capacity: trace.batches.count)
        var selected: [Int] = []
        selected.reserveCapacity(trace.batches.map(\.count).max() ?? 0)
        for batch in trace.batches {
            let selection = controller.select(scores: batch, into: &selected, using: &generator)
            Simulator.record(selection.step, selection: selection, ideal: .nan, into: &result, controller: controller)
        }
        return result
    }
}
