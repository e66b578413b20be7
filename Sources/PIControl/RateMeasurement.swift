/// How the observed activation rate `r_k` is formed before smoothing.
public enum RateMeasurement: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// `r_k = n_k / B_k`.
    case perBatch
    /// `r_k = Σ n / Σ B` since the start, as in the seed's CIFAR script.
    case cumulative
}
