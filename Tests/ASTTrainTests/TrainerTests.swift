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
        for policy in [SelectionPolicy.randomForwarded, .topk] {
            let result = try Trainer(dataset: syntheticDataset(), options: tinyOptions(policy, epochs: 1)).run()
            #expect(result.epochs[0].batches.allSatisfy { $0.selected == 4 }, "\(policy)")
            #expect(result.samplesBackpropagated == 24)
        }
    }

    @Test func topKAndRandomForwardedPickTheirRows() {
        let network = FashionNet.make(inputShape: TensorShape(channels: 1, height: 16, width: 16), classCount: 4, maximumBatchSize: 8)
        let engine = TrainingEngine(network: network, optimizer: Optimizer(configuration: .defaultSGD, parameters: network.parameters))
        let values: [Double] = [0.3, .nan, 0.9, 0.1, 0.9, 0.5, 0.2, 0.8]
        for (index, value) in values.enumerated() { engine.scores[index] = value }
        let plan = EpochPlan(trainSamples: Array(0..<8), batchSize: 8)
        let topk = SampleSelector(policy: .topk, settings: SelectionSettings(targetRate: 3.0 / 8), controller: nil,
                                  batchSize: 8, sampleCount: 8, seed: 1)
        let choice = topk.select(batch: plan.batches[0], plan: plan, engine: engine)
        #expect(choice.count == 3)
        #expect(Array(topk.chosenRows(batchSize: 8).rows) == [2, 4, 7])
        let random = SampleSelector(policy: .randomForwarded, settings: SelectionSettings(targetRate: 5.0 / 8), controller: nil,
                                    batchSize: 8, sampleCount: 8, seed: 1)
        _ = random.select(batch: plan.batches[0], plan: plan, engine: engine)
        let rows = Array(random.chosenRows(batchSize: 8).rows)
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

    @Test(arguments: [SelectionPolicy.ast, .randomForwarded, .uniform, .astStale, .selectiveBackprop, .infobatch])
    func resumeContinuesBitForBit(policy: SelectionPolicy) throws {
        var options = tinyOptions(policy, epochs: 2)
        options.optimizer = .defaultAdamW
        options.usesCosineDecay = true
        options.warmupSteps = 3
        options.epochs = 3
        if policy.usesController { options.controller = try Preset.seedCIFAR.configuration(target: 0.25) }
        let dataset = syntheticDataset()
        let straight = try Trainer(dataset: dataset, options: options)
        let straightResult = try straight.run()

        let path = temporaryPath("resume-\(policy).ckpt")
        defer { unlink(path) }
        let firstHalf = try Trainer(dataset: dataset, options: options)
        try firstHalf.trainEpoch()
        try firstHalf.trainEpoch()
        try firstHalf.saveCheckpoint(to: path)
        let resumed = try Trainer.resuming(from: path, dataset: dataset)
        #expect(resumed.epochsCompleted == 2)
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
            guard case .nonFiniteLoss(let phase, let epoch, let batch, let loss, let completed) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(!loss.isFinite)
            // Epoch and batch are 1-based, as the progress bar shows them.
            #expect(epoch >= 1 && completed.count == epoch - 1 && trainer.epochsCompleted == epoch - 1)
            if let batch {
                #expect(phase == .training && "\(error)".contains("epoch \(epoch), batch \(batch)"))
            } else {
                #expect(phase == .test && "\(error)".contains("test loss"))
            }
        }
    }

    /// A non-finite test loss stops the run like a non-finite training loss (it used to be
    /// written to epochs.csv and the run exited 0). One batch an epoch: its loss is computed
    /// before the update, and an absurd rate makes the updated weights overflow, so only the
    /// evaluation that follows sees it.
    @Test func nonFiniteTestLossStopsTheRun() throws {
        var options = tinyOptions(.full, epochs: 2)
        options.trainLimit = 16
        options.learningRate = 1e30
        options.optimizer = .sgd(momentum: 0, nesterov: false, weightDecay: 0)
        let trainer = try Trainer(dataset: syntheticDataset(), options: options)
        #expect {
            try trainer.run()
        } throws: { error in
            guard case .nonFiniteLoss(.test, 1, nil, let loss, let completed) = error as? TrainingError else { return false }
            return !loss.isFinite && completed.isEmpty && "\(error)".contains("the test loss became")
        }
    }

    @Test func invalidOptionsAreRejected() {
        var options = tinyOptions(.full)
        for target in [0.0, 1.0] {
            options.targetRate = target
            #expect {
                _ = try Trainer(dataset: syntheticDataset(), options: options)
            } throws: { error in
                guard case .invalidOption(let option) = error as? TrainingError else { return false }
                return option == TrainingOptionError(field: "--target", expected: "in (0, 1)", actual: "\(target)")
            }
        }
    }

    /// A batch larger than the data is capped before anything is allocated (it used to try to
    /// allocate terabytes).
    @Test func hugeBatchSizeIsCappedAtTheData() throws {
        var options = tinyOptions(.full, epochs: 1)
        options.batchSize = 1_000_000_000
        let trainer = try Trainer(dataset: syntheticDataset(), options: options)
        #expect(trainer.options.batchSize == 96)
    }

    /// The comparison takes turns epoch by epoch; each policy's run must be exactly the run it
    /// gets alone (its own data order, weights and random streams): every batch's loss, choice
    /// and threshold, and every epoch's test accuracy.
    @Test func turnsByEpochGiveEachPolicyItsRunAlone() throws {
        var options = tinyOptions(.full, epochs: 3)
        options.controller = try Preset.velocityPI.configuration(target: 0.25)
        let report = try PolicyComparison.run(dataset: syntheticDataset(), options: options,
                                              policies: [.full, .ast, .infobatch, .astStale], seeds: [3])
        #expect(report.runs.count == 4)
        for run in report.runs {
            var alone = options
            alone.policy = run.policy
            alone.seed = run.seed
            let trainer = try Trainer(dataset: syntheticDataset(), options: alone)
            trainer.warmUp()
            let result = try trainer.run()
            func batches(_ result: TrainingResult) -> [[String]] {
                result.epochs.flatMap(\.batches).map { ["\($0.loss)", "\($0.selected)", "\($0.threshold.map { "\($0)" } ?? "-")"] }
            }
            #expect(batches(run.result) == batches(result), "\(run.policy.rawValue): batches differ from its run alone")
            #expect(run.result.epochs.map(\.testAccuracy) == result.epochs.map(\.testAccuracy))
        }
    }

    /// The policies of a seed are alive together: a comparison whose first trainer, times the
    /// policies, passes the memory limit is refused before the others are built, naming
    /// `--policies` and the measured figures.
    @Test func comparisonPastTheMemoryLimitIsRefused() throws {
        let options = tinyOptions(.full, epochs: 1)
        let error = #expect(throws: TrainingError.self) {
            _ = try PolicyComparison.run(dataset: syntheticDataset(), options: options, policies: [.full, .uniform],
                                         seeds: [1], reach: nil, memoryLimit: 1, progress: nil)
        }
        guard case .invalidOption(let option)? = error else {
            Issue.record("expected an invalid option, got \(String(describing: error))")
            return
        }
        #expect(option.field == "--policies")
        #expect(option.actual.hasPrefix("2 trainers × "))
        #expect(option.expected.contains("half of this machine's physical memory"))
        // Within the limit, the same comparison runs.
        let report = try PolicyComparison.run(dataset: syntheticDataset(), options: options, policies: [.full, .uniform],
                                              seeds: [1], reach: nil, memoryLimit: TrainingMemory.limit, progress: nil)
        #expect(report.runs.count == 2)
    }

    /// Past 128 rows a batch is sized before its network is built: over the limit, the trainer
    /// is refused naming `--batch-size` and the estimate; within it, it is built.
    @Test func batchPastTheMemoryLimitIsRefused() throws {
        var options = tinyOptions(.full, epochs: 1)
        options.batchSize = 300
        let dataset = syntheticDataset(trainCount: 300)
        let error = #expect(throws: TrainingError.self) {
            _ = try Trainer(dataset: dataset, options: options, memoryLimit: 1)
        }
        guard case .invalidOption(let option)? = error else {
            Issue.record("expected an invalid option, got \(String(describing: error))")
            return
        }
        #expect(option.field == "--batch-size")
        #expect(option.actual.hasPrefix("300 rows, an estimated "))
        #expect(try Trainer(dataset: dataset, options: options, memoryLimit: TrainingMemory.limit).options.batchSize == 300)
    }

    @Test func comparisonReportsSavingsAndBounds() throws {
        var options = tinyOptions(.full, epochs: 1)
        options.controller = try Preset.velocityPI.configuration(target: 0.25)
        options.curveInterval = 2
        let report = try PolicyComparison.run(dataset: syntheticDataset(), options: options,
                                              policies: [.full, .uniform, .randomForwarded, .ast], seeds: [1, 2])
        #expect(report.summaries.map(\.policy) == [.full, .uniform, .randomForwarded, .ast])
        #expect(report.runs.map(\.policy) == [.full, .uniform, .randomForwarded, .ast, .full, .uniform, .randomForwarded, .ast])
        #expect(report.backwardSecondsPerRow != nil)
        let full = report.summaries[0], uniform = report.summaries[1], random = report.summaries[2]
        #expect(abs(full.computeSaved) < 1e-12)
        #expect(abs(full.bound - 1) < 1e-12)
        #expect(abs(full.measuredSpeedup!.mean - 1) < 1e-12)
        #expect(random.computeSaved > 0.3 && random.bound > 1)
        #expect(abs(random.activationRateMean - 0.25) < 1e-12 && random.activationRateStandardDeviation < 1e-12)
        // uniform forwards and back-propagates ⌈s·N⌉ = 24 of 96 per epoch: its bound is 1/s = 4.
        #expect(uniform.samplesForwarded == 24 && uniform.samplesBackpropagated == 24)
        #expect(abs(uniform.bound - 4) < 1e-9)
        #expect(full.accuracy.count == 2)
        #expect(report.reachAccuracy == Interval(report.runs.filter { $0.policy == .uniform }.map { $0.result.epochs.last!.curve.last!.accuracy })!.mean)
        let estimate = try PolicyComparison.run(dataset: syntheticDataset(), options: options, policies: [.randomForwarded], seeds: [1])
        #expect(estimate.backwardSecondsPerRow == nil && estimate.summaries[0].measuredSpeedup == nil)
        #expect(estimate.summaries[0].boundNote.contains("ESTIMATE"))
        #expect(throws: TrainingError.self) {
            _ = try PolicyComparison.run(dataset: syntheticDataset(), options: options, policies: [.full, .full], seeds: [1])
        }
    }
}
}
