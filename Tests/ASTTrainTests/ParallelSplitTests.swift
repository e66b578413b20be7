import ASTTrain
import Testing

extension TrainingRuns {
    /// The backward passes split across two workers (dense: the weight and input gradients
    /// by input features; convolution: the column rebuild by column rows, the weight
    /// gradient by output channels, the input gradient by samples) against the definitions
    /// of the gradients, summed in Double by plain loops: `dW = dYᵀ·X`, `db = Σ dY`,
    /// `dX = dY·W` (dense) and the correlation sums of a valid convolution. A subset of spread
    /// rows and all rows. Serialized: the test sets OpenBLAS's process-wide thread count.
    @Suite struct ParallelSplitTests {
        static func withTwoThreads(_ body: () -> Void) {
            let previous = BLASBinding.threadCount
            BLASBinding.setThreadCount(2)
            defer { BLASBinding.setThreadCount(previous) }
            body()
        }

        /// The worst violation of 1e-4 relative plus 1e-4 absolute (Float32 against Double sums
        /// of ~10³ terms of O(1)); at most 1 passes.
        static func worst(_ actual: UnsafePointer<Float>, _ expected: [Double]) -> Double {
            worstRatio(expected.indices.map { Double(actual[$0]) }, expected, relative: 1e-4, absolute: 1e-4)
        }

        @Test(arguments: [[1, 4, 6], Array(0..<8)])
        func denseAgainstDefinition(rows: [Int]) {
            let batch = 8, inputs = 512, outputs = 256
            // m·in·out ≥ 2¹⁸ for 3 rows: the backward splits into two parts.
            #expect(rows.count * inputs * outputs >= Dense.openBLASThreadingThreshold)
            let layer = Dense(name: "wide", inputFeatures: inputs, outputFeatures: outputs, maximumBatchSize: batch)
            layer.weight.values.copy(from: uniformFloats(layer.weight.count, seed: 41))
            let input = uniformFloats(batch * inputs, seed: 42)
            let incoming = uniformFloats(rows.count * outputs, seed: 43)
            Self.withTwoThreads {
                input.withUnsafeBufferPointer { layer.forward($0.baseAddress!, batchSize: batch) }
                withRows(rows, batchSize: batch) { selection in
                    incoming.withUnsafeBufferPointer { layer.backward(outputGradient: $0.baseAddress!, rows: selection) }
                }
            }
            let weight = layer.weight.values.toArray()
            var weightGradient = [Double](repeating: 0, count: outputs * inputs)
            var biasGradient = [Double](repeating: 0, count: outputs)
            var inputGradient = [Double](repeating: 0, count: rows.count * inputs)
            for (compact, row) in rows.enumerated() {
                for output in 0..<outputs {
                    let g = Double(incoming[compact * outputs + output])
                    biasGradient[output] += g
                    for feature in 0..<inputs {
                        weightGradient[output * inputs + feature] += g * Double(input[row * inputs + feature])
                        inputGradient[compact * inputs + feature] += g * Double(weight[output * inputs + feature])
                    }
                }
            }
            #expect(Self.worst(layer.weight.gradients.pointer, weightGradient) <= 1, "weight gradient")
            #expect(Self.worst(layer.bias.gradients.pointer, biasGradient) <= 1, "bias gradient")
            #expect(Self.worst(layer.inputGradient!, inputGradient) <= 1, "input gradient")
        }

        @Test(arguments: [[1, 4, 6], Array(0..<8)])
        func convolutionAgainstDefinition(rows: [Int]) {
            let batch = 8, shape = TensorShape(channels: 6, height: 9, width: 8), kernel = 3, channels = 10
            // Blocks of two samples, so a part's samples span blocks.
            let layer = Convolution(name: "split", inputShape: shape, outputChannels: channels, kernelSize: kernel,
                                    maximumBatchSize: batch, blockFloats: 2 * 6 * 9 * 7 * 6)
            layer.weight.values.copy(from: uniformFloats(layer.weight.count, seed: 51))
            let input = uniformFloats(batch * shape.elementCount, seed: 52)
            let out = layer.outputShape
            let incoming = uniformFloats(rows.count * out.elementCount, seed: 53)
            Self.withTwoThreads {
                input.withUnsafeBufferPointer { layer.forward($0.baseAddress!, batchSize: batch) }
                withRows(rows, batchSize: batch) { selection in
                    incoming.withUnsafeBufferPointer { layer.backward(outputGradient: $0.baseAddress!, rows: selection) }
                }
            }
            let weight = layer.weight.values.toArray()
            var weightGradient = [Double](repeating: 0, count: weight.count)
            var biasGradient = [Double](repeating: 0, count: channels)
            var inputGradient = [Double](repeating: 0, count: rows.count * shape.elementCount)
            for (compact, row) in rows.enumerated() {
                for channel in 0..<channels {
                    for y in 0..<out.height {
                        for x in 0..<out.width {
                            let g = Double(incoming[((compact * channels + channel) * out.height + y) * out.width + x])
                            biasGradient[channel] += g
                            for inChannel in 0..<shape.channels {
                                for kh in 0..<kernel {
                                    for kw in 0..<kernel {
                                        let w = ((channel * shape.channels + inChannel) * kernel + kh) * kernel + kw
                                        let pixel = (inChannel * shape.height + y + kh) * shape.width + x + kw
                                        weightGradient[w] += g * Double(input[row * shape.elementCount + pixel])
                                        inputGradient[compact * shape.elementCount + pixel] += g * Double(weight[w])
                                    }
                                }
                            }
                        }
                    }
                }
            }
            #expect(Self.worst(layer.weight.gradients.pointer, weightGradient) <= 1, "weight gradient")
            #expect(Self.worst(layer.bias.gradients.pointer, biasGradient) <= 1, "bias gradient")
            #expect(Self.worst(layer.inputGradient!, inputGradient) <= 1, "input gradient")
        }
    }
}
