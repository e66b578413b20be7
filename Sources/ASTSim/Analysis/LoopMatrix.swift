import PIControl

/// The loop linearised around its operating point, as a small state-space system
/// `z_{k+1} = A z_k`.
///
/// With `x = θ − θ_op`, the rate responds as `r − target ≈ −g·x` (plant gain `g > 0`), the
/// EMA error obeys `ε_k = −α g x_k + (1 − α) ε_{k−1}`, and the integral `I_k = I_{k−1} + ε_k`.
/// The state is `(x_k, ε_{k−1}, I_{k−1})` — or `(x_k, ε_{k−1})` for the velocity law, whose
/// integrator is the threshold itself:
/// - sundewIncremental: `x_{k+1} = x_k + Kp ε_k + Ki I_k`
/// - positional:        `x_{k+1} = Kp ε_k + Ki I_k` (deviation from the equilibrium)
/// - velocity:          `x_{k+1} = x_k + Kp (ε_k − ε_{k−1}) + Ki ε_k`
/// Anti-windup, bounds, deadband and fallback are inactive in the linear region and do not
/// appear; a cumulative rate measurement is time-varying and is approximated as per-batch.
public struct LoopMatrix: Sendable, Equatable {
    /// Row-major `dimension × dimension`.
    public var entries: [Double]
    public var dimension: Int

    /// - Parameters:
    ///   - law: The control law.
    ///   - kp: `Kp` (`proportionalGain`).
    ///   - ki: `Ki` (`integralGain`).
    ///   - alpha: `α` (`emaAlpha`).
    ///   - g: `g` (`plantGain`), the rate lost per unit of threshold at the operating point.
    public init(law: ControlLaw, proportionalGain kp: Double, integralGain ki: Double, emaAlpha alpha: Double, plantGain g: Double) {
        let ag = alpha * g
        let beta = 1 - alpha
        switch law {
        case .sundewIncremental:
            dimension = 3
            entries = [1 - ag * (kp + ki), beta * (kp + ki), ki,
                       -ag, beta, 0,
                       -ag, beta, 1]
        case .positional:
            dimension = 3
            entries = [-ag * (kp + ki), beta * (kp + ki), ki,
                       -ag, beta, 0,
                       -ag, beta, 1]
        case .velocity:
            dimension = 2
            entries = [1 - ag * (kp + ki), beta * (kp + ki) - kp,
                       -ag, beta]
        }
    }

    public subscript(row: Int, column: Int) -> Double { entries[row * dimension + column] }
}
