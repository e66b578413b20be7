/// Invalid model parameters, or a question a model cannot answer (an impossible quantile).
///
/// `field` names what is wrong the way a scenario file spells it: `"lognormal.sigma"`,
/// `"mixture.weights"`, `"mixture.components.1.gamma.shape"`, `"loss.beta.a"`,
/// `"drifts[0].parameter"`, `"kind"`, `"target"`. When a drift drives a parameter out of its
/// domain, `step` is the first step at which that happens.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The offending field, as a dotted path.
    public var field: String
    /// What is wrong with it, in words.
    public var message: String
    /// The step at which a drifted parameter left its domain; `nil` when no step is involved.
    public var step: Int?

    /// Creates an error.
    /// - Parameters:
    ///   - field: The offending field, as a dotted path.
    ///   - message: What is wrong with it.
    ///   - step: The step at which a drifted parameter went wrong, if any.
    public init(field: String, message: String, step: Int? = nil) {
        self.field = field
        self.message = message
        self.step = step
    }

    public var description: String {
        if let step { return "\(field) at step \(step): \(message)" }
        return "\(field): \(message)"
    }

    /// The same error with `prefix` put in front of its field (`"loss"` + `"beta.a"` → `"loss.beta.a"`).
    func prefixed(_ prefix: String) -> ModelError {
        ModelError(field: prefix + "." + field, message: message, step: step)
    }
}

/// Domain checks shared by the distributions and drifts.
enum DomainCheck {
    static func finite(_ value: Double, _ field: String) throws(ModelError) {
        guard value.isFinite else { throw ModelError(field: field, message: "must be finite, got \(value)") }
    }

    static func positive(_ value: Double, _ field: String) throws(ModelError) {
        guard value.isFinite, value > 0 else { throw ModelError(field: field, message: "must be finite and > 0, got \(value)") }
    }

    static func nonNegative(_ value: Double, _ field: String) throws(ModelError) {
        guard value.isFinite, value >= 0 else { throw ModelError(field: field, message: "must be finite and >= 0, got \(value)") }
    }

    static func openUnitInterval(_ value: Double, _ field: String) throws(ModelError) {
        guard value > 0, value < 1 else { throw ModelError(field: field, message: "must lie in (0, 1), got \(value)") }
    }
}
