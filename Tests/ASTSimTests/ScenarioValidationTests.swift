import Foundation
import Testing
import ASTSim
import PIControl

/// Load-time checks added for issue 11: values that used to be accepted and then misbehaved
/// (a name that escapes the output folder, an impossible expectation, a window longer than the
/// run, a negative gain) are refused at the line that wrote them.
@Suite("Scenario load-time validation")
struct ScenarioValidationTests {
    typealias Loader = ScenarioLoaderTests

    @Test(arguments: ["name: ../../x", "name: a/b", "name: ''", "name: ..", "name: 'a\\b'"])
    func namesThatAreNotOneFolderAreRefused(line: String) throws {
        let error = try #require(Loader.error(Loader.text(replacing: 1, with: line)))
        #expect(error.line == 1)
        #expect(error.field == "name")
        #expect(error.expected.contains("output folder"))
        #expect(error.actual.hasPrefix("'"))
    }

    @Test(arguments: ["band: 1", "band: 2.5"])
    func aBandOfOneOrMoreIsRefused(line: String) throws {
        let error = try #require(Loader.error(Loader.text(replacing: 12, with: line)))
        #expect(error.line == 12 && error.field == "band")
        #expect(error.expected.contains("(0, 1)"))
        #expect(error.actual == "\(Double(line.dropFirst(6))!)")
    }

    @Test func aWindowLongerThanTheRunIsRefused() throws {
        let error = try #require(Loader.error(Loader.text(replacing: 13, with: "window: 401")))
        #expect(error.line == 13 && error.field == "window")
        #expect(error.expected.contains("400 steps"))
        #expect(error.actual == "401")
    }

    @Test func aWindowAsLongAsTheRunIsAccepted() throws {
        let scenario = try ScenarioLoader.parse(Loader.text(replacing: 13, with: "window: 400"), file: Loader.file, directory: "/")
        #expect(scenario.metrics.window == 400)
    }

    @Test func minAboveMaxIsRefused() throws {
        let error = try #require(Loader.error(Loader.text(replacing: 19, with: "      settlingTime: {min: 300, max: 100}")))
        #expect(error.line == 19)
        #expect(error.field == "controllers[0].expect.settlingTime.max")
        #expect(error.actual == "min 300.0 is above max 100.0")
        #expect(error.expected.contains("min <= max"))
    }

    @Test func aNegativeAbsoluteBoundIsRefused() throws {
        let error = try #require(Loader.error(Loader.text(replacing: 24, with: "      steadyStateMeanError: {maxAbs: -0.1}")))
        #expect(error.line == 24 && error.field.hasSuffix("maxAbs"))
        #expect(error.actual == "-0.1")
    }

    @Test(arguments: ["proportionalGain: -5", "integralGain: -0.5"])
    func negativeGainsInSetAreRefused(gain: String) throws {
        let error = try #require(Loader.error(Loader.text(replacing: 22, with: "    set: {\(gain)}")))
        #expect(error.line == 22)
        #expect(error.field == "controllers[1].set." + gain.prefix { $0 != ":" })
        #expect(error.expected.contains("a negative gain reverses the feedback"))
        #expect(error.actual == "\(Double(gain.split(separator: " ")[1])!)")
    }

    @Test func stepsWhosePerStepSeriesPassTheMemoryLimitAreRefusedAtLoad() throws {
        // 10^12 steps × 24 B (16 shared + one drift) is 24 TB, past any machine's limit.
        let error = try #require(Loader.error(Loader.text(replacing: 10, with: "steps: 1000000000000")))
        #expect(error.line == 10 && error.field == "steps")
        #expect(error.actual.contains("needs an estimated 24 TB"))
        #expect(error.expected.contains("lower steps"))
    }

    /// A `config:` controller written as flow YAML (JSON is valid YAML), on line 16.
    static func configText(_ edit: (String) -> String = { $0 }) throws -> String {
        let configuration = try Preset.velocityPI.configuration(target: 0.1)
        let json = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
        return Loader.text(replacing: 16, with: "  - config: \(edit(json))")
    }

    @Test func aConfigBlockDecodes() throws {
        let scenario = try ScenarioLoader.parse(try Self.configText(), file: Loader.file, directory: "/")
        #expect(scenario.controllers[0].configuration == (try Preset.velocityPI.configuration(target: 0.1)))
    }

