import ArgumentParser
import Foundation
import Testing
@testable import ast

/// `ast train` on a few real Fashion-MNIST images (Debian's dataset-fashion-mnist). One
/// OpenBLAS thread, as the serialized trainer tests use, since the count is process-wide.
@Suite("ast train", .serialized)
struct TrainCommandTests {
    static func temporary() -> String { NSTemporaryDirectory() + "ast-train-cli-\(UUID().uuidString)" }

    static let small = ["--train-limit", "256", "--test-limit", "64", "--threads", "1", "--policy", "full"]

    /// --resume runs the checkpoint's options: a different --lr, --policy or --train-limit is
    /// refused with both values (it used to run the checkpoint's and record the new one).
    @Test func resumeRefusesConflictingOptions() throws {
        let directory = Self.temporary()
        let checkpoint = directory + "/run.ckpt"
        try TrainCommand.parse(Self.small + ["--epochs", "1", "--save", checkpoint, "--out", directory + "/first"]).run()
        for (extra, expected) in [(["--lr", "0.5"], "--lr 0.5 (the checkpoint ran 0.01)"),
                                  (["--policy", "uniform"], "--policy uniform (the checkpoint ran full)"),
                                  (["--train-limit", "512"], "--train-limit 512 (the checkpoint ran 256)"),
                                  (["--preset", "seedCIFAR"], "controller seedCIFAR")] {
            let command = try TrainCommand.parse(["--resume", checkpoint, "--epochs", "2", "--out", directory + "/x"] + extra)
            #expect {
                try command.run()
            } throws: { error in
                "\(error)".contains(expected) && "\(error)".contains("runs the checkpoint's own options")
            }
        }
        // The same options, or none, resume; the summary records the data source.
        try TrainCommand.parse(["--resume", checkpoint, "--epochs", "2", "--out", directory + "/second", "--lr", "0.01"]).run()
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/second/summary.json"))) as? [String: Any]
        #expect(summary?["epochs"] as? Int == 2)
        let options = summary?["options"] as? [String: Any]
        #expect((options?["dataSource"] as? String)?.hasPrefix("fashion-mnist:") == true)
    }

    /// An unwritable --out is refused before any training (it used to fail after the run).
    @Test func unwritableOutputIsRefusedBeforeTraining() throws {
        let blocker = Self.temporary()
        try Data("a file".utf8).write(to: URL(fileURLWithPath: blocker))
        let command = try TrainCommand.parse(Self.small + ["--out", blocker + "/inside"])
        let started = Date()
        #expect {
            try command.run()
        } throws: { error in
            "\(error)".contains("--out \(blocker)/inside is not a writable directory")
        }
        #expect(Date().timeIntervalSince(started) < 30)
        let save = try TrainCommand.parse(Self.small + ["--out", Self.temporary(), "--save", NSTemporaryDirectory()])
        #expect { try save.run() } throws: { "\($0)".contains("must name a file") || "\($0)".contains("is a directory") }
    }

    /// A reused --out loses the earlier run's scores.csv when this run records none.
    @Test func reusedOutputDropsStaleScores() throws {
        let directory = Self.temporary()
        try TrainCommand.parse(Self.small + ["--epochs", "1", "--record-scores", "--out", directory]).run()
        #expect(FileManager.default.fileExists(atPath: directory + "/scores.csv"))
        try TrainCommand.parse(Self.small + ["--epochs", "1", "--out", directory]).run()
        #expect(!FileManager.default.fileExists(atPath: directory + "/scores.csv"))
    }

    /// --threads past the core count is capped, and said so.
    @Test func threadsAreCappedAtTheCores() throws {
        let arguments = try TrainingArguments.parse(["--threads", "1000000000"])
        #expect(arguments.resolvedThreads == TrainingArguments.coreCount)
        #expect(arguments.threadNote?.contains("capped at the \(TrainingArguments.coreCount) cores") == true)
        #expect(try TrainingArguments.parse([]).threadNote == nil)
    }
}
