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
        func fail(_ actual: String, expected: String = "a readable \(what)") -> InputError {
            InputError(file: path.isEmpty ? nil : path, field: "", expected: expected, actual: actual)
        }
        guard !path.isEmpty else { throw fail("an empty path", expected: "the path of a \(what)") }
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            throw code == ENOENT ? fail("no such file", expected: "an existing \(what)")
                : fail("cannot read it: \(String(cString: strerror(code)))")
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw fail("a directory", expected: "a \(what), a regular file")
        default: throw fail("not a regular file (a device, pipe or socket)", expected: "a \(what), a regular file")
        }
        // The text is parsed into values of about its own size again; half the memory limit
        // keeps both within it.
        guard Double(status.st_size) <= MemoryEstimate.limit / 2 else {
            throw fail("\(MemoryEstimate.format(Double(status.st_size)))",
                       expected: "a \(what) of at most \(MemoryEstimate.format(MemoryEstimate.limit / 2)) "
                           + "(a quarter of physical memory, the most that can be read)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw fail("cannot open it: \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw fail("cannot read it: \(error.localizedDescription)")
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
