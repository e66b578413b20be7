@testable import ASTTrain
import Testing

/// What the comparison's memory check counts: every `OwnedBuffer` an object reaches, once.
@Suite struct HeldBufferTests {
    /// Dense 7 → 4 for 5 rows: weight and its gradient 2·28, bias and its gradient 2·4, output
    /// 5·4, input gradient 5·7, gathered input 5·7 floats, 4 bytes each.
    @Test func denseHoldsItsBuffers() {
        let layer = Dense(name: "d", inputFeatures: 7, outputFeatures: 4, maximumBatchSize: 5)
        #expect(heldBufferBytes(layer) == (2 * 28 + 2 * 4 + 20 + 35 + 35) * 4)
    }

    /// A buffer reached twice (a network's layers and its parameter list, a list holding the
    /// network twice) counts once. A FashionNet at B = 128 holds at least its two column
    /// matrices (25·73,728 and 800·8,192 floats), and beyond its layers' buffers only the
    /// loss's and the row list's (under 1 MB).
    @Test func sharedBuffersCountOnce() {
        let network = FashionNet.make(maximumBatchSize: 128, seed: 1)
        let layersOnly = network.layers.reduce(0) { $0 + heldBufferBytes($1) }
        let whole = heldBufferBytes(network)
        #expect(whole >= layersOnly && whole < layersOnly + 1_000_000)
        #expect(whole > (25 * 73_728 + 800 * 8_192) * 4)
        #expect(heldBufferBytes([network, network]) == whole)
    }

    /// The estimate from the two probe networks is exact between and beyond them (every buffer
    /// is linear in the rows once the convolutions' blocks are full): 200 and 300 rows of 1×16×16.
    @Test(arguments: [200, 300])
    func estimateMatchesTheBuiltNetwork(rows: Int) {
        let shape = TensorShape(channels: 1, height: 16, width: 16)
        let estimate = FashionNet.estimatedBytes(inputShape: shape, classCount: 4, maximumBatchSize: rows)
        let built = heldBufferBytes(FashionNet.make(inputShape: shape, classCount: 4, maximumBatchSize: rows))
        #expect(estimate.bytes == Double(built))
        #expect(estimate.bytesPerRow > 0)
    }
}
