import PIControl

/// How a sample's significance score is computed from the forward pass.
public enum SignificanceKind: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// The seed's `0.7·clamp(l/mean l, 0, 2)/2 + 0.3·clamp(σ/mean σ, 0, 2)/2`, with σ the
    /// standard deviation of the sample's normalised input (`PIControl.SeedSignificance`).
    case seed
    /// `0.7·CE + 0.3·entropy` of the softmax.
    case lossEntropy
    /// The cross-entropy alone.
    case loss
}

/// Everything that defines a training run. `Codable`, so a checkpoint carries it.
public struct TrainingOptions: Sendable, Equatable, Codable {
    public var policy: SelectionPolicy
    /// The policies' parameters (target rate, controller, refresh share, ...).
    public var selection: SelectionSettings
    public var significance: SignificanceKind
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    /// How the rate treats steps over fewer rows than a batch.
    public var learningRateScaling: LearningRateScaling
    public var optimizer: OptimizerConfiguration
    /// Linear warm-up steps before the cosine decay (optimiser steps of this run).
    public var warmupSteps: Int
    /// Cosine decay to ``minimumLearningRate`` over the run, or a constant rate after warm-up.
    public var usesCosineDecay: Bool
    public var minimumLearningRate: Double
    /// One seed for the initial weights, the data order and the selection randomness.
    public var seed: UInt64
    /// OpenBLAS threads (`ast_openblas_set_threads`). OpenBLAS's sgemm is deterministic for a
    /// fixed thread count (it partitions output blocks, not the summation), so results are
    /// reproducible for equal seeds and equal `threads`, not across thread counts.
    public var threads: Int
    /// Use only the first `trainLimit` training samples (`nil`: all).
    public var trainLimit: Int?
    /// Evaluate on the first `testLimit` test samples (`nil`: all).
    public var testLimit: Int?
    /// Keep every sample's (batch, score) for replay in the simulator.
    public var recordsScores: Bool
    /// Evaluate on ``curveSubset`` test samples every this many batches, for the
    /// accuracy-against-seconds curve (`nil`: only at the end of each epoch). Evaluation time
    /// is kept off the training clock.
    public var curveInterval: Int?
    /// Test samples (the first ones) the curve is evaluated on.
    public var curveSubset: Int
    /// When ``curveInterval`` is `nil`: evaluate the curve about this many times an epoch,
    /// spaced by the policy's own optimiser steps, so a policy of few steps (`uniform`) gets
    /// as many points as one of many (`nil`: no curve).
    public var curvePointsPerEpoch: Int?
    /// Where the data came from (`kind:directory`), recorded by the caller for summaries and
    /// checked on resume; `nil` when not recorded.
    public var dataSource: String?

    /// The target rate `s` (``SelectionSettings/targetRate``).
    public var targetRate: Double {
        get { selection.targetRate }
        set { selection.targetRate = newValue }
    }

    /// The `ast`/`ast-stale` controller (``SelectionSettings/controller``); `nil` means the
    /// recommended `PIControl.Preset.velocityPI` at ``targetRate``.
    public var controller: ControllerConfiguration? {
        get { selection.controller }
        set { selection.controller = newValue }
    }

    /// - Parameters:
    ///   - policy: The selection policy.
    ///   - controller: The `ast` controller, or `nil` for velocityPI at `targetRate`.
    ///   - targetRate: Fraction to back-propagate, in (0, 1).
    ///   - significance: The score formula.
    ///   - epochs: Epochs to train.
    ///   - batchSize: Samples per batch (128).
    ///   - learningRate: The peak learning rate.
    ///   - learningRateScaling: How the rate treats steps over fewer rows.
    ///   - optimizer: The optimiser.
    ///   - warmupSteps: Warm-up steps.
    ///   - usesCosineDecay: Cosine decay after warm-up.
    ///   - minimumLearningRate: The rate at the end of the cosine.
    ///   - seed: The run's seed.
    ///   - threads: OpenBLAS threads.
    ///   - trainLimit: Training samples to use.
    ///   - testLimit: Test samples to evaluate.
    ///   - recordsScores: Keep per-sample scores.
    ///   - curveInterval: Batches between curve evaluations, or `nil`.
    ///   - curveSubset: Test samples of each curve evaluation.
    public init(policy: SelectionPolicy = .full, controller: ControllerConfiguration? = nil, targetRate: Double = 0.1,
                significance: SignificanceKind = .seed, epochs: Int = 1, batchSize: Int = 128,
                learningRate: Double = 0.01, learningRateScaling: LearningRateScaling = .constant,
                optimizer: OptimizerConfiguration = .defaultSGD,
                warmupSteps: Int = 0, usesCosineDecay: Bool = false, minimumLearningRate: Double = 0,
                seed: UInt64 = 1, threads: Int = 2, trainLimit: Int? = nil, testLimit: Int? = nil,
                recordsScores: Bool = false, curveInterval: Int? = nil, curveSubset: Int = 2000) {
        self.policy = policy
        self.selection = SelectionSettings(targetRate: targetRate, controller: controller)
        self.significance = significance
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.learningRateScaling = learningRateScaling
        self.optimizer = optimizer
        self.warmupSteps = warmupSteps
        self.usesCosineDecay = usesCosineDecay
        self.minimumLearningRate = minimumLearningRate
        self.seed = seed
        self.threads = threads
        self.trainLimit = trainLimit
        self.testLimit = testLimit
        self.recordsScores = recordsScores
        self.curveInterval = curveInterval
        self.curveSubset = curveSubset
        self.curvePointsPerEpoch = nil
    }

    /// Checks the options.
    /// - Throws: ``TrainingError/invalidOption(_:)`` naming the option.
    public func validate() throws(TrainingError) {
        func require(_ condition: Bool, _ option: String, _ expected: String, _ actual: Any) throws(TrainingError) {
            if !condition { throw .invalidOption(TrainingOptionError(field: "--" + option, expected: expected, actual: "\(actual)")) }
        }
        try require(epochs >= 1, "epochs", ">= 1", epochs)
        try require(batchSize >= 1, "batch-size", ">= 1", batchSize)
        try require(learningRate.isFinite && learningRate > 0, "lr", "a positive number", learningRate)
        try require(threads >= 1, "threads", ">= 1", threads)
        try require(warmupSteps >= 0, "warmup", ">= 0", warmupSteps)
        if let trainLimit { try require(trainLimit >= 1, "train-limit", ">= 1", trainLimit) }
        if let testLimit { try require(testLimit >= 0, "test-limit", ">= 0", testLimit) }
        if let curveInterval { try require(curveInterval >= 1, "curve-every", ">= 1 batch", curveInterval) }
        if let curvePointsPerEpoch { try require(curvePointsPerEpoch >= 1, "curve-points", ">= 1", curvePointsPerEpoch) }
        try require(curveSubset >= 1, "curve-subset", ">= 1", curveSubset)
        try selection.validate()
    }

    /// The recommended controller when none is given: the textbook velocity PI (the seed
    /// presets are one `--preset` away).
    public static let defaultControllerPreset = Preset.velocityPI

    /// The controller configuration used by `ast` and `ast-stale`.
    /// - Throws: ``TrainingError/invalidOption(_:)`` if the preset rejects the target.
    public func resolvedController() throws(TrainingError) -> ControllerConfiguration {
        if let controller { return controller }
        do {
            return try Self.defaultControllerPreset.configuration(target: targetRate)
        } catch {
            throw .invalidOption(TrainingOptionError(field: "--target", expected: error.expected, actual: error.actual))
        }
    }
}
