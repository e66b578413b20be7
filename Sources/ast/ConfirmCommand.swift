import ArgumentParser
import ASTReport
import ASTSim
import ASTTrain
import Foundation
import PIControl

/// `ast confirm`: trains with a controller in closed loop, replays an earlier independent
/// recording through the same controller in the simulator, and compares the two.
struct ConfirmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: "Trained against simulated: train with a controller (closed loop), replay an independent recording through it, compare per epoch.",
        discussion: """
        1. Records the scores of an independent run (policy random, seed --seed + 1000) unless \
        --recording names a scores.csv from an earlier `ast train --policy random --record-scores`.
        2. Trains with the controller (--preset or --gains) on --seeds training seeds, recording θ, rate and scores.
        3. Replays the recording through the same controller (simulator, one gate seed per training seed).
        4. Compares rate mean and sd per epoch, settling time, tracking error and saturation share, \
        with the range over seeds, and how far the closed loop moved the scores' θ*.
        """
    )

    @OptionGroup var training: TrainingArguments

    @Option(help: "Closed-loop training runs (seeds --seed, --seed + 1, …).")
    var seeds: Int = 2

    @Option(help: "scores.csv of an earlier independent recording (default: record one now).")
    var recording: String?

    @Option(help: "Output directory.")
    var out: String = "out/confirm"

    func validate() throws {
        guard seeds >= 1, seeds <= 16 else { throw ValidationError("--seeds must lie in 1…16, got \(seeds)") }
        if out.isEmpty { throw ValidationError("--out must not be empty") }
    }

    /// Trains one run to the end, printing progress.
    func train(_ options: TrainingOptions, dataset: Dataset, label: String) throws -> [EpochMetrics] {
        let trainer = try Trainer(dataset: dataset, options: options)
        let printer = TrainingProgressPrinter(label: label)
        while trainer.epochsCompleted < options.epochs { try trainer.trainEpoch { printer.handle($0) } }
        return trainer.history
    }

    static func scoreBatches(_ epochs: [EpochMetrics]) -> (batches: [[Double]], perEpoch: [[Double]]) {
        var batches: [Int: [Double]] = [:]
        var perEpoch: [[Double]] = []
        for epoch in epochs {
            var all: [Double] = []
            for record in epoch.scores ?? [] {
                batches[record.batch, default: []].append(record.score)
                all.append(record.score)
            }
            perEpoch.append(all)
        }
        return (batches.keys.sorted().map { batches[$0]! }, perEpoch)
    }

    func run() throws {
        let dataset = try training.loadDataset()
        let (controllerName, controller) = try training.controller()

        // 1. The independent recording.
        let recordingTrace: ScoreTrace
        var recordingLengths: [Int]? = nil
        var recordingPerEpoch: [[Double]]? = nil
        if let recording {
            recordingTrace = try ScoreTrace.load(path: recording)
        } else {
            // random-forwarded forwards and scores every sample, and selects independently of the scores.
            var options = try training.options(policy: .randomForwarded, recordScores: true)
            options.seed = (training.seed ?? 1) &+ 1000
            let history = try train(options, dataset: dataset, label: "recording (random-forwarded, seed \(options.seed))")
            let scores = Self.scoreBatches(history)
            recordingTrace = ScoreTrace(batches: scores.batches)
            recordingLengths = history.map(\.batches.count)
            recordingPerEpoch = scores.perEpoch
        }

        // 2. Closed loop.
        var closed: [LoopRun] = [], closedScores: [[[Double]]] = []
        for index in 0..<seeds {
            var options = try training.options(policy: .ast, recordScores: true)
            options.seed = (training.seed ?? 1) &+ UInt64(index)
            let history = try train(options, dataset: dataset, label: "closed loop (\(controllerName), seed \(options.seed))")
            let batches = history.flatMap(\.batches)
            closed.append(LoopRun(threshold: batches.map { $0.threshold ?? .nan }, rate: batches.map(\.rate),
                                  epochLengths: history.map(\.batches.count)))
            closedScores.append(Self.scoreBatches(history).perEpoch)
        }

        // 3. Open-loop replay of the recording, split into the recording's epochs (or the closed loop's).
        let lengths = recordingLengths ?? closed[0].epochLengths
        var replay: [LoopRun] = []
        for index in 0..<seeds {
            let trace = try Replay.run(configuration: controller, trace: recordingTrace, seed: (training.seed ?? 1) &+ UInt64(index))
            replay.append(LoopRun(threshold: trace.threshold, rate: trace.rate, epochLengths: lengths))
        }

        // 4. Compare.
        let settings = MetricSettings(target: controller.target)
        let confirmation = Confirmation(closed: closed, replay: replay, settings: settings, bounds: controller.thresholdBounds,
                                        closedScores: closedScores, recordingScores: recordingPerEpoch)
        print("\n" + ConfirmWriters.text(confirmation, controller: controllerName, seeds: seeds))
        try ConfirmWriters.write(confirmation, closed: closed, replay: replay, controller: controllerName, to: out)
        print("\nwrote \(out)/confirm.json, confirm.csv, confirm.svg")
    }
}
