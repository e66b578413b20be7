import ASTReport
import ASTTrain
import Foundation

/// Live progress for training: a bar within the epoch on stderr (redrawn in place on a
/// terminal, a line every 5 s otherwise) with samples per second and the epoch's ETA, and one
/// line per epoch on stdout.
final class TrainingProgressPrinter {
    let label: String
    let samplesPerEpoch: Int
    var lastDraw = 0.0
    var epochStart = Clock.monotonicSeconds()
    var samplesThisEpoch = 0
    let isTerminal = isatty(STDERR_FILENO) != 0

    /// - Parameters:
    ///   - label: Shown at the start of each line.
    ///   - samplesPerEpoch: `N`, for the rate.
    init(label: String, samplesPerEpoch: Int = 0) {
        self.label = label
        self.samplesPerEpoch = samplesPerEpoch
    }

    func handle(_ event: TrainingProgress) {
        switch event {
        case .batch(let epoch, let batch, let batchCount, let record):
            if batch == 0 {
                epochStart = Clock.monotonicSeconds()
                samplesThisEpoch = 0
            }
            samplesThisEpoch += record.batchSize
            let now = Clock.monotonicSeconds()
            guard batch + 1 == batchCount || now - lastDraw > (isTerminal ? 0.1 : 5) else { return }
            lastDraw = now
            let elapsed = max(now - epochStart, 1e-9)
            let eta = elapsed / Double(batch + 1) * Double(batchCount - batch - 1)
            let width = 30
            let filled = width * (batch + 1) / max(1, batchCount)
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let threshold = record.threshold.map { " θ \(NumberText.fixed($0, 4))" } ?? ""
            let line = "\(label) epoch \(epoch + 1) [\(bar)] \(batch + 1)/\(batchCount) loss \(NumberText.fixed(record.loss, 4))"
                + " sel \(record.selected)/\(record.batchSize)\(threshold) "
                + (elapsed < 0.2 ? "- samples/s" : "\(Int((Double(samplesThisEpoch) / elapsed).rounded())) samples/s")
                + " \(NumberText.fixed(elapsed, 1)) s, ETA \(NumberText.fixed(eta, 0)) s"
            FileHandle.standardError.write(Data(((isTerminal ? "\r\u{1B}[K" : "") + line + (isTerminal ? "" : "\n")).utf8))
        case .epoch(let metrics):
            if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            print(Self.epochLine(label: label, metrics))
        }
    }

    static func epochLine(label: String, _ metrics: EpochMetrics) -> String {
        "\(label) epoch \(metrics.epoch + 1): train loss \(NumberText.fixed(metrics.trainLoss, 4)), test loss \(NumberText.fixed(metrics.testLoss, 4)), "
            + "test acc \(NumberText.fixed(metrics.testAccuracy * 100, 2)) %, "
            + "back-propagated \(metrics.samplesBackpropagated)/\(metrics.samplesForwarded) forwarded (\(NumberText.fixed(metrics.activationRate * 100, 2)) %), "
            + "threshold \(metrics.thresholdMean.map { NumberText.fixed($0, 4) } ?? "-"), train time \(NumberText.fixed(metrics.seconds.total, 1)) s"
    }
}
