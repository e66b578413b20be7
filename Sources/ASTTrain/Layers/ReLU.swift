/// `max(0, x)` elementwise. Backward passes the gradient where the cached output is positive.
public final class ReLU: ParameterFreeLayer {
    public let name: String
    public let inputShape: TensorShape
    public var outputShape: TensorShape { inputShape }
    public let maximumBatchSize: Int
    public let outputBuffer: FloatBuffer
    public let inputGradientBuffer: FloatBuffer
    var lastBatchSize = 0

    /// - Parameters:
    ///   - name: A readable name.
    ///   - shape: The sample shape (unchanged).
    ///   - maximumBatchSize: The largest batch.
    public init(name: String, shape: TensorShape, maximumBatchSize: Int) {
        self.name = name
        inputShape = shape
        self.maximumBatchSize = maximumBatchSize
        outputBuffer = FloatBuffer(count: maximumBatchSize * shape.elementCount)
        inputGradientBuffer = FloatBuffer(count: maximumBatchSize * shape.elementCount)
    }

    public func forward(_ input: UnsafePointer<Float>, batchSize: Int) {
        checkBatchSize(batchSize)
        lastBatchSize = batchSize
        let out = outputBuffer.pointer
        SampleParallel.forEachChunk(batchSize * inputShape.elementCount, minimumChunk: 16_384,
                                    ReLUForwardPass(input: input, output: out))
    }

    public func backward(outputGradient: UnsafePointer<Float>, rows: RowSelection) {
        checkRows(rows, lastBatchSize: lastBatchSize)
        let size = inputShape.elementCount, out = outputBuffer.pointer, gradient = inputGradientBuffer.pointer
        SampleParallel.forEachChunk(rows.count, minimumChunk: max(1, 16_384 / size),
                                    ReLUBackwardPass(rows: rows, size: size, cached: out, incoming: outputGradient,
                                                     outgoing: gradient))
    }

    /// `outgoing[i] = cached[i] > 0 ? incoming[i] : 0`, eight lanes at a time: the scalar form
    /// compiles to a branch per element, which mispredicts on about half of them.
    @inline(__always)
    static func mask(_ incoming: UnsafePointer<Float>, by cached: UnsafePointer<Float>,
                     into outgoing: UnsafeMutablePointer<Float>, count: Int) {
        let lanes = 8, vectors = count / lanes
        let zero = SIMD8<Float>(repeating: 0)
        let source = UnsafeRawPointer(incoming), mask = UnsafeRawPointer(cached)
        let destination = UnsafeMutableRawPointer(outgoing)
        for vector in 0..<vectors {
            let offset = vector * lanes * MemoryLayout<Float>.stride
            let values = source.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            let gate = mask.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            destination.storeBytes(of: zero.replacing(with: values, where: gate .> zero), toByteOffset: offset,
                                   as: SIMD8<Float>.self)
        }
        for index in (vectors * lanes)..<count { outgoing[index] = cached[index] > 0 ? incoming[index] : 0 }
    }

    public func operationCount(batchSize: Int, backwardRows: Int) -> OperationCount {
        let size = Double(inputShape.elementCount)
        return OperationCount(forward: Double(batchSize) * size, backward: Double(backwardRows) * size)
    }
}

/// `max(0, x)` over a range of elements.
struct ReLUForwardPass: ChunkBody {
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>

    func run(_ range: Range<Int>) {
        for index in range { output[index] = max(0, input[index]) }
    }
}

/// The masked gradient for a range of compact rows.
struct ReLUBackwardPass: ChunkBody {
    let rows: RowSelection
    let size: Int
    let cached: UnsafePointer<Float>
    let incoming: UnsafePointer<Float>
    let outgoing: UnsafeMutablePointer<Float>

    func run(_ range: Range<Int>) {
        for compact in range {
            ReLU.mask(incoming + compact * size, by: cached + rows[compact] * size, into: outgoing + compact * size,
                      count: size)
        }
    }
}
