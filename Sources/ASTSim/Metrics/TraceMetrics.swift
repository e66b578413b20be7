/// Computes ``RunMetrics`` from a ``Trace``.
public enum TraceMetrics {
    /// - Parameters:
    ///   - trace: The run.
    ///   - settings: Target, band, window, steady-state fraction.
    ///   - includeOscillationPeriod: Whether to run the (costlier) autocorrelation; sweeps skip it.
    public static func compute(_ trace: Trace, settings: MetricSettings, includeOscillationPeriod: Bool = true) -> RunMetrics {
        compute(rate: trace.rate, saturated: trace.saturated, threshold: trace.threshold,
                idealThreshold: trace.idealThreshold, fallback: trace.fallback, settings: settings,
                includeOscillationPeriod: includeOscillationPeriod)
    }

    /// The same on bare series (used by tests with hand-made traces).
    /// - Parameters:
    ///   - rate: Per-batch activation rate.
    ///   - saturated: Per-batch: the threshold sat at a bound.
    ///   - threshold: Per-batch threshold.
    ///   - idealThreshold: Per-batch ideal threshold θ*, or empty when none is known.
    ///   - fallback: Per-batch: the fallback chose samples.
    ///   - settings: Target, band and windows.
    ///   - includeOscillationPeriod: Also estimate the oscillation period (the costliest metric).
    public static func compute(
        rate: [Double], saturated: [Bool], threshold: [Double], idealThreshold: [Double], fallback: [Bool] = [],
        settings: MetricSettings, includeOscillationPeriod: Bool = true
    ) -> RunMetrics {
        let count = rate.count
        guard count > 0 else {
            return RunMetrics(riseTime: nil, settlingTime: nil, overshoot: 0, steadyStateMeanError: 0,
                              steadyStateRMSError: 0, iae: 0, itae: 0, signChanges: 0, dominantPeriod: nil,
                              fractionSaturated: 0, windupRecoveryTime: nil, unrecoveredEpisodes: 0,
                              thresholdTrackingRMS: nil, fractionFallback: 0, meanRate: 0)
        }
        let smoothed = movingAverage(rate, window: settings.window)
        let target = settings.target
        let band = settings.band
        var errors = [Double](repeating: 0, count: count)
        for step in 0..<count { errors[step] = smoothed[step] - target }
        let inBand = errors.map { abs($0) <= band }

        // Settling: the last out-of-band step, plus one.
        var settlingTime: Int? = 0
        if let lastOut = inBand.lastIndex(of: false) {
            settlingTime = lastOut + 1 < count ? lastOut + 1 : nil
        }

        let initialError = errors[0]
        var riseTime: Int? = nil
        for step in 0..<count where abs(errors[step]) <= max(0.1 * abs(initialError), band) {
            riseTime = step
            break
        }

        let direction: Double = initialError >= 0 ? 1 : -1
        var overshoot = 0.0
        for error in errors { overshoot = max(overshoot, -direction * error) }
        if abs(initialError) <= band { overshoot = 0 }

        var iae = 0.0, itae = 0.0
        for step in 0..<count {
            iae += abs(errors[step])
            itae += Double(step) * abs(errors[step])
        }

        let tailStart = min(count - 1, Int(Double(count) * (1 - settings.steadyStateFraction)))
        let tail = tailStart..<count
        var rateSum = 0.0, squareSum = 0.0
        for step in tail {
            rateSum += rate[step]
            squareSum += errors[step] * errors[step]
        }
        let tailCount = Double(tail.count)

        var trackingSum = 0.0, trackingCount = 0
        for step in tail where idealThreshold.indices.contains(step) && idealThreshold[step].isFinite {
            let difference = threshold[step] - idealThreshold[step]
            trackingSum += difference * difference
            trackingCount += 1
        }

        let (recovery, unrecovered) = windupRecovery(saturated: saturated, inBand: inBand)
        return RunMetrics(
            riseTime: riseTime, settlingTime: settlingTime, overshoot: overshoot,
            steadyStateMeanError: rateSum / tailCount - target,
            steadyStateRMSError: (squareSum / tailCount).squareRoot(), iae: iae, itae: itae,
            signChanges: signChanges(errors, hysteresis: band / 2),
            dominantPeriod: includeOscillationPeriod ? dominantPeriod(Array(errors[tail])) : nil,
            fractionSaturated: Double(saturated.lazy.filter { $0 }.count) / Double(count),
            windupRecoveryTime: recovery, unrecoveredEpisodes: unrecovered,
            thresholdTrackingRMS: trackingCount > 0 ? (trackingSum / Double(trackingCount)).squareRoot() : nil,
            fractionFallback: Double(fallback.lazy.filter { $0 }.count) / Double(count),
            meanRate: rate.reduce(0, +) / Double(count))
    }

