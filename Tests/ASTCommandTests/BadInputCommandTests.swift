import ArgumentParser
import Foundation
import Testing
@testable import ast

/// Bad input to the simulator's commands: refused with a message naming the flag or field,
/// or reported beside the results, never a crash or a write outside the output folder (issue 11).
@Suite("Bad input to commands")
struct BadInputCommandTests {
    static func message<Command: ParsableCommand>(_ command: Command.Type, _ arguments: [String]) -> String? {
        ArgumentValidationTests.message(command, arguments)
    }

    static var scenario: String { ArgumentValidationTests.scenario }

    static func temporary() throws -> String {
        let path = NSTemporaryDirectory() + "ast-bad-input-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let smallScenario = """
    name: NAME
    scores: {distribution: lognormal, zeta: 0, sigma: 1}
    batchSize: BATCH
    steps: STEPS
    target: 0.1
    seeds: [1]
    controllers:
      - preset: velocityPI

    """

    static func scenarioText(name: String, steps: Int = 300, batchSize: Int = 64) -> String {
        smallScenario.replacingOccurrences(of: "NAME", with: name).replacingOccurrences(of: "STEPS", with: String(steps))
            .replacingOccurrences(of: "BATCH", with: String(batchSize))
    }

    // MARK: Output paths

    @Test(arguments: [
        ("simulate", ["s.yaml", "--out", ""]), ("replay", ["s.csv", "--preset", "velocityPI", "--out", ""]),
        ("sweep", ["s.yaml", "--kp", "0.1:1:3", "--ki", "0.1:1:3", "--out", ""]), ("merge", ["d0", "--out", ""]),
        ("verify", ["--out", ""]), ("tune", ["s.yaml", "--law", "velocity", "--out", ""]),
    ])
    func anEmptyOutputPathIsRefused(command: String, arguments: [String]) {
        let message: String? = switch command {
        case "simulate": Self.message(SimulateCommand.self, arguments)
        case "replay": Self.message(ReplayCommand.self, arguments)
        case "sweep": Self.message(SweepCommand.self, arguments)
        case "merge": Self.message(MergeCommand.self, arguments)
        case "verify": Self.message(VerifyCommand.self, arguments)
        default: Self.message(TuneCommand.self, arguments)
        }
        #expect(message?.contains("--out must name a") == true, "\(command): \(message ?? "parsed")")
    }

    @Test func anOutputPathThatIsAFileIsRefused() throws {
        let directory = try Self.temporary()
        let file = directory + "/plain"
        try Data().write(to: URL(fileURLWithPath: file))
        #expect(Self.message(SimulateCommand.self, ["s.yaml", "--out", file])?.contains("is not a directory") == true)
        #expect(Self.message(TuneCommand.self, ["s.yaml", "--law", "velocity", "--out", directory])?.contains("is a directory") == true)
    }

    @Test func theTargetRangeIsTheControllersEverywhere() {
        // The controller accepts (0, 1); `train --target 1` used to pass and run at 0.999.
        #expect(Self.message(TrainCommand.self, ["--target", "1"])?.contains("--target must be in (0, 1), got 1.0") == true)
        #expect(Self.message(ReplayCommand.self, ["s.csv", "--preset", "velocityPI", "--target", "1"])?
            .contains("--target must be in (0, 1)") == true)
        #expect(Self.message(TrainCommand.self, ["--target", "0.999"]) == nil)
    }

    // MARK: verify

    @Test func verifyReportsEveryBrokenFileAndRunsTheRest() throws {
        let directory = try Self.temporary()
        try Self.scenarioText(name: "good").write(toFile: directory + "/a-good.yaml", atomically: true, encoding: .utf8)
        try "name: [unclosed\n".write(toFile: directory + "/b-syntax.yaml", atomically: true, encoding: .utf8)
        try Self.scenarioText(name: "huge", steps: 100_000_000, batchSize: 256)
            .write(toFile: directory + "/c-huge.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: directory + "/d-sub.yaml", withIntermediateDirectories: true)
        try Self.scenarioText(name: "also-good").write(toFile: directory + "/e-good.yaml", atomically: true, encoding: .utf8)
        let out = directory + "/out"
        #expect {
            try VerifyCommand.parse([directory, "--out", out]).run()
        } throws: { error in
            (error as? ExitCode)?.rawValue == 1
        }
        // Both valid scenarios ran and are in the summary.
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/verify.json"))) as? [[String: Any]]
        #expect(summary?.compactMap { $0["scenario"] as? String } == ["good", "also-good"])
        // Every broken file is listed, with its reason.
        let errors = try String(contentsOfFile: out + "/errors.csv", encoding: .utf8)
        // One row per file (a cell may hold a multi-line YAML message, so rows are found by their first cell).
        let rows = errors.components(separatedBy: "\n" + directory).dropFirst()
        #expect(rows.count == 3)
        #expect(errors.hasPrefix("file,line,field,expected,actual\n"))
        #expect(rows.contains { $0.contains("b-syntax.yaml") && $0.contains("well-formed YAML") && $0.contains("malformed YAML") })
        #expect(rows.contains { $0.contains("c-huge.yaml") && $0.contains("memory limit") && $0.contains("needs an estimated") })
        #expect(rows.contains { $0.contains("d-sub.yaml") && $0.contains("\"a scenario file, a regular file\",a directory") })
        #expect(!errors.contains("NSCocoaErrorDomain"))
    }

    @Test func simulateRefusesAScenarioTooLargeForMemory() throws {
        let directory = try Self.temporary()
        try Self.scenarioText(name: "big-batch", steps: 2, batchSize: 1_000_000_000)
            .write(toFile: directory + "/s.yaml", atomically: true, encoding: .utf8)
        #expect {
            try SimulateCommand.parse([directory + "/s.yaml", "--out", directory + "/out"]).run()
        } throws: { error in
            "\(error)".contains("needs an estimated") && "\(error)".contains("batchSize")
        }
        #expect(!FileManager.default.fileExists(atPath: directory + "/out"))
    }

    // MARK: sweep

    @Test func aNegativeGridStartIsExplained() throws {
        let command = try SweepCommand.parse([Self.scenario, "--kp", "-1:1:3", "--ki", "0.1:1:3", "--out", try Self.temporary()])
        #expect(command.kp == "-1:1:3")
        #expect {
            try command.run()
        } throws: { error in
            "\(error)" == "field '--kp': expected gains >= 0 (a negative gain reverses the feedback: the threshold would fall "
                + "when too many samples pass), got -1.0"
        }
    }

    @Test(arguments: [["--seeds", "1000000000"], ["--kp", "0.1:1:1000000000000"]])
    func aSweepTooLargeForMemoryIsRefusedBeforeItStarts(extra: [String]) throws {
        var arguments = [Self.scenario, "--kp", "0.1:1:3", "--ki", "0.1:1:3", "--out", try Self.temporary()]
        if extra[0] == "--kp" { arguments[2] = extra[1] } else { arguments += extra }
        #expect {
            try SweepCommand.parse(arguments).run()
        } throws: { error in
            "\(error)".contains("needs an estimated")
        }
    }

    @Test func aShardRunRemovesAWholeGridHeatmapFromAReusedFolder() throws {
        let directory = try Self.temporary()
        try Self.scenarioText(name: "tiny", steps: 200, batchSize: 32).write(toFile: directory + "/s.yaml", atomically: true, encoding: .utf8)
        let out = directory + "/out"
        let grid = ["--kp", "0.1:1:2", "--ki", "0.01:0.1:2", "--seeds", "1", "--out", out]
        try SweepCommand.parse([directory + "/s.yaml"] + grid).run()
        #expect(FileManager.default.fileExists(atPath: out + "/heatmap.svg"))
        try SweepCommand.parse([directory + "/s.yaml"] + grid + ["--shard", "1/2"]).run()
        #expect(!FileManager.default.fileExists(atPath: out + "/heatmap.svg"))
    }

    // MARK: tune

    @Test(arguments: [
        (["s.yaml", "--law", "velocity", "--starts", "100000"], "--starts must be at most 8"),
        (["s.yaml", "--law", "velocity", "--bounds", "0:1e308"], "--bounds 0:1e308 is too wide"),
    ])
    func tuneRefusesOptionsItCannotHonour(arguments: [String], expected: String) {
        let message = Self.message(TuneCommand.self, arguments)
        #expect(message?.contains(expected) == true, "\(message ?? "parsed")")
    }

    @Test func tuneRefusesBoundsAwayFromEveryIdealThreshold() throws {
        let out = try Self.temporary() + "/gains.json"
        #expect {
            try TuneCommand.parse([Self.scenario, "--law", "velocity", "--bounds=-2:-1", "--steps", "100", "--seeds", "1", "--out", out]).run()
        } throws: { error in
            "\(error)".contains("--bounds")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func tuneRefusesStepsTooLargeForMemory() throws {
        #expect {
            try TuneCommand.parse([Self.scenario, "--law", "velocity", "--steps", "1000000000000", "--out", try Self.temporary() + "/g.json"]).run()
        } throws: { error in
            "\(error)".contains("needs an estimated") && "\(error)".contains("--steps")
        }
    }

    // MARK: replay

    @Test func replayCountsNonFiniteScoresAndAcceptsAByteOrderMark() throws {
        let directory = try Self.temporary()
        var text = "\u{FEFF}batch,score\n"
        for batch in 0..<20 { for index in 0..<10 { text += "\(batch),\(index == 0 && batch < 3 ? "nan" : String(Double(index) / 10))\n" } }
        text += "20,inf\n20,0.5\n"
        try text.write(toFile: directory + "/scores.csv", atomically: true, encoding: .utf8)
        try ReplayCommand.parse([directory + "/scores.csv", "--preset", "velocityPI", "--target", "0.2", "--out", directory + "/out"]).run()
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/out/summary.json"))) as? [String: Any]
        #expect(summary?["samples"] as? Int == 202)
        #expect(summary?["nanScores"] as? Int == 3)
        #expect(summary?["infiniteScores"] as? Int == 1)
    }
}
