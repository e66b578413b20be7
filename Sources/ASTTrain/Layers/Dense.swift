import COpenBLAS

/// A fully connected layer `y = W·x + b` with `W` of shape `[outputs × inputs]`, one
/// `cblas_sgemm` per pass.
public final class Dense: Layer {
    public let name: String
    public let inputShape: TensorShape
    public let outputShape: TensorShape
    public let maximumBatchSize: Int
    /// `[outputs × inputs]`.
    public let weight: Parameter
    /// `[outputs]`.
    public let bias: Parameter
    public let computesInputGradient: Bool
    let outputBuffer: FloatBuffer
    let inputGradientBuffer: FloatBuffer?
    /// The selected rows of the cached input, gathered contiguously for the weight gradient.
    let gatheredInput: FloatBuffer
    var lastInput: UnsafePointer<Float>?
    var lastBatchSize = 0

    /// - Parameters:
    ///   - name: A readable name.
    ///   - inputFeatures: Inputs per sample.
    ///   - outputFeatures: Outputs per sample.
    ///   - maximumBatchSize: The largest batch.
    ///   - computesInputGradient: Whether to back-propagate into the input.
    public init(name: String, inputFeatures: Int, outputFeatures: Int, maximumBatchSize: Int,
                computesInputGradient: Bool = true) {
        self.name = name
        inputShape = TensorShape(channels: inputFeatures)
        outputShape = TensorShape(channels: outputFeatures)
        self.maximumBatchSize = maximumBatchSize
        self.computesInputGradient = computesInputGradient
        weight = Parameter(name: name + ".weight", count: outputFeatures * inputFeatures, fanIn: inputFeatures)
        bias = Parameter(name: name + ".bias", count: outputFeatures, fanIn: 0)
        outputBuffer = FloatBuffer(count: maximumBatchSize * outputFeatures)
        inputGradientBuffer = computesInputGradient ? FloatBuffer(count: maximumBatchSize * inputFeatures) : nil
        gatheredInput = FloatBuffer(count: maximumBatchSize * inputFeatures)
    }

    public var output: UnsafeMutablePointer<Float> { outputBuffer.pointer }
    public var inputGradient: UnsafeMutablePointer<Float>? { inputGradientBuffer?.pointer }
    public var parameters: [Parameter] { [weight, bias] }

    public func forward(_ input: UnsafePointer<Float>, batchSize: Int) {
        precondition(batchSize > 0 && batchSize <= maximumBatchSize, "batch size out of range")
        lastInput = input
        lastBatchSize = batchSize
        let inputs = inputShape.channels, outputs = outputShape.channels, out = outputBuffer.pointer
        for sample in 0..<batchSize { (out + sample * outputs).update(from: bias.values.pointer, count: outputs) }
        // Y[B × out] = X[B × in] · Wᵀ + Y
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batchSize), Int32(outputs), Int32(inputs),
                    1, input, Int32(inputs), weight.values.pointer, Int32(inputs), 1, out, Int32(outputs))
    }

    public func backward(outputGradient: UnsafePointer<Float>, rows: RowSelection) {
        precondition(rows.batchSize == lastBatchSize, "backward does not match the last forward")
        guard let cachedInput = lastInput else { preconditionFailure("backward before forward") }
        let inputs = inputShape.channels, outputs = outputShape.channels, selectedCount = rows.count
        guard selectedCount > 0 else {
            weight.gradients.fill(0)
            bias.gradients.fill(0)
            return
        }
        var selectedInput = cachedInput
        if !rows.isAll {
            for compact in 0..<selectedCount {
                (gatheredInput.pointer + compact * inputs).update(from: cachedInput + rows[compact] * inputs, count: inputs)
            }
            selectedInput = UnsafePointer(gatheredInput.pointer)
        }
        // dW[out × in] = dYᵀ[out × m] · X[m × in]
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(outputs), Int32(inputs), Int32(selectedCount),
                    1, outputGradient, Int32(outputs), selectedInput, Int32(inputs), 0, weight.gradients.pointer, Int32(inputs))
        let biasGradient = bias.gradients.pointer
        biasGradient.update(repeating: 0, count: outputs)
        for compact in 0..<selectedCount {
            let row = outputGradient + compact * outputs
            for feature in 0..<outputs { biasGradient[feature] += row[feature] }
        }
        guard let inputGradient = inputGradientBuffer?.pointer else { return }
        // dX[m × in] = dY[m × out] · W[out × in]
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(selectedCount), Int32(inputs), Int32(outputs),
                    1, outputGradient, Int32(outputs), weight.values.pointer, Int32(inputs), 0, inputGradient, Int32(inputs))
    }

    public func operationCount(batchSize: Int, backwardRows: Int) -> OperationCount {
        let inputs = Double(inputShape.channels), outputs = Double(outputShape.channels)
        let forward = Double(batchSize) * (2 * inputs * outputs + outputs)
        var backward = Double(backwardRows) * (2 * inputs * outputs + outputs)
        if computesInputGradient { backward += Double(backwardRows) * 2 * inputs * outputs }
        return OperationCount(forward: forward, backward: backward)
    }
}
