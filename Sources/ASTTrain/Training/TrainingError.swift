/// Why a training run stopped or could not start.
public enum TrainingError: Error, Sendable, CustomStringConvertible {
    /// An option is unusable: the option's name, what it must be, and what it was.
    case invalidOption(field: String, expected: String, actual: String)
    /// The data do not fit the network or are empty.
    case invalidData(String)
    /// A loss became NaN or infinite: the training loss of a batch, or the test loss of an
    /// evaluation (`batch` is then `nil`). Epoch and batch are 1-based, as the progress bar
    /// shows them. `completed` holds the epochs finished before it.
    case nonFiniteLoss(phase: LossPhase, epoch: Int, batch: Int?, loss: Double, completed: [EpochMetrics])
    /// A checkpoint could not be written or read.
    case checkpoint(CheckpointError)

    /// Where a non-finite loss was seen.
    public enum LossPhase: String, Sendable {
        case training
        case test
    }

    public var description: String {
        switch self {
        case .invalidOption(let field, let expected, let actual):
            "invalid training option \(field): expected \(expected), got \(actual)"
        case .invalidData(let message): "invalid training data: \(message)"
        case .nonFiniteLoss(let phase, let epoch, let batch, let loss, let completed):
            "the \(phase.rawValue) loss became \(loss) at epoch \(epoch)" + (batch.map { ", batch \($0)" } ?? "")
                + "; \(completed.count) epoch(s) completed before it (a learning rate too high for the model diverges)"
        case .checkpoint(let error): error.description
        }
    }
}
