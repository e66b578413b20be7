/// The controller's evolving state between batches.
public struct ControllerState: Sendable, Equatable, Hashable, Codable {
    /// `θ_k`, the threshold that will gate the next batch.
    public var threshold: Double
    /// `m_{k−1}`, the smoothed rate (starts at the target).
    public var ema: Double
    /// `I`, the integral of the error under the anti-windup rule.
    public var integral: Double
    /// `e_{k−1}`, used by the velocity law.
    public var previousError: Double
    /// Σ selected (or Σ rates when fed rates) for the cumulative measurement.
    public var cumulativeSelected: Double
    /// Σ batch sizes (or number of rates) for the cumulative measurement.
    public var cumulativeSeen: Double
    /// Energy in the gate's bucket, when it has one.
    public var energy: Double
    /// Updates made so far.
    public var step: Int
    /// Whether the last update was clipped by a threshold bound.
    public var saturated: Bool

    /// The state before the first batch of `configuration`.
    public init(configuration: ControllerConfiguration) {
        threshold = configuration.initialThreshold
        ema = configuration.target
        integral = 0
        previousError = 0
        cumulativeSelected = 0
        cumulativeSeen = 0
        energy = configuration.gate.energyBudget?.capacity ?? 0
        step = 0
        saturated = false
    }
}

/// One controller update, as recorded in a trace.
public struct ControllerStep: Sendable, Equatable, Hashable, Codable {
    /// `θ_k`, the threshold that was in force for the batch.
    public var gatingThreshold: Double
    /// `r_k` after the measurement rule (per-batch or cumulative), clamped to [0, 1].
    public var observedRate: Double
    /// `m_k`.
    public var ema: Double
    /// `e_k` after the deadband.
    public var error: Double
    /// `I` after the update.
    public var integral: Double
    /// `θ_{k+1}`.
    public var nextThreshold: Double
    /// Whether `θ_{k+1}` was clipped to a bound.
    public var saturated: Bool
}
