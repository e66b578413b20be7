/// When the seed's decaying anti-windup integrates, and which integral enters the output.
///
/// The two seed scripts differ here, and both rules are reproduced exactly. With `I⁺ =
/// clamp(I + e, ±bound)`, band `(a, b)` and the law's output `u(I) = θ_k + Kp·e + Ki·I`:
public enum DecayCondition: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// Upstream `sundew.py`, `select_samples`: test the *current* threshold, the one that
    /// gated this batch. `I_new = a < θ_k < b ? I⁺ : factor·I`, then `u = u(I_new)`.
    case gatingThresholdInside
    /// The Kaggle script's `update_threshold`: form `u = u(I)` with the integral *before*
    /// this step, then `I_new = a < u < b ? I⁺ : factor·I`.
    case outputInside
}