    /// Trailing moving average; the first `window − 1` entries average what exists so far.
    /// - Parameters:
    ///   - values: The series.
    ///   - window: The window length, at least 1 (smaller values count as 1).
    public static func movingAverage(_ values: [Double], window: Int) -> [Double] {
        let width = max(1, window)
        var result = [Double](repeating: 0, count: values.count)
        var sum = 0.0
        for index in values.indices {
            sum += values[index]
            if index >= width { sum -= values[index - width] }
            result[index] = sum / Double(min(index + 1, width))
        }
        return result
    }

    /// Sign changes with hysteresis: the sign flips only when the value passes beyond
    /// `±hysteresis` on the other side.
    /// - Parameters:
    ///   - values: The series.
    ///   - hysteresis: The distance beyond 0 a value must reach for its sign to count.
    public static func signChanges(_ values: [Double], hysteresis: Double) -> Int {
        var sign = 0
        var changes = 0
        for value in values {
            let current = value > hysteresis ? 1 : (value < -hysteresis ? -1 : 0)
            if current != 0 {
                if sign != 0 && current != sign { changes += 1 }
                sign = current
            }
        }
        return changes
    }

    /// The lag of the first autocorrelation peak after its first zero crossing, if that
    /// peak is positive (an oscillation); `nil` otherwise.
    public static func dominantPeriod(_ values: [Double]) -> Double? {
        let count = values.count
        guard count >= 8 else { return nil }
        let mean = values.reduce(0, +) / Double(count)
        let centred = values.map { $0 - mean }
        let variance = centred.reduce(0) { $0 + $1 * $1 }
        guard variance > 0 else { return nil }
        let maxLag = min(count / 2, 2000)
        var correlation = [Double](repeating: 0, count: maxLag + 1)
        for lag in 0...maxLag {
            var sum = 0.0
            for index in 0..<(count - lag) { sum += centred[index] * centred[index + lag] }
            correlation[lag] = sum / variance
        }
        guard let firstNegative = correlation.firstIndex(where: { $0 < 0 }) else { return nil }
        var bestLag = -1
        var best = 0.0
        var lag = firstNegative
        while lag < maxLag {
            if correlation[lag] > 0 && correlation[lag] >= correlation[lag - 1] && correlation[lag] >= correlation[lag + 1] {
                if correlation[lag] > best { best = correlation[lag]; bestLag = lag }
                break
            }
            lag += 1
        }
        return bestLag > 0 && best > 0.1 ? Double(bestLag) : nil
    }

    /// Worst recovery time over saturation episodes that recovered, and how many did not.
    static func windupRecovery(saturated: [Bool], inBand: [Bool]) -> (Int?, Int) {
        var worst: Int? = nil
        var unrecovered = 0
        var step = 0
        let count = saturated.count
        while step < count {
            guard saturated[step] else { step += 1; continue }
            var end = step
            while end < count && saturated[end] { end += 1 }
            // `end` is the first unsaturated step after the episode.
            if let back = inBand[end..<count].firstIndex(of: true) {
                worst = max(worst ?? 0, back - end)
            } else if end < count || !inBand[count - 1] {
                unrecovered += 1
            }
            step = end
        }
        return (worst, unrecovered)
    }
}
