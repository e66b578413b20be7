/// The accounting wrapped around an epoch's steps: counts, FLOPs, phase seconds, records.
struct EpochAccount {
    var seconds = PhaseSeconds()
    var operations = OperationTotals()
    var forwarded = 0, backpropagated = 0, refreshed = 0
    var lossSum = 0.0, thresholdSum = 0.0, thresholdCount = 0
    var batches: [BatchRecord] = []
    var scores: [ScoreRecord]?
    var curve: [CurvePoint] = []
    let updateOperations: Double

    init(batchCount: Int, recordsScores: Bool, updateOperations: Double) {
        batches.reserveCapacity(batchCount)
        scores = recordsScores ? [] : nil
        self.updateOperations = updateOperations
    }

    /// Adds one batch; returns its record.
    mutating func add(batch: EpochPlan.Batch, choice: SampleSelector.Choice, meanLoss: Double,
                      phases: (forward: Double, select: Double, backward: Double, update: Double),
                      operations counted: OperationCount, scores batchScores: UnsafeBufferPointer<Double>?,
                      globalBatch: Int) -> BatchRecord {
        seconds.forward += phases.forward
        seconds.select += phases.select
        seconds.backward += phases.backward
        seconds.update += phases.update
        operations.forward += counted.forward
        operations.backward += counted.backward
        if choice.count > 0 { operations.update += updateOperations }
        forwarded += batch.count
        if batch.kind == .refresh { refreshed += batch.count }
        backpropagated += choice.count
        lossSum += meanLoss * Double(batch.count)
        if let threshold = choice.threshold {
            thresholdSum += threshold
            thresholdCount += 1
        }
        if let batchScores {
            for score in batchScores { scores!.append(ScoreRecord(batch: globalBatch, score: score)) }
        }
        let record = BatchRecord(threshold: choice.threshold, selected: choice.count, batchSize: batch.count,
                                 rate: Double(choice.count) / Double(batch.count), ema: choice.ema, loss: meanLoss,
                                 kind: batch.kind)
        batches.append(record)
        return record
    }

    func metrics(epoch: Int, loopSeconds: Double, cpuSeconds: Double, evaluationSeconds: Double,
                 evaluation: (accuracy: Double, loss: Double), streamSteps: [StreamStep]?,
                 policyUsesController: Bool) -> EpochMetrics {
        var seconds = self.seconds
        seconds.total = loopSeconds
        var thresholdMean: Double? = nil
        if policyUsesController {
            if thresholdCount > 0 {
                thresholdMean = thresholdSum / Double(thresholdCount)
            } else if let streamSteps, !streamSteps.isEmpty {
                thresholdMean = streamSteps.reduce(0) { $0 + $1.threshold } / Double(streamSteps.count)
            }
        }
        return EpochMetrics(
            epoch: epoch, samplesForwarded: forwarded, samplesBackpropagated: backpropagated, samplesRefreshed: refreshed,
            operations: operations, seconds: seconds, cpuSeconds: cpuSeconds, evaluationSeconds: evaluationSeconds,
            testAccuracy: evaluation.accuracy, testLoss: evaluation.loss, trainLoss: lossSum / Double(max(1, forwarded)),
            activationRate: Double(backpropagated) / Double(max(1, forwarded)),
            thresholdMean: thresholdMean, batches: batches, scores: scores, curve: curve, streamSteps: streamSteps)
    }
}
