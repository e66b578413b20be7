import COpenBLAS
import PIControl

/// Trains ``FashionNet`` on a ``Dataset`` under a ``TrainingOptions`` policy, epoch by epoch,
/// returning data (the CLI writes files). Progress goes to a caller-supplied closure.
///
/// Randomness: the initial weights use `seed`, the data order `EpochShuffler(seed: seed)`,
/// and the selection (random rows, stochastic gates, fallback, pruning) its own `SeededGenerator`
/// derived from `seed`, so equal seeds give equal runs (for a fixed thread count).
public final class Trainer {
    public let options: TrainingOptions
    public let dataset: Dataset
    public let network: Network
    public let engine: TrainingEngine
    public let schedule: LearningRateSchedule
    /// The selection policy's home: it plans each epoch and picks the rows to back-propagate.
    public let selector: SampleSelector
    /// Epochs finished so far, with their metrics.
    public internal(set) var history: [EpochMetrics] = []
    /// Optimiser steps (batches) taken so far, for the schedule.
    public internal(set) var stepIndex = 0

    /// The `ast`/`ast-stale` controller (`nil` for the other policies).
    public var controller: Controller? { selector.controller }

    let trainCount: Int
    let testCount: Int
    /// Optimiser steps between curve evaluations (`nil`: no curve).
    let curveInterval: Int?
    let batchImages: FloatBuffer
    let batchLabels: OwnedBuffer<Int32>

    /// Sets up a run from scratch.
    /// - Parameters:
    ///   - dataset: Normalised NCHW images; train and test must share a shape.
    ///   - options: The run's options.
    /// - Throws: ``TrainingError/invalidOption(_:)`` or ``TrainingError/invalidData(_:)``.
    public convenience init(dataset: Dataset, options: TrainingOptions) throws(TrainingError) {
        try self.init(dataset: dataset, options: options, memoryLimit: TrainingMemory.limit)
    }

    /// ``init(dataset:options:)`` held to `memoryLimit` bytes: past 128 rows a batch's network
    /// is sized (``FashionNet/estimatedBytes(inputShape:classCount:maximumBatchSize:)``, plus
    /// the batch's images and labels) and refused before it is built when it would pass the limit.
    package init(dataset: Dataset, options: TrainingOptions, memoryLimit: Double) throws(TrainingError) {
        try options.validate()
        let train = dataset.train, test = dataset.test
        guard train.count > 0 else { throw .invalidData("the training set is empty") }
        guard train.height >= 16, train.width >= 16 else { throw .invalidData("images must be at least 16×16, got \(train.height)×\(train.width)") }
        guard (test.channels, test.height, test.width) == (train.channels, train.height, train.width) || test.count == 0 else {
            throw .invalidData("train and test images differ in shape")
        }
        guard train.images.count >= train.count * train.sampleSize, train.labels.count >= train.count else {
            throw .invalidData("the training arrays are shorter than count × sample size")
        }
        var options = options
        // A batch larger than the data is capped before anything is allocated.
        options.batchSize = min(options.batchSize, min(train.count, options.trainLimit ?? train.count))
        self.options = options
        self.dataset = dataset
        trainCount = min(train.count, options.trainLimit ?? train.count)
        testCount = min(test.count, options.testLimit ?? test.count)
        ast_openblas_set_threads(Int32(options.threads))
        let shape = TensorShape(channels: train.channels, height: train.height, width: train.width)
        if options.batchSize > FashionNet.probeRows.0 {
            let network = FashionNet.estimatedBytes(inputShape: shape, classCount: train.classCount, maximumBatchSize: options.batchSize)
            let batch = Double(options.batchSize) * Double(train.sampleSize + 1) * 4
            guard network.bytes + batch <= memoryLimit else {
                throw .invalidOption(TrainingOptionError(
                    field: "--batch-size",
                    expected: "a batch whose buffers fit \(TrainingMemory.describe(limit: memoryLimit))",
                    actual: "\(options.batchSize) rows, an estimated \(TrainingMemory.gigabytes(network.bytes + batch)) "
                        + "(\(String(format: "%.2f", network.bytesPerRow / 1e6)) MB per row of network buffers, from probe networks of 128 and 256 rows)"))
            }
        }
        network = FashionNet.make(inputShape: shape, classCount: train.classCount, maximumBatchSize: options.batchSize, seed: options.seed)
        engine = TrainingEngine(network: network,
                                optimizer: Optimizer(configuration: options.optimizer, parameters: network.parameters))
        var controller: Controller?
        if options.policy.usesController {
            do {
                controller = try Controller(configuration: try options.resolvedController())
            } catch let error as ConfigurationError {
                throw .invalidOption(TrainingOptionError(controller: error))
            } catch {
                throw error as! TrainingError
            }
        }
        selector = SampleSelector(policy: options.policy, settings: options.selection, controller: controller,
                                  batchSize: options.batchSize, sampleCount: trainCount,
                                  seed: options.seed ^ 0x5E1E_C710_0000_0001)
        let plannedSteps = Self.plannedStepsPerEpoch(options: options, trainCount: trainCount)
        schedule = LearningRateSchedule(baseRate: options.learningRate, warmupSteps: options.warmupSteps,
                                        totalSteps: plannedSteps * options.epochs,
                                        minimumRate: options.minimumLearningRate, usesCosineDecay: options.usesCosineDecay)
        if let points = options.curvePointsPerEpoch, options.curveInterval == nil {
            curveInterval = max(1, plannedSteps / points)
        } else {
            curveInterval = options.curveInterval
        }
        batchImages = FloatBuffer(count: options.batchSize * train.sampleSize)
        batchLabels = OwnedBuffer(count: options.batchSize)
    }

