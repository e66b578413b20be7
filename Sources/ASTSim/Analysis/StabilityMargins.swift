import Foundation

/// One closed-loop pole with its damping, in batches (python-control's `damp` with `dt = 1`:
/// `s = ln z`, `ωn = |s|`, `ζ = −Re s/|s|`).
public struct PoleDamping: Sendable, Equatable, Codable {
    public var pole: Pole
    /// `ζ`; `nil` for a pole at `z = 0` (dead-beat: gone after one batch).
    public var dampingRatio: Double?
    /// `ωn` in radians per batch; `nil` for `z = 0`.
    public var naturalFrequency: Double?
    /// `−1/ln|z|`: batches for the mode to shrink by `e`; `nil` for `z = 0` or `|z| ≥ 1`.
    public var timeConstant: Double?
    /// `2π/|arg z|` in batches for an oscillating mode (complex or negative real), else `nil`.
    public var period: Double?

    /// - Parameter pole: A discrete-time pole.
    public init(pole: Pole) {
        self.pole = pole
        let modulus = pole.modulus
        let angle = atan2(pole.imaginary, pole.real)
        if modulus > 0 {
            let logModulus = log(modulus)
            let frequency = hypot(logModulus, angle)
            naturalFrequency = frequency
            dampingRatio = frequency > 0 ? -logModulus / frequency : nil
            timeConstant = modulus < 1 ? -1 / logModulus : nil
        } else {
            naturalFrequency = nil
            dampingRatio = nil
            timeConstant = nil
        }
        period = abs(angle) > 1e-12 && modulus > 0 ? 2 * Double.pi / abs(angle) : nil
    }
}

/// A frequency where the loop transfer function meets a margin condition.
public struct Crossover: Sendable, Equatable, Codable {
    /// `ω` in radians per batch, in (0, π].
    public var frequency: Double
    /// At a phase crossover: the plant gain `−1/L₁(e^{jω})` at which a pole sits on the unit
    /// circle. At a gain crossover: the phase margin in degrees.
    public var value: Double
}

/// Gain and phase margins, poles and damping of the loop at one plant gain.
///
/// The **gain margins** are factors on the plant gain `g` (the only uncertain quantity of
/// the loop): the loop stays stable for `g/gainMarginDown < g' < g·gainMarginUp`. They are
/// found exactly from the phase crossovers (where `L₁(e^{jω})` is real and negative, a pole
/// crosses the unit circle at `g' = −1/L₁`), including `ω = π` (`z = −1`), which
/// python-control 0.10's `stability_margins` leaves out. The **phase margin** is python-control's:
/// `PM = (arg L(e^{jω_c}) mod 360°) − 180°` at the gain crossover `|L| = 1` with the smallest `|PM|`.
public struct StabilityMargins: Sendable, Equatable, Codable {
    public var plantGain: Double
    /// Closed-loop poles, largest modulus first, with their damping.
    public var poles: [PoleDamping]
    public var spectralRadius: Double
    public var stable: Bool
    /// The open interval of plant gains around `plantGain` with every pole inside the unit
    /// circle: its lower end (0 when the loop stays stable as `g → 0`) …
    public var stableGainLower: Double?
    /// … and its upper end (`nil` when unbounded, or when the loop is unstable at `plantGain`).
    public var stableGainUpper: Double?
    /// `stableGainUpper/g`: the factor by which `g` may grow; `nil` when unstable at `g`, `.infinity` if unbounded.
    public var gainMarginUp: Double?
    /// `g/stableGainLower`: the factor by which `g` may shrink; `.infinity` when any shrink is safe.
    public var gainMarginDown: Double?
    /// Every phase crossover, with the critical plant gain there.
    public var phaseCrossovers: [Crossover]
    /// Phase margin in degrees, `nil` when there is no gain crossover.
    public var phaseMargin: Double?
    public var gainCrossoverFrequency: Double?
    /// Why there is no phase margin, when there is none.
    public var phaseMarginNote: String?
    /// `min_ω |1 + L(e^{jω})|` over the scanned frequencies (python-control's `sm`).
    public var stabilityMargin: Double

    /// Frequencies scanned: log-spaced from 1e-6 to 1e-2, then linear to π.
    static let frequencies: [Double] = {
        var values: [Double] = []
        for index in 0..<3000 { values.append(pow(10, -6 + 4 * Double(index) / 3000)) }
        for index in 0...12000 { values.append(0.01 + (Double.pi - 0.01) * Double(index) / 12000) }
        return values
    }()

