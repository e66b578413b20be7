import PIControl
import SignificanceModels

/// A problem in a scenario, gains, trace or sweep file, or in a simulation command's options,
/// located by file, line and field (the shared shape of `PIControl.FieldError`).
public struct InputError: FieldError, Equatable {
    /// The file the value came from; `nil` when it came from the command line or code.
    public var file: String?
    /// The 1-based line of ``file``; `nil` when the problem is not tied to a line.
    public var line: Int?
    /// The field's path, e.g. `controllers[1].expect.settlingTime.max`, or the option, e.g.
    /// `--kp`; empty for the file itself.
    public var field: String
    /// What the field (or the file) must be.
    public var expected: String
    /// What it was.
    public var actual: String

    /// Creates an error.
    /// - Parameters:
    ///   - file: The file the value came from; `nil` when it came from the command line or code.
    ///   - line: The 1-based line in `file`; `nil` (the default) when not tied to a line.
    ///   - field: The field's path or the option's name; empty for the file itself.
    ///   - expected: What it must be (for example `a rate in (0, 1)`).
    ///   - actual: What it was (for example `1.5`).
    public init(file: String?, line: Int? = nil, field: String, expected: String, actual: String) {
        self.file = file
        self.line = line
        self.field = field
        self.expected = expected
        self.actual = actual
    }

    /// `error`, raised without a location (a `PIControl.ConfigurationError`, a
    /// `ModelError`, a ``RecordedScores`` option), located at `file` and `line` under `field`:
    /// `controllers[0].set` + `emaAlpha` gives `controllers[0].set.emaAlpha`. The inner
    /// ``expected`` and ``actual`` are kept as they are.
    /// - Parameters:
    ///   - error: The inner error; its file and line, if any, are replaced by these.
    ///   - file: The file the value came from, or `nil`.
    ///   - line: The 1-based line in `file`, or `nil`.
    ///   - field: The field the inner value sits under; empty for the top level.
    public init(locating error: some FieldError, file: String?, line: Int?, field: String) {
        let inner = error.field
        self.init(file: file, line: line, field: inner.isEmpty ? field : field.isEmpty ? inner : field + "." + inner,
                  expected: error.expected, actual: error.actual)
    }
}

extension MemoryEstimate {
    /// The refusal of a run whose estimate exceeds the limit, as an ``InputError``; `nil` when
    /// it fits.
    /// - Parameters:
    ///   - what: What would run (`this scenario`, `this sweep`, `tuning`).
    ///   - change: What to lower, named as the user spells it (`--seeds`, `steps`).
    ///   - file: The file of the field to lower, or `nil` for a command-line option.
    ///   - line: Its 1-based line, or `nil`.
    ///   - field: The field or option to lower.
    func refusal(of what: String, change: String, file: String?, line: Int? = nil, field: String) -> InputError? {
        guard !(bytes <= Self.limit) else { return nil }
        return InputError(file: file, line: line, field: field,
                          expected: "a run within the memory limit of \(Self.format(Self.limit)) "
                              + "(half of this machine's physical memory); lower \(change)",
                          actual: "\(what) needs an estimated \(Self.format(bytes)) of memory (\(formula))")
    }
}

extension InputError {
    /// A score-model error found when a scenario runs (a drift out of its parameter's domain,
    /// an impossible ideal threshold), located in the scenario file with the field spelled the
    /// way the file has it: `drifts[0].ramp.to` is `drift[0].to`, `lognormal.sigma` is
    /// `scores.sigma`, `mixture.components.1.gamma.shape` is `scores.components[1].shape`,
    /// `target` stays `target`. The model knows no line, so none is given.
    /// - Parameters:
    ///   - error: The model's error.
    ///   - scenario: The scenario that ran.
    init(model error: ModelError, in scenario: Scenario) {
        self.init(file: scenario.file, field: Self.scenarioField(ofModelField: error.field),
                  expected: error.expected, actual: error.actual)
    }

    /// A model's field path as a scenario file spells it: the kind names the model puts in
    /// (`lognormal`, `ramp`) are values of the file's `distribution:`/`kind:` keys, not keys,
    /// and list positions are written `[i]`.
    static func scenarioField(ofModelField field: String) -> String {
        if ["target", "steps", "batchSize"].contains(field) { return field }
        var components = field.split(separator: ".").map(String.init)
        var root = "scores"
        if let first = components.first, first.hasPrefix("drifts[") {
            root = "drift" + first.dropFirst("drifts".count)
            components.removeFirst()
        }
        let kindNames = Set(Distribution.kinds + ["mixture", "constant", "ramp", "step", "pulse", "sinusoid", "randomWalk", "exponentialDecay"])
        // Model names whose file key differs.
        let fileKeys = ["weights": "components", "startStep": "start", "endStep": "end", "atStep": "at", "stepSigma": "sigma"]
        var path = root
        for component in components where !kindNames.contains(component) {
            if Int(component) != nil { path += "[\(component)]" } else { path += "." + (fileKeys[component] ?? component) }
        }
        return path
    }
}
