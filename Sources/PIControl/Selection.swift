/// What the controller did with one batch of scores.
public struct Selection: Sendable, Equatable, Hashable {
    /// `θ_k`, the threshold that gated the batch.
    public var gatingThreshold: Double
    /// Samples selected, fallback included (equals the number of indices written).
    public var selectedCount: Int
    /// Samples that passed the gate on their own.
    public var passedCount: Int
    /// Whether the fallback added samples.
    public var usedFallback: Bool
    /// Scores that were NaN or infinite: never selected.
    public var rejectedNonFiniteCount: Int
    /// Scores in the batch, including rejected ones.
    public var batchSize: Int
    /// Rows in the rate's denominator: the finite scores, or the whole batch
    /// (``ControllerConfiguration/rateDenominator``).
    public var rateDenominator: Int
    /// The controller update made after gating, or `nil` when the denominator was zero.
    public var step: ControllerStep?

    @usableFromInline
    init(gatingThreshold: Double, selectedCount: Int, passedCount: Int, usedFallback: Bool,
         rejectedNonFiniteCount: Int, batchSize: Int, rateDenominator: Int, step: ControllerStep?) {
        self.gatingThreshold = gatingThreshold
        self.selectedCount = selectedCount
        self.passedCount = passedCount
        self.usedFallback = usedFallback
        self.rejectedNonFiniteCount = rejectedNonFiniteCount
        self.batchSize = batchSize
        self.rateDenominator = rateDenominator
        self.step = step
    }
}
