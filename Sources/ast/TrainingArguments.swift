import ArgumentParser
import ASTSim
import ASTTrain
import PIControl

/// The options shared by `train`, `compare` and `demo`'s training step.
struct TrainingArguments: ParsableArguments {
    @Option(help: "Dataset: fashion-mnist or cifar10.")
    var data: String = DatasetKind.fashionMNIST.rawValue

    @Option(help: "Dataset directory (default for fashion-mnist: \(DatasetLoader.defaultFashionMNISTDirectory)).")
    var dataDir: String?

    @Option(help: "Controller preset for the ast policy (default: seedCIFAR, the seed's).")
    var preset: String?

    @Option(help: "Gains file from `ast tune` for the ast policy.")
    var gains: String?

    @Option(help: "Target fraction of samples to back-propagate (ast, random, topk).")
    var target: Double = 0.1

    @Option(help: "Significance score: seed, loss-entropy or loss.")
    var significance: String = "seed"

    @Option(help: "Epochs.")
    var epochs: Int = 1

    @Option(help: "Batch size.")
    var batchSize: Int = 128

    @Option(help: "Peak learning rate.")
    var lr: Double = 0.01

    @Option(help: "Optimizer: sgd (momentum 0.9, weight decay 5e-4) or adamw.")
    var optimizer: String = "sgd"

    @Option(help: "Linear learning-rate warm-up steps (training on a few high-loss samples from random weights diverges without it).")
    var warmup: Int = 100

    @Flag(help: "Cosine learning-rate decay over the run after the warm-up.")
    var cosine = false

    @Option(help: "Seed for weights, data order and selection.")
    var seed: UInt64 = 1

    @Option(help: "OpenBLAS threads (default: all cores).")
    var threads: Int = defaultThreads

    @Option(help: "Use only the first N training images.")
    var trainLimit: Int?

    @Option(help: "Evaluate on only the first N test images.")
    var testLimit: Int?

    static var defaultThreads: Int { max(1, sysconfThreads()) }

    func validate() throws {
        guard DatasetKind(rawValue: data) != nil else {
            throw ValidationError("unknown dataset '\(data)'; expected one of: " + DatasetKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard significanceKind != nil else { throw ValidationError("unknown significance '\(significance)'; expected one of: seed, loss-entropy, loss") }
        guard ["sgd", "adamw"].contains(optimizer) else { throw ValidationError("unknown optimizer '\(optimizer)'; expected sgd or adamw") }
        try TargetRate.check(target, flag: "--target")
        guard epochs >= 1 else { throw ValidationError("--epochs must be >= 1") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be >= 1") }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be positive") }
        guard threads >= 1 else { throw ValidationError("--threads must be >= 1") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be >= 0") }
        if let trainLimit, trainLimit < 1 { throw ValidationError("--train-limit must be >= 1") }
        if let testLimit, testLimit < 1 { throw ValidationError("--test-limit must be >= 1") }
        if preset != nil && gains != nil { throw ValidationError("give either --preset or --gains, not both") }
        if let preset { _ = try Preset.named(preset) }
    }

    var significanceKind: SignificanceKind? {
        switch significance {
        case "seed": .seed
        case "loss-entropy": .lossEntropy
        case "loss": .loss
        default: nil
        }
    }

    /// The `ast` controller: the gains file's, the preset's, or seedCIFAR, at `--target`.
    func controller() throws -> (name: String, configuration: ControllerConfiguration) {
        let rate = target
        if let gains {
            return ("gains \(gains)", try GainsFile.load(path: gains).configuration(target: rate))
        }
        let preset = try Preset.named(self.preset ?? Preset.seedCIFAR.rawValue)
        return (preset.rawValue, try preset.configuration(target: rate))
    }

    func options(policy: SelectionPolicy, recordScores: Bool = false) throws -> TrainingOptions {
        TrainingOptions(
            policy: policy, controller: try controller().configuration, targetRate: target,
            significance: significanceKind ?? .seed, epochs: epochs, batchSize: batchSize, learningRate: lr,
            optimizer: optimizer == "adamw" ? .defaultAdamW : .defaultSGD, warmupSteps: warmup,
            usesCosineDecay: cosine, minimumLearningRate: 0, seed: seed, threads: threads,
            trainLimit: trainLimit, testLimit: testLimit, recordsScores: recordScores)
    }

    func loadDataset() throws -> Dataset {
        try DatasetLoader.load(DatasetKind(rawValue: data)!, directory: dataDir, trainLimit: trainLimit, testLimit: testLimit)
    }
}

import Foundation

private func sysconfThreads() -> Int { ProcessInfo.processInfo.activeProcessorCount }
