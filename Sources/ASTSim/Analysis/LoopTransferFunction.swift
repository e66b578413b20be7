import Foundation
import PIControl

/// The open-loop transfer function of the linearised loop per unit of plant gain,
/// `L₁(z) = N(z)/D(z)`, so that the loop at plant gain `g` is `L(z) = g·L₁(z)` and its
/// closed-loop poles are the roots of `D(z) + g·N(z)` (negative feedback, `1 + L = 0`).
///
/// Per batch (sample time 1), with `β = 1 − α`:
/// - EMA `E(z) = α z/(z − β)` (both EMA forms, `α r + β m` and `m + α (r − m)`, are this filter);
/// - velocity and positional PI `C(z) = ((Kp + Ki) z − Kp)/(z (z − 1))` — the velocity law is the
///   positional law differenced, so in the linear region they are one system (the positional
///   ``LoopMatrix`` carries one more state, a pole at `z = 0`);
/// - `sundewIncremental` `C(z) = ((Kp + Ki) z − Kp)/(z − 1)²` (θ integrates `Kp·e + Ki·I`: a
///   double integrator);
/// - a cumulative rate `Σn/ΣB` after `k` batches is, frozen at step `k`, the filter
///   `w z/(z − (1 − w))` with `w = 1/k` (time-varying: the analysis is frozen-time).
///
/// The common factor `z` of `E` and the velocity/positional `C` is cancelled, as
/// python-control's `minreal` does.
public struct LoopTransferFunction: Sendable, Equatable, Codable {
    public var numerator: Polynomial
    public var denominator: Polynomial
    /// The open-loop poles (all real: 1, 1, β, 1 − w); `denominator` is their product. Kept as
    /// factors so that `e^{jω} − 1` is evaluated without cancellation near `ω = 0`.
    public var openLoopPoles: [Double]

    /// - Parameters:
    ///   - law: The control law.
    ///   - kp: `Kp` (`proportionalGain`).
    ///   - ki: `Ki` (`integralGain`).
    ///   - alpha: `α` (`emaAlpha`).
    ///   - cumulativeWeight: `w = 1/k` for a cumulative rate frozen at batch `k`; `nil` for a per-batch rate.
    public init(law: ControlLaw, proportionalGain kp: Double, integralGain ki: Double, emaAlpha alpha: Double,
                cumulativeWeight: Double? = nil) {
        let beta = 1 - alpha
        let zero = Polynomial([kp + ki, -kp])
        switch law {
        case .sundewIncremental:
            numerator = alpha * (Polynomial([1, 0]) * zero)
            openLoopPoles = [beta, 1, 1]
        case .positional, .velocity:
            numerator = alpha * zero
            openLoopPoles = [beta, 1]
        }
        if let w = cumulativeWeight {
            numerator = w * (Polynomial([1, 0]) * numerator)
            openLoopPoles.append(1 - w)
        }
        denominator = openLoopPoles.reduce(Polynomial([1])) { $0 * Polynomial.monic(root: $1) }
    }

    /// The transfer function of `configuration`; a cumulative rate is frozen at `cumulativeWeight`.
    /// - Parameters:
    ///   - configuration: The controller.
    ///   - cumulativeWeight: `1/k` at the analysed batch `k` (used only for a cumulative rate).
    public init(configuration: ControllerConfiguration, cumulativeWeight: Double? = nil) {
        self.init(law: configuration.law, proportionalGain: configuration.proportionalGain,
                  integralGain: configuration.integralGain, emaAlpha: configuration.emaAlpha,
                  cumulativeWeight: configuration.rateMeasurement == .cumulative ? cumulativeWeight : nil)
    }

    /// `L₁(e^{jω})`.
    public func response(angle omega: Double) -> Complex {
        let z = Complex.unit(angle: omega)
        // e^{jω} − p = (1 − p − 2 sin²(ω/2)) + j sin ω: exact near ω = 0 for p = 1.
        let half = sin(omega / 2)
        var denominatorValue = Complex(1)
        for pole in openLoopPoles { denominatorValue = denominatorValue * Complex(1 - pole - 2 * half * half, sin(omega)) }
        return numerator(z) / denominatorValue
    }

    /// The closed-loop characteristic polynomial `D + g·N`.
    public func characteristic(plantGain g: Double) -> Polynomial { denominator + g * numerator }

    /// Closed-loop poles at plant gain `g`, largest modulus first.
    public func closedLoopPoles(plantGain g: Double) throws(Eigenvalues.Failure) -> [Pole] {
        try characteristic(plantGain: g).roots()
    }

    /// The largest closed-loop pole modulus at `g` (infinite if GSL fails).
    public func spectralRadius(plantGain g: Double) -> Double {
        (try? closedLoopPoles(plantGain: g).first?.modulus) ?? .infinity
    }
}
