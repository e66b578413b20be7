@testable import ASTTrain
import Testing

/// `Network` fuses a convolution's ReLU into the convolution's forward and a pooling's
/// preceding ReLU into the pooling's backward. The fused passes must give exactly what the
/// layers give one by one (same arithmetic, so bit for bit), including windows whose four
/// inputs the ReLU zeroed (a negative conv bias makes many).
@Suite struct FusedPassTests {
    static let batchSize = 4
    static let labels: [Int32] = [0, 2, 1, 2]

    static func network() -> Network {
        let network = NetworkGradientTests.tinyNetwork()
        // conv.bias: push about half the pre-activations below zero.
        network.parameters[1].values.fill(-0.3)
        return network
    }

    /// The forward and backward through each layer's own entry points, no fusion.
    static func layerByLayer(_ network: Network, images: UnsafePointer<Float>, labels: UnsafePointer<Int32>,
                             rows: RowSelection) {
        var input = images
        for layer in network.layers {
            layer.forward(input, batchSize: batchSize)
            input = UnsafePointer(layer.output)
        }
        network.loss.forward(logits: input, labels: labels, batchSize: batchSize)
        network.loss.backward(rows: rows)
        var gradient = UnsafePointer(network.loss.logitGradient)
        for layer in network.layers.reversed() {
            layer.backward(outputGradient: gradient, rows: rows)
            guard let next = layer.inputGradient else { break }
            gradient = UnsafePointer(next)
        }
    }

    @Test(arguments: [[0, 1, 2, 3], [0, 2], [3]])
    func fusedEqualsLayerByLayer(rows: [Int]) {
        let images = uniformFloats(Self.batchSize * 36, seed: 7)
        let fused = Self.network(), separate = Self.network()
        images.withUnsafeBufferPointer { image in
            Self.labels.withUnsafeBufferPointer { label in
                withRows(rows, batchSize: Self.batchSize) { selection in
                    fused.forward(images: image.baseAddress!, labels: label.baseAddress!, batchSize: Self.batchSize)
                    fused.backward(rows: selection)
                    Self.layerByLayer(separate, images: image.baseAddress!, labels: label.baseAddress!, rows: selection)
                }
            }
        }
        // The ReLU zeroed whole pooling windows, so the fused mask was exercised.
        let pool = separate.layers[2]
        let pooled = UnsafeBufferPointer(start: pool.output, count: Self.batchSize * pool.outputShape.elementCount)
        #expect(pooled.contains(0))
        let logits = { (network: Network) in Array(UnsafeBufferPointer(start: network.logits, count: Self.batchSize * 3)) }
        #expect(logits(fused) == logits(separate))
        #expect(fused.gradientSnapshot() == separate.gradientSnapshot())
    }
}
