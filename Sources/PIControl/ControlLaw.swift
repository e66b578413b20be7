/// How the error is turned into the next threshold.
///
/// With error `e_k = m_k − target` (positive when too many samples pass) and integral `I`:
/// - ``sundewIncremental``: `θ_{k+1} = clamp(θ_k + Kp·e_k + Ki·I)`. The threshold integrates
///   `Kp·e` and `Ki·I` integrates again: a double integrator, as in the seed code.
/// - ``positional(reference:)``: `θ_{k+1} = clamp(θ_ref + Kp·e_k + Ki·I_k)`, the textbook PI.
/// - ``velocity``: `θ_{k+1} = clamp(θ_k + Kp·(e_k − e_{k−1}) + Ki·e_k)`, the incremental PI.
///   The integral is still tracked (for reporting) but does not enter the law.
public enum ControlLaw: Sendable, Equatable, Hashable, Codable {
    case sundewIncremental
    case positional(reference: Double)
    case velocity

    /// The law's name as used on the command line and in gains files.
    public var name: String {
        switch self {
        case .sundewIncremental: "sundewIncremental"
        case .positional: "positional"
        case .velocity: "velocity"
        }
    }

    /// Whether `Ki·I` enters the law (so anti-windup on `I` matters).
    public var usesIntegralState: Bool {
        switch self {
        case .sundewIncremental, .positional: true
        case .velocity: false
        }
    }
}
