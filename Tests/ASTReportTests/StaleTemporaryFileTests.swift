import Foundation
import Testing
import ASTReport

/// A process killed between writing its temporary file and renaming it leaves
/// `.NAME.tmp-PID` behind; the next write of that file removes it (issue 11).
@Suite("Stale temporary files")
struct StaleTemporaryFileTests {
    /// A process id that is not running: a child that has exited and been reaped.
    static func deadProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func aDeadWritersTemporaryFileIsRemoved() throws {
        let directory = try AtomicFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stale = directory + "/.trace.csv.tmp-\(try Self.deadProcessID())"
        try Data("half".utf8).write(to: URL(fileURLWithPath: stale))
        try AtomicFile.write("whole\n", to: directory + "/trace.csv")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["trace.csv"])
    }

    @Test func aLiveWritersTemporaryFileAndOtherFilesAreKept() throws {
        let directory = try AtomicFileTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // PID 1 is always running: its file may be mid-write.
        let live = ".trace.csv.tmp-1"
        let other = ".summary.json.tmp-\(try Self.deadProcessID())"
        for name in [live, other] { try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/" + name)) }
        try AtomicFile.write("whole\n", to: directory + "/trace.csv")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == [other, live, "trace.csv"].sorted())
    }
}
