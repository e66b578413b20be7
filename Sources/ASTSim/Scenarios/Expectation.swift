/// A metric that a scenario can bound.
public enum MetricName: String, Sendable, CaseIterable, Codable {
    case settled, riseTime, settlingTime, overshoot, steadyStateMeanError, steadyStateRMSError
    case iae, itae, signChanges, dominantPeriod, fractionSaturated, windupRecoveryTime
    case unrecoveredEpisodes, thresholdTrackingRMS, fractionFallback, meanRate

    /// The metric's value in `metrics`; `nil` when undefined (never settled, no episode, …).
    public func value(in metrics: RunMetrics) -> Double? {
        switch self {
        case .settled: metrics.settled ? 1 : 0
        case .riseTime: metrics.riseTime.map(Double.init)
        case .settlingTime: metrics.settlingTime.map(Double.init)
        case .overshoot: metrics.overshoot
        case .steadyStateMeanError: metrics.steadyStateMeanError
        case .steadyStateRMSError: metrics.steadyStateRMSError
        case .iae: metrics.iae
        case .itae: metrics.itae
        case .signChanges: Double(metrics.signChanges)
        case .dominantPeriod: metrics.dominantPeriod
        case .fractionSaturated: metrics.fractionSaturated
        case .windupRecoveryTime: metrics.windupRecoveryTime.map(Double.init)
        case .unrecoveredEpisodes: Double(metrics.unrecoveredEpisodes)
        case .thresholdTrackingRMS: metrics.thresholdTrackingRMS
        case .fractionFallback: metrics.fractionFallback
        case .meanRate: metrics.meanRate
        }
    }
}

/// A bound that must hold for a metric on every seed of a scenario.
public struct Expectation: Sendable, Equatable, Codable {
    public enum Bound: Sendable, Equatable, Codable {
        case atMost(Double)
        case atLeast(Double)
        case absoluteAtMost(Double)
        case equals(Bool)
    }

    public var metric: MetricName
    public var bound: Bound
    /// Where it was written (for messages).
    public var line: Int

    /// An expectation on one metric of a run.
    /// - Parameters:
    ///   - metric: The metric the bound applies to.
    ///   - bound: What the metric must satisfy.
    ///   - line: The line in the scenario file it was written on, 0 when it was not read from a file.
    public init(metric: MetricName, bound: Bound, line: Int = 0) {
        self.metric = metric
        self.bound = bound
        self.line = line
    }

    /// Whether `value` satisfies the bound; an undefined value fails every numeric bound
    /// (a run that never settles has no settling time to be below anything).
    public func holds(for value: Double?) -> Bool {
        guard let value else { return false }
        switch bound {
        case .atMost(let limit): return value <= limit
        case .atLeast(let limit): return value >= limit
        case .absoluteAtMost(let limit): return abs(value) <= limit
        case .equals(let flag): return (value != 0) == flag
        }
    }

    /// How far `value` is past the bound (positive = violated by that much); `nil` if undefined.
    public func excess(for value: Double?) -> Double? {
        guard let value else { return nil }
        switch bound {
        case .atMost(let limit): return value - limit
        case .atLeast(let limit): return limit - value
        case .absoluteAtMost(let limit): return abs(value) - limit
        case .equals(let flag): return (value != 0) == flag ? 0 : 1
        }
    }

    /// The worst of several seeds' values for this bound (the one that most violates it).
    public func worst(of values: [Double?]) -> Double? {
        var worstValue: Double? = values.first ?? nil
        var worstExcess = -Double.infinity
        for value in values {
            guard let excess = excess(for: value) else { return nil }
            if excess > worstExcess { worstExcess = excess; worstValue = value }
        }
        return worstValue
    }

    /// Human-readable bound, e.g. `<= 1500`.
    public var boundDescription: String {
        switch bound {
        case .atMost(let limit): "<= \(limit)"
        case .atLeast(let limit): ">= \(limit)"
        case .absoluteAtMost(let limit): "|x| <= \(limit)"
        case .equals(let flag): "== \(flag)"
        }
    }
}
