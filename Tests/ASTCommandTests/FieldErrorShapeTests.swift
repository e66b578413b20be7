import ArgumentParser
@testable import ASTSim
import ASTTrain
import Foundation
import PIControl
import SignificanceModels
import Testing
@testable import ast

/// Every "bad field" error of the package has one shape (file, line, field, expected, actual)
/// and one rendering, `file:line: field 'x': expected E, got A` (issue 14, "One shape for errors").
@Suite("One shape for field errors")
struct FieldErrorShapeTests {
    /// A conformer of `FieldError`, made from the five parts.
    enum Conformer: String, CaseIterable, CustomTestStringConvertible {
        case configuration, input, trainingOption, model

        var testDescription: String { rawValue }

        /// Whether the conformer can carry a file and line (options and models come from code or
        /// the command line, so theirs are always `nil`).
        var isLocated: Bool { self == .configuration || self == .input }

        /// The kind a conformer names after the location, if any.
        var kind: String? {
            switch self {
            case .configuration: "invalid controller configuration"
            case .trainingOption: "invalid training option"
            case .input, .model: nil
            }
        }

        func make(file: String?, line: Int?, field: String, expected: String, actual: String) -> any FieldError {
            switch self {
            case .configuration: ConfigurationError(file: file, line: line, field: field, expected: expected, actual: actual)
            case .input: InputError(file: file, line: line, field: field, expected: expected, actual: actual)
            case .trainingOption: TrainingOptionError(field: field, expected: expected, actual: actual)
            case .model: ModelError(field: field, expected: expected, actual: actual)
            }
        }
    }

    /// A combination of present and absent parts, with its rendering written out by hand.
    struct Shape: Sendable, CustomTestStringConvertible {
        var file: String?
        var line: Int?
        var field: String
        /// The rendered location, or `nil` when there is none.
        var location: String?
        /// The rendered field, or `nil` when there is none.
        var subject: String?

        var testDescription: String { "file \(file ?? "nil"), line \(line.map(String.init) ?? "nil"), field '\(field)'" }
    }

    static let shapes: [Shape] = [
        Shape(file: "s.yaml", line: 7, field: "controllers[1].expect.settlingTime.max",
              location: "s.yaml:7", subject: "field 'controllers[1].expect.settlingTime.max'"),
        Shape(file: "s.yaml", line: nil, field: "target", location: "s.yaml", subject: "field 'target'"),
        Shape(file: nil, line: 3, field: "score", location: "line 3", subject: "field 'score'"),
        Shape(file: "g.json", line: 2, field: "", location: "g.json:2", subject: nil),
        Shape(file: nil, line: nil, field: "--kp", location: nil, subject: "field '--kp'"),
        Shape(file: nil, line: nil, field: "", location: nil, subject: nil),
    ]

    /// Every conformer with every shape it can carry.
    static let cases: [(Conformer, Shape)] = Conformer.allCases.flatMap { conformer in
        shapes.filter { conformer.isLocated || ($0.file == nil && $0.line == nil) }.map { (conformer, $0) }
    }

