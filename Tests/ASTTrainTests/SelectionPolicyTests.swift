@testable import ASTTrain
import Foundation
import PIControl
import Testing

extension TrainingRuns {
/// Each policy's two decisions, checked against what the policy's definition says.
@Suite struct SelectionPolicyTests {
    /// A network, an engine and a forwarded synthetic batch of 16 (same weights every call).
    func forwardedBatch(rows: [Int]? = nil) -> (engine: TrainingEngine, images: [Float], labels: [Int32]) {
        let dataset = syntheticDataset()
        let network = FashionNet.make(inputShape: TensorShape(channels: 1, height: 16, width: 16), classCount: 4,
                                      maximumBatchSize: 16, seed: 3)
        let engine = TrainingEngine(network: network, optimizer: Optimizer(configuration: .defaultSGD, parameters: network.parameters))
        let chosen = rows ?? Array(0..<16)
        var images: [Float] = [], labels: [Int32] = []
        for sample in chosen {
            images += dataset.train.images[(sample * 256)..<((sample + 1) * 256)]
            labels.append(dataset.train.labels[sample])
        }
        images.withUnsafeBufferPointer { imagePointer in
            labels.withUnsafeBufferPointer { labelPointer in
                _ = engine.forwardOnly(images: imagePointer.baseAddress!, labels: labelPointer.baseAddress!, batchSize: chosen.count)
                engine.computeSignificance(.loss, images: imagePointer.baseAddress!, batchSize: chosen.count)
            }
        }
        return (engine, images, labels)
    }

