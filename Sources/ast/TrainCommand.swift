import ArgumentParser
import ASTReport
import ASTTrain
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train FashionNet with a selection policy and honest accounting; write epochs.csv, batches.csv, summary.json.",
        usage: """
        ast train [--policy <policy>] [--preset <name> | --gains <file>] [--target <rate>] [--epochs <n>]
                  [--lr <x>] [--lr-scaling constant|per-sample] [--train-limit <n>] [--seed <n>] [--threads <n>]
                  [--out <dir>] [--record-scores] [--save <file>] [--resume <file>] [more options below]
        """,
        discussion: "Exit codes: 0 done; 1 the run failed (bad data, a diverged loss: the completed epochs are kept); 64 a usage error."
    )

    @OptionGroup var training: TrainingArguments

    @Option(help: "Selection policy. (default: ast)")
    var policy: SelectionPolicy?

    @Option(help: "Output directory.")
    var out: String = "out/train"

    @Flag(help: "Record every sample's score to scores.csv (batch,score) for `ast replay`.")
    var recordScores = false

    @Option(help: "Write a checkpoint (weights, optimizer, selection state, RNG states, CRC-32) here after every epoch.")
    var save: String?

    @Option(help: "Resume from a checkpoint written by --save; it runs the checkpoint's options (--epochs may extend the run, other run options are refused).")
    var resume: String?

    func validate() throws {
        try OutputDirectory.check(out, flag: "--out")
    }

    func run() throws {
        if let note = training.threadNote { print(note) }
        let dataset = try training.loadDataset()
        let trainer: Trainer
        var controllerName: String?
        if let resume {
            let saved = try Trainer.readCheckpoint(at: resume).header
            let conflicts = try training.conflicts(withCheckpoint: saved.options, policy: policy)
            guard conflicts.isEmpty else {
                throw ValidationError("--resume \(resume) runs the checkpoint's own options; these differ: "
                                      + conflicts.joined(separator: "; ") + ". Drop them, or start a new run without --resume.")
            }
            trainer = try Trainer.resuming(from: resume, dataset: dataset, epochs: training.epochs)
            controllerName = trainer.options.policy.usesController ? "from checkpoint \(resume)" : nil
            print("resumed from \(resume) after epoch \(trainer.epochsCompleted)")
        } else {
            let options = try training.options(policy: policy ?? .ast, recordScores: recordScores)
            controllerName = options.policy.usesController ? try training.controller().name : nil
            trainer = try Trainer(dataset: dataset, options: options)
        }
        try OutputCheck.writableDirectory(out, flag: "--out")
        if let save { try OutputCheck.writableFile(save, flag: "--save") }
        let options = trainer.options
        let epochWord = options.epochs == 1 ? "epoch" : "epochs"
        print("\(dataset.name): \(min(dataset.train.count, options.trainLimit ?? .max)) training, \(min(dataset.test.count, options.testLimit ?? .max)) test images; "
              + "policy \(options.policy.rawValue)" + (controllerName.map { ", controller \($0)" } ?? "")
              + ", target \(options.targetRate), batch \(options.batchSize), \(options.epochs) \(epochWord), \(options.threads) threads")
        let printer = TrainingProgressPrinter(label: options.policy.rawValue, samplesPerEpoch: trainer.sampleCount)
        do {
            try trainer.run(progress: { printer.handle($0) }) { trainer in
                try TrainingWriters.write(epochs: trainer.history, options: options, controllerName: controllerName,
                                          status: "running", to: out)
                if let save { try trainer.saveCheckpoint(to: save) }
            }
        } catch let error as TrainingError {
            if case .nonFiniteLoss(_, _, _, _, let completed) = error {
                try TrainingWriters.write(epochs: completed, options: options, controllerName: controllerName,
                                          status: "stopped: \(error.description)", to: out)
                print("kept the \(completed.count) completed epoch(s) in \(out)")
            }
            throw error
        }
        try TrainingWriters.write(epochs: trainer.history, options: options, controllerName: controllerName, status: "completed", to: out)
        print("wrote \(out)/epochs.csv, batches.csv, summary.json, training.svg" + (options.recordsScores ? ", scores.csv" : "")
              + (save.map { "; checkpoint \($0)" } ?? ""))
    }
}

/// Checks that outputs can be written before a long run starts.
enum OutputCheck {
    /// Creates `path` if needed and checks that it can be written into (`access(2)`, whose
    /// errno names the reason, as `AtomicFile` reports a failed rename).
    static func writableDirectory(_ path: String, flag: String) throws {
        try OutputDirectory.check(path, flag: flag)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard access(path, W_OK | X_OK) == 0 else {
            throw ValidationError("\(flag) \(path) is not a writable directory: \(String(cString: strerror(errno)))")
        }
    }

    /// Checks that the folder of `path` is writable and `path` is not a directory.
    static func writableFile(_ path: String, flag: String) throws {
        try OutputDirectory.checkFile(path, flag: flag)
        let folder = (path as NSString).deletingLastPathComponent
        try writableDirectory(folder.isEmpty ? "." : folder, flag: flag)
    }
}
