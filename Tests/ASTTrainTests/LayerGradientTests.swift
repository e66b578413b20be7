import ASTTrain
import Foundation
import Testing

/// Finite-difference checks of every layer's backward pass.
///
/// The scalar checked is `L = Σ r ⊙ output` for a fixed random projection `r`, evaluated in
/// Double from the Float32 outputs, so the analytic gradients are exactly what backward
/// computes when `r` is the output gradient. Central differences with `h = 1e-2`:
/// convolution and dense layers are linear in each weight, bias and input, and ReLU and
/// max-pooling are linear on the test inputs (which keep every value and every pooled pair
/// more than 0.05 apart, farther than `h`), so the truncation error is zero and only
/// Float32 rounding of `L` remains: about 1e-7 relative on sums of O(10) terms of O(1),
/// i.e. ~1e-6, divided by 2h = 2e-2 → ~1e-4 absolute. The tolerance, 1e-2 relative plus
/// 1e-3 absolute, sits an order of magnitude above that and far below the O(1) error any
/// indexing or transposition bug produces.
@Suite struct LayerGradientTests {
    static let step: Float = 1e-2
    static let relative = 1e-2
    static let absolute = 1e-3

    /// Checks input and parameter gradients of `layer` on `input`, for all rows and for a subset.
    func check(_ layer: any Layer, input inputValues: [Float], batchSize: Int, seed: UInt64) {
        // A buffer (not an array) so the objective can read it while a perturbation writes it.
        let input = FloatBuffer(count: inputValues.count)
        input.copy(from: inputValues)
        let outputCount = batchSize * layer.outputShape.elementCount
        let projection = uniformFloats(outputCount, seed: seed)
        func objective() -> Double {
            layer.forward(input.pointer, batchSize: batchSize)
            var sum = 0.0
            for index in 0..<outputCount { sum += Double(projection[index]) * Double(layer.output[index]) }
            return sum
        }
        func numericGradient(_ values: UnsafeMutablePointer<Float>, count: Int) -> [Double] {
            (0..<count).map { index in
                let saved = values[index]
                values[index] = saved + Self.step
                let plus = objective()
                values[index] = saved - Self.step
                let minus = objective()
                values[index] = saved
                return (plus - minus) / (2 * Double(Self.step))
            }
        }
        // Analytic, all rows.
        _ = objective()
        let rows = Array(0..<batchSize)
        withRows(rows, batchSize: batchSize) { selection in
            projection.withUnsafeBufferPointer { layer.backward(outputGradient: $0.baseAddress!, rows: selection) }
        }
        let inputSize = layer.inputShape.elementCount
        let analyticInput = layer.inputGradient.map { pointer in (0..<(batchSize * inputSize)).map { Double(pointer[$0]) } }
        let analyticParameters = layer.parameters.map { $0.gradients.toArray().map(Double.init) }

        if let analyticInput {
            let numeric = numericGradient(input.pointer, count: input.count)
            let ratio = worstRatio(analyticInput, numeric, relative: Self.relative, absolute: Self.absolute)
            #expect(ratio <= 1, "\(layer.name) input gradient: worst ratio \(ratio)")
        }
        for (parameter, analytic) in zip(layer.parameters, analyticParameters) {
            let numeric = numericGradient(parameter.values.pointer, count: parameter.count)
            let ratio = worstRatio(analytic, numeric, relative: Self.relative, absolute: Self.absolute)
            #expect(ratio <= 1, "\(parameter.name) gradient: worst ratio \(ratio)")
        }

        // Subset backward equals the full backward with the other rows' output gradient zeroed.
        guard batchSize >= 3 else { return }
        let subset = Array(stride(from: 1, to: batchSize, by: 2))
        let outputSize = layer.outputShape.elementCount
        var masked = projection
        for row in 0..<batchSize where !subset.contains(row) {
            for index in 0..<outputSize { masked[row * outputSize + index] = 0 }
        }
        _ = objective()
        withRows(rows, batchSize: batchSize) { selection in
            masked.withUnsafeBufferPointer { layer.backward(outputGradient: $0.baseAddress!, rows: selection) }
        }
        let fullInput = layer.inputGradient.map { pointer in (0..<(batchSize * inputSize)).map { pointer[$0] } }
        let fullParameters = layer.parameters.map { $0.gradients.toArray() }
        let compact = subset.flatMap { row in projection[(row * outputSize)..<((row + 1) * outputSize)] }
        _ = objective()
        withRows(subset, batchSize: batchSize) { selection in
            compact.withUnsafeBufferPointer { layer.backward(outputGradient: $0.baseAddress!, rows: selection) }
        }
        if let fullInput, let pointer = layer.inputGradient {
            for (compactRow, row) in subset.enumerated() {
                for index in 0..<inputSize {
                    let a = Double(pointer[compactRow * inputSize + index]), b = Double(fullInput[row * inputSize + index])
                    #expect(close(a, b, relative: 1e-5, absolute: 1e-6), "\(layer.name) subset input gradient row \(row)")
                }
            }
        }
        for (parameter, full) in zip(layer.parameters, fullParameters) {
            let subsetValues = parameter.gradients.toArray()
            let agree = zip(subsetValues, full).allSatisfy { close(Double($0), Double($1), relative: 1e-5, absolute: 1e-6) }
            #expect(agree, "\(parameter.name) subset gradient differs from the masked full gradient")
        }
    }

