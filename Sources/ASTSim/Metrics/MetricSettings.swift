/// How a rate trace is judged.
public struct MetricSettings: Sendable, Equatable, Hashable, Codable {
    /// The target activation rate.
    public var target: Double
    /// Half-width of the settling band around the target, in rate units (0.01 = ±1 point).
    public var band: Double
    /// Batches in the trailing moving average that the rate metrics are computed on.
    ///
    /// A single batch's rate carries binomial noise of `√(p(1−p)/B)` (±2.7 points at
    /// p = 0.1, B = 128), wider than any useful band; the window averages it down by `√W`.
    public var window: Int
    /// Fraction of the run, at its end, taken as steady state.
    public var steadyStateFraction: Double

    /// - Parameters:
    ///   - target: Target rate.
    ///   - band: Settling band half-width (default ±1 point).
    ///   - window: Moving-average window in batches (default 50).
    ///   - steadyStateFraction: Tail fraction used for steady-state metrics (default 0.25).
    public init(target: Double, band: Double = 0.01, window: Int = 50, steadyStateFraction: Double = 0.25) {
        self.target = target
        self.band = band
        self.window = window
        self.steadyStateFraction = steadyStateFraction
    }
}
