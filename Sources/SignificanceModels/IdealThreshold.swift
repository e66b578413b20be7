/// The threshold θ* at which a hard gate `s > θ*` passes exactly the target fraction of scores.
public struct IdealThreshold: Sendable, Equatable {
    /// θ*.
    public var value: Double
    /// `false` when exact (a distribution's quantile), `true` when estimated by simulation
    /// (the formula models; see ``ScoreStream/idealThreshold(step:target:)``).
    public var isEstimate: Bool

    /// Creates an ideal threshold.
    /// - Parameters:
    ///   - value: θ*.
    ///   - isEstimate: Whether it was estimated rather than computed exactly.
    public init(value: Double, isEstimate: Bool) {
        self.value = value
        self.isEstimate = isEstimate
    }
}

/// Memoised simulation estimates of a stream's ideal thresholds (a reference type so that the
/// non-mutating ``ScoreStream/idealThreshold(step:target:)`` can fill it).
final class EstimatedThresholds {
    struct Key: Hashable {
        var model: ScoreModel
        var target: Double
    }

    /// Estimates by (step's parameters, target).
    var values: [Key: Double] = [:]
    /// Steps at which estimates are made; others interpolate. Computed on first use.
    var knots: [Int]?
    /// Scores per estimate. Computed on first use.
    var sampleSize: Int?
    /// How many simulations have run (for tests and cost reports).
    var estimateCount = 0
}
