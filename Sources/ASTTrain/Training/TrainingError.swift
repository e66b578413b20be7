/// Why a training run stopped or could not start.
public enum TrainingError: Error, Sendable, CustomStringConvertible {
    /// The options are unusable.
    case invalidOptions(String)
    /// The data do not fit the network or are empty.
    case invalidData(String)
    /// The batch's mean loss became NaN or infinite. `completed` holds the epochs finished
    /// before it; the weights are left as they were after the failing step.
    case nonFiniteLoss(epoch: Int, batch: Int, loss: Double, completed: [EpochMetrics])
    /// A checkpoint could not be written or read.
    case checkpoint(CheckpointError)

    public var description: String {
        switch self {
        case .invalidOptions(let message): "invalid training options: \(message)"
        case .invalidData(let message): "invalid training data: \(message)"
        case .nonFiniteLoss(let epoch, let batch, let loss, let completed):
            "the training loss became \(loss) at epoch \(epoch), batch \(batch); \(completed.count) epoch(s) completed before it"
        case .checkpoint(let error): error.description
        }
    }
}
