/// Step-response and tracking metrics of one run. Rate metrics are computed on the trailing
/// moving average `r̄_k` of the per-batch rate (see ``MetricSettings/window``); `e_k = r̄_k − target`.
public struct RunMetrics: Sendable, Equatable, Codable {
    /// First step at which 90 % of the initial error `e_0` is gone (`|e_k| ≤ 0.1·|e_0|`, or
    /// `|e_k| ≤ band`); 0 if the run starts inside the band; `nil` if never.
    public var riseTime: Int?
    /// First step from which `|e_k| ≤ band` holds to the end; `nil` if it never does.
    public var settlingTime: Int?
    /// Largest excursion past the target on the side opposite to the initial error, in rate
    /// units (0.02 = 2 points).
    public var overshoot: Double
    /// Mean per-batch rate minus target over the steady-state tail.
    public var steadyStateMeanError: Double
    /// `√mean(e_k²)` over the steady-state tail (moving-average rate).
    public var steadyStateRMSError: Double
    /// `Σ |e_k|`.
    public var iae: Double
    /// `Σ k·|e_k|`.
    public var itae: Double
    /// Sign changes of `e_k`, with a hysteresis of half the band so noise inside it does not count.
    public var signChanges: Int
    /// Dominant oscillation period in steps (first autocorrelation peak of the steady-state
    /// error), `nil` when the error does not oscillate or the analysis was skipped.
    public var dominantPeriod: Double?
    /// Fraction of steps whose update was clipped by a threshold bound.
    public var fractionSaturated: Double
    /// Worst number of steps from the end of a saturation episode to re-entering the band,
    /// over the episodes that did re-enter; `nil` when there was no such episode.
    public var windupRecoveryTime: Int?
    /// Saturation episodes after which the rate never re-entered the band.
    public var unrecoveredEpisodes: Int
    /// `√mean((θ_k − θ*_k)²)` over the steady-state tail; `nil` when `θ*` is unknown.
    public var thresholdTrackingRMS: Double?
    /// Fraction of batches in which the fallback added samples (a loop held up by its
    /// fallback floor rather than by its threshold).
    public var fractionFallback: Double
    /// Mean per-batch rate over the whole run.
    public var meanRate: Double
    /// Whether the run settled.
    public var settled: Bool { settlingTime != nil }
}
