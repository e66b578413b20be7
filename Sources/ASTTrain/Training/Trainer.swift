import CNumerics
import PIControl

/// Trains ``FashionNet`` on a ``Dataset`` under a ``TrainingOptions`` policy, epoch by epoch,
/// returning data (the CLI writes files). Progress goes to a caller-supplied closure.
///
/// Randomness: the initial weights use `seed`, the data order `EpochShuffler(seed: seed)`,
/// and the selection (random policy, stochastic gates, fallback) its own ``SeededGenerator``
/// derived from `seed`, so equal seeds give equal runs (for a fixed thread count).
public final class Trainer {
    public let options: TrainingOptions
    public let dataset: Dataset
    public let network: Network
    public let engine: TrainingEngine
    public let schedule: LearningRateSchedule
    /// The `ast` controller (`nil` for the other policies).
    public internal(set) var controller: Controller?
    var selectionGenerator: SeededGenerator
    /// Epochs finished so far, with their metrics.
    public internal(set) var history: [EpochMetrics] = []
    /// Optimiser steps (batches) taken so far, for the schedule.
    public internal(set) var stepIndex = 0

    let trainCount: Int
    let testCount: Int
    let batchImages: FloatBuffer
    let batchLabels: UnsafeMutableBufferPointer<Int32>

    /// Sets up a run from scratch.
    /// - Parameters:
    ///   - dataset: Normalised NCHW images; train and test must share a shape.
    ///   - options: The run's options.
    /// - Throws: ``TrainingError/invalidOptions(_:)`` or ``TrainingError/invalidData(_:)``.
    public init(dataset: Dataset, options: TrainingOptions) throws(TrainingError) {
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
        self.options = options
        self.dataset = dataset
        trainCount = min(train.count, options.trainLimit ?? train.count)
        testCount = min(test.count, options.testLimit ?? test.count)
        ast_openblas_set_threads(Int32(options.threads))
        let shape = TensorShape(channels: train.channels, height: train.height, width: train.width)
        network = FashionNet.make(inputShape: shape, classCount: train.classCount, maximumBatchSize: options.batchSize, seed: options.seed)
        engine = TrainingEngine(network: network,
                                optimizer: Optimizer(configuration: options.optimizer, parameters: network.parameters))
        let batchesPerEpoch = (trainCount + options.batchSize - 1) / options.batchSize
        schedule = LearningRateSchedule(baseRate: options.learningRate, warmupSteps: options.warmupSteps,
                                        totalSteps: batchesPerEpoch * options.epochs,
                                        minimumRate: options.minimumLearningRate, usesCosineDecay: options.usesCosineDecay)
        if options.policy == .ast {
            do {
                controller = try Controller(configuration: try options.resolvedController())
            } catch {
                throw .invalidOptions("controller: \(error)")
            }
        }
        selectionGenerator = SeededGenerator(seed: options.seed ^ 0x5E1E_C710_0000_0001)
        batchImages = FloatBuffer(count: options.batchSize * train.sampleSize)
        batchLabels = .allocate(capacity: options.batchSize)
        batchLabels.initialize(repeating: 0)
    }

    deinit { batchLabels.deallocate() }

    /// Epochs completed.
    public var epochsCompleted: Int { history.count }

    /// Batches per epoch (the last may be partial).
    public var batchesPerEpoch: Int { (trainCount + options.batchSize - 1) / options.batchSize }

    /// Trains the remaining epochs up to `options.epochs`.
    /// - Parameter progress: Called after every batch and every epoch.
    /// - Returns: Every completed epoch's metrics.
    /// - Throws: ``TrainingError/nonFiniteLoss(epoch:batch:loss:completed:)`` with the epochs done so far.
    @discardableResult
    public func run(progress: ((TrainingProgress) -> Void)? = nil) throws(TrainingError) -> TrainingResult {
        while epochsCompleted < options.epochs { try trainEpoch(progress: progress) }
        return TrainingResult(options: options, epochs: history)
    }

    /// The data order of `epoch`. A fresh shuffler replays the earlier epochs so the order is
    /// the same whether or not the shuffler keeps state between calls (resume-safe).
    func order(forEpoch epoch: Int) -> [Int] {
        var shuffler = EpochShuffler(count: trainCount, seed: options.seed)
        for earlier in 0..<epoch { _ = shuffler.order(forEpoch: earlier) }
        return shuffler.order(forEpoch: epoch)
    }