    /// Optimiser steps an epoch is expected to take, for the cosine schedule's length: every
    /// batch, except `uniform` (`⌈s·N⌉` samples) and `ast-stale` (about `s·N` after epoch 1).
    static func plannedStepsPerEpoch(options: TrainingOptions, trainCount: Int) -> Int {
        let batches = (trainCount + options.batchSize - 1) / options.batchSize
        switch options.policy {
        case .uniform, .astStale:
            let samples = options.selection.epochSubsetSize(sampleCount: trainCount)
            return max(1, (samples + options.batchSize - 1) / options.batchSize)
        default:
            return batches
        }
    }

    /// Epochs completed.
    public var epochsCompleted: Int { history.count }

    /// Training samples per epoch (`N`, after ``TrainingOptions/trainLimit``).
    public var sampleCount: Int { trainCount }

    /// Batches per epoch when every sample is forwarded (the last may be partial).
    public var batchesPerEpoch: Int { (trainCount + options.batchSize - 1) / options.batchSize }

    /// Training seconds (the training loop, evaluation excluded) over the completed epochs.
    public var trainSeconds: Double { history.reduce(0) { $0 + $1.seconds.total } }

    /// Trains the remaining epochs up to `options.epochs`.
    /// - Parameter progress: Called after every batch and every epoch.
    /// - Returns: Every completed epoch's metrics.
    /// - Throws: ``TrainingError/nonFiniteLoss(phase:epoch:batch:loss:completed:)`` with the epochs done so far.
    @discardableResult
    public func run(progress: ((TrainingProgress) -> Void)? = nil) throws(TrainingError) -> TrainingResult {
        while epochsCompleted < options.epochs { try trainEpoch(progress: progress) }
        return result
    }

    /// Trains the remaining epochs, handing each finished epoch to `afterEpoch` (to write
    /// outputs and checkpoints, so a run stopped later keeps what it finished).
    /// - Parameters:
    ///   - progress: Called after every batch and every epoch.
    ///   - afterEpoch: Called after each epoch with the trainer; an error it throws stops the run.
    /// - Returns: Every completed epoch's metrics.
    /// - Throws: The training's ``TrainingError``, or what `afterEpoch` throws.
    @discardableResult
    public func run(progress: ((TrainingProgress) -> Void)?, afterEpoch: (Trainer) throws -> Void) throws -> TrainingResult {
        while epochsCompleted < options.epochs {
            try trainEpoch(progress: progress)
            try afterEpoch(self)
        }
        return result
    }

    /// The epochs completed so far, as a result.
    var result: TrainingResult { TrainingResult(options: options, trainCount: trainCount, epochs: history) }

