/// What keeps the integral `I` from growing while the threshold sits at a bound.
///
/// Let `I⁺ = I + e` be the plainly integrated value and `u` the unclamped law output.
/// - ``none``: `I ← I⁺`.
/// - ``clamp(bound:)``: `I ← clamp(I⁺, −bound, bound)`.
/// - ``seedDecay(factor:bound:band:condition:)``: the seed's rules. Inside `band` the integral
///   integrates and is clamped, `I ← clamp(I⁺, ±bound)`; outside it decays, `I ← factor·I`.
///   ``DecayCondition`` says what is tested against the band and which integral enters `u`
///   (the two seed scripts differ).
/// - ``conditional``: conditional integration. If `u` computed with `I⁺` is beyond a threshold
///   bound and `e` pushes further out, `I` is left unchanged (and `u` recomputed with it).
/// - ``backCalculation(gain:)``: `I ← I⁺ + Kb·(clamp(u) − u)`, bleeding the integral by the
///   amount the output was clipped.
public enum AntiWindup: Sendable, Equatable, Hashable, Codable {
    case none
    case clamp(bound: Double)
    case seedDecay(factor: Double, bound: Double, band: ThresholdBounds, condition: DecayCondition)
    case conditional
    case backCalculation(gain: Double)

    /// The name used on the command line and in tables.
    public var name: String {
        switch self {
        case .none: "none"
        case .clamp: "clamp"
        case .seedDecay: "seedDecay"
        case .conditional: "conditional"
        case .backCalculation: "backCalculation"
        }
    }

    /// The hard bound on `|I|`, where the scheme has one.
    public var integralBound: Double? {
        switch self {
        case .clamp(let bound): bound
        case .seedDecay(_, let bound, _, _): bound
        case .none, .conditional, .backCalculation: nil
        }
    }

    func validate() throws(ConfigurationError) {
        switch self {
        case .none, .conditional:
            break
        case .clamp(let bound):
            try ConfigurationError.requireNonNegative(bound, "antiWindup.clamp.bound")
        case .seedDecay(let factor, let bound, let band, _):
            try ConfigurationError.requireNonNegative(bound, "antiWindup.seedDecay.bound")
            try ConfigurationError.requireFinite(factor, "antiWindup.seedDecay.factor")
            guard factor >= 0, factor <= 1 else {
                throw ConfigurationError(field: "antiWindup.seedDecay.factor", expected: "in [0, 1]", actual: "\(factor)")
            }
            try band.validate(field: "antiWindup.seedDecay.band")
        case .backCalculation(let gain):
            try ConfigurationError.requireNonNegative(gain, "antiWindup.backCalculation.gain")
        }
    }
}
