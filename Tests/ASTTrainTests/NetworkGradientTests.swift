import ASTTrain
import Testing

/// Whole-network finite-difference check: the gradient of the mean cross-entropy over the
/// selected rows w.r.t. every parameter, on a tiny conv–ReLU–pool–dense–ReLU–dense net.
///
/// The loss is evaluated in Double from Float32 logits; central differences with h = 1e-3
/// (smaller than in the layer checks because ReLU/pool kinks are no longer controlled;
/// with this seed no perturbation crosses one). Truncation error O(h²) ≈ 1e-6, rounding
/// ≈ 1e-7 / 2e-3 ≈ 5e-5, so 2e-2 relative plus 5e-4 absolute separates bugs from noise.
@Suite struct NetworkGradientTests {
    static func tinyNetwork() -> Network {
        let shape = TensorShape(channels: 1, height: 6, width: 6)
        let conv = Convolution(name: "conv", inputShape: shape, outputChannels: 2, kernelSize: 3, maximumBatchSize: 4,
                               computesInputGradient: false)
        let relu = ReLU(name: "relu", shape: conv.outputShape, maximumBatchSize: 4)
        let pool = MaxPooling(name: "pool", inputShape: conv.outputShape, maximumBatchSize: 4)
        let flatten = Flatten(name: "flatten", inputShape: pool.outputShape, maximumBatchSize: 4)
        let dense1 = Dense(name: "dense1", inputFeatures: 8, outputFeatures: 5, maximumBatchSize: 4)
        let relu2 = ReLU(name: "relu2", shape: dense1.outputShape, maximumBatchSize: 4)
        let dense2 = Dense(name: "dense2", inputFeatures: 5, outputFeatures: 3, maximumBatchSize: 4)
        let network = Network(layers: [conv, relu, pool, flatten, dense1, relu2, dense2], classCount: 3)
        network.initialiseWeights(seed: 5)
        // Non-zero biases so the bias gradients are exercised away from the origin.
        for parameter in network.parameters where parameter.fanIn == 0 {
            parameter.values.copy(from: uniformFloats(parameter.count, seed: 6, scale: 0.1))
        }
        return network
    }

    @Test(arguments: [[0, 1, 2, 3], [0, 2], [3]])
    func meanSelectedLossGradient(rows: [Int]) {
        let network = Self.tinyNetwork()
        let batchSize = 4
        let images = uniformFloats(batchSize * 36, seed: 7)
        let labels: [Int32] = [0, 2, 1, 2]
        func meanLoss() -> Double {
            images.withUnsafeBufferPointer { image in
                labels.withUnsafeBufferPointer { network.forward(images: image.baseAddress!, labels: $0.baseAddress!, batchSize: batchSize) }
            }
            return rows.map { network.loss.losses[$0] }.reduce(0, +) / Double(rows.count)
        }
        _ = meanLoss()
        withRows(rows, batchSize: batchSize) { network.backward(rows: $0) }
        for parameter in network.parameters {
            let analytic = parameter.gradients.toArray().map(Double.init)
            let values = parameter.values.pointer
            let numeric = (0..<parameter.count).map { index -> Double in
                let saved = values[index]
                values[index] = saved + 1e-3
                let plus = meanLoss()
                values[index] = saved - 1e-3
                let minus = meanLoss()
                values[index] = saved
                return (plus - minus) / 2e-3
            }
            let ratio = worstRatio(analytic, numeric, relative: 2e-2, absolute: 5e-4)
            #expect(ratio <= 1, "\(parameter.name) rows \(rows): worst ratio \(ratio)")
        }
    }

    /// A subset backward equals the gradient of the mean over those rows computed by a
    /// full-batch backward whose other rows carry no loss (checked through linearity:
    /// m·g_subset = Σ_{i∈S} B·g_i over single-row backwards).
    @Test func subsetEqualsSumOfSingleRows() {
        let network = Self.tinyNetwork()
        let batchSize = 4
        let images = uniformFloats(batchSize * 36, seed: 8)
        let labels: [Int32] = [1, 0, 2, 2]
        func forward() {
            images.withUnsafeBufferPointer { image in
                labels.withUnsafeBufferPointer { _ = network.forward(images: image.baseAddress!, labels: $0.baseAddress!, batchSize: batchSize) }
            }
        }
        let subset = [1, 3]
        forward()
        withRows(subset, batchSize: batchSize) { network.backward(rows: $0) }
        let subsetGradient = network.gradientSnapshot()
        var summed = [Double](repeating: 0, count: subsetGradient.count)
        for row in subset {
            forward()
            withRows([row], batchSize: batchSize) { network.backward(rows: $0) }
            for (index, value) in network.gradientSnapshot().enumerated() { summed[index] += Double(value) / Double(subset.count) }
        }
        let ratio = worstRatio(subsetGradient.map(Double.init), summed, relative: 1e-5, absolute: 1e-7)
        #expect(ratio <= 1, "subset gradient differs from the mean of single-row gradients: \(ratio)")
    }

    /// At FashionNet's shapes, where the passes split across workers (the convolutions' column
    /// rebuild and channel split, dense1's feature split): a backward over 5 spread rows of 32
    /// equals the full-batch backward whose loss weights are 32/5 on those rows and 0 elsewhere
    /// (the same mean loss, `(1/32)·Σ w_j·l_j`), which runs the all-rows path instead. Equal up
    /// to Float32 summation order.
    @Test func subsetEqualsWeightedFullBatchAtFashionNetScale() {
        let batchSize = 32
        let network = FashionNet.make(maximumBatchSize: batchSize, seed: 3)
        let images = uniformFloats(batchSize * 784, seed: 4)
        let labels = (0..<batchSize).map { Int32($0 % 10) }
        func forward() {
            images.withUnsafeBufferPointer { image in
                labels.withUnsafeBufferPointer { _ = network.forward(images: image.baseAddress!, labels: $0.baseAddress!, batchSize: batchSize) }
            }
        }
        let subset = [2, 9, 15, 22, 31]
        forward()
        withRows(subset, batchSize: batchSize) { network.backward(rows: $0) }
        let subsetGradient = network.gradientSnapshot()
        let weights = (0..<batchSize).map { subset.contains($0) ? Float(batchSize) / Float(subset.count) : 0 }
        forward()
        Array(0..<batchSize).withUnsafeBufferPointer { rows in
            weights.withUnsafeBufferPointer { network.backward(rows: RowSelection(rows: rows, batchSize: batchSize, weights: $0)) }
        }
        let weightedGradient = network.gradientSnapshot()
        #expect(subsetGradient.contains { $0 != 0 })
        let ratio = worstRatio(subsetGradient.map(Double.init), weightedGradient.map(Double.init), relative: 1e-4, absolute: 1e-6)
        #expect(ratio <= 1, "subset gradient differs from the weighted full-batch gradient: \(ratio)")
    }
}
