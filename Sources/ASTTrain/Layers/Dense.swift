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
        checkBatchSize(batchSize)
        lastInput = input
        lastBatchSize = batchSize
        // By rows of the batch, each worker's GEMM on its own core (inline when small).
        SampleParallel.forEachChunk(batchSize, minimumChunk: minimumRows, DenseForwardPass(
            inputs: inputShape.channels, outputs: outputShape.channels, input: input, weight: weight.values.pointer,
            bias: bias.values.pointer, output: outputBuffer.pointer))
    }

    public func backward(outputGradient: UnsafePointer<Float>, rows: RowSelection) {
        checkRows(rows, lastBatchSize: lastBatchSize)
        guard let cachedInput = lastInput else { preconditionFailure("backward before forward") }
        guard rows.count > 0 else {
            weight.gradients.fill(0)
            bias.gradients.fill(0)
            return
        }
        // Per part: the weight and input gradients' columns of a range of input features (with
        // the gather of those features for a subset) and the bias gradient of a range of
        // outputs. The parts write disjoint elements, so no reduction.
        // Split whenever OpenBLAS would thread the GEMMs itself (m·n·k above its 2¹⁸
        // threshold): outside a pass it would hand them to its own threads, which allocate and spin.
        let parts = rows.count * inputShape.channels * outputShape.channels >= Self.openBLASThreadingThreshold ? SampleParallel.workerCount : 1
        SampleParallel.forEachChunk(parts, DenseBackwardPass(
            inputs: inputShape.channels, outputs: outputShape.channels, parts: parts, rows: rows, input: cachedInput,
            gathered: gatheredInput.pointer, incoming: outputGradient, weight: weight.values.pointer,
            weightGradient: weight.gradients.pointer, biasGradient: bias.gradients.pointer,
            inputGradient: inputGradientBuffer?.pointer))
    }

    /// The GEMM size m·n·k from which OpenBLAS threads a call itself (below it, one thread).
    package static let openBLASThreadingThreshold = 1 << 18

    /// Fewest rows worth a worker: m·n·k of ``openBLASThreadingThreshold`` (below it OpenBLAS
    /// runs one thread anyway, and a pass hand-off costs microseconds), so dense2 (128 → 10)
    /// runs inline.
    var minimumRows: Int { max(1, Self.openBLASThreadingThreshold / max(1, inputShape.channels * outputShape.channels)) }

    public func operationCount(batchSize: Int, backwardRows: Int) -> OperationCount {
        let inputs = Double(inputShape.channels), outputs = Double(outputShape.channels)
        let forward = Double(batchSize) * (2 * inputs * outputs + outputs)
        var backward = Double(backwardRows) * (2 * inputs * outputs + outputs)
        if computesInputGradient { backward += Double(backwardRows) * 2 * inputs * outputs }
        return OperationCount(forward: forward, backward: backward)
    }
}

/// `Y = X·Wᵀ + b` for a range of rows.
struct DenseForwardPass: ChunkBody {
    let inputs: Int
    let outputs: Int
    let input: UnsafePointer<Float>
    let weight: UnsafePointer<Float>
    let bias: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>

    func run(_ rows: Range<Int>) {
        let out = output + rows.lowerBound * outputs
        for row in 0..<rows.count { (out + row * outputs).update(from: bias, count: outputs) }
        // Y[r × out] = X[r × in] · Wᵀ + Y
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows.count), Int32(outputs), Int32(inputs),
                    1, input + rows.lowerBound * inputs, Int32(inputs), weight, Int32(inputs), 1, out, Int32(outputs))
    }
}

/// A dense layer's backward for parts of `parts` (see ``Dense/backward(outputGradient:rows:)``).
struct DenseBackwardPass: ChunkBody {
    let inputs: Int
    let outputs: Int
    let parts: Int
    let rows: RowSelection
    let input: UnsafePointer<Float>
    let gathered: UnsafeMutablePointer<Float>
    let incoming: UnsafePointer<Float>
    let weight: UnsafePointer<Float>
    let weightGradient: UnsafeMutablePointer<Float>
    let biasGradient: UnsafeMutablePointer<Float>
    let inputGradient: UnsafeMutablePointer<Float>?

    func run(_ partRange: Range<Int>) {
        let selectedCount = rows.count
        for part in partRange {
            let features = WorkerPool.chunk(part, of: parts, count: inputs)
            var selectedInput = input
            if !rows.isAll {
                for compact in 0..<selectedCount {
                    (gathered + compact * inputs + features.lowerBound)
                        .update(from: input + rows[compact] * inputs + features.lowerBound, count: features.count)
                }
                selectedInput = UnsafePointer(gathered)
            }
            // dW[out × f] = dYᵀ[out × m] · X[m × f] for this part's features f.
            if !features.isEmpty {
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(outputs), Int32(features.count),
                            Int32(selectedCount), 1, incoming, Int32(outputs), selectedInput + features.lowerBound,
                            Int32(inputs), 0, weightGradient + features.lowerBound, Int32(inputs))
            }
            let outputRange = WorkerPool.chunk(part, of: parts, count: outputs)
            for feature in outputRange {
                var sum: Float = 0
                for compact in 0..<selectedCount { sum += incoming[compact * outputs + feature] }
                biasGradient[feature] = sum
            }
            guard let inputGradient else { continue }
            // dX[m × f] = dY[m × out] · W[out × f] for this part's features f (all rows: a
            // split by rows gave each part a GEMM of a few rows at 13 of 128).
            if !features.isEmpty {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(selectedCount), Int32(features.count),
                            Int32(outputs), 1, incoming, Int32(outputs), weight + features.lowerBound,
                            Int32(inputs), 0, inputGradient + features.lowerBound, Int32(inputs))
            }
        }
    }
}