    func expectGradientsClose(_ a: [Float], _ b: [Float], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, sourceLocation: sourceLocation)
        let scale = max(1e-6, b.map { abs($0) }.max() ?? 0)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-4 * scale, "\(label): worst gradient difference \(worst) against scale \(scale)", sourceLocation: sourceLocation)
    }

    /// The rows `ast` back-propagates are exactly those its controller selected, and their
    /// gradient is that of a batch made of those samples alone. (Swapping the gated rows for
    /// others, e.g. rows 0..<m, fails both checks.)
    @Test func astBackpropagatesExactlyTheRowsItSelected() throws {
        let (engine, _, _) = forwardedBatch()
        let scores = Array(engine.scores[0..<16])
        let median = scores.sorted()[8]
        // A hard gate at the median score: the highest half passes, wherever they sit in the batch.
        let configuration = try ControllerConfiguration(
            target: 0.5, law: .velocity, proportionalGain: 0.1, integralGain: 0.1, emaAlpha: 1, initialThreshold: median,
            thresholdBounds: ThresholdBounds(lower: -100, upper: 100), antiWindup: .none)
        let controller = try Controller(configuration: configuration)
        let selector = SampleSelector(policy: .ast, settings: SelectionSettings(targetRate: 0.5), controller: controller,
                                      batchSize: 16, sampleCount: 16, seed: 1)
        let plan = EpochPlan(trainSamples: Array(0..<16), batchSize: 16)
        let choice = selector.select(batch: plan.batches[0], plan: plan, engine: engine)
        let rows = Array(selector.chosenRows(batchSize: 16).rows)
        let expected = (0..<16).filter { scores[$0] > median }
        #expect(rows == expected && choice.count == expected.count && !expected.isEmpty)
        #expect(rows != Array(0..<rows.count), "the test needs gated rows that are not a prefix")

        engine.backward(rows: selector.chosenRows(batchSize: 16))
        let gradient = engine.network.gradientSnapshot()
        let alone = forwardedBatch(rows: expected)
        alone.engine.network.backwardAll(batchSize: expected.count)
        expectGradientsClose(gradient, alone.engine.network.gradientSnapshot(), "ast rows against a batch of those samples")
    }

    /// topk's rows are the highest scores, computed here independently.
    @Test func topKBackpropagatesTheHighestScores() {
        let (engine, _, _) = forwardedBatch()
        let scores = Array(engine.scores[0..<16])
        let selector = SampleSelector(policy: .topk, settings: SelectionSettings(targetRate: 0.25), controller: nil,
                                      batchSize: 16, sampleCount: 16, seed: 1)
        let plan = EpochPlan(trainSamples: Array(0..<16), batchSize: 16)
        _ = selector.select(batch: plan.batches[0], plan: plan, engine: engine)
        let expected = (0..<16).sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }.prefix(4).sorted()
        #expect(Array(selector.chosenRows(batchSize: 16).rows) == expected)
    }

    /// A weighted backward is the weighted mean of the rows' own gradients:
    /// rows {2, 5} with weights {2, 1} give (2·g₂ + g₅)/2.
    @Test func weightedBackwardIsTheWeightedMean() {
        func gradient(rows: [Int], weights: [Float]?) -> [Float] {
            let (engine, _, _) = forwardedBatch()
            rows.withUnsafeBufferPointer { rowPointer in
                if let weights {
                    weights.withUnsafeBufferPointer { engine.backward(rows: RowSelection(rows: rowPointer, batchSize: 16, weights: $0)) }
                } else {
                    engine.backward(rows: RowSelection(rows: rowPointer, batchSize: 16))
                }
            }
            return engine.network.gradientSnapshot()
        }
        let weighted = gradient(rows: [2, 5], weights: [2, 1])
        let two = gradient(rows: [2], weights: nil), five = gradient(rows: [5], weights: nil)
        expectGradientsClose(weighted, zip(two, five).map { (2 * $0 + $1) / 2 }, "weighted rows")
    }

    /// uniform forwards ⌈s·N⌉ samples an epoch, all back-propagated, and none twice before the
    /// whole set has been seen (without replacement across epochs).
    @Test func uniformCyclesThroughTheDataWithoutReplacement() {
        let selector = SampleSelector(policy: .uniform, settings: SelectionSettings(targetRate: 0.25), controller: nil,
                                      batchSize: 16, sampleCount: 96, seed: 5)
        var seen: [Int] = []
        for epoch in 0..<4 {
            let plan = selector.plan(epoch: epoch, totalEpochs: 8, order: Array(0..<96))
            #expect(plan.samples.count == 24 && plan.batches.allSatisfy { $0.kind == .train })
            seen += plan.samples
        }
        #expect(Set(seen).count == 96, "four epochs of 24 cover the 96 samples once")
        let fifth = selector.plan(epoch: 4, totalEpochs: 8, order: Array(0..<96))
        #expect(Set(fifth.samples).count == 24)
        #expect(!SelectionPolicy.uniform.readsSignificance)
    }

    /// ast-stale: epoch 1 forwards everything; later epochs forward the gated samples and a
    /// refresh share, and no score gets older than the age limit.
    @Test func astStaleForwardsTheGatedAndRefreshesOldScores() throws {
        var options = tinyOptions(.astStale, epochs: 4)
        options.controller = try Preset.velocityPI.configuration(target: 0.25)
        options.selection.refreshShare = 0.1
        options.selection.maximumScoreAge = 2
        let trainer = try Trainer(dataset: syntheticDataset(), options: options)
        try trainer.trainEpoch()
        #expect(trainer.history[0].samplesForwarded == 96 && trainer.history[0].samplesRefreshed == 0)
        for epoch in 1..<4 {
            let metrics = try trainer.trainEpoch()
            #expect(metrics.samplesForwarded < 96, "epoch \(epoch + 1) forwards fewer than all")
            #expect(metrics.samplesRefreshed >= 10, "epoch \(epoch + 1): at least the refresh share (10 of 96)")
            #expect(metrics.samplesBackpropagated + metrics.samplesRefreshed == metrics.samplesForwarded)
            #expect(metrics.streamSteps?.count == 6)
            let oldest = trainer.selector.memory.scoredEpochs.min()!
            #expect(epoch - oldest < 2, "epoch \(epoch + 1): a score from epoch \(oldest + 1) is too old")
        }
    }

    /// selective-backprop with β = 1/s − 1 back-propagates a share s on average when the
    /// losses are exchangeable (E[CDF^β] = 1/(β + 1)). 2,000 batches of 16 uniform losses:
    /// the share lies within 0.015 of 0.25 (the binomial sd is 0.0024).
    @Test func selectiveBackpropHoldsItsRateOnExchangeableLosses() {
        let (engine, _, _) = forwardedBatch()
        let selector = SampleSelector(policy: .selectiveBackprop, settings: SelectionSettings(targetRate: 0.25), controller: nil,
                                      batchSize: 16, sampleCount: 16, seed: 9)
        var generator = SeededGenerator(seed: 21)
        let plan = EpochPlan(trainSamples: Array(0..<16), batchSize: 16)
        var chosen = 0
        for _ in 0..<2000 {
            for row in 0..<16 { engine.network.loss.losses[row] = generator.nextUnitInterval() }
            chosen += selector.select(batch: plan.batches[0], plan: plan, engine: engine).count
        }
        let share = Double(chosen) / 32_000
        #expect(abs(share - 0.25) < 0.015, "share \(share)")
        #expect(selector.memory.lossHistory.count == 1024)
    }

    /// infobatch prunes about r of the below-mean samples, weighs the kept ones 1/(1 − r), keeps
    /// every above-mean sample, and uses all data in the first and the annealing epochs.
    @Test func infobatchPrunesBelowMeanSamplesAndRescales() {
        let selector = SampleSelector(policy: .infobatch, settings: SelectionSettings(targetRate: 0.1), controller: nil,
                                      batchSize: 16, sampleCount: 1000, seed: 4)
        let order = Array(0..<1000)
        #expect(selector.plan(epoch: 0, totalEpochs: 8, order: order).samples.count == 1000)
        // Losses 0..999: the mean is 499.5, so samples 0..499 are below it.
        for sample in 0..<1000 { selector.memory.lastLosses[sample] = Double(sample) }
        let plan = selector.plan(epoch: 1, totalEpochs: 8, order: order)
        let kept = Set(plan.samples)
        #expect((500..<1000).allSatisfy { kept.contains($0) })
        let keptBelow = (0..<500).filter { kept.contains($0) }.count
        #expect(abs(keptBelow - 250) <= 45, "kept \(keptBelow) of 500 below the mean; binomial sd ≈ 11")
        for (index, sample) in plan.samples.enumerated() {
            #expect(plan.weights![index] == (sample < 500 ? 2 : 1))
        }
        // Epoch 7 of 8 is at 7/8 = 1 − 0.125: full data again.
        #expect(selector.plan(epoch: 7, totalEpochs: 8, order: order).samples.count == 1000)
        #expect(selector.plan(epoch: 7, totalEpochs: 8, order: order).weights == nil)
    }

    /// The learning-rate option: per-sample scaling multiplies the rate by m/B.
    @Test func perSampleScalingKeepsTheRatePerSample() throws {
        var options = tinyOptions(.full, epochs: 1)
        options.learningRateScaling = .perSample
        let trainer = try Trainer(dataset: syntheticDataset(), options: options)
        #expect(trainer.learningRate(rows: 4) == options.learningRate * 4 / 16)
        options.learningRateScaling = .constant
        #expect(try Trainer(dataset: syntheticDataset(), options: options).learningRate(rows: 4) == options.learningRate)
    }

    /// Every policy trains, reports its counts, and is reproducible for a seed.
    @Test(arguments: SelectionPolicy.allCases)
    func everyPolicyTrainsAndReports(policy: SelectionPolicy) throws {
        var options = tinyOptions(policy, epochs: 2)
        options.controller = try Preset.velocityPI.configuration(target: 0.25)
        options.curveInterval = 2
        let first = try Trainer(dataset: syntheticDataset(), options: options).run()
        let second = try Trainer(dataset: syntheticDataset(), options: options).run()
        #expect(first.epochs.map(\.withoutTimings) == second.epochs.map(\.withoutTimings))
        for epoch in first.epochs {
            #expect(epoch.samplesBackpropagated <= epoch.samplesForwarded)
            #expect(epoch.operations.forward > 0)
            #expect(!epoch.curve.isEmpty && epoch.curve.last!.epoch == Double(epoch.epoch + 1))
            #expect(epoch.batches.reduce(0) { $0 + $1.batchSize } == epoch.samplesForwarded)
        }
        let curve = first.epochs.flatMap(\.curve).map(\.trainSeconds)
        #expect(curve == curve.sorted(), "the curve's clock only moves forward")
        if policy.forwardsEverySample { #expect(first.samplesForwarded == 192) }
    }
}
}
