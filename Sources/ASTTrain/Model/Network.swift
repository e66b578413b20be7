import PIControl

/// A chain of layers ending in softmax cross-entropy, with every buffer sized for a maximum
/// batch at construction. A ReLU right after a convolution is fused into the convolution's
/// forward, and one right before a max-pooling into the pooling's backward (same results,
/// one pass over the activations fewer each); a fused convolution's own ``Layer/output`` is
/// then not written. ``forward(images:labels:batchSize:)`` keeps the activations;
/// ``backward(rows:)`` back-propagates only the selected rows through them.
public final class Network {
    public let layers: [any Layer]
    public let loss: SoftmaxCrossEntropy
    public let inputShape: TensorShape
    public let maximumBatchSize: Int
    /// Every trainable tensor, in layer order.
    public let parameters: [Parameter]
    /// The full-batch row list `0..<maximumBatchSize`, so a full backward needs no allocation.
    let allRows: OwnedBuffer<Int>
    /// Per layer, when it is a convolution followed by a ReLU, the two: the convolution's
    /// forward applies `max(0, ·)` itself and writes the ReLU's output (one pass over the
    /// activations instead of two); the ReLU's own forward is skipped. Resolved once here, so
    /// the step casts nothing.
    let reluAfterConvolution: [(convolution: Convolution, relu: ReLU)?]
    /// Per layer, when it is a max-pooling preceded by a ReLU, the two: the pooling's backward
    /// writes the ReLU's masked input gradient directly; the ReLU's own backward is skipped.
    let reluBeforePooling: [(pooling: MaxPooling, relu: ReLU)?]

    /// - Parameters:
    ///   - layers: Layers in order; each one's input shape must equal the previous output
    ///     shape's element count, and the last must output `classCount` features.
    ///   - classCount: Classes.
    public init(layers: [any Layer], classCount: Int) {
        precondition(!layers.isEmpty, "a network needs layers")
        for (previous, next) in zip(layers, layers.dropFirst()) {
            precondition(previous.outputShape.elementCount == next.inputShape.elementCount,
                         "\(previous.name) outputs \(previous.outputShape) but \(next.name) takes \(next.inputShape)")
        }
        precondition(layers.last!.outputShape.elementCount == classCount, "last layer must output the classes")
        self.layers = layers
        inputShape = layers[0].inputShape
        maximumBatchSize = layers[0].maximumBatchSize
        loss = SoftmaxCrossEntropy(classCount: classCount, maximumBatchSize: maximumBatchSize)
        parameters = layers.flatMap(\.parameters)
        allRows = OwnedBuffer(count: maximumBatchSize)
        for index in 0..<maximumBatchSize { allRows[index] = index }
        reluAfterConvolution = layers.indices.map { index in
            guard let convolution = layers[index] as? Convolution, index + 1 < layers.count,
                  let relu = layers[index + 1] as? ReLU else { return nil }
            return (convolution, relu)
        }
        reluBeforePooling = layers.indices.map { index in
            guard let pooling = layers[index] as? MaxPooling, index > 0, let relu = layers[index - 1] as? ReLU else { return nil }
            return (pooling, relu)
        }
    }

    /// Classes.
    public var classCount: Int { loss.classCount }

    /// The trainable values in total.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// The logits of the last forward, `[batch × classes]`.
    public var logits: UnsafeMutablePointer<Float> { layers.last!.output }

    /// Runs the whole batch forward, keeping every activation, and evaluates the loss.
    /// - Parameters:
    ///   - images: `[batchSize × inputShape]` NCHW; must stay unchanged until backward.
    ///   - labels: `batchSize` labels; must stay unchanged until backward.
    ///   - batchSize: Rows, at most ``maximumBatchSize``.
    /// - Returns: The mean loss over the batch (per-sample values in ``loss``).
    @discardableResult
    public func forward(images: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batchSize: Int) -> Double {
        forwardLogits(images: images, batchSize: batchSize)
        return loss.forward(logits: logits, labels: labels, batchSize: batchSize)
    }

    /// Runs the layers only (no loss); the logits are in ``logits``.
    /// - Parameters:
    ///   - images: `[batchSize × inputShape]` NCHW.
    ///   - batchSize: Rows.
    public func forwardLogits(images: UnsafePointer<Float>, batchSize: Int) {
        walkForward(images: images, batchSize: batchSize) { _ in }
    }

