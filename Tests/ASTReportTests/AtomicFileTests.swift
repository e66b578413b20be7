import Foundation
import Testing
import ASTReport

@Suite struct AtomicFileTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "astreport-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func writesCreatesParentsAndLeavesNoTemporaryFile() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/a/b/out.txt"
        try AtomicFile.write("first\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\n")
        try AtomicFile.write("second", to: path)     // replaces
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/a/b") == ["out.txt"])
    }

    @Test func writesJSONWithNonFiniteNumbersSpelledOut() throws {
        struct Row: Encodable { var a: Double; var b: Double; var name: String }
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/row.json"
        try AtomicFile.writeJSON(Row(a: .nan, b: 1.5, name: "x"), to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("}\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["a"] as? String == "nan")
        #expect(object["b"] as? Double == 1.5)
        // Keys sorted.
        let a = try #require(text.range(of: "\"a\"")), b = try #require(text.range(of: "\"b\""))
        #expect(a.lowerBound < b.lowerBound)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["row.json"])
    }

    @Test func unwritablePathThrowsNamingIt() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let regular = directory + "/plain-file"
        try AtomicFile.write("x", to: regular)
        let path = regular + "/child.txt"        // a path under a regular file
        do {
            try AtomicFile.write("y", to: path)
            Issue.record("expected a WriteError")
        } catch {
            #expect(error.path == path)
            #expect(error.description.contains(path))
        }
        // Nothing left behind, and the regular file is untouched.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["plain-file"])
        #expect(try String(contentsOfFile: regular, encoding: .utf8) == "x")
    }
}
