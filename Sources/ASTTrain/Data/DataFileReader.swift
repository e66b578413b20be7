#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and existence checks for the data loaders, reporting failures as
/// ``DatasetError`` naming the file.
enum DataFileReader {
    /// Whether `path` names an existing file system entry (following symbolic links).
    ///
    /// - Parameter path: The path to test.
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    /// Reads a regular file completely.
    ///
    /// Opens without blocking so that a FIFO or device placed where a data file is expected
    /// gives an error instead of a hang.
    ///
    /// - Parameter path: The file to read.
    /// - Returns: The file's bytes.
    static func readAll(_ path: String) throws(DatasetError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw systemError(path) }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw systemError(path) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw DatasetError(path: path, problem: .notRegularFile)
        }
        let size = Int(status.st_size)
        guard size > 0 else { return [] }

        var failure: DatasetError?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialised in
            var offset = 0
            while offset < size {
                let got = read(descriptor, buffer.baseAddress! + offset, size - offset)
                if got > 0 {
                    offset += got
                } else if got == 0 {
                    failure = DatasetError(path: path, problem: .unreadable(
                        reason: "file shrank while reading: expected \(size) bytes, got \(offset)"))
                    break
                } else if errno != EINTR {
                    failure = systemError(path)
                    break
                }
            }
            initialised = offset
        }
        if let failure { throw failure }
        return bytes
    }

    /// The current `errno` as an ``DatasetError/Problem/unreadable(reason:)`` for `path`.
    private static func systemError(_ path: String) -> DatasetError {
        let code = errno
        let reason = strerror(code).map { String(cString: $0) } ?? "errno \(code)"
        return DatasetError(path: path, problem: .unreadable(reason: reason))
    }
}
