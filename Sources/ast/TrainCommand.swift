import ArgumentParser
import ASTReport
import ASTTrain
import Foundation

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train FashionNet with a selection policy and honest accounting; write epochs.csv, batches.csv, summary.json."
    )

    @OptionGroup var training: TrainingArguments

    @Option(help: "Policy: full, ast, random or topk.")
    var policy: String = "ast"

    @Option(help: "Output directory.")
    var out: String = "out/train"

    @Flag(help: "Record every sample's score to scores.csv (batch,score) for `ast replay`.")
    var recordScores = false

    @Option(help: "Write a checkpoint (weights, optimizer, controller, RNG states, CRC-32) here after every epoch.")
    var save: String?

    @Option(help: "Resume from a checkpoint written by --save (its options are used; --epochs may extend the run).")
    var resume: String?

    func validate() throws {
        guard SelectionPolicy(rawValue: policy) != nil else {
            throw ValidationError("unknown policy '\(policy)'; expected one of: " + SelectionPolicy.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() throws {
        let selectionPolicy = SelectionPolicy(rawValue: policy)!
        let dataset = try training.loadDataset()
        let trainer: Trainer
        if let resume {
            trainer = try Trainer.resuming(from: resume, dataset: dataset, epochs: training.epochs)
            print("resumed from \(resume) after epoch \(trainer.epochsCompleted)")
        } else {
            trainer = try Trainer(dataset: dataset, options: try training.options(policy: selectionPolicy, recordScores: recordScores))
        }
        let options = trainer.options
        let controllerName = options.policy == .ast ? (try? training.controller().name) : nil
        print("\(dataset.name): \(min(dataset.train.count, options.trainLimit ?? .max)) training, \(min(dataset.test.count, options.testLimit ?? .max)) test images; "
              + "policy \(options.policy.rawValue)" + (controllerName.map { ", controller \($0)" } ?? "")
              + ", target \(options.targetRate), batch \(options.batchSize), \(options.epochs) epochs, \(options.threads) threads")
        let printer = TrainingProgressPrinter(label: options.policy.rawValue)
        do {
            while trainer.epochsCompleted < options.epochs {
                try trainer.trainEpoch { printer.handle($0) }
                // Outputs after every epoch, so a run stopped later keeps what it finished.
                try TrainingWriters.write(epochs: trainer.history, options: options, controllerName: controllerName,
                                          status: "running", to: out)
                if let save { try trainer.saveCheckpoint(to: save) }
            }
        } catch let error as TrainingError {
            if case .nonFiniteLoss(_, _, _, let completed) = error {
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
