import Foundation

/// Writes files so that a reader never sees a half-written one: the bytes go to a temporary
/// file in the same directory (`.NAME.tmp-PID`), which is then renamed over the destination.
/// A process killed between the two leaves its temporary file behind; the next write of the
/// same file removes those whose process no longer exists.
package enum AtomicFile {
    /// A write that failed, naming the path.
    package struct WriteError: Error, CustomStringConvertible, Sendable {
        package var path: String
        package var reason: String
        package var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `data` to `path` atomically, creating parent directories.
    package static func write(_ data: Data, to path: String) throws(WriteError) {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: path, reason: "cannot create directory \(directory.path) (\(error.localizedDescription))")
        }
        removeStaleTemporaries(of: url.lastPathComponent, in: directory.path)
        let temporary = directory.appendingPathComponent(temporaryPrefix(of: url.lastPathComponent) + "\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try data.write(to: temporary)
        } catch {
            throw WriteError(path: path, reason: error.localizedDescription)
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw WriteError(path: path, reason: "rename failed (\(reason))")
        }
    }

    static func temporaryPrefix(of name: String) -> String { ".\(name).tmp-" }

    /// Removes `.NAME.tmp-PID` files in `directory` whose process is gone (a live one may be
    /// another process writing the same file right now).
    static func removeStaleTemporaries(of name: String, in directory: String) {
        let prefix = temporaryPrefix(of: name)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for entry in entries where entry.hasPrefix(prefix) {
            guard let pid = pid_t(entry.dropFirst(prefix.count)), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(entry))
            }
        }
    }

    /// Writes UTF-8 text atomically.
    package static func write(_ text: String, to path: String) throws(WriteError) {
        try write(Data(text.utf8), to: path)
    }

    /// Writes a value as pretty, key-sorted JSON atomically.
    package static func writeJSON<Value: Encodable>(_ value: Value, to path: String) throws(WriteError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            throw WriteError(path: path, reason: "cannot encode JSON (\(error))")
        }
        try write(data + Data("\n".utf8), to: path)
    }
}
