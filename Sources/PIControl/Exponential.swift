/// The logistic function and the exponential it needs, written out because `PIControl`
/// imports nothing (not even Foundation's libm).
@usableFromInline
enum Exponential {
    /// `eˣ` to within a few ulps over the whole Double range.
    ///
    /// Range reduction `x = k·ln2 + r` with `|r| ≤ ln2/2` (ln2 split in two parts so the
    /// reduction is exact to double precision), a degree-13 Taylor polynomial for `eʳ`
    /// (truncation error below 1e-17 on that interval), then scaling by `2ᵏ`.
    @inlinable
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.782712893384 { return .infinity }
        if x < -745.1332191019412 { return 0 }
        let ln2High = 6.93147180369123816490e-01
        let ln2Low = 1.90821492927058770002e-10
        let k = (x * 1.4426950408889634).rounded(.toNearestOrEven)
        let r = (x - k * ln2High) - k * ln2Low
        var term = 1.0
        var sum = 1.0
        for n in 1...13 {
            term *= r / Double(n)
            sum += term
        }
        // 2^k may underflow for the most negative k: scale in two halves.
        let exponent = Int(k)
        let half = exponent / 2
        return sum * Double(sign: .plus, exponent: half, significand: 1)
            * Double(sign: .plus, exponent: exponent - half, significand: 1)
    }

    /// `σ(z) = 1 / (1 + e^{−z})`.
    @inlinable
    static func logistic(_ z: Double) -> Double {
        1 / (1 + exp(-z))
    }
}
