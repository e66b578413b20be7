/// Max-pooling over 2×2 windows with stride 2 (odd trailing rows/columns are dropped). The
/// arg-max of every window is kept, so backward routes each gradient to one input.
public final class MaxPooling: ParameterFreeLayer {
    public let name: String
    public let inputShape: TensorShape
    public let outputShape: TensorShape
    public let maximumBatchSize: Int
    public let outputBuffer: FloatBuffer
    public let inputGradientBuffer: FloatBuffer
    /// Per output element, the offset of the winning input inside its sample.
    let argmax: IndexBuffer
    var lastBatchSize = 0

    /// - Parameters:
    ///   - name: A readable name.
    ///   - inputShape: The input sample shape; height and width at least 2.
    ///   - maximumBatchSize: The largest batch.
    public init(name: String, inputShape: TensorShape, maximumBatchSize: Int) {
        precondition(inputShape.height >= 2 && inputShape.width >= 2, "input too small to pool")
        self.name = name
        self.inputShape = inputShape
        self.maximumBatchSize = maximumBatchSize
        outputShape = TensorShape(channels: inputShape.channels, height: inputShape.height / 2, width: inputShape.width / 2)
        outputBuffer = FloatBuffer(count: maximumBatchSize * outputShape.elementCount)
        inputGradientBuffer = FloatBuffer(count: maximumBatchSize * inputShape.elementCount)
        argmax = IndexBuffer(count: maximumBatchSize * outputShape.elementCount)
    }

    public func forward(_ input: UnsafePointer<Float>, batchSize: Int) {
        checkBatchSize(batchSize)
        lastBatchSize = batchSize
        SampleParallel.forEachChunk(batchSize, PoolForwardPass(inputShape: inputShape, outputShape: outputShape,
                                                              input: input, output: outputBuffer.pointer,
                                                              winners: argmax.pointer))
    }

    public func backward(outputGradient: UnsafePointer<Float>, rows: RowSelection) {
        checkRows(rows, lastBatchSize: lastBatchSize)
        SampleParallel.forEachChunk(rows.count, PoolBackwardPass(
            rows: rows, inputShape: inputShape, outputShape: outputShape,
            winners: argmax.pointer, incoming: outputGradient, outgoing: inputGradientBuffer.pointer, pooled: nil))
    }

    /// The backward of this pooling followed by that of `relu`, the layer before it: each
    /// gradient goes to its window's winner only where the pooled value (the ReLU's output
    /// there) is positive, into `relu`'s input gradient; neither layer's buffer gets the
    /// unmasked gradient, and `relu.backward` is not needed.
    /// - Parameters:
    ///   - outputGradient: `[rows.count × outputShape]`, compact.
    ///   - rows: The rows of the last forward.
    ///   - relu: The ReLU whose output this pooling read.
    func backward(outputGradient: UnsafePointer<Float>, rows: RowSelection, maskedBy relu: ReLU) {
        checkRows(rows, lastBatchSize: lastBatchSize)
        precondition(relu.outputShape == inputShape, "the ReLU does not feed this pooling")
        SampleParallel.forEachChunk(rows.count, PoolBackwardPass(
            rows: rows, inputShape: inputShape, outputShape: outputShape, winners: argmax.pointer,
            incoming: outputGradient, outgoing: relu.inputGradientBuffer.pointer, pooled: outputBuffer.pointer))
    }

    public func operationCount(batchSize: Int, backwardRows: Int) -> OperationCount {
        let outputs = Double(outputShape.elementCount)
        return OperationCount(forward: Double(batchSize) * 3 * outputs, backward: Double(backwardRows) * outputs)
    }
}

/// 2×2 max and arg-max for a range of samples, four windows at a time: one `SIMD8` load per
/// input row gives four windows' left (even lanes) and right (odd lanes) values, and the
/// running maximum is kept with lane selects instead of branches. Each data-dependent branch
/// of the scalar form mispredicted about half the time (pool1 took 611 µs of an 8.1 ms
/// forward at B = 128). The selects follow the scalar order exactly, so the results are the
/// same: strict comparisons, ties to the first element in row-major order.
struct PoolForwardPass: ChunkBody {
    let inputShape: TensorShape
    let outputShape: TensorShape
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let winners: UnsafeMutablePointer<Int32>

