/// One batch of a run.
public struct BatchRecord: Sendable, Equatable, Codable {
    /// The gating threshold (`ast` only).
    public var threshold: Double?
    /// Samples back-propagated.
    public var selected: Int
    /// Samples forwarded.
    public var batchSize: Int
    /// `selected / batchSize`.
    public var rate: Double
    /// The controller's smoothed rate after the batch (`ast` only).
    public var ema: Double?
    /// The batch's mean loss.
    public var loss: Double
    /// A training batch, or an `ast-stale` refresh (forwarded only).
    public var kind: EpochPlan.BatchKind = .train
}

/// One point of the accuracy-against-training-seconds curve.
public struct CurvePoint: Sendable, Equatable, Codable {
    /// Training-loop seconds since the run started (evaluations excluded).
    public var trainSeconds: Double
    /// Epochs done, fractional.
    public var epoch: Double
    /// Accuracy and mean loss on the curve's test subset.
    public var accuracy: Double
    public var loss: Double
}

/// One sample's score, for replay (`ast simulate`).
public struct ScoreRecord: Sendable, Equatable, Codable {
    /// The batch's index within the run (0-based, over all epochs).
    public var batch: Int
    public var score: Double
}

/// Wall-clock seconds by phase.
public struct PhaseSeconds: Sendable, Equatable, Codable {
    /// Gathering the batch, the forward pass and the loss.
    public var forward: Double = 0
    /// Significance scores and selection.
    public var select: Double = 0
    /// The backward pass of the selected rows.
    public var backward: Double = 0
    /// The optimiser update.
    public var update: Double = 0
    /// Everything in the training loop (the sum of the above plus bookkeeping).
    public var total: Double = 0

    public init() {}
}

/// Counted floating-point operations (see ``OperationCount``).
public struct OperationTotals: Sendable, Equatable, Codable {
    public var forward: Double = 0
    public var backward: Double = 0
    public var update: Double = 0
    public var total: Double { forward + backward + update }

    public init() {}
}

/// The accounting of one epoch.
public struct EpochMetrics: Sendable, Equatable, Codable {
    /// 0-based epoch.
    public var epoch: Int
    public var samplesForwarded: Int
    public var samplesBackpropagated: Int
    /// Samples forwarded only to refresh their scores (`ast-stale`), among ``samplesForwarded``.
    public var samplesRefreshed: Int
    public var operations: OperationTotals
    /// Training-loop wall-clock by phase (evaluation excluded).
    public var seconds: PhaseSeconds
    /// Process CPU seconds of the training loop (all threads).
    public var cpuSeconds: Double
    /// Wall-clock seconds of the test evaluation.
    public var evaluationSeconds: Double
    public var testAccuracy: Double
    public var testLoss: Double
    /// Mean loss over the forwarded samples.
    public var trainLoss: Double
    /// `samplesBackpropagated / samplesForwarded`.
    public var activationRate: Double
    /// Mean gating threshold over the controller's updates (`ast`, `ast-stale`).
    public var thresholdMean: Double?
    public var batches: [BatchRecord]
    /// Per-sample scores when ``TrainingOptions/recordsScores`` is set.
    public var scores: [ScoreRecord]?
    /// Accuracy against training seconds (``TrainingOptions/curveInterval``).
    public var curve: [CurvePoint]
    /// `ast-stale`: the controller's updates over the epoch's stream of stale scores.
    public var streamSteps: [StreamStep]?

    /// The same epoch without the timing fields, for determinism comparisons.
    public var withoutTimings: EpochMetrics {
        var copy = self
        copy.seconds = PhaseSeconds()
        copy.cpuSeconds = 0
        copy.evaluationSeconds = 0
        for index in copy.curve.indices { copy.curve[index].trainSeconds = 0 }
        return copy
    }
}

/// A run's outcome.
public struct TrainingResult: Sendable, Equatable, Codable {
    public var options: TrainingOptions
    /// Training samples per epoch (`N`).
    public var trainCount: Int
    public var epochs: [EpochMetrics]

    /// The last epoch's test accuracy.
    public var finalTestAccuracy: Double? { epochs.last?.testAccuracy }
    public var samplesForwarded: Int { epochs.reduce(0) { $0 + $1.samplesForwarded } }
    public var samplesBackpropagated: Int { epochs.reduce(0) { $0 + $1.samplesBackpropagated } }
    public var operations: Double { epochs.reduce(0) { $0 + $1.operations.total } }
    /// Training-loop wall-clock seconds (evaluation excluded).
    public var wallSeconds: Double { epochs.reduce(0) { $0 + $1.seconds.total } }
}

/// What the progress callback receives.
public enum TrainingProgress: Sendable {
    /// After every batch.
    case batch(epoch: Int, batch: Int, batchCount: Int, record: BatchRecord)
    /// After every epoch, with its evaluation.
    case epoch(EpochMetrics)
}
