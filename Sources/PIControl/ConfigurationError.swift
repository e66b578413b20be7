/// A controller configuration that cannot be used, naming the field at fault.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration field, spelled as its Swift/JSON key (for example `emaAlpha`).
    public var field: String
    /// What the field must satisfy.
    public var expected: String
    /// The offending value, rendered as text.
    public var actual: String

    public init(field: String, expected: String, actual: String) {
        self.field = field
        self.expected = expected
        self.actual = actual
    }

    public var description: String {
        "invalid controller configuration: field '\(field)' must be \(expected), got \(actual)"
    }
}

extension ConfigurationError {
    static func requireFinite(_ value: Double, _ field: String) throws(ConfigurationError) {
        guard value.isFinite else {
            throw ConfigurationError(field: field, expected: "a finite number", actual: "\(value)")
        }
    }

    static func requireNonNegative(_ value: Double, _ field: String) throws(ConfigurationError) {
        try requireFinite(value, field)
        guard value >= 0 else {
            throw ConfigurationError(field: field, expected: ">= 0", actual: "\(value)")
        }
    }
}