    func run(_ samples: Range<Int>) {
        let inWidth = inputShape.width, inPlane = inputShape.height * inWidth
        let outHeight = outputShape.height, outWidth = outputShape.width
        let inSample = inputShape.elementCount, outSample = outputShape.elementCount
        let vectorWindows = outWidth / 4 * 4
        let lanes = SIMD4<Int32>(0, 2, 4, 6)
        for sample in samples {
            let source = input + sample * inSample
            for channel in 0..<inputShape.channels {
                let planeOffset = channel * inPlane
                let outBase = sample * outSample + channel * outHeight * outWidth
                for outRow in 0..<outHeight {
                    let rowStart = planeOffset + 2 * outRow * inWidth
                    let target = outBase + outRow * outWidth
                    var outColumn = 0
                    while outColumn < vectorWindows {
                        let topLeft = rowStart + 2 * outColumn
                        let top = UnsafeRawPointer(source + topLeft).loadUnaligned(as: SIMD8<Float>.self)
                        let bottom = UnsafeRawPointer(source + topLeft + inWidth).loadUnaligned(as: SIMD8<Float>.self)
                        let first = SIMD4<Int32>(repeating: Int32(topLeft)) &+ lanes
                        var best = first, bestValue = top.evenHalf
                        var candidate = top.oddHalf
                        var wins = candidate .> bestValue
                        bestValue.replace(with: candidate, where: wins)
                        best.replace(with: first &+ 1, where: wins)
                        candidate = bottom.evenHalf
                        wins = candidate .> bestValue
                        bestValue.replace(with: candidate, where: wins)
                        best.replace(with: first &+ Int32(inWidth), where: wins)
                        candidate = bottom.oddHalf
                        wins = candidate .> bestValue
                        bestValue.replace(with: candidate, where: wins)
                        best.replace(with: first &+ Int32(inWidth + 1), where: wins)
                        UnsafeMutableRawPointer(output + target + outColumn).storeBytes(of: bestValue, as: SIMD4<Float>.self)
                        UnsafeMutableRawPointer(winners + target + outColumn).storeBytes(of: best, as: SIMD4<Int32>.self)
                        outColumn += 4
                    }
                    while outColumn < outWidth {
                        let topLeft = rowStart + 2 * outColumn
                        var best = topLeft
                        var bestValue = source[topLeft]
                        // Strict comparisons: ties go to the first element in row-major order.
                        if source[topLeft + 1] > bestValue { best = topLeft + 1; bestValue = source[best] }
                        if source[topLeft + inWidth] > bestValue { best = topLeft + inWidth; bestValue = source[best] }
                        if source[topLeft + inWidth + 1] > bestValue { best = topLeft + inWidth + 1; bestValue = source[best] }
                        output[target + outColumn] = bestValue
                        winners[target + outColumn] = Int32(best)
                        outColumn += 1
                    }
                }
            }
        }
    }
}

/// Routes a range of compact rows' gradients to their winners, one channel plane at a time:
/// the plane is zeroed and then scattered into while it is in L1 (zeroing a whole chunk
/// first, then scattering, missed the cache on every scatter).
struct PoolBackwardPass: ChunkBody {
    let rows: RowSelection
    let inputShape: TensorShape
    let outputShape: TensorShape
    let winners: UnsafePointer<Int32>
    let incoming: UnsafePointer<Float>
    let outgoing: UnsafeMutablePointer<Float>
    /// The forward's pooled values when a ReLU before the pooling is fused in: a gradient
    /// passes only where its pooled value is positive.
    let pooled: UnsafePointer<Float>?

    func run(_ chunk: Range<Int>) {
        let inPlane = inputShape.height * inputShape.width, outPlane = outputShape.height * outputShape.width
        let inSample = inputShape.elementCount, outSample = outputShape.elementCount
        for compact in chunk {
            // Winners are offsets inside the sample, so the scatter targets the sample's base.
            let routes = winners + rows[compact] * outSample
            let source = incoming + compact * outSample, target = outgoing + compact * inSample
            for channel in 0..<inputShape.channels {
                (target + channel * inPlane).update(repeating: 0, count: inPlane)
                let window = (channel * outPlane)..<((channel + 1) * outPlane)
                if let pooled {
                    let values = pooled + rows[compact] * outSample
                    for index in window where values[index] > 0 { target[Int(routes[index])] += source[index] }
                } else {
                    for index in window { target[Int(routes[index])] += source[index] }
                }
            }
        }
    }
}
