import ASTTrain
import Testing

@Suite struct FashionNetTests {
    @Test func fashionMNISTShapes() {
        let network = FashionNet.make(maximumBatchSize: 2)
        #expect(network.layers.map(\.outputShape.elementCount) == [32 * 24 * 24, 32 * 24 * 24, 32 * 12 * 12,
                                                                     64 * 8 * 8, 64 * 8 * 8, 64 * 4 * 4, 1024, 128, 128, 10])
        // 32·25+32 + 64·800+64 + 1024·128+128 + 128·10+10
        #expect(network.parameterCount == 832 + 51_264 + 131_200 + 1_290)
    }

    @Test func cifarShapes() {
        let network = FashionNet.make(inputShape: TensorShape(channels: 3, height: 32, width: 32), maximumBatchSize: 2)
        #expect(network.layers[6].outputShape.elementCount == 1600)
        #expect(network.layers[7].inputShape.elementCount == 1600)
    }

    @Test func sameSeedSameWeights() {
        let a = FashionNet.make(maximumBatchSize: 1, seed: 9).weightSnapshot()
        let b = FashionNet.make(maximumBatchSize: 1, seed: 9).weightSnapshot()
        let c = FashionNet.make(maximumBatchSize: 1, seed: 10).weightSnapshot()
        #expect(a == b)
        #expect(a != c)
    }

    /// He initialisation: the conv2 weights' variance is close to 2/fanIn = 2/800.
    @Test func heVariance() {
        let network = FashionNet.make(maximumBatchSize: 1, seed: 3)
        let weights = network.parameters[2].values.toArray().map(Double.init)
        let variance = weights.map { $0 * $0 }.reduce(0, +) / Double(weights.count)
        #expect(abs(variance / (2.0 / 800) - 1) < 0.05)
    }

    /// FLOPs: the conv2 forward GEMM is 2·64·800·64 per sample, plus the bias.
    @Test func operationCounts() {
        let network = FashionNet.make(maximumBatchSize: 1)
        let byLayer = network.operationCountsByLayer(batchSize: 1, backwardRows: 1)
        let conv2 = byLayer.first { $0.name == "conv2" }!.count
        let conv2Forward: Double = 2 * 64 * 800 * 64 + 64 * 64
        let conv2Backward: Double = 2 * (2 * 64 * 800 * 64) + 64 * 64 + 800 * 64
        #expect(conv2.forward == conv2Forward)
        #expect(conv2.backward == conv2Backward)
        let conv1 = byLayer.first { $0.name == "conv1" }!.count
        let conv1Backward: Double = 2 * 32 * 25 * 576 + 32 * 576  // no input gradient
        #expect(conv1.backward == conv1Backward)
        #expect(network.operationCount(batchSize: 4, backwardRows: 0).backward == 0)
    }

    /// 16 random images with random labels are memorised: 100% training accuracy.
    @Test func overfitsSixteenSamples() {
        let batchSize = 16
        let network = FashionNet.make(maximumBatchSize: batchSize, seed: 2)
        let optimizer = Optimizer(configuration: .sgd(momentum: 0.9, nesterov: false, weightDecay: 0), parameters: network.parameters)
        let images = uniformFloats(batchSize * 784, seed: 4)
        let labels = (0..<batchSize).map { Int32($0 % 10) }
        var accuracy = 0.0
        for _ in 0..<60 {
            images.withUnsafeBufferPointer { image in
                labels.withUnsafeBufferPointer { _ = network.forward(images: image.baseAddress!, labels: $0.baseAddress!, batchSize: batchSize) }
            }
            accuracy = Double((0..<batchSize).filter { network.loss.predictions[$0] == labels[$0] }.count) / Double(batchSize)
            if accuracy == 1 { break }
            network.backwardAll(batchSize: batchSize)
            optimizer.step(learningRate: 0.02)
        }
        #expect(accuracy == 1)
    }
}
