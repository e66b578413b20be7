/// A trainable tensor and its gradient, owned by a layer.
public final class Parameter {
    /// A readable name such as `conv1.weight`.
    public let name: String
    /// The values.
    public let values: FloatBuffer
    /// The gradient of the mean loss over the last backward's selected rows.
    public let gradients: FloatBuffer
    /// The number of inputs feeding each output (for He initialisation); 0 for biases.
    public let fanIn: Int

    /// - Parameters:
    ///   - name: A readable name.
    ///   - count: Elements.
    ///   - fanIn: Inputs per output for initialisation; 0 means initialise to zero.
    public init(name: String, count: Int, fanIn: Int) {
        self.name = name
        values = FloatBuffer(count: count)
        gradients = FloatBuffer(count: count)
        self.fanIn = fanIn
    }

    /// Elements.
    public var count: Int { values.count }
}
