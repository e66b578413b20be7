import ArgumentParser
import ASTReport
import ASTSim
import ASTTrain
import Foundation
import PIControl

/// The options shared by `train` and `compare`. Those that define a run are optional so
/// that `train --resume` can tell which ones were given (and refuse a conflict).
struct TrainingArguments: ParsableArguments {
    @Option(help: "Dataset.")
    var data: DatasetKind?

    @Option(help: "Dataset directory (default for fashion-mnist: \(DatasetLoader.defaultFashionMNISTDirectory)).")
    var dataDir: String?

    @OptionGroup(title: "Controller (ast, ast-stale; default: velocityPI, the recommended textbook PI)")
    var controllerOptions: ControllerOptions

    @Option(help: "Target fraction of samples to back-propagate, in (0, 1). (default: 0.1)")
    var target: Double?

    @Option(help: "Significance score of ast, ast-stale and topk. (default: seed)")
    var significance: SignificanceKind?

    @Option(help: "Epochs. (default: 1)")
    var epochs: Int?

    @Option(help: "Batch size (capped at the training samples). (default: 128)")
    var batchSize: Int?

    @Option(help: "Peak learning rate. (default: 0.01)")
    var lr: Double?

    @Option(help: "constant: the same rate for a step over few rows (the seed's mean loss); per-sample: lr·m/B for m of B rows. (default: constant)")
    var lrScaling: LearningRateScaling?

    @Option(help: "Optimizer: sgd (momentum 0.9, weight decay 5e-4) or adamw. (default: sgd)")
    var optimizer: OptimizerChoice?

    @Option(help: "Linear learning-rate warm-up, in optimiser steps (training on a few high-loss samples from random weights diverges without it). (default: 100)")
    var warmup: Int?

    @Flag(help: "Cosine learning-rate decay over the run after the warm-up.")
    var cosine = false

    @Option(help: "Random seed for weights, data order and selection. (default: 1)")
    var seed: UInt64?

    @Option(help: "OpenBLAS threads, at most the \(ProcessInfo.processInfo.activeProcessorCount) cores. (default: all cores)")
    var threads: Int?

    @Option(help: "Use only the first N training images.")
    var trainLimit: Int?

    @Option(help: "Evaluate on only the first N test images.")
    var testLimit: Int?

    @Option(help: "ast-stale: share of the epoch forwarded without backward to refresh scores. (default: 0.1)")
    var refreshShare: Double?

    @Option(help: "ast-stale: no score is older than this many epochs. (default: 4)")
    var maxScoreAge: Int?

    @Option(help: "selective-backprop: β of P = CDF(loss)^β. (default: 1/target − 1)")
    var sbBeta: Double?

    @Option(help: "infobatch: share of the below-mean-loss samples pruned each epoch. (default: 0.5)")
    var pruneRatio: Double?

    @Option(help: "Evaluate the accuracy-against-seconds curve every N optimiser steps (off the training clock). (default: train: off; compare: 10 points an epoch of each policy's own steps)")
    var curveEvery: Int?

    @Option(help: "Test images of each curve evaluation. (default: 2000)")
    var curveSubset: Int?

    static var coreCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    func validate() throws {
        if let target { try TargetRate.check(target, flag: "--target") }
        // The library checks every option and names it as this command line spells it.
        if let threads, threads < 1 {   // --threads is capped at the core count before the library sees it
            throw ValidationError(TrainingOptionError(field: "--threads", expected: ">= 1", actual: "\(threads)").description)
        }
        if let testLimit, testLimit < 1 {   // the library allows 0 (no test set); the command needs one
            throw ValidationError(TrainingOptionError(field: "--test-limit", expected: ">= 1", actual: "\(testLimit)").description)
        }
        do {
            try options(policy: .full).validate()
        } catch let error as TrainingError {
            throw ValidationError(error.description)
        }
    }

    /// `--threads`, capped at the core count (more threads than cores only slow OpenBLAS down).
    var resolvedThreads: Int { min(threads ?? Self.coreCount, Self.coreCount) }

    /// A note when `--threads` was capped.
    var threadNote: String? {
        guard let threads, threads > Self.coreCount else { return nil }
        return "note: --threads \(threads) capped at the \(Self.coreCount) cores of this machine"
    }

