/// Which samples of a batch count in the denominator of its observed rate (and in the
/// fallback's minimum), when the controller gates the batch itself.
///
/// NaN and infinite scores are never selected under either rule: that is this package's one
/// deliberate deviation from the seed code, where `+inf` passes every gate and `torch.topk`
/// can pick NaN scores.
public enum RateDenominator: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// Only finite scores count: a batch of NaN scores leaves the state untouched. The
    /// textbook presets use it.
    case finiteScores
    /// Every row of the batch counts, as in the seed code (`num_active / batch_size` in
    /// upstream `sundew.py`; `total_processed += batch_size` in the Kaggle script). A
    /// non-finite score is a rejected sample: it counts in the denominator and, under an
    /// energy budget, regenerates energy like any sample that did not pass.
    case wholeBatch
}