    /// The forward's stages in order (a fused convolution and ReLU are one stage), calling
    /// `finished` after each; inlined, so the plain forward's empty closure costs nothing.
    @inline(__always)
    func walkForward(images: UnsafePointer<Float>, batchSize: Int, finished: (NetworkStage) -> Void) {
        var input = images
        var index = 0
        while index < layers.count {
            if let (convolution, relu) = reluAfterConvolution[index] {
                // A convolution's own output is not written here: the ReLU's output is the next input.
                convolution.forward(input, batchSize: batchSize, applyingReLUInto: relu)
                input = UnsafePointer(relu.output)
                finished(.layers(index..<(index + 2)))
                index += 2
                continue
            }
            layers[index].forward(input, batchSize: batchSize)
            input = UnsafePointer(layers[index].output)
            finished(.layers(index..<(index + 1)))
            index += 1
        }
    }

    /// Back-propagates the mean loss over the selected rows of the last forward, overwriting
    /// every parameter's gradient. Consumes the cached activations.
    /// - Parameter rows: The rows; `rows.batchSize` must be the last forward's batch size.
    public func backward(rows: RowSelection) {
        walkBackward(rows: rows) { _ in }
    }

    /// The backward's stages in order (the loss, then the layers from the last; a fused
    /// pooling and ReLU are one stage), calling `finished` after each.
    @inline(__always)
    func walkBackward(rows: RowSelection, finished: (NetworkStage) -> Void) {
        loss.backward(rows: rows)
        finished(.loss)
        var gradient = UnsafePointer(loss.logitGradient)
        var index = layers.count - 1
        while index >= 0 {
            if let (pooling, relu) = reluBeforePooling[index] {
                pooling.backward(outputGradient: gradient, rows: rows, maskedBy: relu)
                gradient = UnsafePointer(relu.inputGradientBuffer.pointer)
                finished(.layers((index - 1)..<(index + 1)))
                index -= 2
                continue
            }
            let layer = layers[index]
            layer.backward(outputGradient: gradient, rows: rows)
            finished(.layers(index..<(index + 1)))
            guard let next = layer.inputGradient else { break }
            gradient = UnsafePointer(next)
            index -= 1
        }
    }

    /// Back-propagates every row of the last forward.
    /// - Parameter batchSize: The last forward's batch size.
    public func backwardAll(batchSize: Int) {
        backward(rows: RowSelection(rows: UnsafeBufferPointer(start: allRows.pointer, count: batchSize), batchSize: batchSize))
    }

    /// Counted operations for a forward of `batchSize` rows and a backward of `backwardRows`.
    /// - Parameters:
    ///   - batchSize: Forwarded rows.
    ///   - backwardRows: Back-propagated rows.
    public func operationCount(batchSize: Int, backwardRows: Int) -> OperationCount {
        layers.reduce(loss.operationCount(batchSize: batchSize, backwardRows: backwardRows)) {
            $0 + $1.operationCount(batchSize: batchSize, backwardRows: backwardRows)
        }
    }

    /// Per-layer counts, in layer order, then `loss`.
    /// - Parameters:
    ///   - batchSize: Forwarded rows.
    ///   - backwardRows: Back-propagated rows.
    public func operationCountsByLayer(batchSize: Int, backwardRows: Int) -> [(name: String, count: OperationCount)] {
        layers.map { ($0.name, $0.operationCount(batchSize: batchSize, backwardRows: backwardRows)) }
            + [("loss", loss.operationCount(batchSize: batchSize, backwardRows: backwardRows))]
    }

    /// He-normal weights (`N(0, 2/fanIn)`) and zero biases, from a seed.
    /// - Parameter seed: Equal seeds give equal weights.
    public func initialiseWeights(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var normals = NormalSampler()
        for parameter in parameters {
            let values = parameter.values.pointer
            guard parameter.fanIn > 0 else { parameter.values.fill(0); continue }
            let deviation = (2 / Double(parameter.fanIn)).squareRoot()
            for index in 0..<parameter.count { values[index] = Float(deviation * normals.next(using: &generator)) }
        }
    }

    /// All parameter values concatenated (allocates; for tests and checkpoints).
    public func weightSnapshot() -> [Float] { parameters.flatMap { $0.values.toArray() } }

    /// All parameter gradients concatenated (allocates; for tests).
    public func gradientSnapshot() -> [Float] { parameters.flatMap { $0.gradients.toArray() } }
}
