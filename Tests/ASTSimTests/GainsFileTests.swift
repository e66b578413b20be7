import Foundation
import Testing
import ASTSim
import PIControl

/// Gains files: round trip, the checks on read, and reuse at another target.
@Suite struct GainsFileTests {
    static func sample() throws -> GainsFile {
        var config = try Preset.positionalPI.configuration(target: 0.1)
        config.proportionalGain = 2.5
        config.integralGain = 0.125
        let record = TuningRecord(scenarios: ["a", "b"], heldOut: ["c"], seeds: [1, 2, 3], cost: TuningCost.formula,
                                  costBefore: 4.5, costAfter: 1.25, starts: 4, evaluations: 321, tunedAlpha: false)
        return GainsFile(configuration: config, tuning: record)
    }

    /// The sample as a JSON object, edited by `change`, back to bytes.
    static func edited(_ change: (inout [String: Any]) -> Void) throws -> Data {
        var object = try #require(try JSONSerialization.jsonObject(with: sample().encoded()) as? [String: Any])
        change(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    static func error(_ data: Data) -> InputError? {
        do {
            _ = try GainsFile.decode(data, file: "gains.json")
            Issue.record("expected an InputError")
            return nil
        } catch {
            return error
        }
    }

    @Test func roundTrip() throws {
        let gains = try Self.sample()
        #expect(gains.format == "ast-gains/1")
        #expect(gains.law == "positional")
        let decoded = try GainsFile.decode(gains.encoded(), file: "gains.json")
        #expect(decoded == gains)
        // Without a tuning record too.
        let bare = GainsFile(configuration: try Preset.velocityPI.configuration(target: 0.2), tuning: nil)
        #expect(try GainsFile.decode(bare.encoded(), file: "x") == bare)
    }

    @Test func loadReadsAFileAndNamesAMissingOne() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/g.json"
        try Self.sample().encoded().write(to: URL(fileURLWithPath: path))
        #expect(try GainsFile.load(path: path) == Self.sample())
        do {
            _ = try GainsFile.load(path: directory + "/absent.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == directory + "/absent.json")
            #expect(error.expected == "an existing gains file")
            #expect(error.actual == "no such file")
        }
    }

    @Test func wrongFormat() throws {
        let error = try #require(Self.error(try Self.edited { $0["format"] = "ast-gains/2" }))
        #expect(error.file == "gains.json")
        #expect(error.field == "format")
        #expect(error.expected == "'ast-gains/1'")
        #expect(error.actual == "'ast-gains/2'")
    }

    @Test func lawMismatch() throws {
        let error = try #require(Self.error(try Self.edited { $0["law"] = "velocity" }))
        #expect(error.file == "gains.json")
        #expect(error.field == "law")
        #expect(error.actual == "'velocity'")
        #expect(error.expected.contains("'positional'"))
    }

    @Test(arguments: ["proportionalGain", "integralGain", "emaAlpha", "thresholdBounds"])
    func missingConfigurationFieldIsNamed(field: String) throws {
        let data = try Self.edited { object in
            var configuration = object["configuration"] as! [String: Any]
            configuration[field] = nil
            object["configuration"] = configuration
        }
        let error = try #require(Self.error(data))
        #expect(error.file == "gains.json")
        #expect(error.field == "configuration." + field)
        #expect(error.expected == "the required field '\(field)'")
        #expect(error.actual == "no such field")
    }

    @Test func missingFormatIsNamed() throws {
        let error = try #require(Self.error(try Self.edited { $0["format"] = nil }))
        #expect(error.field == "format")
        #expect(error.expected == "the required field 'format'")
    }

    @Test func invalidConfigurationValueIsNamed() throws {
        let data = try Self.edited { object in
            var configuration = object["configuration"] as! [String: Any]
            configuration["emaAlpha"] = 3
            object["configuration"] = configuration
        }
        let error = try #require(Self.error(data))
        #expect(error.field == "configuration.emaAlpha")
        #expect(error.expected == "in (0, 1]")
        #expect(error.actual == "3.0")
        #expect(error.line != nil)
    }

    @Test func notJSON() throws {
        let error = try #require(Self.error(Data("{ not json".utf8)))
        #expect(error.file == "gains.json")
    }

    @Test func configurationForAnotherTarget() throws {
        let gains = try Self.sample()
        let moved = try gains.configuration(target: 0.3)
        var expected = gains.configuration
        expected.target = 0.3
        #expect(moved == expected)
        #expect(try gains.configuration(target: nil) == gains.configuration)
        do {
            _ = try gains.configuration(target: 1.5)
            Issue.record("expected an error for target 1.5")
        } catch {
            #expect(error.field == "target")
        }
    }
}
