/// One stage of a feed-forward network over NCHW Float32 batches.
///
/// A layer owns its output, its input gradient and any scratch, all sized for
/// ``maximumBatchSize`` at set-up. ``forward(_:batchSize:)`` caches what the backward pass
/// needs; ``backward(outputGradient:rows:)`` uses those caches for a subset of the rows
/// (no second forward) and may consume them (a second backward needs a new forward).
public protocol Layer: AnyObject {
    /// A readable name such as `conv1`.
    var name: String { get }
    var inputShape: TensorShape { get }
    var outputShape: TensorShape { get }
    /// The largest batch the buffers hold.
    var maximumBatchSize: Int { get }
    /// `[batch × outputShape]`, valid after ``forward(_:batchSize:)``.
    var output: UnsafeMutablePointer<Float> { get }
    /// `[m × inputShape]` for the selected rows, valid after ``backward(outputGradient:rows:)``;
    /// `nil` when the layer does not compute it (the first layer).
    var inputGradient: UnsafeMutablePointer<Float>? { get }
    /// Trainable tensors (empty for parameter-free layers).
    var parameters: [Parameter] { get }

    /// Computes the output for `batchSize` rows of `input` and caches what backward needs.
    /// - Parameters:
    ///   - input: `[batchSize × inputShape]`; must stay alive and unchanged until backward.
    ///   - batchSize: Rows, at most ``maximumBatchSize``.
    func forward(_ input: UnsafePointer<Float>, batchSize: Int)

    /// Back-propagates the gradient for the selected rows, overwriting parameter gradients.
    /// - Parameters:
    ///   - outputGradient: `[rows.count × outputShape]`, compact: row `j` is batch row `rows[j]`.
    ///   - rows: The rows of the last forward to back-propagate.
    func backward(outputGradient: UnsafePointer<Float>, rows: RowSelection)

    /// Floating-point operations of a forward over `batchSize` rows and a backward over
    /// `backwardRows` rows (see ``OperationCount``).
    /// - Parameters:
    ///   - batchSize: Rows of the forward.
    ///   - backwardRows: Rows of the backward, at most `batchSize`.
    func operationCount(batchSize: Int, backwardRows: Int) -> OperationCount
}

/// A layer without trainable tensors that keeps its own output and input gradient, one row
/// per sample, sized for ``Layer/maximumBatchSize`` at set-up (ReLU, max-pooling). The
/// extension supplies ``Layer/output``, ``Layer/inputGradient`` and the empty
/// ``Layer/parameters`` from the two buffers.
public protocol ParameterFreeLayer: Layer {
    /// `[maximumBatchSize × outputShape]`.
    var outputBuffer: FloatBuffer { get }
    /// `[maximumBatchSize × inputShape]`.
    var inputGradientBuffer: FloatBuffer { get }
}

extension ParameterFreeLayer {
    public var output: UnsafeMutablePointer<Float> { outputBuffer.pointer }
    public var inputGradient: UnsafeMutablePointer<Float>? { inputGradientBuffer.pointer }
    public var parameters: [Parameter] { [] }
}

extension Layer {
    /// Stops unless `batchSize` is in `1...maximumBatchSize` (every layer's forward checks it).
    /// - Parameter batchSize: The rows of a forward.
    @inline(__always)
    func checkBatchSize(_ batchSize: Int) {
        precondition(batchSize > 0 && batchSize <= maximumBatchSize, "batch size out of range")
    }

    /// Stops unless `rows` belong to a forward of `lastBatchSize` rows (every backward checks it).
    /// - Parameters:
    ///   - rows: The rows of a backward.
    ///   - lastBatchSize: The rows of the layer's last forward.
    @inline(__always)
    func checkRows(_ rows: RowSelection, lastBatchSize: Int) {
        precondition(rows.batchSize == lastBatchSize, "backward does not match the last forward")
    }
}

/// Counted floating-point work.
///
/// A matrix product of `M×K` by `K×N` counts `2·M·N·K`; elementwise work counts one
/// operation per element touched arithmetically (a bias add, a ReLU comparison, a pooling
/// comparison, a gradient accumulation); pure data movement (im2col, gathers, transposes)
/// counts zero.
public struct OperationCount: Sendable, Equatable, Hashable, Codable {
    public var forward: Double
    public var backward: Double

    /// - Parameters:
    ///   - forward: Forward operations.
    ///   - backward: Backward operations.
    public init(forward: Double = 0, backward: Double = 0) {
        self.forward = forward
        self.backward = backward
    }

    public static func + (lhs: Self, rhs: Self) -> Self {
        Self(forward: lhs.forward + rhs.forward, backward: lhs.backward + rhs.backward)
    }
}
