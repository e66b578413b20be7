import Foundation

/// Student's t distribution: the quantile behind the comparison's 95 % intervals.
///
/// Written here so that the trainer links no GSL (it replaces `gsl_cdf_tdist_Pinv`; the tests
/// hold it to GSL's value and to printed tables). The upper tail is
///
///     Q(t) = P(T > t) = ½·I_{ν/(ν+t²)}(ν/2, ½)   for t ≥ 0
///
/// (Abramowitz & Stegun 26.7.1 with 26.5.27), with the regularised incomplete beta function
/// `I_x(a, b)` from its continued fraction (DLMF 8.17.22), evaluated by the modified Lentz
/// method. The quantile solves `Q(t) = 1 − p` by Newton's method on the density, kept inside
/// a bisection bracket.
package enum StudentT {
    /// The `p` quantile of Student's t with `degreesOfFreedom` degrees of freedom.
    ///
    /// - Parameters:
    ///   - p: The lower-tail probability, in (0, 1); 0 and 1 give −∞ and +∞.
    ///   - degreesOfFreedom: ν > 0 (need not be an integer).
    /// - Returns: `t` with `P(T ≤ t) = p`, or NaN when `p` is outside [0, 1] or ν is not a
    ///   positive finite number.
    package static func quantile(_ p: Double, degreesOfFreedom: Double) -> Double {
        let nu = degreesOfFreedom
        guard p >= 0, p <= 1, nu > 0, nu.isFinite else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p == 0.5 { return 0 }
        // Symmetry: solve on t ≥ 0. Near the centre solve P(0 < T ≤ t) = p − ½ and in the tail
        // Q(t) = 1 − p, so that the probability matched is never a difference of nearby numbers
        // (p − ½ and 1 − p are exact in binary floating point for p in [¼, 1]).
        let upper = max(p, 1 - p)
        let magnitude = upper <= 0.75 ? solve(centralProbability, equals: upper - 0.5, nu: nu)
                                      : solve(upperTail, equals: 1 - upper, nu: nu)
        return p < 0.5 ? -magnitude : magnitude
    }

    /// `P(0 < T ≤ t) = ½·I_{t²/(ν+t²)}(½, ν/2)` for `t ≥ 0` (the complement of ``upperTail(_:nu:)``
    /// within the upper half, computed without cancellation for small `t`).
    /// - Parameters:
    ///   - t: A point at or above 0.
    ///   - nu: The degrees of freedom.
    static func centralProbability(_ t: Double, nu: Double) -> Double {
        if t.isInfinite { return 0.5 }
        return 0.5 * regularisedIncompleteBeta(t * t / (nu + t * t), a: 0.5, b: nu / 2)
    }

    /// `P(T > t)` for `t ≥ 0`.
    /// - Parameters:
    ///   - t: A point at or above 0.
    ///   - nu: The degrees of freedom.
    static func upperTail(_ t: Double, nu: Double) -> Double {
        if t.isInfinite { return 0 }
        return 0.5 * regularisedIncompleteBeta(nu / (nu + t * t), a: nu / 2, b: 0.5)
    }

    /// The density of Student's t at `t`.
    /// - Parameters:
    ///   - t: The point.
    ///   - nu: The degrees of freedom.
    static func density(_ t: Double, nu: Double) -> Double {
        let logNormaliser = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Foundation.log(nu * Double.pi)
        return exp(logNormaliser - (nu + 1) / 2 * log1p(t * t / nu))
    }

    /// The t ≥ 0 at which a monotone probability of t (``upperTail(_:nu:)``, decreasing, or
    /// ``centralProbability(_:nu:)``, increasing; both have slope ∓density) equals `target`.
    static func solve(_ probability: (Double, Double) -> Double, equals target: Double, nu: Double) -> Double {
        let decreasing = probability(0, nu) > target
        // The signed residual grows with t in both cases.
        func residual(_ t: Double) -> Double { decreasing ? target - probability(t, nu) : probability(t, nu) - target }
        var low = 0.0, high = 1.0
        while residual(high) < 0 {
            low = high
            high *= 2
            if !high.isFinite { return .infinity }
        }
        var t = 0.5 * (low + high)
        for _ in 0..<200 {
            let value = residual(t)
            if value == 0 { return t }
            if value < 0 { low = t } else { high = t }
            // Newton step (the residual's slope is the density); bisect when it would leave the bracket.
            var next = t - value / density(t, nu: nu)
            if !(next > low && next < high) { next = 0.5 * (low + high) }
            if abs(next - t) <= 1e-15 * max(1e-300, abs(t)) { return next }
            t = next
        }
        return t
    }

    /// `I_x(a, b)`, the regularised incomplete beta function.
    /// - Parameters:
    ///   - x: In [0, 1].
    ///   - a: > 0.
    ///   - b: > 0.
    static func regularisedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        // The continued fraction converges fast for x < (a + 1)/(a + b + 2); use
        // I_x(a, b) = 1 − I_{1−x}(b, a) on the other side.
        if x > (a + 1) / (a + b + 2) { return 1 - regularisedIncompleteBeta(1 - x, a: b, b: a) }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * Foundation.log(x) + b * log1p(-x)
        return exp(logFront) / a * continuedFraction(x, a: a, b: b)
    }

    /// `1/(1 + d₁/(1 + d₂/(1 + …)))` of DLMF 8.17.22, by the modified Lentz method.
    static func continuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var value = d
        func absorb(_ numerator: Double) {
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            value *= d * c
        }
        for m in 1...10_000 {
            let m = Double(m)
            absorb(m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)))            // d_{2m}
            absorb(-(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)))  // d_{2m+1}
            if abs(d * c - 1) < 1e-16 { break }
        }
        return value
    }
}
