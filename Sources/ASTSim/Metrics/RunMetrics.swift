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

    /// Metrics from their values (``TraceMetrics/compute(_:settings:includeOscillationPeriod:)`` measures them from a trace).
    /// - Parameters:
    ///   - riseTime: Batches to 90 % of the initial error gone.
    ///   - settlingTime: Batches until the rate stays in the band, or `nil`.
    ///   - overshoot: Largest excursion past the target.
    ///   - steadyStateMeanError: Mean error over the steady-state window.
    ///   - steadyStateRMSError: RMS error over the window.
    ///   - iae: Σ|e|.
    ///   - itae: Σ k·|e|.
    ///   - signChanges: Sign changes of the error in the window.
    ///   - dominantPeriod: Batches per oscillation, if any.
    ///   - fractionSaturated: Share of batches at a bound.
    ///   - windupRecoveryTime: Longest recovery after a saturation episode.
    ///   - unrecoveredEpisodes: Episodes never recovered from.
    ///   - thresholdTrackingRMS: RMS of θ − θ*, when θ* is known.
    ///   - fractionFallback: Share of batches where the fallback fired.
    ///   - meanRate: Mean rate.
    public init(riseTime: Int?, settlingTime: Int?, overshoot: Double, steadyStateMeanError: Double,
                steadyStateRMSError: Double, iae: Double, itae: Double, signChanges: Int, dominantPeriod: Double?,
                fractionSaturated: Double, windupRecoveryTime: Int?, unrecoveredEpisodes: Int,
                thresholdTrackingRMS: Double?, fractionFallback: Double, meanRate: Double) {
        self.riseTime = riseTime
        self.settlingTime = settlingTime
        self.overshoot = overshoot
        self.steadyStateMeanError = steadyStateMeanError
        self.steadyStateRMSError = steadyStateRMSError
        self.iae = iae
        self.itae = itae
        self.signChanges = signChanges
        self.dominantPeriod = dominantPeriod
        self.fractionSaturated = fractionSaturated
        self.windupRecoveryTime = windupRecoveryTime
        self.unrecoveredEpisodes = unrecoveredEpisodes
        self.thresholdTrackingRMS = thresholdTrackingRMS
        self.fractionFallback = fractionFallback
        self.meanRate = meanRate
    }
}
