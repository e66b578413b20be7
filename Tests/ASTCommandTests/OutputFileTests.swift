import ArgumentParser
import Foundation
import Testing
@testable import ast

/// The files the commands promise, with their exact headers.
@Suite("Command outputs")
struct OutputFileTests {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func temporary() -> String { NSTemporaryDirectory() + "ast-out-\(UUID().uuidString)" }

    @Test func replayWritesTheDocumentedTraceHeader() throws {
        let directory = Self.temporary()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var text = "batch,score\n"
        for batch in 0..<30 { for index in 0..<10 { text += "\(batch),\(Double(index) / 10)\n" } }
        try text.write(toFile: directory + "/scores.csv", atomically: true, encoding: .utf8)
        let command = try ReplayCommand.parse([directory + "/scores.csv", "--preset", "velocityPI", "--target", "0.2",
                                               "--out", directory + "/replay"])
        try command.run()
        let trace = try String(contentsOfFile: directory + "/replay/trace.csv", encoding: .utf8)
        let lines = trace.split(separator: "\n")
        #expect(lines.first == "step,threshold,selected,rate,ema,error,integral")
        #expect(lines.count == 31)
        #expect(FileManager.default.fileExists(atPath: directory + "/replay/summary.json"))
        #expect(FileManager.default.fileExists(atPath: directory + "/replay/plot.svg"))
    }

    @Test func simulateWritesTraceSummaryAndPlot() throws {
        let directory = Self.temporary()
        let scenario = Self.root.appendingPathComponent("Scenarios/01-stationary-lognormal.yaml").path
        try SimulateCommand.parse([scenario, "--preset", "velocityPI", "--seed", "2", "--out", directory]).run()
        let trace = try String(contentsOfFile: directory + "/trace.csv", encoding: .utf8)
        #expect(trace.hasPrefix("controller,seed,step,threshold,ideal_threshold,selected,batch_size,rate,"))
        #expect(trace.split(separator: "\n").count == 4001)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/summary.json"))) as? [String: Any]
        #expect(summary?["scenario"] as? String == "stationary-lognormal")
        let svg = try String(contentsOfFile: directory + "/plot.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg") && svg.contains("polyline"))
    }

    @Test func verifyFailsAndNamesTheExpectation() throws {
        let directory = Self.temporary()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let text = """
        name: impossible
        scores: {distribution: lognormal, zeta: 0, sigma: 1}
        batchSize: 128
        steps: 300
        target: 0.1
        seeds: [1]
        controllers:
          - preset: velocityPI
            expect:
              settlingTime: {max: 1}

        """
        try text.write(toFile: directory + "/impossible.yaml", atomically: true, encoding: .utf8)
        // Exit status 1 (not a parse or input error): the expectation was checked and failed.
        #expect {
            try VerifyCommand.parse([directory]).run()
        } throws: { error in
            (error as? ExitCode)?.rawValue == 1
        }
    }
}
