import ArgumentParser
import Foundation

/// Checks on the output paths the commands are given, before any work is done.
enum OutputDirectory {
    /// Refuses an empty path (it would put the files in `/`: `"" + "/trace.csv"`) and a path
    /// that exists as something other than a directory.
    /// - Parameters:
    ///   - path: The directory.
    ///   - flag: The option that gave it, for the message.
    static func check(_ path: String, flag: String) throws {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("\(flag) must name a directory, got an empty path")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ValidationError("\(flag) \(path) exists and is not a directory")
        }
    }

    /// Refuses an empty file path and one that names an existing directory.
    static func checkFile(_ path: String, flag: String) throws {
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty, !path.hasSuffix("/") else {
            throw ValidationError("\(flag) must name a file, got '\(path)'")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("\(flag) \(path) is a directory; name the file to write")
        }
    }

    /// Removes files of `names` that an earlier run of the tool left in `directory` and that
    /// this run will not write again, so a reused folder never mixes two runs.
    static func removeStale(_ names: [String], in directory: String) {
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
        }
    }
}

/// Progress and notes for the reader, on standard error (standard output holds the results).
enum Diagnostics {
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