    /// - Parameters:
    ///   - loop: The open loop per unit plant gain.
    ///   - g: The plant gain (`plantGain`), `> 0`.
    public init(loop: LoopTransferFunction, plantGain g: Double) throws(Eigenvalues.Failure) {
        plantGain = g
        let roots = try loop.closedLoopPoles(plantGain: g)
        poles = roots.map(PoleDamping.init(pole:))
        spectralRadius = roots.first?.modulus ?? 0
        stable = spectralRadius < 1

        // Phase crossovers: sign changes of Im L₁, refined by bisection; and ω = π itself.
        var crossings: [Crossover] = []
        let omegas = Self.frequencies
        var previous = loop.response(angle: omegas[0])
        for index in 1..<omegas.count {
            let current = loop.response(angle: omegas[index])
            if (previous.imaginary < 0) != (current.imaginary < 0) {
                var low = omegas[index - 1], high = omegas[index]
                let lowSign = previous.imaginary < 0
                for _ in 0..<80 {
                    let middle = 0.5 * (low + high)
                    if (loop.response(angle: middle).imaginary < 0) == lowSign { low = middle } else { high = middle }
                }
                let omega = 0.5 * (low + high)
                let value = loop.response(angle: omega)
                if value.real < 0 && omega < Double.pi * (1 - 1e-9) { crossings.append(Crossover(frequency: omega, value: -1 / value.real)) }
            }
            previous = current
        }
        let atNyquist = loop.response(angle: Double.pi)
        if atNyquist.real < 0 { crossings.append(Crossover(frequency: Double.pi, value: -1 / atNyquist.real)) }
        phaseCrossovers = crossings

        // The stable interval around g: between the nearest critical gains where stability changes.
        let critical = crossings.map(\.value).filter { $0 > 0 }.sorted()
        func stableAt(_ gain: Double) -> Bool { loop.spectralRadius(plantGain: gain) < 1 }
        if stable {
            let above = critical.filter { $0 > g }.first { !stableAt($0 * (1 + 1e-7)) }
            let below = critical.filter { $0 < g }.reversed().first { !stableAt($0 * (1 - 1e-7)) }
            stableGainUpper = above
            stableGainLower = below ?? 0
            gainMarginUp = above.map { $0 / g } ?? .infinity
            gainMarginDown = below.map { g / $0 } ?? .infinity
        } else {
            stableGainUpper = nil
            stableGainLower = nil
            gainMarginUp = nil
            gainMarginDown = nil
        }

        // Gain crossovers |g L₁| = 1, and the stability margin.
        var best: Crossover? = nil
        var smallest = Double.infinity
        var previousExcess = g * loop.response(angle: omegas[0]).modulus - 1
        var above = 0, belowCount = 0
        var smallestIndex = 0
        func distance(_ omega: Double) -> Double {
            let value = loop.response(angle: omega)
            return Complex(1 + g * value.real, g * value.imaginary).modulus
        }
        for index in omegas.indices {
            let value = loop.response(angle: omegas[index])
            let scaled = Complex(g * value.real, g * value.imaginary)
            let gap = (scaled + Complex(1)).modulus
            if gap < smallest { smallest = gap; smallestIndex = index }
            let excess = scaled.modulus - 1
            if excess > 0 { above += 1 } else { belowCount += 1 }
            if index > 0 && (previousExcess > 0) != (excess > 0) {
                var low = omegas[index - 1], high = omegas[index]
                let lowSign = previousExcess > 0
                for _ in 0..<80 {
                    let middle = 0.5 * (low + high)
                    if (g * loop.response(angle: middle).modulus - 1 > 0) == lowSign { low = middle } else { high = middle }
                }
                let omega = 0.5 * (low + high)
                let angle = loop.response(angle: omega).argument * 180 / Double.pi
                var margin = angle.truncatingRemainder(dividingBy: 360)
                if margin < 0 { margin += 360 }
                margin -= 180
                if best == nil || abs(margin) < abs(best!.value) { best = Crossover(frequency: omega, value: margin) }
            }
            previousExcess = excess
        }
        // Refine the minimum of |1 + L| between the grid neighbours (golden section).
        var low = omegas[max(0, smallestIndex - 1)], high = omegas[min(omegas.count - 1, smallestIndex + 1)]
        let ratio = (5.0.squareRoot() - 1) / 2
        for _ in 0..<100 {
            let left = high - ratio * (high - low), right = low + ratio * (high - low)
            if distance(left) < distance(right) { high = right } else { low = left }
        }
        stabilityMargin = min(smallest, distance(0.5 * (low + high)))
        phaseMargin = best?.value
        gainCrossoverFrequency = best?.frequency
        if best != nil {
            phaseMarginNote = nil
        } else if belowCount == 0 {
            phaseMarginNote = "no gain crossover: |L| > 1 at every frequency up to Nyquist (|L(−1)| = "
                + String(format: "%.3g", g * atNyquist.modulus) + "), so the loop never rolls off below 1"
        } else {
            phaseMarginNote = "no gain crossover: |L| < 1 at every frequency scanned"
        }
    }
}
