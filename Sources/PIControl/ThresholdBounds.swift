/// The closed interval `[lower, upper]` within which a threshold is kept.
///
/// Unlike `ClosedRange`, construction never traps: an empty or non-finite interval is a
/// ``ConfigurationError`` naming the field.
public struct ThresholdBounds: Sendable, Equatable, Hashable, Codable {
    public var lower: Double
    public var upper: Double

    /// - Parameters:
    ///   - lower: The smallest allowed threshold.
    ///   - upper: The largest allowed threshold; must exceed `lower`.
    public init(lower: Double, upper: Double) throws(ConfigurationError) {
        self.lower = lower
        self.upper = upper
        try validate(field: "thresholdBounds")
    }

    init(uncheckedLower lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    func validate(field: String) throws(ConfigurationError) {
        try ConfigurationError.requireFinite(lower, field + ".lower")
        try ConfigurationError.requireFinite(upper, field + ".upper")
        guard lower < upper else {
            throw ConfigurationError(field: field, expected: "lower < upper", actual: "[\(lower), \(upper)]")
        }
    }

    /// `value` limited to the interval.
    @inlinable
    public func clamp(_ value: Double) -> Double {
        // Written so that a NaN input lands on `lower` rather than propagating.
        if value > upper { return upper }
        if value >= lower { return value }
        return lower
    }

    /// Whether `value` lies strictly inside the interval.
    @inlinable
    public func containsStrictly(_ value: Double) -> Bool { value > lower && value < upper }
}