    /// The `ast` controller: the gains file's or the preset's at the target, or velocityPI.
    func controller() throws -> (name: String, configuration: ControllerConfiguration) {
        let rate = target ?? 0.1
        if let chosen = try controllerOptions.controller(target: rate) { return chosen }
        let preset = TrainingOptions.defaultControllerPreset
        return (preset.rawValue, try preset.configuration(target: rate))
    }

    /// Where the data come from, as recorded in summaries and checkpoints.
    var dataSource: String {
        let kind = data ?? .fashionMNIST
        return kind.rawValue + ":" + (dataDir ?? (kind == .fashionMNIST ? DatasetLoader.defaultFashionMNISTDirectory : "(none)"))
    }

    func options(policy: SelectionPolicy, recordScores: Bool = false, curvePointsPerEpoch: Int? = nil) throws -> TrainingOptions {
        var options = TrainingOptions(
            policy: policy, controller: try controller().configuration, targetRate: target ?? 0.1,
            significance: significance ?? .seed, epochs: epochs ?? 1, batchSize: batchSize ?? 128, learningRate: lr ?? 0.01,
            learningRateScaling: lrScaling ?? .constant, optimizer: (optimizer ?? .sgd).configuration, warmupSteps: warmup ?? 100,
            usesCosineDecay: cosine, minimumLearningRate: 0, seed: seed ?? 1, threads: resolvedThreads,
            trainLimit: trainLimit, testLimit: testLimit, recordsScores: recordScores,
            curveInterval: curveEvery, curveSubset: curveSubset ?? 2000)
        options.curvePointsPerEpoch = curveEvery == nil ? curvePointsPerEpoch : nil
        if let refreshShare { options.selection.refreshShare = refreshShare }
        if let maxScoreAge { options.selection.maximumScoreAge = maxScoreAge }
        options.selection.selectiveBackpropBeta = sbBeta
        if let pruneRatio { options.selection.infobatchPruneRatio = pruneRatio }
        options.dataSource = dataSource
        return options
    }

    /// The options given on the command line that a resumed run would silently override,
    /// with the checkpoint's value, for a refusal.
    func conflicts(withCheckpoint saved: TrainingOptions, policy: SelectionPolicy?) throws -> [String] {
        var conflicts: [String] = []
        func check<T: Equatable>(_ given: T?, _ saved: T, _ flag: String) {
            if let given, given != saved { conflicts.append("\(flag) \(given) (the checkpoint ran \(saved))") }
        }
        check(policy, saved.policy, "--policy")
        check(target, saved.targetRate, "--target")
        check(significance, saved.significance, "--significance")
        check(batchSize, saved.batchSize, "--batch-size")
        check(lr, saved.learningRate, "--lr")
        check(lrScaling, saved.learningRateScaling, "--lr-scaling")
        check(warmup, saved.warmupSteps, "--warmup")
        check(seed, saved.seed, "--seed")
        check(threads.map { min($0, Self.coreCount) }, saved.threads, "--threads")
        if let trainLimit, trainLimit != saved.trainLimit { conflicts.append("--train-limit \(trainLimit) (the checkpoint ran \(saved.trainLimit.map(String.init) ?? "all"))") }
        if let testLimit, testLimit != saved.testLimit { conflicts.append("--test-limit \(testLimit) (the checkpoint ran \(saved.testLimit.map(String.init) ?? "all"))") }
        if data != nil || dataDir != nil, dataSource != saved.dataSource {
            conflicts.append("data \(dataSource) (the checkpoint ran \(saved.dataSource ?? "unrecorded"))")
        }
        if controllerOptions.isGiven, let chosen = try controllerOptions.controller(target: target ?? saved.targetRate),
           chosen.configuration != saved.controller {
            conflicts.append("controller \(chosen.name) (the checkpoint ran its own; see its summary.json)")
        }
        if cosine != saved.usesCosineDecay { conflicts.append("--cosine (the checkpoint ran \(saved.usesCosineDecay ? "with" : "without") it)") }
        return conflicts
    }

    func loadDataset() throws -> Dataset {
        try DatasetLoader.load(data ?? .fashionMNIST, directory: dataDir, trainLimit: trainLimit, testLimit: testLimit)
    }
}
