import Foundation
import Testing
import ASTSim
import PIControl

/// Gains JSON as a user edits it: typos, syntax errors and wrong types are reported with the
/// key, the position and the file's own words (issue 11).
@Suite("Gains file input")
struct GainsFileInputTests {
    /// A valid gains file, pretty-printed the way `ast tune` writes it.
    static func validText() throws -> String {
        let configuration = try Preset.positionalPI.configuration(target: 0.1)
        return String(decoding: try GainsFile(configuration: configuration, tuning: nil).encoded(), as: UTF8.self)
    }

    static func error(_ text: String) -> InputError? {
        do {
            _ = try GainsFile.decode(Data(text.utf8), file: "gains.json")
            Issue.record("expected an error")
            return nil
        } catch {
            return error
        }
    }

    @Test func theValidFileDecodes() throws {
        #expect(throws: Never.self) { try GainsFile.decode(Data(try Self.validText().utf8), file: "gains.json") }
    }

    @Test func aTypoInAKeyIsAnErrorNamingTheKeyAndItsLine() throws {
        let text = try Self.validText().replacingOccurrences(of: "\"deadband\"", with: "\"deadbnd\"")
        let error = try #require(Self.error(text))
        #expect(error.field == "configuration.deadbnd")
        #expect(error.actual == "the unknown key 'deadbnd'")
        #expect(error.expected.contains("deadband"))   // listed among the expected keys
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("deadbnd") }.map { $0 + 1 }
        #expect(error.line == line)
    }

    @Test func anUnknownTopLevelKeyIsNamed() throws {
        let text = try Self.validText().replacingOccurrences(of: "{\n", with: "{\n  \"comment\" : \"hi\",\n", options: [], range: nil)
        let error = try #require(Self.error(text))
        #expect(error.field == "comment")
        #expect(error.line == 2)
        #expect(error.actual == "the unknown key 'comment'")
        #expect(error.expected.contains("configuration") && error.expected.contains("format"))
    }

    @Test func anUnknownKeyInsideANestedValueIsNamed() throws {
        let text = try Self.validText().replacingOccurrences(of: "\"lower\"", with: "\"lowr\"")
        let error = try #require(Self.error(text))
        // The decoder misses `lower` first: the missing field is named, not a type.
        #expect(error.field == "configuration.thresholdBounds.lower")
        #expect(error.expected == "the required field 'lower'")
        #expect(!error.description.contains("Dictionary") && !error.description.contains("Double"))
    }

    @Test(arguments: [
        ("{\"format\": \"ast-gains/1\",\n \"law\": x}", 2, 9),
        ("{\"format\": [1, 2}", 1, 17),
    ])
    func aSyntaxErrorGivesLineAndColumn(text: String, line: Int, column: Int) throws {
        let error = try #require(Self.error(text))
        #expect(error.line == line)
        #expect(error.expected == "valid JSON")
        #expect(error.actual == "a syntax error at line \(line), column \(column)")
    }

    @Test func aTruncatedFileSaysWhereItEnds() throws {
        let text = try Self.validText()
        let error = try #require(Self.error(String(text.prefix(40))))
        #expect(error.expected == "valid JSON")
        #expect(error.actual.hasPrefix("a syntax error"))
        #expect((error.line ?? 0) >= 1)
    }

    @Test(arguments: [
        ("\"proportionalGain\" : ", "\"proportionalGain\" : \"fast\", \"x_\" : "),
        ("\"format\" : \"ast-gains\\/1\"", "\"format\" : {}"),
        ("\"format\" : \"ast-gains\\/1\"", "\"format\" : [1]"),
    ])
    func typeErrorsUseTheFilesWordsNotSwiftTypes(original: String, replacement: String) throws {
        let text = try Self.validText()
        try #require(text.contains(original), "fixture: \(text)")
        let error = try #require(Self.error(text.replacingOccurrences(of: original, with: replacement)))
        for swiftName in ["Dictionary", "Array<", "String.Type", "Double", "Swift."] {
            #expect(!error.description.contains(swiftName), "\(error)")
        }
        #expect(error.expected.hasPrefix("a "), "\(error)")
        #expect(!error.field.isEmpty)
    }

    @Test func aNullOptionalIsNotAnUnknownKey() throws {
        let text = try Self.validText().replacingOccurrences(of: "{\n", with: "{\n  \"tuning\" : null,\n", options: [], range: nil)
        #expect(throws: Never.self) { try GainsFile.decode(Data(text.utf8), file: "gains.json") }
    }
}