    @Test func convolution() {
        let shape = TensorShape(channels: 2, height: 6, width: 5)
        let layer = Convolution(name: "conv", inputShape: shape, outputChannels: 3, kernelSize: 3, maximumBatchSize: 4)
        layer.weight.values.copy(from: uniformFloats(layer.weight.count, seed: 11))
        layer.bias.values.copy(from: uniformFloats(3, seed: 12))
        check(layer, input: uniformFloats(3 * shape.elementCount, seed: 13), batchSize: 3, seed: 14)
    }

    /// Blocks of one and of two samples (so the last block is partial): the blocked im2col,
    /// GEMMs and col2im must give the same gradients as one block. A batch of three checks the
    /// subset [1]; a batch of four the subset [1, 3], two rows, not the first, whose columns a
    /// subset backward rebuilds from the cached input, each into its compact slot.
    @Test(arguments: [(1, 3), (2, 3), (1, 4), (4, 4)])
    func convolutionInBlocks(blockSamples: Int, batchSize: Int) {
        let shape = TensorShape(channels: 2, height: 6, width: 5)
        let patchFloats = 2 * 3 * 3 * (4 * 3)
        let layer = Convolution(name: "conv-blocked", inputShape: shape, outputChannels: 3, kernelSize: 3,
                                maximumBatchSize: 4, blockFloats: blockSamples * patchFloats)
        layer.weight.values.copy(from: uniformFloats(layer.weight.count, seed: 11))
        layer.bias.values.copy(from: uniformFloats(3, seed: 12))
        check(layer, input: uniformFloats(batchSize * shape.elementCount, seed: 13), batchSize: batchSize, seed: 14)
    }

    @Test func convolutionWithoutInputGradient() {
        let shape = TensorShape(channels: 1, height: 5, width: 5)
        let layer = Convolution(name: "conv-first", inputShape: shape, outputChannels: 2, kernelSize: 2,
                                maximumBatchSize: 3, computesInputGradient: false)
        layer.weight.values.copy(from: uniformFloats(layer.weight.count, seed: 21))
        check(layer, input: uniformFloats(3 * shape.elementCount, seed: 22), batchSize: 3, seed: 23)
        #expect(layer.inputGradient == nil)
    }

    @Test func relu() {
        let shape = TensorShape(channels: 2, height: 3, width: 3)
        let layer = ReLU(name: "relu", shape: shape, maximumBatchSize: 3)
        check(layer, input: separatedFloats(3 * shape.elementCount, seed: 31), batchSize: 3, seed: 32)
    }

