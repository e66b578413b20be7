/// The shape of one sample: channels × height × width (NCHW without the batch axis).
/// Dense layers use `channels` for their features and 1 × 1 spatially.
public struct TensorShape: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var channels: Int
    public var height: Int
    public var width: Int

    /// - Parameters:
    ///   - channels: Channels (or features).
    ///   - height: Rows.
    ///   - width: Columns.
    public init(channels: Int, height: Int = 1, width: Int = 1) {
        self.channels = channels
        self.height = height
        self.width = width
    }

    /// Elements per sample.
    public var elementCount: Int { channels * height * width }

    public var description: String { "\(channels)×\(height)×\(width)" }
}
