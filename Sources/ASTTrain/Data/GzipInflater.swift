import CZlib

/// In-memory gzip decompression with zlib, strict about damage.
///
/// Unlike `gzread`, which silently passes non-gzip bytes through, this insists on the gzip
/// magic bytes, verifies each member's CRC-32 and length trailer (zlib does so when asked for
/// gzip decoding), treats a stream that ends early as truncation, and rejects trailing bytes
/// that are not a further gzip member. Concatenated members are decoded in sequence, as
/// `gunzip` does.
enum GzipInflater {
    /// The two bytes every gzip member starts with.
    static let magic: [UInt8] = [0x1f, 0x8b]

    /// Decompresses a complete gzip file.
    ///
    /// - Parameters:
    ///   - compressed: The file's bytes.
    ///   - path: The file's path, for error messages.
    /// - Returns: The decompressed bytes.
    static func inflate(_ compressed: [UInt8], path: String) throws(DatasetError) -> [UInt8] {
        guard compressed.count >= 2, compressed[0] == magic[0], compressed[1] == magic[1] else {
            throw DatasetError(path: path, problem: .notGzip(firstBytes: Array(compressed.prefix(2))))
        }
        var output = [UInt8](repeating: 0, count: initialCapacity(for: compressed))
        var produced = 0
        var failure: DatasetError?
        compressed.withUnsafeBufferPointer { input in
            failure = run(input: input, output: &output, produced: &produced, path: path)
        }
        if let failure { throw failure }
        output.removeLast(output.count - produced)
        return output
    }

    /// A first output size: the last member's length trailer (ISIZE, the size modulo 2³²)
    /// when plausible for deflate's maximum ratio, otherwise a multiple of the input.
    private static func initialCapacity(for compressed: [UInt8]) -> Int {
        let count = compressed.count
        let fallback = max(4096, count * 4)
        guard count >= 18 else { return fallback }
        let trailer = (count - 4 ..< count).reduce(0) { sum, index in sum | Int(compressed[index]) << (8 * (index - count + 4)) }
        // One spare byte lets zlib reach the end of the stream without a needless regrowth.
        return trailer > 0 && trailer <= count * 1032 ? trailer + 1 : fallback
    }

    /// Drives `inflate` over the whole input, growing `output` as needed.
    ///
    /// - Returns: The error to report, or `nil` on success.
    private static func run(
        input: UnsafeBufferPointer<UInt8>, output: inout [UInt8], produced: inout Int, path: String
    ) -> DatasetError? {
        var stream = z_stream()
        // windowBits 15 + 16: gzip wrapper only, with header and trailer checks.
        let initStatus = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            return damage(path, "zlib could not start decompression (status \(initStatus))")
        }
        defer { inflateEnd(&stream) }

        let maximumChunk = Int(Int32.max)
        var consumed = 0
        while true {
            if produced == output.count {
                output.append(contentsOf: repeatElement(0, count: max(output.count, 4096)))
            }
            let inputChunk = min(input.count - consumed, maximumChunk)
            let outputChunk = min(output.count - produced, maximumChunk)
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
            stream.avail_in = uInt(inputChunk)
            let status = output.withUnsafeMutableBufferPointer { buffer in
                stream.next_out = buffer.baseAddress! + produced
                stream.avail_out = uInt(outputChunk)
                return CZlib.inflate(&stream, Z_NO_FLUSH)
            }
            consumed += inputChunk - Int(stream.avail_in)
            produced += outputChunk - Int(stream.avail_out)

            switch status {
            case Z_OK:
                continue
            case Z_BUF_ERROR:
                // No progress possible: either output is full (grow and retry) or input ran out.
                if produced == output.count { continue }
                if consumed == input.count {
                    return damage(path, "compressed data ends early (truncated file)")
                }
                return damage(path, "zlib made no progress (status Z_BUF_ERROR)")
            case Z_STREAM_END:
                let rest = input.count - consumed
                if rest == 0 { return nil }
                guard rest >= 2, input[consumed] == magic[0], input[consumed + 1] == magic[1] else {
                    return damage(path, "\(rest) trailing bytes after the end of the gzip data")
                }
                inflateReset(&stream)
            case Z_DATA_ERROR:
                return damage(path, "corrupt compressed data (\(message(stream) ?? "Z_DATA_ERROR"))")
            case Z_MEM_ERROR:
                return damage(path, "zlib ran out of memory")
            case Z_NEED_DICT:
                return damage(path, "stream requires a preset dictionary")
            default:
                return damage(path, "zlib status \(status)\(message(stream).map { " (\($0))" } ?? "")")
            }
        }
    }

    private static func message(_ stream: z_stream) -> String? {
        stream.msg.map { String(cString: $0) }
    }

    private static func damage(_ path: String, _ detail: String) -> DatasetError {
        DatasetError(path: path, problem: .damagedGzip(detail: detail))
    }
}
