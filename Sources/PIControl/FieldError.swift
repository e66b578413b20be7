/// A value that cannot be used, in the one shape every "bad field" error of the package has:
/// where it came from (``file`` and ``line``), which field it is (``field``), what the field
/// must be (``expected``) and what it was (``actual``).
///
/// Conformers: ``ConfigurationError`` here; `InputError` (ASTSim, scenario, gains, trace and
/// sweep files and the simulation commands' options), `TrainingOptionError` (ASTTrain) and
/// `ModelError` (SignificanceModels). Each renders through ``fieldErrorDescription``, so a
/// message reads the same whichever module raised it:
///
/// ```
/// scenario.yaml:7: field 'target': expected a rate in (0, 1), got 1.5
/// field '--kp': expected a gain >= 0 (a negative gain reverses the feedback), got -1.0
/// ```
public protocol FieldError: Error, Sendable, CustomStringConvertible {
    /// The file the value came from; `nil` when it came from code or the command line.
    var file: String? { get }
    /// The 1-based line of ``file`` that holds the value; `nil` when not tied to a line.
    var line: Int? { get }
    /// The field, spelled as the file or command line spells it (for example
    /// `controllers[1].expect.settlingTime.max` or `--kp`); empty for the document itself.
    var field: String { get }
    /// What the field must be, in words (for example `a rate in (0, 1)`).
    var expected: String { get }
    /// What the field was, rendered as text (for example `1.5` or `no such file or directory`).
    var actual: String { get }
}

extension FieldError {
    /// The one rendering of a field error: `file:line: field 'x': expected E, got A`.
    ///
    /// Absent parts are dropped: no file or line gives no location (a line without a file gives
    /// `line N`), an empty ``field`` gives no `field '…'`, an empty ``actual`` gives no `, got …`.
    public var fieldErrorDescription: String {
        fieldErrorDescription(kind: nil)
    }

    /// The rendering of ``fieldErrorDescription`` with `kind` (for example
    /// `invalid controller configuration`) after the location, for conformers that name the
    /// kind of problem: `file:line: kind: field 'x': expected E, got A`.
    /// - Parameter kind: The kind of problem, or `nil` for none.
    public func fieldErrorDescription(kind: String?) -> String {
        var parts: [String] = []
        switch (file, line) {
        case (let file?, let line?): parts.append("\(file):\(line)")
        case (let file?, nil): parts.append(file)
        case (nil, let line?): parts.append("line \(line)")
        case (nil, nil): break
        }
        if let kind, !kind.isEmpty { parts.append(kind) }
        if !field.isEmpty { parts.append("field '\(field)'") }
        parts.append(actual.isEmpty ? "expected \(expected)" : "expected \(expected), got \(actual)")
        return parts.joined(separator: ": ")
    }

    /// By default a conformer's description is ``fieldErrorDescription``.
    public var description: String { fieldErrorDescription }
}