    @Test func maxPooling() {
        let shape = TensorShape(channels: 2, height: 5, width: 4)
        let layer = MaxPooling(name: "pool", inputShape: shape, maximumBatchSize: 3)
        #expect(layer.outputShape == TensorShape(channels: 2, height: 2, width: 2))
        check(layer, input: separatedFloats(3 * shape.elementCount, seed: 41), batchSize: 3, seed: 42)
    }

    /// An odd width and an odd height: the dropped last column and row get a zero gradient
    /// (the backward writes every input element itself, with no zeroing pass first).
    @Test func maxPoolingOddSides() {
        let shape = TensorShape(channels: 2, height: 5, width: 7)
        let layer = MaxPooling(name: "pool-odd", inputShape: shape, maximumBatchSize: 3)
        #expect(layer.outputShape == TensorShape(channels: 2, height: 2, width: 3))
        check(layer, input: separatedFloats(3 * shape.elementCount, seed: 43), batchSize: 3, seed: 44)
    }

    @Test func dense() {
        let layer = Dense(name: "dense", inputFeatures: 7, outputFeatures: 4, maximumBatchSize: 5)
        layer.weight.values.copy(from: uniformFloats(layer.weight.count, seed: 51))
        layer.bias.values.copy(from: uniformFloats(4, seed: 52))
        check(layer, input: uniformFloats(4 * 7, seed: 53), batchSize: 4, seed: 54)
    }

    @Test func flatten() {
        let shape = TensorShape(channels: 2, height: 2, width: 3)
        let layer = Flatten(name: "flatten", inputShape: shape, maximumBatchSize: 3)
        #expect(layer.outputShape.elementCount == 12)
        check(layer, input: uniformFloats(3 * 12, seed: 61), batchSize: 3, seed: 62)
    }

    /// Softmax cross-entropy against central differences of the mean loss in Double; smooth,
    /// so with h = 1e-3 the truncation error is O(h²) ≈ 1e-6 and rounding ~1e-7/2e-3 ≈ 5e-5.
    @Test func softmaxCrossEntropy() {
        let classes = 5, batchSize = 4
        let loss = SoftmaxCrossEntropy(classCount: classes, maximumBatchSize: 6)
        var logits = uniformFloats(batchSize * classes, seed: 71, scale: 2)
        let labels: [Int32] = [0, 3, 4, 1]
        func meanLoss(over rows: [Int]) -> Double {
            logits.withUnsafeBufferPointer { pointer in
                labels.withUnsafeBufferPointer { loss.forward(logits: pointer.baseAddress!, labels: $0.baseAddress!, batchSize: batchSize) }
            }
            return rows.map { loss.losses[$0] }.reduce(0, +) / Double(rows.count)
        }
        for rows in [[0, 1, 2, 3], [1, 3]] {
            _ = meanLoss(over: rows)
            withRows(rows, batchSize: batchSize) { loss.backward(rows: $0) }
            let analytic = (0..<(rows.count * classes)).map { Double(loss.logitGradient[$0]) }
            var numeric: [Double] = []
            for row in rows {
                for index in 0..<classes {
                    let position = row * classes + index, saved = logits[position]
                    logits[position] = saved + 1e-3
                    let plus = meanLoss(over: rows)
                    logits[position] = saved - 1e-3
                    let minus = meanLoss(over: rows)
                    logits[position] = saved
                    numeric.append((plus - minus) / 2e-3)
                }
            }
            let ratio = worstRatio(analytic, numeric, relative: 1e-2, absolute: 1e-4)
            #expect(ratio <= 1, "softmax-CE rows \(rows): worst ratio \(ratio)")
        }
        // Probabilities sum to one; the seed entropy −Σ p·log(p + 1e-8) of a row lies within
        // [−1e-8, log classes] (the offset can make it a hair negative for a certain row).
        _ = meanLoss(over: [0])
        for row in 0..<batchSize {
            let sum = (0..<classes).reduce(Float(0)) { $0 + loss.probabilities[row * classes + $1] }
            #expect(abs(sum - 1) < 1e-5)
            #expect(loss.entropies[row] >= -1e-8 && loss.entropies[row] <= log(Double(classes)) + 1e-9)
        }
    }
}
