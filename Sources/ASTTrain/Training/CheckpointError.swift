/// Why a checkpoint could not be written or was refused.
public enum CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case writeFailed(path: String, reason: String)
    /// Shorter than its own header says.
    case truncated(path: String, expectedBytes: Int, actualBytes: Int)
    case badMagic(path: String)
    case unsupportedVersion(path: String, version: UInt32)
    /// The CRC-32 over the contents does not match the stored one.
    case checksumMismatch(path: String, stored: UInt32, computed: UInt32)
    case malformedHeader(path: String, reason: String)
    /// The tensors do not fit this network or dataset.
    case incompatible(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read checkpoint \(path): \(reason)"
        case .writeFailed(let path, let reason): "cannot write checkpoint \(path): \(reason)"
        case .truncated(let path, let expected, let actual):
            "checkpoint \(path) is truncated: \(actual) bytes, expected \(expected)"
        case .badMagic(let path): "\(path) is not an AST checkpoint (bad magic number)"
        case .unsupportedVersion(let path, let version): "checkpoint \(path) has unsupported format version \(version)"
        case .checksumMismatch(let path, let stored, let computed):
            "checkpoint \(path) is corrupt: CRC-32 \(String(computed, radix: 16)) does not match the stored \(String(stored, radix: 16))"
        case .malformedHeader(let path, let reason): "checkpoint \(path) has a malformed header: \(reason)"
        case .incompatible(let path, let reason): "checkpoint \(path) does not fit this run: \(reason)"
        }
    }
}