    /// The data order of `epoch`: a function of the seed and the epoch alone (resume-safe).
    func order(forEpoch epoch: Int) -> [Int] {
        EpochShuffler(count: trainCount, seed: options.seed).order(forEpoch: epoch)
    }

    /// One forward and backward of the first batch, with no update and no accounting: it
    /// starts OpenBLAS's threads and warms the caches before a timed run. The weights, the
    /// optimiser and every random stream are left as they were.
    public func warmUp() {
        let rows = min(options.batchSize, trainCount)
        load(samples: Array(0..<rows)[...])
        _ = engine.forwardOnly(images: UnsafePointer(batchImages.pointer), labels: UnsafePointer(batchLabels.pointer), batchSize: rows)
        network.backwardAll(batchSize: rows)
    }

    /// Copies the batch's images and labels into the batch buffers.
    func load(samples: ArraySlice<Int>) {
        let sampleSize = dataset.train.sampleSize
        dataset.train.images.withUnsafeBufferPointer { source in
            for (row, sample) in samples.enumerated() {
                (batchImages.pointer + row * sampleSize).update(from: source.baseAddress! + sample * sampleSize, count: sampleSize)
                batchLabels[row] = dataset.train.labels[sample]
            }
        }
    }

    /// Trains one epoch and evaluates on the test set. Each batch is five calls: load,
    /// forward, score and select, backward, update; the accounting is wrapped around them.
    /// - Parameter progress: Called after every batch and at the end.
    /// - Returns: The epoch's metrics (also appended to ``history``).
    /// - Throws: ``TrainingError/nonFiniteLoss(phase:epoch:batch:loss:completed:)``.
    @discardableResult
    public func trainEpoch(progress: ((TrainingProgress) -> Void)? = nil) throws(TrainingError) -> EpochMetrics {
        let epoch = epochsCompleted
        let plan = selector.plan(epoch: epoch, totalEpochs: options.epochs, order: order(forEpoch: epoch))
        var account = EpochAccount(batchCount: plan.batches.count, recordsScores: options.recordsScores,
                                   updateOperations: engine.optimizer.operationsPerUpdate)
        let trainSecondsBefore = trainSeconds
        let images = UnsafePointer(batchImages.pointer), labels = UnsafePointer(batchLabels.pointer)
        var evaluationSeconds = 0.0
        if curveInterval != nil && epoch == 0 {
            // The curve starts from the untrained network, at zero training seconds.
            let evaluationStart = Clock.monotonicSeconds()
            let point = evaluate(limit: min(testCount, options.curveSubset))
            evaluationSeconds += Clock.monotonicSeconds() - evaluationStart
            account.curve.append(CurvePoint(trainSeconds: 0, epoch: 0, accuracy: point.accuracy, loss: point.loss))
        }
        let cpuStart = Clock.processCPUSeconds()
        let loopStart = Clock.monotonicSeconds()
        evaluationSeconds = 0

        for (batchIndex, batch) in plan.batches.enumerated() {
            let rows = batch.count
            let t0 = Clock.monotonicSeconds()
            load(samples: plan.samples[batch.start..<(batch.start + rows)])
            let meanLoss = engine.forwardOnly(images: images, labels: labels, batchSize: rows)
            let t1 = Clock.monotonicSeconds()
            guard meanLoss.isFinite else {
                throw .nonFiniteLoss(phase: .training, epoch: epoch + 1, batch: batchIndex + 1, loss: meanLoss, completed: history)
            }
            if options.policy.readsSignificance || options.recordsScores {
                engine.computeSignificance(options.significance, images: images, batchSize: rows)
            }
            let choice = selector.select(batch: batch, plan: plan, engine: engine)
            selector.observe(batch: batch, plan: plan, epoch: epoch, engine: engine)
            let t2 = Clock.monotonicSeconds()
            engine.backward(rows: selector.chosenRows(batchSize: rows))
            let t3 = Clock.monotonicSeconds()
            if choice.count > 0 { engine.optimizer.step(learningRate: learningRate(rows: choice.count)) }
            if batch.kind == .train { stepIndex += 1 }
            let t4 = Clock.monotonicSeconds()

            let record = account.add(batch: batch, choice: choice, meanLoss: meanLoss,
                                     phases: (t1 - t0, t2 - t1, t3 - t2, t4 - t3),
                                     operations: network.operationCount(batchSize: rows, backwardRows: choice.count),
                                     scores: options.recordsScores ? UnsafeBufferPointer(rebasing: engine.scores[0..<rows]) : nil,
                                     globalBatch: epoch * batchesPerEpoch + batchIndex)
            if let interval = curveInterval, batch.kind == .train, stepIndex % interval == 0 {
                // The curve's clock is the training clock: evaluations are left out of it.
                let evaluationStart = Clock.monotonicSeconds()
                let trainedSeconds = trainSecondsBefore + (evaluationStart - loopStart - evaluationSeconds)
                let point = evaluate(limit: min(testCount, options.curveSubset))
                evaluationSeconds += Clock.monotonicSeconds() - evaluationStart
                account.curve.append(CurvePoint(trainSeconds: trainedSeconds,
                                                epoch: Double(epoch) + Double(batchIndex + 1) / Double(plan.batches.count),
                                                accuracy: point.accuracy, loss: point.loss))
            }
            progress?(.batch(epoch: epoch, batch: batchIndex, batchCount: plan.batches.count, record: record))
        }
        let loopSeconds = Clock.monotonicSeconds() - loopStart - evaluationSeconds
        let cpuSeconds = Clock.processCPUSeconds() - cpuStart

        let evaluationStart = Clock.monotonicSeconds()
        let evaluation = evaluate(limit: testCount)
        guard evaluation.loss.isFinite || testCount == 0 else {
            throw .nonFiniteLoss(phase: .test, epoch: epoch + 1, batch: nil, loss: evaluation.loss, completed: history)
        }
        if curveInterval != nil {
            let point = testCount <= options.curveSubset ? evaluation : evaluate(limit: options.curveSubset)
            account.curve.append(CurvePoint(trainSeconds: trainSecondsBefore + loopSeconds, epoch: Double(epoch + 1),
                                            accuracy: point.accuracy, loss: point.loss))
        }
        let metrics = account.metrics(
            epoch: epoch, loopSeconds: loopSeconds, cpuSeconds: cpuSeconds,
            evaluationSeconds: evaluationSeconds + Clock.monotonicSeconds() - evaluationStart,
            evaluation: evaluation, streamSteps: options.policy == .astStale ? selector.streamSteps : nil,
            policyUsesController: options.policy.usesController)
        history.append(metrics)
        progress?(.epoch(metrics))
        return metrics
    }

