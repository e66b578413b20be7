import PIControl

/// Pre-generated score batches for one seed: the common random numbers that every
/// controller in a comparison or sweep sees.
///
/// Batches are stored flat (`steps × batchSize`), in generation order and, separately,
/// sorted ascending within each batch so a hard gate's count is a binary search.
public struct BatchSet: Sendable {
    public let steps: Int
    public let batchSize: Int
    /// Scores in generation order, batch `k` at `k·batchSize ..< (k+1)·batchSize`.
    public let scores: [Double]
    /// The same batches, each sorted ascending (only when ``allFinite``).
    public let sortedScores: [Double]
    /// Whether every score is finite (the precondition for counting by binary search).
    public let allFinite: Bool
    /// `θ*_k` per step (NaN where unknown).
    public let idealThresholds: [Double]

    /// - Parameters:
    ///   - scores: Flat scores, `steps × batchSize` of them. Non-finite scores are kept (the
    ///     gate rejects them) and force the simulator onto the full selection path.
    ///   - batchSize: Samples per batch.
    ///   - idealThresholds: One per step, or empty for unknown.
    public init(scores: [Double], batchSize: Int, idealThresholds: [Double]) {
        precondition(batchSize > 0 && scores.count % batchSize == 0, "scores must fill whole batches")
        self.batchSize = batchSize
        self.steps = scores.count / batchSize
        self.scores = scores
        self.allFinite = scores.allSatisfy(\.isFinite)
        var sorted = scores
        if allFinite {
            for step in 0..<steps { sorted[(step * batchSize)..<((step + 1) * batchSize)].sort() }
        }
        self.sortedScores = sorted
        self.idealThresholds = idealThresholds.isEmpty ? Array(repeating: .nan, count: steps) : idealThresholds
        precondition(self.idealThresholds.count == steps, "one ideal threshold per step")
    }

    /// Scores of batch `step` in generation order.
    public func batch(_ step: Int) -> ArraySlice<Double> {
        scores[(step * batchSize)..<((step + 1) * batchSize)]
    }
}
