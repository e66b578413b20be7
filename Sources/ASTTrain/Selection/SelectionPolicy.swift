/// Which samples a run trains on. Every policy makes two decisions: which samples of the
/// epoch are forwarded (``SampleSelector/plan(epoch:totalEpochs:order:)``) and which forwarded rows are
/// back-propagated, with what weight (``SampleSelector/select(batch:plan:engine:)``).
///
/// `s` is ``SelectionSettings/targetRate``, `B` the batch size, `N` the training samples.
public enum SelectionPolicy: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// Every sample, forwarded and back-propagated (the baseline).
    case full
    /// RS2 (Okanovic et al., ICLR 2024): each epoch a uniformly random `s·N` samples, without
    /// replacement across epochs, forwarded and back-propagated in full batches, never scored.
    /// The honest random baseline.
    case uniform
    /// Forward every sample, back-propagate a uniform `round(s·B)` of each batch: isolates
    /// *which* rows are chosen at the cost of a forward over everything.
    case randomForwarded = "random-forwarded"
    /// Forward every sample, back-propagate the `round(s·B)` highest scores of each batch.
    case topk
    /// Forward every sample; the PI-controlled gate (`PIControl.Controller`) on the fresh
    /// scores picks the rows to back-propagate.
    case ast
    /// The gate on each sample's *last known* score, before any forward: only the gated
    /// samples are forwarded and back-propagated (their scores refresh), plus a refresh share
    /// forwarded without backward, oldest scores first, so no score is older than
    /// ``SelectionSettings/maximumScoreAge`` epochs. The first epoch scores everything (as `ast`).
    case astStale = "ast-stale"
    /// Selective-Backprop (Jiang et al., 2019): forward every sample, back-propagate each with
    /// probability `CDF_R(loss)^β` over the last `R` losses; `β` given or `1/s − 1`, so that
    /// `E[P] = 1/(β + 1) = s`.
    case selectiveBackprop = "selective-backprop"
    /// InfoBatch (Qin et al., ICLR 2024): each epoch prune a random fraction `r` of the samples
    /// whose last loss is below the mean (never forwarded); rescale the kept below-mean
    /// samples' losses by `1/(1 − r)`; the first epoch and the last 12.5 % of epochs use all data.
    case infobatch

    /// Whether the policy forwards every sample of the epoch (so its speedup is bounded by
    /// `(F + Bw)/(F + s·Bw)`).
    public var forwardsEverySample: Bool {
        switch self {
        case .full, .randomForwarded, .topk, .ast, .selectiveBackprop: true
        case .uniform, .astStale, .infobatch: false
        }
    }

    /// Whether the policy reads the significance score (the others read nothing, or the loss).
    public var readsSignificance: Bool {
        switch self {
        case .topk, .ast, .astStale: true
        case .full, .uniform, .randomForwarded, .selectiveBackprop, .infobatch: false
        }
    }

    /// Whether the PI controller runs.
    public var usesController: Bool { self == .ast || self == .astStale }

    /// Looks a policy up by its command-line name; `random` names its new name.
    /// - Parameter name: The name.
    /// - Returns: The policy, or `nil`.
    public static func named(_ name: String) -> SelectionPolicy? { SelectionPolicy(rawValue: name) }
}

/// How the learning rate treats an update computed from fewer rows than a full batch.
public enum LearningRateScaling: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// The same rate whatever the number of rows: the step is the rate times the *mean*
    /// gradient of the back-propagated rows, as in the seed code (`loss.mean()` over the
    /// active samples). A 13-row step moves the weights as far as a 128-row step.
    case constant
    /// The rate per sample is kept: `lr · m/B` for `m` rows of a batch of `B`, so a step moves
    /// the weights in proportion to the samples it learned from (the linear scaling rule).
    case perSample = "per-sample"
}
