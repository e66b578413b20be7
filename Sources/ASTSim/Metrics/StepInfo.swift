/// The step-response characteristics that python-control's `step_info` reports, on a sampled
/// response `y_k` (sample `k` at time `k`, in batches).
///
/// One convention throughout: the response is measured as the change `d_k = y_k − y_start`
/// towards the final value, `D = y_final − y_start` (`y_start` defaults to `y_0`, `y_final` to
/// the last sample). Every definition is python-control 0.10's applied to `d` and `D`, so the
/// two agree exactly on a response that starts at 0 (python-control assumes a start at rest at
/// 0). No interpolation between samples:
/// - **rise time**: time from the first sample with `d ≥ 10 %·D` to the first with `d ≥ 90 %·D`
///   (compared in the direction of `D`);
/// - **settling time**: the first time after which `|d/D − 1| < threshold` (default 2 %) holds to the end;
/// - **settling min / max**: the least and largest `y` from the 90 % rise sample on, and `y_final`;
/// - **overshoot**: `100·(max(sgn D·d) − |D|)/|D|` per cent when positive, else 0;
/// - **undershoot**: `100·(−min(sgn D·d))/|D|` per cent when the response first moves the wrong way, else 0;
/// - **peak**: `y` at the largest `|d|`, and its time.
public struct StepInfo: Sendable, Equatable, Codable {
    /// `nil` when the response never reaches 10 % or 90 % of the change.
    public var riseTime: Double?
    /// `nil` when the response does not settle within the samples.
    public var settlingTime: Double?
    public var settlingMin: Double?
    public var settlingMax: Double?
    /// Per cent of `|D|`.
    public var overshoot: Double
    /// Per cent of `|D|`.
    public var undershoot: Double
    public var peak: Double
    public var peakTime: Double
    public var steadyStateValue: Double

    /// - Parameters:
    ///   - y: The response, one sample per batch.
    ///   - start: `y_start` (default `y[0]`).
    ///   - final: `y_final` (default the last sample).
    ///   - settlingThreshold: Relative settling band (python-control's `SettlingTimeThreshold`, 0.02).
    ///   - riseLimits: Fractions of the change bounding the rise (python-control's `RiseTimeLimits`).
    /// - Returns: `nil` for an empty response or a zero change `D`.
    public static func compute(_ y: [Double], start: Double? = nil, final: Double? = nil, settlingThreshold: Double = 0.02,
                               riseLimits: (lower: Double, upper: Double) = (0.1, 0.9)) -> StepInfo? {
        guard let first = y.first, let last = y.last else { return nil }
        let origin = start ?? first
        let finalValue = final ?? last
        let change = finalValue - origin
        guard change != 0, change.isFinite else { return nil }
        let sign: Double = change > 0 ? 1 : -1
        let d = y.map { $0 - origin }
        let lowerIndex = d.firstIndex { sign * ($0 - riseLimits.lower * change) >= 0 }
        let upperIndex = d.firstIndex { sign * ($0 - riseLimits.upper * change) >= 0 }
        var riseTime: Double? = nil
        if let lowerIndex, let upperIndex { riseTime = Double(upperIndex - lowerIndex) }
        let lastOutside = d.lastIndex { abs($0 / change - 1) >= settlingThreshold }
        let settledIndex = lastOutside.map { $0 + 1 } ?? 0
        let settlingTime: Double? = settledIndex < y.count ? Double(settledIndex) : nil
        var settlingMin: Double? = nil, settlingMax: Double? = nil
        if let upperIndex {
            let tail = y[upperIndex...]
            settlingMin = min(tail.min() ?? finalValue, finalValue)
            settlingMax = max(tail.max() ?? finalValue, finalValue)
        }
        let signed = d.map { sign * $0 }
        let highest = signed.max() ?? 0
        let overshoot = highest > abs(change) ? 100 * (highest - abs(change)) / abs(change) : 0
        let lowest = signed.min() ?? 0
        let undershoot = lowest < 0 ? -100 * lowest / abs(change) : 0
        var peakIndex = 0
        for index in d.indices where abs(d[index]) > abs(d[peakIndex]) { peakIndex = index }
        return StepInfo(riseTime: riseTime, settlingTime: settlingTime, settlingMin: settlingMin, settlingMax: settlingMax,
                        overshoot: overshoot, undershoot: undershoot, peak: y[peakIndex], peakTime: Double(peakIndex),
                        steadyStateValue: finalValue)
    }
}