    /// The schedule's rate for this step, scaled to `m/B` under ``LearningRateScaling/perSample``.
    func learningRate(rows: Int) -> Double {
        let rate = schedule.rate(atStep: stepIndex)
        switch options.learningRateScaling {
        case .constant: return rate
        case .perSample: return rate * Double(rows) / Double(options.batchSize)
        }
    }

    /// Forward-only accuracy and mean loss over the first `limit` test samples.
    /// - Parameter limit: Samples to evaluate (at most the test set).
    /// - Returns: Accuracy in [0, 1] and mean cross-entropy (0 and 0 for no samples).
    public func evaluate(limit: Int? = nil) -> (accuracy: Double, loss: Double) {
        let test = dataset.test
        let count = min(test.count, limit ?? test.count)
        guard count > 0 else { return (0, 0) }
        let sampleSize = test.sampleSize
        var correct = 0, lossSum = 0.0
        test.images.withUnsafeBufferPointer { images in
            test.labels.withUnsafeBufferPointer { labels in
                var start = 0
                while start < count {
                    let rows = min(options.batchSize, count - start)
                    let meanLoss = network.forward(images: images.baseAddress! + start * sampleSize,
                                                   labels: labels.baseAddress! + start, batchSize: rows)
                    lossSum += meanLoss * Double(rows)
                    for row in 0..<rows where network.loss.predictions[row] == labels[start + row] { correct += 1 }
                    start += rows
                }
            }
        }
        return (Double(correct) / Double(count), lossSum / Double(count))
    }
}
