/// Everything recorded about one closed-loop run, one entry per batch (structure of arrays,
/// preallocated to the run length).
public struct Trace: Sendable, Equatable {
    /// `θ_k`, the threshold that gated batch `k`.
    public var threshold: [Double]
    /// Samples selected in batch `k` (fallback included).
    public var selected: [Int]
    /// Batch size of batch `k` (finite scores).
    public var batchSize: [Int]
    /// `selected / batchSize`: the activation rate actually realised by batch `k`.
    public var rate: [Double]
    /// `m_k` after the update.
    public var ema: [Double]
    /// `e_k` after the update.
    public var error: [Double]
    /// `I` after the update.
    public var integral: [Double]
    /// The ideal threshold `θ*_k` (NaN where unknown, e.g. replayed traces).
    public var idealThreshold: [Double]
    /// Whether the update was clipped by a threshold bound.
    public var saturated: [Bool]
    /// Whether the fallback added samples.
    public var fallback: [Bool]

    /// An empty trace with room for `capacity` steps.
    public init(capacity: Int) {
        threshold = []; selected = []; batchSize = []; rate = []; ema = []; error = []
        integral = []; idealThreshold = []; saturated = []; fallback = []
        threshold.reserveCapacity(capacity); selected.reserveCapacity(capacity)
        batchSize.reserveCapacity(capacity); rate.reserveCapacity(capacity)
        ema.reserveCapacity(capacity); error.reserveCapacity(capacity)
        integral.reserveCapacity(capacity); idealThreshold.reserveCapacity(capacity)
        saturated.reserveCapacity(capacity); fallback.reserveCapacity(capacity)
    }

    /// A trace from complete series (all of equal length).
    /// - Parameters:
    ///   - threshold: θ that gated each batch.
    ///   - selected: Samples selected per batch.
    ///   - batchSize: Samples per batch.
    ///   - rate: Activation rate per batch.
    ///   - ema: The EMA of the rate after each batch.
    ///   - error: The control error after each batch.
    ///   - integral: The integral after each batch.
    ///   - idealThreshold: θ* per batch (NaN where unknown).
    ///   - saturated: Whether the threshold was clamped at a bound.
    ///   - fallback: Whether the fallback chose samples.
    public init(threshold: [Double], selected: [Int], batchSize: [Int], rate: [Double], ema: [Double], error: [Double],
                integral: [Double], idealThreshold: [Double], saturated: [Bool], fallback: [Bool]) {
        self.threshold = threshold; self.selected = selected; self.batchSize = batchSize; self.rate = rate
        self.ema = ema; self.error = error; self.integral = integral; self.idealThreshold = idealThreshold
        self.saturated = saturated; self.fallback = fallback
    }

    /// Number of steps recorded.
    public var count: Int { threshold.count }

    /// Appends one step.
    /// - Parameters:
    ///   - threshold: θ that gated the batch.
    ///   - selected: Samples selected.
    ///   - batchSize: Samples in the batch (the rate is `selected/batchSize`, 0 for an empty batch).
    ///   - ema: The EMA of the rate after it.
    ///   - error: The control error after it.
    ///   - integral: The integral after it.
    ///   - idealThreshold: θ* for the batch (NaN where unknown).
    ///   - saturated: Whether the threshold was clamped at a bound.
    ///   - fallback: Whether the fallback chose samples.
    @inlinable
    public mutating func append(
        threshold: Double, selected: Int, batchSize: Int, ema: Double, error: Double,
        integral: Double, idealThreshold: Double, saturated: Bool, fallback: Bool
    ) {
        self.threshold.append(threshold)
        self.selected.append(selected)
        self.batchSize.append(batchSize)
        self.rate.append(batchSize > 0 ? Double(selected) / Double(batchSize) : 0)
        self.ema.append(ema)
        self.error.append(error)
        self.integral.append(integral)
        self.idealThreshold.append(idealThreshold)
        self.saturated.append(saturated)
        self.fallback.append(fallback)
    }
}
