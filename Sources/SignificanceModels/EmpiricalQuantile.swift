import CNumerics

/// Upper quantiles of samples: the threshold above which a given fraction of values lie.
public enum EmpiricalQuantile {
    /// The empirical (1 − `probability`) quantile of `values`: about a fraction `probability` of
    /// the values lie above it.
    ///
    /// Definition (Hyndman & Fan type 7, NumPy's default `"linear"`): with the n non-NaN values
    /// sorted ascending, v₀ ≤ … ≤ v_{n−1}, and h = (n − 1)(1 − probability), the result is
    /// v_⌊h⌋ + (h − ⌊h⌋)(v_{⌊h⌋+1} − v_⌊h⌋). So `probability` 0 gives the maximum and 1 the minimum.
    /// NaNs are ignored; infinities take part.
    /// - Parameters:
    ///   - values: The sample, e.g. one step's recorded scores.
    ///   - probability: The fraction that should lie above the result, in [0, 1].
    /// - Returns: The quantile; NaN when no value is a number or `probability` is outside [0, 1].
    public static func upperQuantile(_ values: [Double], probability: Double) -> Double {
        var numbers = values.filter { !$0.isNaN }
        return numbers.withUnsafeMutableBufferPointer { upperQuantile(reordering: $0, probability: probability) }
    }

    /// ``upperQuantile(_:probability:)`` on a buffer whose order it may change, in O(n)
    /// (`gsl_stats_select`). The buffer must hold no NaN.
    static func upperQuantile(reordering values: UnsafeMutableBufferPointer<Double>, probability: Double) -> Double {
        guard let base = values.baseAddress, !values.isEmpty, probability >= 0, probability <= 1 else { return .nan }
        let position = Double(values.count - 1) * (1 - probability)
        let lowerIndex = min(values.count - 1, Int(position.rounded(.down)))
        let fraction = position - Double(lowerIndex)
        let lower = gsl_stats_select(base, 1, values.count, lowerIndex)
        guard fraction > 0, lowerIndex + 1 < values.count else { return lower }
        let upper = gsl_stats_select(base, 1, values.count, lowerIndex + 1)
        return upper == lower ? lower : lower + fraction * (upper - lower)
    }
}

extension ScoreStream {
    /// ``EmpiricalQuantile/upperQuantile(_:probability:)``: the type-7 empirical
    /// (1 − `probability`) quantile, NaNs ignored; for the ideal threshold of recorded traces.
    /// - Parameters:
    ///   - values: The sample.
    ///   - probability: The fraction that should lie above the result, in [0, 1].
    public static func empiricalUpperQuantile(_ values: [Double], probability: Double) -> Double {
        EmpiricalQuantile.upperQuantile(values, probability: probability)
    }
}

extension IdealThreshold {
    /// ``EmpiricalQuantile/upperQuantile(_:probability:)``: the type-7 empirical
    /// (1 − `probability`) quantile, NaNs ignored; for the ideal threshold of recorded traces.
    /// - Parameters:
    ///   - values: The sample.
    ///   - probability: The fraction that should lie above the result, in [0, 1].
    public static func empiricalUpperQuantile(_ values: [Double], probability: Double) -> Double {
        EmpiricalQuantile.upperQuantile(values, probability: probability)
    }
}
