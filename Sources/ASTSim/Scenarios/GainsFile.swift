import Foundation
import PIControl

/// A tuned controller, as written by `ast tune` and read by `--gains` everywhere.
///
/// JSON, documented in the README:
/// ```json
/// { "format": "ast-gains/1", "law": "positional",
///   "configuration": { …ControllerConfiguration fields… },
///   "tuning": { "scenarios": [...], "heldOut": [...], "seeds": [...], "cost": "...", ... } }
/// ```
public struct GainsFile: Sendable, Codable, Equatable {
    public static let formatIdentifier = "ast-gains/1"

    public var format: String
    /// The law's name, repeated for readers; must match `configuration.law`.
    public var law: String
    public var configuration: ControllerConfiguration
    /// How the gains were obtained, when they were tuned.
    public var tuning: TuningRecord?

    /// A gains file for `configuration`, stamped with the current format identifier.
    /// - Parameters:
    ///   - configuration: The controller the file holds.
    ///   - tuning: How the gains were obtained, or `nil` when they were not tuned.
    public init(configuration: ControllerConfiguration, tuning: TuningRecord?) {
        self.format = Self.formatIdentifier
        self.law = configuration.law.name
        self.configuration = configuration
        self.tuning = tuning
    }

    /// The configuration with its target replaced (gains are reused at other targets).
    /// - Throws: ``InputError`` (with no file: the target came from the caller) when the
    ///   configuration is invalid at `target`.
    public func configuration(target: Double?) throws(InputError) -> ControllerConfiguration {
        var result = configuration
        if let target { result.target = target }
        do {
            try result.validate()
        } catch {
            throw InputError(locating: error, file: nil, line: nil, field: "")
        }
        return result
    }

    /// Reads and checks a gains file.
    /// - Throws: ``InputError`` naming the file and the field.
    public static func load(path: String) throws(InputError) -> GainsFile {
        try decode(InputFile.read(path, what: "gains file"), file: path)
    }

    /// Decodes and checks gains JSON: a syntax error gives its line and column, an unknown key
    /// (a typo such as `deadbnd`) is an error naming it, and messages name fields, not types.
    /// - Parameters:
    ///   - data: The file's bytes (JSON).
    ///   - file: The file's path, named in errors.
    public static func decode(_ data: Data, file: String) throws(InputError) -> GainsFile {
        let text = String(decoding: data, as: UTF8.self)
        let tree: Any
        do {
            tree = try JSONSerialization.jsonObject(with: data)
        } catch {
            let (line, column) = JSONPosition.syntaxError(error, in: text)
            throw InputError(file: file, line: line > 0 ? line : nil, field: "", expected: "valid JSON",
                             actual: "a syntax error" + (column > 0 ? " at line \(line), column \(column)" : ""))
        }
        let gains: GainsFile
        do {
            gains = try JSONDecoder().decode(GainsFile.self, from: data)
        } catch let error as DecodingError {
            var located = DecodingErrorText.inputError(error, file: file, line: nil)
            // The line of the field, or of the nearest enclosing key the file has.
            var path = located.field
            while !path.isEmpty, JSONPosition.line(ofKey: path, in: text) == 0 {
                path = path.split(separator: ".").dropLast().joined(separator: ".")
            }
            let line = JSONPosition.line(ofKey: path, in: text)
            located.line = line > 0 ? line : nil
            throw located
        } catch {
            throw InputError(file: file, field: "", expected: "a gains file (\(formatIdentifier))", actual: "\(error)")
        }
        // Every key must be one the format knows: the known set is what this version writes
        // back (encoding and decoding share the same CodingKeys, so the two stay in sync).
        if let written = try? JSONSerialization.jsonObject(with: gains.encoded()),
           let unknown = JSONPosition.firstUnknownKey(in: tree, known: written) {
            let line = JSONPosition.line(ofKey: unknown, in: text)
            let key = unknown.split(separator: ".").last.map(String.init) ?? unknown
            throw InputError(file: file, line: line > 0 ? line : nil, field: unknown,
                             expected: "a known key, one of: " + JSONPosition.knownKeys(beside: unknown, in: written).joined(separator: ", "),
                             actual: "the unknown key '\(key)'")
        }
        guard gains.format == formatIdentifier else {
            throw InputError(file: file, field: "format", expected: "'\(formatIdentifier)'", actual: "'\(gains.format)'")
        }
        guard gains.law == gains.configuration.law.name else {
            throw InputError(file: file, field: "law", expected: "configuration.law's name, '\(gains.configuration.law.name)'",
                             actual: "'\(gains.law)'")
        }
        return gains
    }

    /// Pretty, key-sorted JSON.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

/// Provenance of tuned gains.
public struct TuningRecord: Sendable, Codable, Equatable {
    /// Scenario names the cost was minimised over.
    public var scenarios: [String]
    /// Scenario names held out (checked, not tuned on).
    public var heldOut: [String]
    public var seeds: [UInt64]
    /// The cost function, in words and formula.
    public var cost: String
    /// Cost of the starting configuration and of the result, on the tuning set.
    public var costBefore: Double
    public var costAfter: Double
    /// Nelder–Mead starts and total cost evaluations.
    public var starts: Int
    public var evaluations: Int
    public var tunedAlpha: Bool

    /// A record of how gains were tuned.
    /// - Parameters:
    ///   - scenarios: The scenarios tuned on.
    ///   - heldOut: The scenarios held out for checking.
    ///   - seeds: The score-stream seeds.
    ///   - cost: The cost's name.
    ///   - costBefore: The cost of the starting controller.
    ///   - costAfter: The cost of the tuned controller.
    ///   - starts: Nelder–Mead starts.
    ///   - evaluations: Total cost evaluations.
    ///   - tunedAlpha: Whether the EMA α was tuned as well as the gains.
    public init(scenarios: [String], heldOut: [String], seeds: [UInt64], cost: String, costBefore: Double,
                costAfter: Double, starts: Int, evaluations: Int, tunedAlpha: Bool) {
        self.scenarios = scenarios
        self.heldOut = heldOut
        self.seeds = seeds
        self.cost = cost
        self.costBefore = costBefore
        self.costAfter = costAfter
        self.starts = starts
        self.evaluations = evaluations
        self.tunedAlpha = tunedAlpha
    }
}
