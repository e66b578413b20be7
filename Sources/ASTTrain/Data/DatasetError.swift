/// A data set that cannot be loaded, naming the file (or directory) at fault and what is wrong
/// with it.
///
/// Every failure the loaders can detect — a missing or unreadable file, damaged gzip data, a
/// wrong IDX magic number, a size that does not match the header, disagreeing image and label
/// counts, a label out of range — is reported as one of these; the loaders never trap on bad
/// input.
public struct DatasetError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What is wrong with ``path``.
    public enum Problem: Sendable, Equatable {
        /// Required files are absent from the directory in ``DatasetError/path``.
        ///
        /// - Parameters:
        ///   - kind: The data set being loaded (selects the installation hint).
        ///   - missing: The file names not found.
        ///   - expected: Every file name the loader needs in that directory.
        case missingFiles(kind: DatasetKind, missing: [String], expected: [String])
        /// The data set has no default location and no directory was given.
        case noDirectoryGiven(kind: DatasetKind, expected: [String])
        /// The file exists but cannot be opened or read (the system's reason is attached).
        case unreadable(reason: String)
        /// The path names something other than a regular file (a directory, a FIFO, …).
        case notRegularFile
        /// A `.gz` file does not start with the gzip magic bytes `1f 8b`.
        case notGzip(firstBytes: [UInt8])
        /// zlib rejected the compressed data (corrupt, truncated, failed checksum).
        case damagedGzip(detail: String)
        /// An IDX file starts with the wrong magic number.
        case wrongMagic(expected: UInt32, found: UInt32)
        /// The (decompressed) file size disagrees with the size its header implies.
        case sizeMismatch(expectedBytes: Int, actualBytes: Int, afterDecompression: Bool)
        /// The header declares a size that is zero or too large to hold in memory.
        case invalidDimensions(detail: String)
        /// An image file and its label file hold different numbers of samples.
        case countMismatch(imageCount: Int, labelFile: String, labelCount: Int)
        /// Training and test images have different shapes.
        case shapeMismatch(expected: [Int], found: [Int], trainingFile: String)
        /// A label is not in `0..<classCount`.
        case labelOutOfRange(index: Int, value: Int, classCount: Int)
        /// A CIFAR-10 batch file is not a whole number of records.
        case notWholeRecords(actualBytes: Int, recordSize: Int)
        /// A sample limit that is not at least 1.
        case invalidLimit(name: String, value: Int)
    }

    /// The file (or, for missing files, the directory) at fault.
    public var path: String
    /// What is wrong with it.
    public var problem: Problem

    /// - Parameters:
    ///   - path: The file or directory at fault.
    ///   - problem: What is wrong with it.
    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    public var description: String {
        switch problem {
        case let .missingFiles(kind, missing, expected):
            return "\(kind.displayName) files not found in \(path): missing "
                + missing.joined(separator: ", ") + "; expected "
                + expected.joined(separator: ", ") + ". " + kind.installationHint
        case let .noDirectoryGiven(kind, expected):
            return "no directory given for \(kind.displayName): pass --data-dir naming a directory "
                + "that holds " + expected.joined(separator: ", ") + ". " + kind.installationHint
        case let .unreadable(reason):
            return "cannot read \(path): \(reason)"
        case .notRegularFile:
            return "cannot read \(path): not a regular file"
        case let .notGzip(firstBytes):
            let found = firstBytes.isEmpty ? "an empty file" : firstBytes.map(Self.hexByte).joined(separator: " ")
            return "\(path) is not gzip data: expected magic bytes 1f 8b, found \(found)"
        case let .damagedGzip(detail):
            return "damaged gzip file \(path): \(detail)"
        case let .wrongMagic(expected, found):
            let gzipHint = found >> 16 == 0x1f8b ? " (this looks like gzip data: give the file a .gz suffix)" : ""
            return "wrong IDX magic number in \(path): expected \(Self.hexWord(expected)), found \(Self.hexWord(found))" + gzipHint
        case let .sizeMismatch(expectedBytes, actualBytes, afterDecompression):
            let what = actualBytes < expectedBytes ? "is truncated" : "has trailing bytes"
            let qualifier = afterDecompression ? " (after decompression)" : ""
            return "\(path) \(what): expected \(expectedBytes) bytes\(qualifier), found \(actualBytes)"
        case let .invalidDimensions(detail):
            return "invalid dimensions in \(path): \(detail)"
        case let .countMismatch(imageCount, labelFile, labelCount):
            return "sample count mismatch: \(path) holds \(imageCount) images but \(labelFile) holds \(labelCount) labels"
        case let .shapeMismatch(expected, found, trainingFile):
            return "image shape mismatch: \(path) has images of shape "
                + found.map(String.init).joined(separator: "×") + " but \(trainingFile) has "
                + expected.map(String.init).joined(separator: "×")
        case let .labelOutOfRange(index, value, classCount):
            return "label out of range in \(path): sample \(index) has label \(value), expected 0..<\(classCount)"
        case let .notWholeRecords(actualBytes, recordSize):
            return "\(path) is not a whole number of \(recordSize)-byte records: size \(actualBytes) bytes "
                + "(\(actualBytes / recordSize) records and \(actualBytes % recordSize) bytes left over)"
        case let .invalidLimit(name, value):
            return "invalid \(name) \(value): must be at least 1"
        }
    }

    static func hexWord(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    static func hexByte(_ value: UInt8) -> String {
        let digits = String(value, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }
}
