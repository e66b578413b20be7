import PIControl

/// The parameters of every selection policy (each policy reads its own).
public struct SelectionSettings: Sendable, Equatable, Codable {
    /// `s`, the fraction of samples to back-propagate (all but `full` and `infobatch`).
    public var targetRate: Double
    /// The controller of `ast` and `ast-stale`.
    public var controller: ControllerConfiguration?
    /// `ast-stale`: the fraction of the epoch forwarded without backward to refresh scores.
    public var refreshShare: Double
    /// `ast-stale`: no score is older than this many epochs (older ones are refreshed).
    public var maximumScoreAge: Int
    /// `selective-backprop`: `β`, or `nil` for `1/s − 1`.
    public var selectiveBackpropBeta: Double?
    /// `selective-backprop`: `R`, the losses the CDF is taken over.
    public var selectiveBackpropHistory: Int
    /// `infobatch`: `r`, the share of below-mean samples pruned.
    public var infobatchPruneRatio: Double
    /// `infobatch`: the final share of epochs that use all data.
    public var infobatchAnnealShare: Double

    /// - Parameters:
    ///   - targetRate: `s` in (0, 1].
    ///   - controller: The `ast`/`ast-stale` controller.
    ///   - refreshShare: `ast-stale` refresh share in [0, 1].
    ///   - maximumScoreAge: `ast-stale` score age limit in epochs (≥ 1).
    ///   - selectiveBackpropBeta: `β > 0`, or `nil` for `1/s − 1`.
    ///   - selectiveBackpropHistory: `R ≥ 1` (1024 in the paper).
    ///   - infobatchPruneRatio: `r` in [0, 1) (0.5 in the paper).
    ///   - infobatchAnnealShare: in [0, 1] (0.125 in the paper).
    public init(targetRate: Double = 0.1, controller: ControllerConfiguration? = nil, refreshShare: Double = 0.1,
                maximumScoreAge: Int = 4, selectiveBackpropBeta: Double? = nil, selectiveBackpropHistory: Int = 1024,
                infobatchPruneRatio: Double = 0.5, infobatchAnnealShare: Double = 0.125) {
        self.targetRate = targetRate
        self.controller = controller
        self.refreshShare = refreshShare
        self.maximumScoreAge = maximumScoreAge
        self.selectiveBackpropBeta = selectiveBackpropBeta
        self.selectiveBackpropHistory = selectiveBackpropHistory
        self.infobatchPruneRatio = infobatchPruneRatio
        self.infobatchAnnealShare = infobatchAnnealShare
    }

    /// `β` of selective-backprop: the given one or `1/s − 1`.
    public var resolvedBeta: Double { selectiveBackpropBeta ?? max(0, 1 / targetRate - 1) }

    /// Rows per batch that `random-forwarded` and `topk` select: `max(1, round(s·B))`.
    /// - Parameter batchSize: The batch's size.
    public func fixedSelectionCount(batchSize: Int) -> Int {
        min(batchSize, max(1, Int((targetRate * Double(batchSize)).rounded())))
    }

    /// Samples `uniform` forwards an epoch, and about what `ast-stale` back-propagates:
    /// `⌈s·N⌉`, at least 1 and at most `N`.
    /// - Parameter sampleCount: `N`.
    public func epochSubsetSize(sampleCount: Int) -> Int {
        min(sampleCount, max(1, Int((targetRate * Double(sampleCount)).rounded(.up))))
    }

    /// Checks every field.
    /// - Throws: ``TrainingError/invalidOption(_:)`` naming the option.
    public func validate() throws(TrainingError) {
        func invalid(_ option: String, _ expected: String, _ actual: Any) -> TrainingError {
            .invalidOption(TrainingOptionError(field: "--" + option, expected: expected, actual: "\(actual)"))
        }
        guard targetRate > 0, targetRate < 1 else {
            throw invalid("target", "in (0, 1)", targetRate)
        }
        guard refreshShare >= 0, refreshShare <= 1 else {
            throw invalid("refresh-share", "in [0, 1]", refreshShare)
        }
        guard maximumScoreAge >= 1 else {
            throw invalid("max-score-age", ">= 1 epoch", maximumScoreAge)
        }
        if let beta = selectiveBackpropBeta, !(beta > 0 && beta.isFinite) {
            throw invalid("sb-beta", "> 0", beta)
        }
        guard selectiveBackpropHistory >= 1, selectiveBackpropHistory <= 1 << 20 else {
            throw invalid("sb-history", "in [1, 1048576]", selectiveBackpropHistory)
        }
        guard infobatchPruneRatio >= 0, infobatchPruneRatio < 1 else {
            throw invalid("prune-ratio", "in [0, 1)", infobatchPruneRatio)
        }
        guard infobatchAnnealShare >= 0, infobatchAnnealShare <= 1 else {
            throw invalid("anneal-share", "in [0, 1]", infobatchAnnealShare)
        }
        if let controller {
            do { try controller.validate() } catch {
                throw .invalidOption(TrainingOptionError(controller: error))
            }
        }
    }
}
