/// An IDX file (the MNIST family's format): a big-endian header — magic number `0x000008TT`
/// with type code `08` (unsigned bytes) and the dimension count in the low byte, then one
/// 32-bit size per dimension — followed by the data.
struct IDXFile {
    /// Magic number of an image file: unsigned bytes, three dimensions (N, rows, columns).
    static let imageMagic: UInt32 = 0x0000_0803
    /// Magic number of a label file: unsigned bytes, one dimension (N).
    static let labelMagic: UInt32 = 0x0000_0801

    /// The file, for error messages.
    var path: String
    /// The whole (decompressed) file, header included.
    var bytes: [UInt8]
    /// The sizes declared in the header.
    var dimensions: [Int]
    /// Where the data starts.
    var headerSize: Int { 4 + 4 * dimensions.count }

    /// Reads, decompresses (for names ending in `.gz`) and validates an IDX file.
    ///
    /// Checks the magic number and that the size equals the header plus the product of the
    /// dimensions, and that no dimension is zero.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - expectedMagic: ``imageMagic`` or ``labelMagic``.
    static func load(_ path: String, expectedMagic: UInt32) throws(DatasetError) -> IDXFile {
        let raw = try DataFileReader.readAll(path)
        let compressed = path.hasSuffix(".gz")
        let bytes = compressed ? try GzipInflater.inflate(raw, path: path) : raw
        return try IDXFile(path: path, bytes: bytes, expectedMagic: expectedMagic, decompressed: compressed)
    }

    /// Validates IDX bytes already in memory.
    ///
    /// - Parameters:
    ///   - path: The file they came from, for error messages.
    ///   - bytes: The complete (decompressed) file.
    ///   - expectedMagic: ``imageMagic`` or ``labelMagic``.
    ///   - decompressed: Whether the bytes came out of gzip (mentioned in size errors).
    init(path: String, bytes: [UInt8], expectedMagic: UInt32, decompressed: Bool) throws(DatasetError) {
        let dimensionCount = Int(expectedMagic & 0xff)
        let headerSize = 4 + 4 * dimensionCount
        guard bytes.count >= 4 else {
            throw DatasetError(path: path, problem: .sizeMismatch(
                expectedBytes: headerSize, actualBytes: bytes.count, afterDecompression: decompressed))
        }
        let magic = Self.bigEndianWord(bytes, at: 0)
        guard magic == expectedMagic else {
            throw DatasetError(path: path, problem: .wrongMagic(expected: expectedMagic, found: magic))
        }
        guard bytes.count >= headerSize else {
            throw DatasetError(path: path, problem: .sizeMismatch(
                expectedBytes: headerSize, actualBytes: bytes.count, afterDecompression: decompressed))
        }
        let dimensions = (0 ..< dimensionCount).map { Int(Self.bigEndianWord(bytes, at: 4 + 4 * $0)) }
        if let zero = dimensions.firstIndex(of: 0) {
            throw DatasetError(path: path, problem: .invalidDimensions(
                detail: "dimension \(zero) of " + dimensions.map(String.init).joined(separator: "×") + " is zero"))
        }
        var dataBytes = 1
        var overflow = false
        for dimension in dimensions where !overflow {
            (dataBytes, overflow) = dataBytes.multipliedReportingOverflow(by: dimension)
        }
        let total: Int
        (total, overflow) = overflow ? (0, true) : dataBytes.addingReportingOverflow(headerSize)
        guard !overflow else {
            throw DatasetError(path: path, problem: .invalidDimensions(
                detail: "sizes " + dimensions.map(String.init).joined(separator: "×") + " are too large"))
        }
        guard bytes.count == total else {
            throw DatasetError(path: path, problem: .sizeMismatch(
                expectedBytes: total, actualBytes: bytes.count, afterDecompression: decompressed))
        }
        self.path = path
        self.bytes = bytes
        self.dimensions = dimensions
    }

    private static func bigEndianWord(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0 ..< 4).reduce(0) { word, index in word << 8 | UInt32(bytes[offset + index]) }
    }
}
