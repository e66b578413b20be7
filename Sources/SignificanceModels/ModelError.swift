import PIControl

/// Invalid model parameters, or a question a model cannot answer (an impossible quantile), in
/// the shared shape of `PIControl.FieldError`.
///
/// `field` names what is wrong the way a scenario file spells it: `"lognormal.sigma"`,
/// `"mixture.weights"`, `"mixture.components.1.gamma.shape"`, `"loss.beta.a"`,
/// `"drifts[0].parameter"`, `"kind"`, `"target"`. When a drift drives a parameter out of its
/// domain, `step` is the first step at which that happens (and ``actual`` says so). A model is
/// built from code, so ``file`` and ``line`` are `nil`: the scenario loader puts the error
/// where the file has it (an `InputError` with the file, line and field path).
public struct ModelError: FieldError, Equatable {
    /// The offending field, as a dotted path.
    public var field: String
    /// What the field must be, in words (for example `a finite number > 0`).
    public var expected: String
    /// What it was (for example `-0.5`, or `-0.5 at step 812, after drifts`).
    public var actual: String
    /// The step at which a drifted parameter left its domain; `nil` when no step is involved.
    public var step: Int?

    /// Always `nil`: a model comes from code.
    public var file: String? { nil }
    /// Always `nil`: a model comes from code.
    public var line: Int? { nil }

    /// Creates an error.
    /// - Parameters:
    ///   - field: The offending field, as a dotted path.
    ///   - expected: What the field must be.
    ///   - actual: What it was.
    ///   - step: The step at which a drifted parameter went wrong, if any.
    public init(field: String, expected: String, actual: String, step: Int? = nil) {
        self.field = field
        self.expected = expected
        self.actual = actual
        self.step = step
    }

    /// The same error with `prefix` put in front of its field (`"loss"` + `"beta.a"` → `"loss.beta.a"`).
    func prefixed(_ prefix: String) -> ModelError {
        ModelError(field: prefix + "." + field, expected: expected, actual: actual, step: step)
    }
}

/// Domain checks shared by the distributions and drifts.
enum DomainCheck {
    static func finite(_ value: Double, _ field: String) throws(ModelError) {
        guard value.isFinite else { throw ModelError(field: field, expected: "a finite number", actual: "\(value)") }
    }

    static func positive(_ value: Double, _ field: String) throws(ModelError) {
        guard value.isFinite, value > 0 else { throw ModelError(field: field, expected: "a finite number > 0", actual: "\(value)") }
    }

    static func nonNegative(_ value: Double, _ field: String) throws(ModelError) {
        guard value.isFinite, value >= 0 else { throw ModelError(field: field, expected: "a finite number >= 0", actual: "\(value)") }
    }

    static func openUnitInterval(_ value: Double, _ field: String) throws(ModelError) {
        guard value > 0, value < 1 else { throw ModelError(field: field, expected: "a number in (0, 1)", actual: "\(value)") }
    }
}