    /// Trains one epoch and evaluates on the test set.
    /// - Parameter progress: Called after every batch and at the end.
    /// - Returns: The epoch's metrics (also appended to ``history``).
    /// - Throws: ``TrainingError/nonFiniteLoss(epoch:batch:loss:completed:)``.
    @discardableResult
    public func trainEpoch(progress: ((TrainingProgress) -> Void)? = nil) throws(TrainingError) -> EpochMetrics {
        let epoch = epochsCompleted
        let order = order(forEpoch: epoch)
        let batchSize = options.batchSize, sampleSize = dataset.train.sampleSize
        let batchCount = batchesPerEpoch
        var seconds = PhaseSeconds()
        var operations = OperationTotals()
        var forwarded = 0, backpropagated = 0
        var lossSum = 0.0, thresholdSum = 0.0
        var batches: [BatchRecord] = []
        batches.reserveCapacity(batchCount)
        var scoreRecords: [ScoreRecord]? = options.recordsScores ? [] : nil
        scoreRecords?.reserveCapacity(trainCount)
        let updateOperations = engine.optimizer.operationsPerUpdate
        let cpuStart = Clock.processCPUSeconds()
        let loopStart = Clock.monotonicSeconds()

        for batchIndex in 0..<batchCount {
            let start = batchIndex * batchSize
            let rows = min(batchSize, trainCount - start)
            let t0 = Clock.monotonicSeconds()
            dataset.train.images.withUnsafeBufferPointer { source in
                for row in 0..<rows {
                    let sample = order[start + row]
                    (batchImages.pointer + row * sampleSize).update(from: source.baseAddress! + sample * sampleSize, count: sampleSize)
                    batchLabels[row] = dataset.train.labels[sample]
                }
            }
            let images = UnsafePointer(batchImages.pointer), labels = UnsafePointer(batchLabels.baseAddress!)
            let meanLoss = engine.forwardOnly(images: images, labels: labels, batchSize: rows)
            let t1 = Clock.monotonicSeconds()
            guard meanLoss.isFinite else {
                throw .nonFiniteLoss(epoch: epoch, batch: batchIndex, loss: meanLoss, completed: history)
            }
            engine.computeSignificance(options.significance, images: images, batchSize: rows)
            var threshold: Double?
            var ema: Double?
            let selectedCount: Int
            switch options.policy {
            case .ast:
                let selection = engine.selectWithController(&controller!, batchSize: rows, generator: &selectionGenerator)
                threshold = selection.gatingThreshold
                ema = selection.step?.ema
                selectedCount = engine.lastSelectedCount
            case .full, .random, .topk:
                selectedCount = engine.selectFixed(options.policy, count: options.fixedSelectionCount(batchSize: rows),
                                                   batchSize: rows, generator: &selectionGenerator)
            }
            let t2 = Clock.monotonicSeconds()
            engine.backwardSelected(batchSize: rows)
            let t3 = Clock.monotonicSeconds()
            let learningRate = schedule.rate(atStep: stepIndex)
            if selectedCount > 0 { engine.optimizer.step(learningRate: learningRate) }
            stepIndex += 1
            let t4 = Clock.monotonicSeconds()

            seconds.forward += t1 - t0
            seconds.select += t2 - t1
            seconds.backward += t3 - t2
            seconds.update += t4 - t3
            let counted = network.operationCount(batchSize: rows, backwardRows: selectedCount)
            operations.forward += counted.forward
            operations.backward += counted.backward
            if selectedCount > 0 { operations.update += updateOperations }
            forwarded += rows
            backpropagated += selectedCount
            lossSum += meanLoss * Double(rows)
            if let threshold { thresholdSum += threshold }
            let globalBatch = epoch * batchCount + batchIndex
            if scoreRecords != nil {
                for row in 0..<rows { scoreRecords!.append(ScoreRecord(batch: globalBatch, score: engine.scores[row])) }
            }
            let record = BatchRecord(threshold: threshold, selected: selectedCount, batchSize: rows,
                                     rate: Double(selectedCount) / Double(rows), ema: ema, loss: meanLoss)
            batches.append(record)
            progress?(.batch(epoch: epoch, batch: batchIndex, batchCount: batchCount, record: record))
        }
        seconds.total = Clock.monotonicSeconds() - loopStart
        let cpuSeconds = Clock.processCPUSeconds() - cpuStart

        let evaluationStart = Clock.monotonicSeconds()
        let evaluation = evaluate(limit: testCount)
        let metrics = EpochMetrics(
            epoch: epoch, samplesForwarded: forwarded, samplesBackpropagated: backpropagated, operations: operations,
            seconds: seconds, cpuSeconds: cpuSeconds, evaluationSeconds: Clock.monotonicSeconds() - evaluationStart,
            testAccuracy: evaluation.accuracy, testLoss: evaluation.loss, trainLoss: lossSum / Double(max(1, forwarded)),
            activationRate: Double(backpropagated) / Double(max(1, forwarded)),
            thresholdMean: options.policy == .ast ? thresholdSum / Double(max(1, batchCount)) : nil,
            batches: batches, scores: scoreRecords)
        history.append(metrics)
        progress?(.epoch(metrics))
        return metrics
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
