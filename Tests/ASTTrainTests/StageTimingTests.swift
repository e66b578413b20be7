import ASTTrain
import Testing

/// The timed passes do the plain passes' work: the same logits and gradients bit for bit,
/// every layer in exactly one stage, in order, fused pairs as one stage.
@Suite struct StageTimingTests {
    @Test(arguments: [[0, 1, 2, 3], [1, 3]])
    func timedPassesMatchPlainOnes(rows: [Int]) {
        let batchSize = 4
        let images = uniformFloats(batchSize * 36, seed: 71)
        let labels: [Int32] = [2, 0, 1, 1]
        let plain = NetworkGradientTests.tinyNetwork(), timed = NetworkGradientTests.tinyNetwork()
        var forwardStages: [StageTiming] = [], backwardStages: [StageTiming] = []
        images.withUnsafeBufferPointer { image in
            labels.withUnsafeBufferPointer { label in
                plain.forward(images: image.baseAddress!, labels: label.baseAddress!, batchSize: batchSize)
                forwardStages = timed.forwardLogitsTimingStages(images: image.baseAddress!, batchSize: batchSize)
                timed.loss.forward(logits: timed.logits, labels: label.baseAddress!, batchSize: batchSize)
            }
        }
        #expect((0..<(batchSize * 3)).allSatisfy { plain.logits[$0] == timed.logits[$0] })
        withRows(rows, batchSize: batchSize) { selection in
            plain.backward(rows: selection)
            backwardStages = timed.backwardTimingStages(rows: selection)
        }
        #expect(plain.gradientSnapshot() == timed.gradientSnapshot())
        // Layers: conv, relu, pool, flatten, dense1, relu2, dense2.
        #expect(forwardStages.map(\.name) == ["conv+relu", "pool", "flatten", "dense1", "relu2", "dense2"])
        #expect(backwardStages.map(\.name) == ["loss", "dense2", "relu2", "dense1", "flatten", "relu+pool", "conv"])
        #expect((forwardStages + backwardStages).allSatisfy { $0.seconds >= 0 && $0.seconds.isFinite })
    }
}
