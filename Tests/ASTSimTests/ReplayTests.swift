import Testing
import ASTSim
import PIControl

/// The `batch,score` trace format and replay over it.
@Suite struct ReplayTests {
    static let file = "scores.csv"

    static func error(_ text: String) -> InputError? {
        do {
            _ = try ScoreTrace.parse(text, file: file)
            Issue.record("expected an InputError")
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesContiguousBatches() throws {
        let text = "batch,score\n0,1.5\n0,2.5\n0,-3\n1,0.5\n7,nan\n7,4e-2\n"
        let trace = try ScoreTrace.parse(text, file: Self.file)
        try #require(trace.batches.count == 3)
        #expect(trace.batches[0] == [1.5, 2.5, -3])
        #expect(trace.batches[1] == [0.5])
        #expect(trace.batches[2].count == 2)
        #expect(trace.batches[2][0].isNaN)
        #expect(trace.batches[2][1] == 0.04)
    }

    @Test func toleratesBlankLinesAndSpaces() throws {
        let trace = try ScoreTrace.parse("\n batch , score \n3, 1\n\n3,2\n2,inf\n", file: Self.file)
        #expect(trace.batches == [[1, 2], [.infinity]])
    }

    @Test func acceptsCRLFLineEndings() throws {
        // Regression: in Swift "\r\n" is one Character, so splitting on "\n" left a CRLF file
        // as a single line and the header check failed.
        let trace = try ScoreTrace.parse("batch,score\r\n0,1\r\n0,2\r\n1,3\r\n", file: Self.file)
        #expect(trace.batches == [[1, 2], [3]])
    }

    @Test func badHeader() throws {
        let error = try #require(Self.error("batch;score\n0,1\n"))
        #expect(error.file == Self.file)
        #expect(error.line == 1)
        #expect(error.field == "header")
        #expect(error.expected == "the header 'batch,score'")
        #expect(error.actual == "'batch;score'")
    }

    @Test func nonNumericScore() throws {
        let error = try #require(Self.error("batch,score\n0,1\n0,abc\n"))
        #expect(error.file == Self.file)
        #expect(error.line == 3)
        #expect(error.field == "score")
        #expect(error.expected == "a number")
        #expect(error.actual == "'abc'")
    }

    @Test func nonIntegerBatch() throws {
        let error = try #require(Self.error("batch,score\n0,1\nx,2\n"))
        #expect(error.line == 3)
        #expect(error.field == "batch")
        #expect(error.expected == "an integer")
        #expect(error.actual == "'x'")
    }

    @Test func wrongFieldCount() throws {
        let error = try #require(Self.error("batch,score\n0,1\n0,1,2\n"))
        #expect(error.file == Self.file)
        #expect(error.line == 3)
        // The whole row is at fault, so no single column is named; expected and actual say what is wrong.
        #expect(error.field == "")
        #expect(error.expected == "2 fields (batch,score)")
        #expect(error.actual == "3 fields")
    }

    @Test func nonContiguousBatch() throws {
        let error = try #require(Self.error("batch,score\n0,1\n1,2\n0,3\n"))
        #expect(error.file == Self.file)
        #expect(error.line == 4)
        #expect(error.field == "batch")
        #expect(error.expected.contains("contiguous"))
        #expect(error.actual == "batch 0 again after other batches")
    }

    @Test func emptyFileAndHeaderOnly() throws {
        let empty = try #require(Self.error(""))
        #expect(empty.file == Self.file)
        #expect(empty.actual == "an empty file")
        #expect(empty.line == nil)
        let blank = try #require(Self.error("\n  \n"))
        #expect(blank.actual == "an empty file")
        let headerOnly = try #require(Self.error("batch,score\n"))
        #expect(headerOnly.expected == "score rows after the header")
        #expect(headerOnly.actual == "no score rows")
    }

    @Test func replayRejectsNonFiniteScoresAndNeverSelectsThem() throws {
        // θ fixed at 1 (no gains). A fallback asks for 4 samples; only finite ones may be added.
        var config = try Fixtures.velocity(kp: 0, ki: 0, theta0: 1)
        config.fallback = try Fallback(minimumCount: 4, trigger: .belowMinimum, choice: .highestScores)
        let trace = ScoreTrace(batches: [
            [.nan, 5, 0.5, .infinity],      // finite {5, 0.5}: 1 passes, fallback tops up to min(2, 4) = 2
            [.nan, .nan, 0.2, 0.3],         // finite {0.2, 0.3}: none pass, fallback → 2
            [2, 3, 4, 5, 6],                // all pass: 5
            [.nan, -.infinity],             // no finite score: nothing selected, no update
        ])
        let result = try Replay.run(configuration: config, trace: trace, seed: 1)
        #expect(result.batchSize == [2, 2, 5, 0])
        #expect(result.selected == [2, 2, 5, 0])
        #expect(result.fallback == [true, true, false, false])
        #expect(result.rate == [1, 1, 1, 0])
        #expect(result.idealThreshold.allSatisfy { $0.isNaN })

        // Without a fallback: exactly the finite scores above θ.
        let plain = try Replay.run(configuration: try Fixtures.velocity(kp: 0, ki: 0, theta0: 1), trace: trace, seed: 1)
        #expect(plain.selected == [1, 0, 5, 0])
        #expect(plain.rate == [0.5, 0, 1, 0])
    }

    @Test func replayMatchesTheControllerOnTheSameBatches() throws {
        // Replay is Controller.select over each batch: check the threshold moves as the law says.
        // velocity, α = 1, Kp = 0, Ki = 2, target 0.5: e = r − 0.5; θ_{k+1} = θ_k + 2e.
        let config = try Fixtures.velocity(kp: 0, ki: 2, target: 0.5, theta0: 1)
        let trace = ScoreTrace(batches: [[2, 3, 4, 0], [2, 3, 4, 0], [0, 0, 0, 3]])
        let result = try Replay.run(configuration: config, trace: trace, seed: 1)
        // Step 0: θ 1, 3 of 4 pass → r 0.75, e 0.25 → θ 1.5. Step 1: 3 of 4 pass (2, 3, 4 > 1.5) → θ 2.
        // Step 2: θ 2, only 3 passes → r 0.25, e −0.25.
        #expect(result.threshold == [1, 1.5, 2])
        #expect(result.selected == [3, 3, 1])
        #expect(result.error == [0.25, 0.25, -0.25])
    }
}
