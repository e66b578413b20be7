import ASTTrain
import Foundation
import PIControl
import Testing

extension TrainingRuns {
@Suite struct TrainerTests {
    @Test func fullPolicyLearnsAndCountsEverything() throws {
        let trainer = try Trainer(dataset: syntheticDataset(), options: tinyOptions(.full, epochs: 3))
        var batchEvents = 0, epochEvents = 0
        let result = try trainer.run { event in
            switch event {
            case .batch: batchEvents += 1
            case .epoch: epochEvents += 1
            }
        }
        #expect(batchEvents == 18 && epochEvents == 3)
        #expect(result.samplesForwarded == 288 && result.samplesBackpropagated == 288)
        #expect(result.finalTestAccuracy! > 0.9)
        let epoch = result.epochs[0]
        let expected = trainer.network.operationCount(batchSize: 16, backwardRows: 16)
        #expect(abs(epoch.operations.forward - 6 * expected.forward) < 1)
        #expect(abs(epoch.operations.backward - 6 * expected.backward) < 1)
        #expect(epoch.seconds.total >= epoch.seconds.forward + epoch.seconds.backward)
        #expect(epoch.cpuSeconds > 0)
    }

    @Test func randomAndTopKSelectTheFixedFraction() throws {
        for policy in [SelectionPolicy.random, .topk] {
            let result = try Trainer(dataset: syntheticDataset(), options: tinyOptions(policy, epochs: 1)).run()
            #expect(result.epochs[0].batches.allSatisfy { $0.selected == 4 }, "\(policy)")
            #expect(result.samplesBackpropagated == 24)
        }
    }

    @Test func topKPicksTheHighestScores() {
        let network = FashionNet.make(inputShape: TensorShape(channels: 1, height: 16, width: 16), classCount: 4, maximumBatchSize: 8)
        let engine = TrainingEngine(network: network, optimizer: Optimizer(configuration: .defaultSGD, parameters: network.parameters))
        let values: [Double] = [0.3, .nan, 0.9, 0.1, 0.9, 0.5, 0.2, 0.8]
        for (index, value) in values.enumerated() { engine.scores[index] = value }
        var generator = SeededGenerator(seed: 1)
        let count = engine.selectFixed(.topk, count: 3, batchSize: 8, generator: &generator)
        #expect(count == 3)
        #expect(Array(engine.lastSelectedRows) == [2, 4, 7])
        _ = engine.selectFixed(.random, count: 5, batchSize: 8, generator: &generator)
        let rows = Array(engine.lastSelectedRows)
        #expect(rows.count == 5 && rows == rows.sorted() && Set(rows).count == 5)
    }

    @Test func astUsesTheController() throws {
        var options = tinyOptions(.ast, epochs: 2)
        options.controller = try Preset.velocityPI.configuration(target: 0.25)
        let result = try Trainer(dataset: syntheticDataset(), options: options).run()
        for epoch in result.epochs {
            #expect(epoch.thresholdMean != nil)
            #expect(epoch.batches.allSatisfy { $0.threshold != nil && $0.ema != nil })
        }
        #expect(result.samplesBackpropagated < result.samplesForwarded)
    }

    @Test func sameSeedSameRun() throws {
        var options = tinyOptions(.ast, epochs: 2)
        options.controller = try Preset.velocityPI.configuration(target: 0.25)
        options.recordsScores = true
        let first = try Trainer(dataset: syntheticDataset(), options: options)
        let second = try Trainer(dataset: syntheticDataset(), options: options)
        let a = try first.run(), b = try second.run()
        #expect(a.epochs.map(\.withoutTimings) == b.epochs.map(\.withoutTimings))
        #expect(first.network.weightSnapshot() == second.network.weightSnapshot())
        #expect(a.epochs[0].scores?.count == 96)
    }

    func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "ast-train-\(getpid())-\(name)"
    }

