import PIControl

/// What a ``SampleSelector`` keeps between batches and epochs. A checkpoint carries it, so a
/// resumed run selects exactly what the uninterrupted run would have.
public struct SelectionMemory: Sendable, Equatable, Codable {
    /// The controller's state (`ast`, `ast-stale`).
    public var controllerState: ControllerState?
    /// The selection's random stream (random rows, stochastic gates, pruning, permutations).
    public var generator: SeededGenerator
    /// `ast-stale`: each sample's last significance (NaN: never scored).
    public var lastScores: [Double]
    /// `ast-stale`: the 0-based epoch of each sample's last score (−1: never).
    public var scoredEpochs: [Int]
    /// `infobatch`: each sample's last loss (NaN: never forwarded).
    public var lastLosses: [Double]
    /// `selective-backprop`: the last `R` losses, a ring.
    public var lossHistory: [Double]
    /// `selective-backprop`: where the next loss goes in the ring.
    public var lossHistoryNext: Int
    /// `uniform`: the current permutation of the training set.
    public var uniformOrder: [Int]
    /// `uniform`: how much of the permutation earlier epochs used.
    public var uniformNext: Int

    init(generator: SeededGenerator) {
        self.generator = generator
        lastScores = []
        scoredEpochs = []
        lastLosses = []
        lossHistory = []
        lossHistoryNext = 0
        uniformOrder = []
        uniformNext = 0
    }
}

/// One update of the `ast-stale` controller over a stretch of the epoch's order.
public struct StreamStep: Sendable, Equatable, Codable {
    /// The gating threshold.
    public var threshold: Double
    /// Samples of the stretch whose last score passed (fallback included).
    public var selected: Int
    /// Samples in the stretch.
    public var count: Int
    /// The controller's smoothed rate after the stretch.
    public var ema: Double?
}
