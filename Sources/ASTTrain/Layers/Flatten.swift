/// Views `C×H×W` samples as `C·H·W` features. NCHW rows are already contiguous, so this is
/// a zero-copy view: the output is the input and the input gradient is the output gradient.
public final class Flatten: Layer {
    public let name: String
    public let inputShape: TensorShape
    public let outputShape: TensorShape
    public let maximumBatchSize: Int
    var lastInput: UnsafeMutablePointer<Float>?
    var lastGradient: UnsafeMutablePointer<Float>?

    /// - Parameters:
    ///   - name: A readable name.
    ///   - inputShape: The input sample shape.
    ///   - maximumBatchSize: The largest batch.
    public init(name: String, inputShape: TensorShape, maximumBatchSize: Int) {
        self.name = name
        self.inputShape = inputShape
        self.maximumBatchSize = maximumBatchSize
        outputShape = TensorShape(channels: inputShape.elementCount)
    }

    public var output: UnsafeMutablePointer<Float> {
        guard let lastInput else { preconditionFailure("flatten read before forward") }
        return lastInput
    }
    public var inputGradient: UnsafeMutablePointer<Float>? { lastGradient }
    public var parameters: [Parameter] { [] }

    public func forward(_ input: UnsafePointer<Float>, batchSize: Int) {
        lastInput = UnsafeMutablePointer(mutating: input)
    }

    public func backward(outputGradient: UnsafePointer<Float>, rows: RowSelection) {
        lastGradient = UnsafeMutablePointer(mutating: outputGradient)
    }

    public func operationCount(batchSize: Int, backwardRows: Int) -> OperationCount { OperationCount() }
}