    @Test(arguments: [SelectionPolicy.ast, .random])
    func resumeContinuesBitForBit(policy: SelectionPolicy) throws {
        var options = tinyOptions(policy, epochs: 2)
        options.optimizer = .defaultAdamW
        options.usesCosineDecay = true
        options.warmupSteps = 3
        if policy == .ast { options.controller = try Preset.seedCIFAR.configuration(target: 0.25) }
        let dataset = syntheticDataset()
        let straight = try Trainer(dataset: dataset, options: options)
        let straightResult = try straight.run()

        let path = temporaryPath("resume-\(policy).ckpt")
        defer { unlink(path) }
        let firstHalf = try Trainer(dataset: dataset, options: options)
        try firstHalf.trainEpoch()
        try firstHalf.saveCheckpoint(to: path)
        let resumed = try Trainer.resuming(from: path, dataset: dataset)
        #expect(resumed.epochsCompleted == 1)
        let resumedResult = try resumed.run()
        #expect(resumed.network.weightSnapshot() == straight.network.weightSnapshot())
        #expect(resumedResult.epochs.map(\.withoutTimings) == straightResult.epochs.map(\.withoutTimings))
    }

    @Test func corruptAndTruncatedCheckpointsAreRefused() throws {
        let dataset = syntheticDataset()
        let trainer = try Trainer(dataset: dataset, options: tinyOptions(.full, epochs: 1))
        try trainer.trainEpoch()
        let path = temporaryPath("corrupt.ckpt")
        defer { unlink(path) }
        try trainer.saveCheckpoint(to: path)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))

        var flipped = original
        flipped[flipped.count - 100] ^= 0x40
        try flipped.write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try Trainer.readCheckpoint(at: path)
        } throws: { error in
            if case .checksumMismatch = error as? CheckpointError { return true }
            return false
        }

        try original.prefix(original.count - 10).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try Trainer.resuming(from: path, dataset: dataset)
        } throws: { error in
            guard case .checkpoint(let inner) = error as? TrainingError, case .truncated = inner else { return false }
            return "\(error)".contains("truncated")
        }

        try Data("not a checkpoint at all".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: CheckpointError.badMagic(path: path)) { _ = try Trainer.readCheckpoint(at: path) }
    }

    @Test func divergingLossStopsWithTheEpochAndBatch() throws {
        var options = tinyOptions(.full, epochs: 3)
        options.learningRate = 1e12
        options.optimizer = .sgd(momentum: 0.9, nesterov: false, weightDecay: 0)
        let trainer = try Trainer(dataset: syntheticDataset(), options: options)
        do {
            try trainer.run()
            Issue.record("expected a non-finite loss")
        } catch {
            guard case .nonFiniteLoss(let epoch, let batch, let loss, let completed) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(!loss.isFinite)
            #expect(completed.count == epoch && trainer.epochsCompleted == epoch)
            #expect("\(error)".contains("epoch \(epoch), batch \(batch)"))
        }
    }

    @Test func invalidOptionsAreRejected() {
        var options = tinyOptions(.full)
        options.targetRate = 0
        #expect(throws: TrainingError.self) { _ = try Trainer(dataset: syntheticDataset(), options: options) }
    }

    @Test func comparisonReportsSavingsAndBounds() throws {
        var options = tinyOptions(.full, epochs: 1)
        options.controller = try Preset.velocityPI.configuration(target: 0.25)
        let report = try PolicyComparison.run(dataset: syntheticDataset(), options: options, policies: [.full, .random, .ast])
        #expect(report.outcomes.map(\.policy) == [.full, .random, .ast])
        #expect(!report.upperBoundIsEstimate)
        let full = report.outcomes[0], random = report.outcomes[1]
        #expect(abs(full.computeSaved) < 1e-12)
        #expect(abs(full.upperBoundSpeedup - 1) < 1e-12)
        #expect(abs(full.measuredSpeedup! - 1) < 1e-12)
        #expect(random.computeSaved > 0.3 && random.upperBoundSpeedup > 1)
        #expect(abs(random.activationRateMean - 0.25) < 1e-12 && random.activationRateStandardDeviation < 1e-12)
        let estimate = try PolicyComparison.run(dataset: syntheticDataset(), options: options, policies: [.random])
        #expect(estimate.upperBoundIsEstimate && estimate.outcomes[0].measuredSpeedup == nil)
        #expect(estimate.upperBoundNote.contains("ESTIMATE"))
    }
}
}
