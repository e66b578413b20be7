import PIControl

/// Why a training run stopped or could not start.
public enum TrainingError: Error, Sendable, CustomStringConvertible {
    /// An option is unusable: which, what it must be, and what it was.
    case invalidOption(TrainingOptionError)
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
        case .invalidOption(let error): error.description
        case .invalidData(let message): "invalid training data: \(message)"
        case .nonFiniteLoss(let phase, let epoch, let batch, let loss, let completed):
            "the \(phase.rawValue) loss became \(loss) at epoch \(epoch)" + (batch.map { ", batch \($0)" } ?? "")
                + "; \(completed.count) epoch(s) completed before it (a learning rate too high for the model diverges)"
        case .checkpoint(let error): error.description
        }
    }
}

/// A training option that cannot be used, in the shared shape of `PIControl.FieldError`.
///
/// ``field`` is the option as `ast train` spells it (`--lr`, `--refresh-share`), or
/// `controller.<field>` for a field of the controller configuration. Options come from code or
/// the command line, so ``file`` and ``line`` are `nil`.
public struct TrainingOptionError: FieldError, Equatable {
    /// The option, as the command line spells it (`--lr`), or `controller.<field>`.
    public var field: String
    /// What the option must be (for example `in [0, 1]`).
    public var expected: String
    /// What it was, rendered as text.
    public var actual: String

    /// Always `nil`: options come from code or the command line.
    public var file: String? { nil }
    /// Always `nil`: options come from code or the command line.
    public var line: Int? { nil }

    /// Creates an error.
    /// - Parameters:
    ///   - field: The option, as the command line spells it (`--lr`), or `controller.<field>`.
    ///   - expected: What it must be.
    ///   - actual: What it was.
    public init(field: String, expected: String, actual: String) {
        self.field = field
        self.expected = expected
        self.actual = actual
    }

    /// The controller configuration's `error`, as the option `controller.<field>`.
    /// - Parameter error: The configuration's error.
    public init(controller error: ConfigurationError) {
        self.init(field: "controller." + error.field, expected: error.expected, actual: error.actual)
    }

    /// `invalid training option: field '--lr': expected a positive number, got -1.0`.
    public var description: String { fieldErrorDescription(kind: "invalid training option") }
}
