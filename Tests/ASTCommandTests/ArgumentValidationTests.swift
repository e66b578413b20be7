import ArgumentParser
import Foundation
import Testing
@testable import ast

/// Command-line arguments that must be refused with a message saying what was expected.
@Suite("Command-line validation")
struct ArgumentValidationTests {
    /// The message `ast` would print for `arguments`, or nil if they parse.
    static func message<Command: ParsableCommand>(_ command: Command.Type, _ arguments: [String]) -> String? {
        do {
            _ = try command.parse(arguments)
            return nil
        } catch {
            return command.message(for: error)
        }
    }

    @Test(arguments: [
        (["s.yaml", "--law", "pid", "--out", "g.json"], "unknown law 'pid'"),
        (["s.yaml", "--law", "velocity", "--bounds", "1:0"], "--bounds must be LO:HI"),
        (["s.yaml", "--law", "velocity", "--seeds", "0"], "--seeds and --starts must be >= 1"),
        (["--law", "velocity"], "Missing expected argument"),
    ])
    func tuneRefuses(arguments: [String], expected: String) {
        let message = Self.message(TuneCommand.self, arguments)
        #expect(message?.contains(expected) == true, "\(message ?? "parsed")")
    }

    @Test(arguments: [
        (["s.yaml", "--kp", "1:1:3", "--ki", "0.1:1:3"], nil as String?),   // parses; the empty range is caught when run
        (["s.yaml", "--kp", "0.1:1:3", "--ki", "0.1:1:3", "--shard", "4/3"], "--shard must be I/N with 1 <= I <= N"),
        (["s.yaml", "--kp", "0.1:1:3", "--ki", "0.1:1:3", "--shard", "0/3"], "--shard numbers shards from 1: write 1/3 … 3/3"),
        (["s.yaml", "--kp", "0.1:1:3", "--ki", "0.1:1:3", "--shard", "3/3"], nil),
        (["s.yaml", "--kp", "0.1:1:3", "--ki", "0.1:1:3", "--seeds", "0"], "--seeds must be >= 1"),
        (["s.yaml", "--kp", "0.1:1:3", "--ki", "0.1:1:3", "--preset", "nope"], "unknown preset 'nope'; valid presets: seedCIFAR"),
        (["s.yaml", "--kp", "0.1:1:3", "--ki", "0.1:1:3", "--preset", "seedCIFAR", "--gains", "g.json"], "either --preset or --gains"),
    ])
    func sweepRefuses(arguments: [String], expected: String?) {
        let message = Self.message(SweepCommand.self, arguments)
        if let expected {
            #expect(message?.contains(expected) == true, "\(message ?? "parsed")")
        } else {
            #expect(message == nil, "\(message ?? "")")
        }
    }

    @Test(arguments: [
        (["--policy", "everything"], "The value 'everything' is invalid for '--policy <policy>'"),
        (["--policy", "random"], "The value 'random' is invalid for '--policy <policy>'"),
        (["--data", "mnist"], "The value 'mnist' is invalid for '--data <data>'. Please provide one of 'fashion-mnist' and 'cifar10'"),
        (["--significance", "gradient"], "Please provide one of 'seed', 'loss-entropy' or 'loss'"),
        (["--optimizer", "lbfgs"], "Please provide one of 'sgd' and 'adamw'"),
        (["--target", "1.5"], "--target must be in (0, 1), got 1.5"),
        (["--target", "1"], "--target must be in (0, 1), got 1.0"),
        (["--epochs", "0"], "invalid training option: field '--epochs': expected >= 1, got 0"),
        (["--lr=-1"], "invalid training option: field '--lr': expected a positive number, got -1.0"),
        (["--train-limit", "0"], "invalid training option: field '--train-limit': expected >= 1, got 0"),
        (["--threads", "0"], "invalid training option: field '--threads': expected >= 1, got 0"),
        (["--test-limit", "0"], "invalid training option: field '--test-limit': expected >= 1, got 0"),
        (["--curve-every", "0"], "invalid training option: field '--curve-every': expected >= 1 batch, got 0"),
        (["--out", ""], "--out must name a directory, got an empty path"),
        (["--refresh-share", "2"], "invalid training option: field '--refresh-share': expected in [0, 1], got 2.0"),
    ])
    func trainRefuses(arguments: [String], expected: String) {
        let message = Self.message(TrainCommand.self, arguments)
        #expect(message?.contains(expected) == true, "\(message ?? "parsed")")
    }

    @Test(arguments: [
        (["--policies", "full,full"], "--policies names a policy twice"),
        (["--policies", "full,nothing"], "The value 'full,nothing' is invalid for '--policies <policies>'"),
        (["--seeds", "1,1"], "--seeds names a seed twice"),
        (["--seed", "3"], "compare takes --seeds (a list), not --seed"),
        (["--reach", "2"], "--reach must be in (0, 1]"),
    ])
    func compareRefuses(arguments: [String], expected: String) {
        let message = Self.message(CompareCommand.self, arguments)
        #expect(message?.contains(expected) == true, "\(message ?? "parsed")")
    }

    @Test func replayNeedsAController() {
        let message = Self.message(ReplayCommand.self, ["scores.csv"])
        #expect(message?.contains("give --preset NAME or --gains FILE") == true)
    }

    static var scenario: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scenarios/01-stationary-lognormal.yaml").path
    }

    @Test(arguments: [
        (["--kp", "1:1:3", "--ki", "0.1:1:3"], "field '--kp': expected LO < HI for more than 1 point, got the empty range 1.0:1.0 with 3 points"),
        (["--kp", "2:1:3", "--ki", "0.1:1:3"], "field '--kp': expected LO <= HI, got a reversed range: 2.0 > 1.0"),
        (["--kp", "0:1:3", "--ki", "0.1:1:3", "--log"], "field '--kp': expected positive bounds (a log scale), got 0.0:1.0"),
        (["--kp", "0.1:1", "--ki", "0.1:1:3"], "field '--kp': expected LO:HI:N (e.g. 0.01:10:32), got '0.1:1'"),
        (["--kp", "0.1:1:3", "--ki", "0.1:1:0"], "field '--ki': expected at least 1 point, got 0 points"),
    ])
    func gridSpecErrorsAreRefusedWhenRun(arguments: [String], expected: String) throws {
        // These depend on the values together, so they surface when the command runs.
        let command = try SweepCommand.parse([Self.scenario] + arguments + ["--out", NSTemporaryDirectory() + "ast-grid-\(UUID())"])
        #expect {
            try command.run()
        } throws: { error in
            "\(error)" == expected
        }
    }
}
