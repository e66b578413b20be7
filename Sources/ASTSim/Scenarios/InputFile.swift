import Foundation

/// Reads the tool's text inputs (scenarios, gains files, score traces) with plain-words
/// errors: a missing file, a directory or a device in its place, or a file too large to hold,
/// are each named as such, never as a file-system error object.
package enum InputFile {
    /// Reads `path` whole.
    /// - Parameters:
    ///   - path: The file.
    ///   - what: What it should be, for messages ("scenario file", "gains file", …).
    /// - Throws: ``InputError`` naming the file.
    package static func read(_ path: String, what: String) throws(InputError) -> Data {
        func fail(_ message: String) -> InputError { InputError(file: path, line: 0, field: "", message: message) }
        guard !path.isEmpty else { throw fail("empty path given for the \(what)") }
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            throw fail(code == ENOENT ? "no such \(what)" : "cannot read the \(what): \(String(cString: strerror(code)))")
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw fail("is a directory, not a \(what)")
        default: throw fail("is not a regular file (a device, pipe or socket), not a \(what)")
        }
        // The text is parsed into values of about its own size again; half the memory limit
        // keeps both within it.
        guard Double(status.st_size) <= MemoryEstimate.limit / 2 else {
            throw fail("the \(what) is \(MemoryEstimate.format(Double(status.st_size))), more than can be read "
                       + "(limit \(MemoryEstimate.format(MemoryEstimate.limit / 2)), a quarter of physical memory)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw fail("cannot open the \(what): \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw fail("cannot read the \(what)")
        }
    }

    /// Reads `path` as UTF-8 text, dropping a leading byte-order mark (spreadsheets write one).
    package static func text(_ path: String, what: String) throws(InputError) -> String {
        withoutByteOrderMark(String(decoding: try read(path, what: what), as: UTF8.self))
    }

    /// `text` without a leading U+FEFF.
    package static func withoutByteOrderMark(_ text: String) -> String {
        text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
    }
}
