import ArgumentParser
import Foundation
import Testing
@testable import ast

/// `ast analyze`: refused arguments (issue 11) and the files its help promises (issue 12).
@Suite("analyze command")
struct AnalyzeCommandTests {
    @Test(arguments: [
        (["s.yaml", "--step", "-1"], "--step must be >= 0, got -1"),
        (["s.yaml", "--stride", "0"], "--stride must be >= 1"),
        (["s.yaml", "--response-at", "5"], "--response-at needs --response"),
        (["s.yaml", "--response", "--response-at", "0"], "--response-at must be >= 1"),
        (["s.yaml", "--out", ""], "--out must not be empty"),
    ])
    func refuses(arguments: [String], expected: String) {
        let message = ArgumentValidationTests.message(AnalyzeCommand.self, arguments)
        #expect(message?.contains(expected) == true, "\(message ?? "parsed")")
    }

    static func scenario(in directory: String) throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/small.yaml"
        try """
        name: small
        scores: {distribution: lognormal, zeta: 0, sigma: 1}
        batchSize: 128
        steps: 300
        target: 0.1
        seeds: [1, 2]
        controllers:
          - preset: velocityPI

        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func stepPastTheEndIsRefused() throws {
        let directory = OutputFileTests.temporary()
        let path = try Self.scenario(in: directory)
        #expect(throws: ValidationError.self) { try AnalyzeCommand.parse([path, "--step", "300"]).run() }
    }

    @Test func outWritesEveryPromisedFile() throws {
        let directory = OutputFileTests.temporary()
        let path = try Self.scenario(in: directory)
        try AnalyzeCommand.parse([path, "--response", "--out", directory + "/analysis"]).run()
        for file in ["boundary.svg", "envelope.svg", "response.svg"] {
            let svg = try String(contentsOfFile: directory + "/analysis/" + file, encoding: .utf8)
            #expect(svg.hasPrefix("<svg") && svg.contains("polyline"), "\(file)")
        }
        let csv = try String(contentsOfFile: directory + "/analysis/response.csv", encoding: .utf8)
        #expect(csv.hasPrefix("controller,step,linear_rate,"))
        #expect(csv.split(separator: "\n").count == 301)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/analysis/analysis.json"))) as? [String: Any]
        let controllers = json?["controllers"] as? [[String: Any]]
        #expect(controllers?.count == 1)
        let robust = controllers?.first?["robust"] as? [String: Any]
        #expect((robust?["verdictText"] as? String)?.hasPrefix("stable over the whole drift") == true)
    }
}
