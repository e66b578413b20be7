import Foundation
import PIControl

/// The linearised loop's verdict for one controller at one operating point.
public struct LoopAnalysis: Sendable, Codable {
    public var operatingPoint: OperatingPoint
    public var law: String
    public var proportionalGain: Double
    public var integralGain: Double
    public var emaAlpha: Double
    /// `A` of ``LoopMatrix``, row-major.
    public var matrix: [Double]
    public var poles: [Pole]
    /// Largest pole modulus (spectral radius).
    public var spectralRadius: Double
    public var stable: Bool
    /// `τ = −1/ln ρ`: steps for the slowest mode to shrink by `e`; `nil` when unstable.
    public var timeConstant: Double?
    /// Predicted steps to bring an initial rate error `e₀` inside the band:
    /// `τ·ln(|e₀|/band)` (an estimate from the dominant pole; `nil` when unstable).
    public var predictedSettlingTime: Double?
    /// `|e₀|` used above: `|R(θ₀) − target|` ≈ `g·|θ₀ − θ_op|`, capped at the target.
    public var initialRateError: Double
    /// Notes on what the linear model leaves out for this controller.
    public var caveats: [String]

    /// Analyses `configuration` at `point`.
    /// - Parameters:
    ///   - configuration: The controller.
    ///   - point: The operating point.
    ///   - band: The settling band used for the settling-time prediction.
    public init(configuration: ControllerConfiguration, point: OperatingPoint, band: Double) throws(Eigenvalues.Failure) {
        let loop = LoopMatrix(law: configuration.law, proportionalGain: configuration.proportionalGain,
                              integralGain: configuration.integralGain, emaAlpha: configuration.emaAlpha, plantGain: point.plantGain)
        operatingPoint = point
        law = configuration.law.name
        proportionalGain = configuration.proportionalGain
        integralGain = configuration.integralGain
        emaAlpha = configuration.emaAlpha
        matrix = loop.entries
        poles = try Eigenvalues.of(loop.entries, dimension: loop.dimension)
        spectralRadius = poles.first?.modulus ?? 0
        stable = spectralRadius < 1
        timeConstant = stable ? (spectralRadius > 0 ? -1 / log(spectralRadius) : 0) : nil
        initialRateError = min(configuration.target, point.plantGain * abs(configuration.initialThreshold - point.threshold))
        if let tau = timeConstant {
            predictedSettlingTime = initialRateError > band ? tau * log(initialRateError / band) : 0
        } else {
            predictedSettlingTime = nil
        }
        var notes: [String] = []
        if configuration.rateMeasurement == .cumulative {
            notes.append("cumulative rate measurement: its gain decays like 1/k, so the loop slows over time; analysed as per-batch")
        }
        if configuration.fallback.minimumCount > 0 || configuration.fallback.minimumFraction > 0 {
            notes.append("fallback floor is nonlinear and ignored")
        }
        if let budget = configuration.gate.energyBudget, budget.sustainableRate < configuration.target {
            notes.append("energy budget sustains at most \(budget.sustainableRate) < target: target unreachable")
        }
        if !point.insideBounds {
            notes.append("operating threshold \(point.threshold) lies outside the bounds: the loop saturates, the target is unreachable")
        }
        if case .sundewIncremental = configuration.law, configuration.integralGain == 0 {
            notes.append("Ki = 0: the integral mode is a decoupled pole at 1")
        }
        caveats = notes
    }

    /// Whether the linearised loop with these gains is stable (spectral radius < 1).
    /// - Parameters:
    ///   - law: The control law.
    ///   - proportionalGain: Kp.
    ///   - integralGain: Ki.
    ///   - emaAlpha: The EMA weight α.
    ///   - plantGain: The plant gain g = −dr/dθ at the operating point, > 0.
    public static func isStable(law: ControlLaw, proportionalGain: Double, integralGain: Double, emaAlpha: Double, plantGain: Double) -> Bool {
        let loop = LoopMatrix(law: law, proportionalGain: proportionalGain, integralGain: integralGain, emaAlpha: emaAlpha, plantGain: plantGain)
        guard let poles = try? Eigenvalues.of(loop.entries, dimension: loop.dimension) else { return false }
        return (poles.first?.modulus ?? 0) < 1
    }

    /// Points `(Kp, Ki)` on the stability boundary: for each `Kp`, the `Ki` values in
    /// `integralRange` (log-spaced scan refined by bisection) where stability changes.
    /// - Parameters:
    ///   - law: The control law.
    ///   - emaAlpha: The EMA weight α.
    ///   - plantGain: The plant gain g, > 0.
    ///   - proportionalGains: The Kp values to scan.
    ///   - integralRange: The Ki range scanned for each Kp (log-spaced, then bisected).
    public static func stabilityBoundary(
        law: ControlLaw, emaAlpha: Double, plantGain: Double, proportionalGains: [Double],
        integralRange: ClosedRange<Double>, resolution: Int = 160
    ) -> [(proportionalGain: Double, integralGain: Double)] {
        var points: [(proportionalGain: Double, integralGain: Double)] = []
        let logLow = log(max(integralRange.lowerBound, 1e-300)), logHigh = log(integralRange.upperBound)
        for kp in proportionalGains {
            func stableAt(_ ki: Double) -> Bool {
                isStable(law: law, proportionalGain: kp, integralGain: ki, emaAlpha: emaAlpha, plantGain: plantGain)
            }
            var previousKi = exp(logLow)
            var previousStable = stableAt(previousKi)
            for index in 1...resolution {
                let ki = exp(logLow + (logHigh - logLow) * Double(index) / Double(resolution))
                let current = stableAt(ki)
                if current != previousStable {
                    var low = previousKi, high = ki
                    for _ in 0..<40 {
                        let middle = (low * high).squareRoot()
                        if stableAt(middle) == previousStable { low = middle } else { high = middle }
                    }
                    points.append((kp, (low * high).squareRoot()))
                }
                previousKi = ki
                previousStable = current
            }
        }
        return points
    }
}