    @Test func aTypoInAConfigBlockIsAnError() throws {
        let text = try Self.configText { $0.replacingOccurrences(of: "\"deadband\"", with: "\"deadbnd\"") }
        let error = try #require(Loader.error(text))
        #expect(error.line == 16)
        #expect(error.field == "controllers[0].config.deadbnd")
        #expect(error.expected.contains("deadband"))
        #expect(error.actual == "the unknown key 'deadbnd'")
    }

    // MARK: Recorded traces

    static func recordedText(_ extra: String) -> String {
        RecordedScenarioTests.scenarioText(batchSize: 8, extra: extra)
    }

    @Test func aNegativeSkipIsRefused() throws {
        let directory = try RecordedScenarioTests.temporaryDirectory()
        _ = try RecordedScenarioTests.writeTrace(batches: 30, in: directory)
        #expect {
            try ScenarioLoader.parse(Self.recordedText(", skip: -1"), file: "s.yaml", directory: directory.path)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.line == 2 && error.field == "scores.skip" && error.expected.contains(">= 0") && error.actual == "-1"
        }
    }

    @Test func aCountPastTheEndIsRefused() throws {
        let directory = try RecordedScenarioTests.temporaryDirectory()
        _ = try RecordedScenarioTests.writeTrace(batches: 30, in: directory)
        #expect {
            try ScenarioLoader.parse(Self.recordedText(", skip: 5, count: 26"), file: "s.yaml", directory: directory.path)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.field == "scores.count" && error.expected.contains("25 left after skipping 5") && error.actual.hasPrefix("26")
        }
        // Exactly what is left is fine.
        let scenario = try ScenarioLoader.parse(Self.recordedText(", skip: 5, count: 25"), file: "s.yaml", directory: directory.path)
        #expect(scenario.steps == 25)
    }

    @Test func batchesOfAnotherSizeAreReported() throws {
        let directory = try RecordedScenarioTests.temporaryDirectory()
        _ = try RecordedScenarioTests.writeTrace(batches: 30, in: directory)
        let scenario = try ScenarioLoader.parse(Self.recordedText(""), file: "s.yaml", directory: directory.path)
        #expect(scenario.notes.count == 1)
        #expect(scenario.notes.first?.contains("left out 1 batches whose size differs from 8 (sizes 2)") == true)
    }

    @Test func aTraceWithAByteOrderMarkIsRead() throws {
        let trace = try ScoreTrace.parse("\u{FEFF}batch,score\n0,0.5\n0,1.5\n", file: "bom.csv")
        #expect(trace.batches == [[0.5, 1.5]])
    }

    @Test func nonFiniteScoresAreCounted() throws {
        let trace = try ScoreTrace.parse("batch,score\n0,nan\n0,1\n1,inf\n1,-inf\n1,2\n", file: "t.csv")
        #expect(trace.sampleCount == 5)
        #expect(trace.nonFiniteCounts.nan == 1)
        #expect(trace.nonFiniteCounts.infinite == 2)
    }

    // MARK: Files

    @Test func aDirectoryInPlaceOfAScenarioIsNamedAsSuch() throws {
        let directory = try Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/sub.yaml", withIntermediateDirectories: true)
        #expect(try ScenarioLoader.scenarioFiles(in: [directory]) == [directory + "/sub.yaml"])
        do {
            _ = try ScenarioLoader.load(path: directory + "/sub.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == directory + "/sub.yaml")
            #expect(error.expected == "a scenario file, a regular file")
            #expect(error.actual == "a directory")
            #expect(!error.description.contains("NSCocoaErrorDomain"))
        }
    }

    @Test(arguments: ["/dev/zero", "/dev/null"])
    func aDeviceInPlaceOfAFileIsRefusedWithoutReadingIt(path: String) throws {
        #expect {
            _ = try ScoreTrace.load(path: path)
        } throws: { error in
            (error as? InputError)?.actual.contains("not a regular file") == true
        }
    }

    @Test func aMissingFileSaysSo() throws {
        #expect {
            _ = try ScenarioLoader.load(path: "/nonexistent-ast/x.yaml")
        } throws: { error in
            (error as? InputError).map { $0.expected == "an existing scenario file" && $0.actual == "no such file" } == true
        }
    }
}
