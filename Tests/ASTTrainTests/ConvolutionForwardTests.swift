@testable import ASTTrain
import Testing

/// A convolution's forward against the definition, `y[s][c][i][j] = b[c] + Σ w[c][ci][kh][kw]·
/// x[s][ci][i + kh][j + kw]` summed in Double, for both ways the forward writes its output: a
/// GEMM per sample straight into NCHW when `K ≤ P` (1×10×9, 3×3 kernel: K = 9, P = 56) and a
/// GEMM per block followed by the reorder when `K > P` (4×6×5, 3×3 kernel: K = 36, P = 12); in
/// blocks of one sample and of all; plain and with the fused ReLU.
@Suite struct ConvolutionForwardTests {
    @Test(arguments: [(1, 10, 9), (4, 6, 5)], [1, 3])
    func matchesDefinition(shape dims: (Int, Int, Int), blockSamples: Int) {
        let shape = TensorShape(channels: dims.0, height: dims.1, width: dims.2)
        let batch = 3, kernel = 3, channels = 5
        let geometry = ConvolutionGeometry(inputShape: shape, outputShape: TensorShape(
            channels: channels, height: shape.height - 2, width: shape.width - 2), kernel: kernel)
        let blockFloats = blockSamples * geometry.patchSize * geometry.positions
        let plain = Convolution(name: "plain", inputShape: shape, outputChannels: channels, kernelSize: kernel,
                                maximumBatchSize: batch, blockFloats: blockFloats)
        let fused = Convolution(name: "fused", inputShape: shape, outputChannels: channels, kernelSize: kernel,
                                maximumBatchSize: batch, blockFloats: blockFloats)
        let relu = ReLU(name: "relu", shape: fused.outputShape, maximumBatchSize: batch)
        let weights = uniformFloats(plain.weight.count, seed: 61), biases = uniformFloats(channels, seed: 62, scale: 0.5)
        for layer in [plain, fused] {
            layer.weight.values.copy(from: weights)
            layer.bias.values.copy(from: biases)
        }
        let input = uniformFloats(batch * shape.elementCount, seed: 63)
        input.withUnsafeBufferPointer {
            plain.forward($0.baseAddress!, batchSize: batch)
            fused.forward($0.baseAddress!, batchSize: batch, applyingReLUInto: relu)
        }
        let out = plain.outputShape
        var worst = 0.0, worstRectified = 0.0
        for sample in 0..<batch {
            for channel in 0..<channels {
                for i in 0..<out.height {
                    for j in 0..<out.width {
                        var sum = Double(biases[channel])
                        for inChannel in 0..<shape.channels {
                            for kh in 0..<kernel {
                                for kw in 0..<kernel {
                                    let w = ((channel * shape.channels + inChannel) * kernel + kh) * kernel + kw
                                    let x = ((sample * shape.channels + inChannel) * shape.height + i + kh) * shape.width + j + kw
                                    sum += Double(weights[w]) * Double(input[x])
                                }
                            }
                        }
                        let index = ((sample * channels + channel) * out.height + i) * out.width + j
                        worst = max(worst, abs(Double(plain.output[index]) - sum))
                        worstRectified = max(worstRectified, abs(Double(relu.output[index]) - max(0, sum)))
                    }
                }
            }
        }
        // Float32 sums of at most 37 products of magnitude ≤ 1: rounding stays below 1e-5.
        #expect(worst < 1e-5, "plain forward off by \(worst)")
        #expect(worstRectified < 1e-5, "fused ReLU forward off by \(worstRectified)")
        // The two shapes take the two paths (the first writes its samples directly).
        #expect(ConvolutionForwardPass.writesSamplesDirectly(geometry) == (shape.channels == 1))
    }
}
