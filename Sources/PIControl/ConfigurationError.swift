/// A controller configuration that cannot be used, naming the field at fault.
///
/// Raised by ``ControllerConfiguration/validate()`` and the validated value types with ``file``
/// and ``line`` `nil`; a reader that knows where the configuration came from may set them.
public struct ConfigurationError: FieldError, Equatable {
    /// The file the configuration came from; `nil` when it came from code.
    public var file: String?
    /// The 1-based line of ``file`` that holds the field; `nil` when not tied to a line.
    public var line: Int?
    /// The configuration field, spelled as its Swift/JSON key (for example `emaAlpha`).
    public var field: String
    /// What the field must satisfy.
    public var expected: String
    /// The offending value, rendered as text.
    public var actual: String

    /// Creates an error.
    /// - Parameters:
    ///   - file: The file the configuration came from; `nil` (the default) when it came from code.
    ///   - line: The 1-based line of the field in `file`; `nil` (the default) when not tied to a line.
    ///   - field: The configuration field, as its Swift/JSON key (for example `emaAlpha`).
    ///   - expected: What the field must satisfy (for example `in (0, 1]`).
    ///   - actual: The offending value, rendered as text.
    public init(file: String? = nil, line: Int? = nil, field: String, expected: String, actual: String) {
        self.file = file
        self.line = line
        self.field = field
        self.expected = expected
        self.actual = actual
    }

    /// `invalid controller configuration: field 'emaAlpha': expected in (0, 1], got 2.0`, with
    /// the file and line in front when known (the shared rendering of ``FieldError``).
    public var description: String {
        fieldErrorDescription(kind: "invalid controller configuration")
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
