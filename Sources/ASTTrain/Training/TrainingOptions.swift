import PIControl

/// Which samples of a batch get a backward pass.
public enum SelectionPolicy: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// Every sample (the baseline).
    case full
    /// The PI-controlled gate of ``PIControl/Controller``, with its fallback.
    case ast
    /// A uniform random subset of `round(target·B)` samples: the honest baseline at equal rate.
    case random
    /// The `round(target·B)` highest-scoring samples.
    case topk
}

/// How a sample's significance score is computed from the forward pass.
public enum SignificanceKind: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// The seed's `0.7·clamp(l/mean l, 0, 2)/2 + 0.3·clamp(σ/mean σ, 0, 2)/2`, with σ the
    /// standard deviation of the sample's normalised input (``SignificanceModels/SeedSignificance``).
    case seed
    /// `0.7·CE + 0.3·entropy` of the softmax.
    case lossEntropy
    /// The cross-entropy alone.
    case loss
}

/// Everything that defines a training run. `Codable`, so a checkpoint carries it.
public struct TrainingOptions: Sendable, Equatable, Codable {
    public var policy: SelectionPolicy
    /// The controller for ``SelectionPolicy/ast``; `nil` means ``PIControl/Preset/seedCIFAR``
    /// at ``targetRate``.
    public var controller: ControllerConfiguration?
    /// The fraction of samples to back-propagate (`ast`, `random`, `topk`).
    public var targetRate: Double
    public var significance: SignificanceKind
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    public var optimizer: OptimizerConfiguration
    /// Linear warm-up steps before the cosine decay.
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

    /// - Parameters:
    ///   - policy: The selection policy.
    ///   - controller: The `ast` controller, or `nil` for the seedCIFAR preset at `targetRate`.
    ///   - targetRate: Fraction to back-propagate, in (0, 1].
    ///   - significance: The score formula.
    ///   - epochs: Epochs to train.
    ///   - batchSize: Samples per batch (128).
    ///   - learningRate: The peak learning rate.
    ///   - optimizer: The optimiser.
    ///   - warmupSteps: Warm-up steps.
    ///   - usesCosineDecay: Cosine decay after warm-up.
    ///   - minimumLearningRate: The rate at the end of the cosine.
    ///   - seed: The run's seed.
    ///   - threads: OpenBLAS threads.
    ///   - trainLimit: Training samples to use.
    ///   - testLimit: Test samples to evaluate.
    ///   - recordsScores: Keep per-sample scores.
    public init(policy: SelectionPolicy = .full, controller: ControllerConfiguration? = nil, targetRate: Double = 0.1,
                significance: SignificanceKind = .seed, epochs: Int = 1, batchSize: Int = 128,
                learningRate: Double = 0.01, optimizer: OptimizerConfiguration = .defaultSGD,
                warmupSteps: Int = 0, usesCosineDecay: Bool = false, minimumLearningRate: Double = 0,
                seed: UInt64 = 1, threads: Int = 2, trainLimit: Int? = nil, testLimit: Int? = nil,
                recordsScores: Bool = false) {
        self.policy = policy
        self.controller = controller
        self.targetRate = targetRate
        self.significance = significance
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.optimizer = optimizer
        self.warmupSteps = warmupSteps
        self.usesCosineDecay = usesCosineDecay
        self.minimumLearningRate = minimumLearningRate
        self.seed = seed
        self.threads = threads
        self.trainLimit = trainLimit
        self.testLimit = testLimit
        self.recordsScores = recordsScores
    }

    /// Checks the options.
    /// - Throws: ``TrainingError/invalidOptions(_:)`` naming the field.
    public func validate() throws(TrainingError) {
        guard epochs >= 1 else { throw .invalidOptions("epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw .invalidOptions("batchSize must be at least 1, got \(batchSize)") }
        guard targetRate > 0, targetRate <= 1 else { throw .invalidOptions("targetRate must be in (0, 1], got \(targetRate)") }
        guard learningRate.isFinite, learningRate > 0 else { throw .invalidOptions("learningRate must be positive, got \(learningRate)") }
        guard threads >= 1 else { throw .invalidOptions("threads must be at least 1, got \(threads)") }
        if let trainLimit, trainLimit < 1 { throw .invalidOptions("trainLimit must be at least 1, got \(trainLimit)") }
        if let testLimit, testLimit < 0 { throw .invalidOptions("testLimit must not be negative, got \(testLimit)") }
    }

    /// The controller configuration used by `ast`.
    /// - Throws: ``TrainingError/invalidOptions(_:)`` if the preset rejects the target.
    public func resolvedController() throws(TrainingError) -> ControllerConfiguration {
        if let controller { return controller }
        do {
            return try Preset.seedCIFAR.configuration(target: min(targetRate, 0.999))
        } catch {
            throw .invalidOptions("controller: \(error)")
        }
    }

    /// Samples per batch that `random` and `topk` select: `max(1, round(target·B))`.
    /// - Parameter batchSize: The batch's size.
    public func fixedSelectionCount(batchSize: Int) -> Int {
        min(batchSize, max(1, Int((targetRate * Double(batchSize)).rounded())))
    }
}
