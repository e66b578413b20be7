/// How the smoothed rate `m_k` is computed from `m_{k−1}` and the observed rate `r_k`.
///
/// The two forms are equal in exact arithmetic and differ in the last bit of a double. The
/// difference matters twice: a batch score tied with `θ` flips on that bit, and only the
/// increment form leaves `m` exactly unchanged when `r = m` (a true fixed point at equilibrium).
public enum EMAForm: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// `m_k = m_{k−1} + α·(r_k − m_{k−1})`: exact fixed point when `r_k = m_{k−1}`. The
    /// textbook presets use it.
    case increment
    /// `m_k = α·r_k + (1 − α)·m_{k−1}`, evaluated in this order: the seed code's form, kept
    /// bit for bit by the seed presets (upstream `sundew.py`, `select_samples`; the Kaggle
    /// script's `update_threshold`).
    case weightedSum

    /// The next smoothed rate.
    /// - Parameters:
    ///   - previous: `m_{k−1}`.
    ///   - rate: `r_k`.
    ///   - alpha: `α` in (0, 1].
    @inlinable
    public func next(previous: Double, rate: Double, alpha: Double) -> Double {
        switch self {
        case .increment: previous + alpha * (rate - previous)
        case .weightedSum: alpha * rate + (1 - alpha) * previous
        }
    }
}
