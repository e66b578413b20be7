/// The cost that `ast tune` minimises, per run (lower is better), averaged over scenarios and seeds:
///
/// `J = 100·ITAE/Σk + 50·overshoot + 5·fractionSaturated + 5·[not settled]`
///
/// - `ITAE/Σk` is the time-weighted mean absolute rate error (rate units, ×100 → points), so
///   late errors weigh more than the unavoidable initial transient;
/// - `overshoot` in rate units (0.02 = 2 points, costing 1);
/// - `fractionSaturated` of the steps clipped by a bound;
/// - not settling into the band costs 5, the same as a 5-point mean error.
public enum TuningCost {
    public static let formula = "J = 100*ITAE/sum(k) + 50*overshoot + 5*fractionSaturated + 5*[not settled], mean over scenarios and seeds"

    /// The cost ``formula`` of one run.
    /// - Parameters:
    ///   - metrics: The run's metrics.
    ///   - steps: Batches in the run (weights the ITAE).
    public static func cost(_ metrics: RunMetrics, steps: Int) -> Double {
        let weightSum = Double(steps) * Double(steps - 1) / 2
        let itaeTerm = weightSum > 0 ? 100 * metrics.itae / weightSum : 0
        return itaeTerm + 50 * metrics.overshoot + 5 * metrics.fractionSaturated + (metrics.settled ? 0 : 5)
    }
}
