import ASTSim
import Foundation
import Testing

/// Scenarios whose scores come from a recorded `batch,score` trace.
@Suite("Recorded score scenarios")
struct RecordedScenarioTests {
    /// A trace of `batches` batches of 8 scores 0.1, 0.2, …, 0.8 (plus a short final batch).
    static func writeTrace(batches: Int, in directory: URL) throws -> URL {
        var text = "batch,score\n"
        for batch in 0..<batches {
            for index in 1...8 { text += "\(batch),\(Double(index) / 10)\n" }
        }
        text += "\(batches),0.5\n\(batches),0.6\n"
        let url = directory.appendingPathComponent("scores.csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func scenarioText(batchSize: Int, extra: String = "") -> String {
        """
        name: recorded
        scores: {trace: scores.csv\(extra)}
        batchSize: \(batchSize)
        steps: 1000
        target: 0.25
        window: 1
        seeds: [1]
        controllers:
          - preset: velocityPI

        """
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ast-recorded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func loadsUniformBatchesAndClipsSteps() throws {
        let directory = try Self.temporaryDirectory()
        _ = try Self.writeTrace(batches: 30, in: directory)
        let scenario = try ScenarioLoader.parse(Self.scenarioText(batchSize: 8, extra: ", skip: 5, count: 20"), file: "s.yaml", directory: directory.path)
        guard case .recorded(let recorded) = scenario.scores else { Issue.record("expected recorded scores"); return }
        // 30 batches of 8 plus one of 2: the short batch is dropped, 5 skipped, 20 kept.
        #expect(recorded.batchSize == 8)
        #expect(recorded.steps == 20)
        #expect(recorded.droppedBatches == 1)
        #expect(scenario.steps == 20)
        // Scores 0.1 … 0.8: exactly two of eight exceed 0.6, so the 25 % upper quantile is 0.6.
        let ideal = try ScenarioRunner.idealThresholds(for: scenario)
        #expect(ideal.count == 20)
        #expect(ideal.allSatisfy { abs($0 - 0.6) < 1e-12 })
        let batches = try ScenarioRunner.batches(for: scenario, seed: 1)
        #expect(batches.steps == 20 && batches.batchSize == 8)
    }

    @Test func batchSizeMismatchIsAnError() throws {
        let directory = try Self.temporaryDirectory()
        _ = try Self.writeTrace(batches: 4, in: directory)
        #expect {
            try ScenarioLoader.parse(Self.scenarioText(batchSize: 128), file: "s.yaml", directory: directory.path)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.file == "s.yaml" && error.line == 2 && error.field == "scores.trace"
                && error.expected.contains("batchSize (128)") && error.actual.hasPrefix("batches of 8 scores")
        }
    }

    @Test func missingTraceNamesTheScenarioLine() throws {
        let directory = try Self.temporaryDirectory()
        #expect {
            try ScenarioLoader.parse(Self.scenarioText(batchSize: 8), file: "s.yaml", directory: directory.path)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.line == 2 && error.field == "scores.trace" && error.actual.contains("scores.csv")
        }
    }

    @Test func aControllerSettlesOnAStationaryRecording() throws {
        let directory = try Self.temporaryDirectory()
        _ = try Self.writeTrace(batches: 400, in: directory)
        let scenario = try ScenarioLoader.parse(Self.scenarioText(batchSize: 8), file: "s.yaml", directory: directory.path)
        let result = try ScenarioRunner.run(scenario, keepTraces: true)
        let trace = try #require(result.outcomes.first?.runs.first?.trace)
        // Identical batches: once θ sits in [0.6, 0.7) exactly 2 of 8 pass, the target rate.
        #expect(trace.rate.suffix(50).allSatisfy { $0 == 0.25 })
    }
}