    @Test(arguments: cases)
    func everyConformerRendersTheSharedShape(conformer: Conformer, shape: Shape) {
        let error = conformer.make(file: shape.file, line: shape.line, field: shape.field, expected: "a rate in (0, 1)", actual: "1.5")
        #expect(error.file == shape.file)
        #expect(error.line == shape.line)
        #expect(error.field == shape.field)
        #expect(error.expected == "a rate in (0, 1)")
        #expect(error.actual == "1.5")
        // The shared rendering, then the conformer's description: the kind goes after the location.
        let body = "expected a rate in (0, 1), got 1.5"
        #expect(error.fieldErrorDescription == [shape.location, shape.subject, body].compactMap { $0 }.joined(separator: ": "))
        #expect(error.description == [shape.location, conformer.kind, shape.subject, body].compactMap { $0 }.joined(separator: ": "))
        // Each part given is in the description.
        if let file = shape.file { #expect(error.description.contains(file)) }
        if let line = shape.line { #expect(error.description.contains(String(line))) }
        if !shape.field.isEmpty { #expect(error.description.contains("field '\(shape.field)'")) }
        #expect(error.description.contains("a rate in (0, 1)") && error.description.contains("1.5"))
    }

    @Test(arguments: Conformer.allCases)
    func anEmptyActualLeavesOutGot(conformer: Conformer) {
        let error = conformer.make(file: nil, line: nil, field: "x", expected: "a list", actual: "")
        #expect(error.fieldErrorDescription == "field 'x': expected a list")
    }

    @Test func aLocatedErrorKeepsTheInnerExpectedAndActualUnderTheOuterField() {
        let inner = ConfigurationError(field: "emaAlpha", expected: "in (0, 1]", actual: "2.0")
        let located = InputError(locating: inner, file: "s.yaml", line: 11, field: "controllers[0].set")
        #expect(located == InputError(file: "s.yaml", line: 11, field: "controllers[0].set.emaAlpha", expected: "in (0, 1]", actual: "2.0"))
        #expect(InputError(locating: inner, file: nil, line: nil, field: "").field == "emaAlpha")
    }

    @Test(arguments: [
        ("lognormal.sigma", "scores.sigma"), ("loss.beta.a", "scores.loss.a"),
        ("mixture.components.1.gamma.shape", "scores.components[1].shape"), ("mixture.weights", "scores.components"),
        ("drifts[0].parameter", "drift[0].parameter"), ("drifts[2].ramp.startStep", "drift[2].start"), ("target", "target"),
    ])
    func modelFieldsAreSpelledAsTheScenarioFileHasThem(model: String, file: String) {
        #expect(InputError.scenarioField(ofModelField: model) == file)
    }

    // MARK: Real bad input, one from each module, through the loader and the command line

    static func temporary() throws -> String {
        let path = NSTemporaryDirectory() + "ast-field-error-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static let scenario = """
    name: shape
    scores:
      distribution: lognormal
      zeta: 0
      sigma: 1
    batchSize: 64
    steps: 200
    target: 0.1
    controllers:
      - preset: velocityPI

    """

    /// What `ast simulate` prints for the scenario `text` (without ArgumentParser's `Error: `).
    static func simulateMessage(_ text: String, extra: [String] = [], files: [String: String] = [:]) throws -> (String, String) {
        let directory = try temporary()
        let path = directory + "/s.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        for (name, content) in files { try content.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
        do {
            try SimulateCommand.parse([path, "--out", directory + "/out"] + extra.map { $0.replacingOccurrences(of: "DIR", with: directory) }).run()
            Issue.record("expected an error")
            return ("", directory)
        } catch {
            return (SimulateCommand.message(for: error), directory)
        }
    }

    @Test func aBadScenarioValueRendersInTheShape() throws {
        // ASTSim: the scenario loader's own check.
        let (message, directory) = try Self.simulateMessage(Self.scenario.replacingOccurrences(of: "target: 0.1", with: "target: 1.5"))
        #expect(message == "\(directory)/s.yaml:8: field 'target': expected a rate in (0, 1), got 1.5")
    }

    @Test func aBadModelParameterRendersInTheShapeAtItsLine() throws {
        // SignificanceModels: the ModelError is put at the file, line and key that wrote the value.
        let (message, directory) = try Self.simulateMessage(Self.scenario.replacingOccurrences(of: "sigma: 1", with: "sigma: -1"))
        #expect(message == "\(directory)/s.yaml:5: field 'scores.sigma': expected a finite number > 0, got -1.0")
    }

    @Test func aDriftOutOfDomainRendersInTheShapeWithTheStep() throws {
        // SignificanceModels at run time: the drift takes sigma to 0 at step 100.
        let text = Self.scenario + "drift:\n  - {parameter: sigma, kind: ramp, to: -1, start: 0, end: 200}\n"
        let (message, directory) = try Self.simulateMessage(text)
        #expect(message.hasPrefix("\(directory)/s.yaml: field 'scores.sigma': expected a finite number > 0, got "), "\(message)")
        #expect(message.hasSuffix(" at step 100, after drifts"), "\(message)")
    }

    @Test func aBadControllerValueRendersInTheShape() throws {
        // PIControl: ConfigurationError's field, expected and actual, under the scenario's field.
        let text = Self.scenario.replacingOccurrences(of: "  - preset: velocityPI\n", with: "  - preset: velocityPI\n    set: {emaAlpha: 2}\n")
        let (message, directory) = try Self.simulateMessage(text)
        #expect(message == "\(directory)/s.yaml:11: field 'controllers[0].set.emaAlpha': expected in (0, 1], got 2.0")
    }

    static func gainsText(_ edit: (String) -> String) throws -> String {
        let configuration = try Preset.velocityPI.configuration(target: 0.1)
        return edit(String(decoding: try GainsFile(configuration: configuration, tuning: nil).encoded(), as: UTF8.self))
    }

    @Test func aGainsFileWithABadKeyRendersInTheShape() throws {
        let gains = try Self.gainsText { $0.replacingOccurrences(of: "\"deadband\"", with: "\"deadbnd\"") }
        let line = gains.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("deadbnd") }! + 1
        let (message, directory) = try Self.simulateMessage(Self.scenario, extra: ["--gains", "DIR/g.json"], files: ["g.json": gains])
        #expect(message.hasPrefix("\(directory)/g.json:\(line): field 'configuration.deadbnd': expected a known key, one of: "), "\(message)")
        #expect(message.contains("deadband, emaAlpha"))
        #expect(message.hasSuffix(", got the unknown key 'deadbnd'"))
    }

    @Test func aGainsFileWithABadValueRendersInTheShape() throws {
        let gains = try Self.gainsText { $0.replacingOccurrences(of: "\"emaAlpha\" : 0.5", with: "\"emaAlpha\" : 2") }
        let line = gains.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("emaAlpha") }! + 1
        let (message, directory) = try Self.simulateMessage(Self.scenario, extra: ["--gains", "DIR/g.json"], files: ["g.json": gains])
        #expect(message == "\(directory)/g.json:\(line): field 'configuration.emaAlpha': expected in (0, 1], got 2.0")
    }

    @Test func aBadTrainingOptionRendersInTheShape() {
        // ASTTrain: TrainingOptions.validate() names the option as the command line spells it.
        let message = ArgumentValidationTests.message(TrainCommand.self, ["--lr=-1", "--threads", "1"])
        #expect(message == "invalid training option: field '--lr': expected a positive number, got -1.0")
    }

    @Test func aBadCommandLineValueHasNoFile() throws {
        let command = try SweepCommand.parse([ArgumentValidationTests.scenario, "--kp", "1:0:3", "--ki", "0.1:1:3",
                                              "--out", try Self.temporary()])
        #expect {
            try command.run()
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.file == nil && error.line == nil && error.field == "--kp"
                && SweepCommand.message(for: error) == "field '--kp': expected LO <= HI, got a reversed range: 1.0 > 0.0"
        }
    }
}
