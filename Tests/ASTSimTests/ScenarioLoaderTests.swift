import Foundation
import Testing
import ASTSim
import PIControl
import SignificanceModels

/// Scenario files: a valid file parses to the right model, and every kind of bad input is
/// reported with its file, line and field.
@Suite struct ScenarioLoaderTests {
    /// A valid scenario; the tests below replace single lines, so line numbers stay known.
    static let valid: [String] = [
        "name: unit",                                                          // 1
        "description: a test scenario",                                        // 2
        "scores:",                                                             // 3
        "  distribution: lognormal",                                           // 4
        "  zeta: 0",                                                           // 5
        "  sigma: 1",                                                          // 6
        "drift:",                                                              // 7
        "  - {parameter: zeta, kind: step, to: 1, at: 200}",                   // 8
        "batchSize: 64",                                                       // 9
        "steps: 400",                                                          // 10
        "target: 0.1",                                                         // 11
        "band: 0.02",                                                          // 12
        "window: 10",                                                          // 13
        "seeds: [1, 2]",                                                       // 14
        "controllers:",                                                        // 15
        "  - preset: velocityPI",                                              // 16
        "    expect:",                                                         // 17
        "      settled: true",                                                 // 18
        "      settlingTime: {max: 300}",                                      // 19
        "  - preset: positionalPI",                                            // 20
        "    name: fast",                                                      // 21
        "    set: {proportionalGain: 5, integralGain: 0.5}",                   // 22
        "    expect:",                                                         // 23
        "      steadyStateMeanError: {maxAbs: 0.002, min: -0.01}",             // 24
    ]

    static let file = "unit.yaml"

    /// The valid text with line `line` (1-based) replaced.
    static func text(replacing line: Int? = nil, with replacement: String = "") -> String {
        var lines = valid
        if let line { lines[line - 1] = replacement }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Parses and returns the error (recording an issue if parsing succeeds).
    static func error(_ text: String, directory: String = "/nonexistent-dir") -> InputError? {
        do {
            _ = try ScenarioLoader.parse(text, file: file, directory: directory)
            Issue.record("expected an InputError")
            return nil
        } catch {
            return error
        }
    }

    // MARK: Valid input

    @Test func validScenarioParsesToTheRightModel() throws {
        let scenario = try ScenarioLoader.parse(Self.text(), file: Self.file, directory: "/tmp")
        #expect(scenario.name == "unit")
        #expect(scenario.summary == "a test scenario")
        #expect(scenario.file == Self.file)
        #expect(scenario.scores == .distribution(.lognormal(zeta: 0, sigma: 1),
                                                 drifts: [ParameterDrift(parameter: "zeta", drift: .step(to: 1, atStep: 200))]))
        #expect(scenario.batchSize == 64)
        #expect(scenario.steps == 400)
        #expect(scenario.metrics == MetricSettings(target: 0.1, band: 0.02, window: 10, steadyStateFraction: 0.25))
        #expect(scenario.seeds == [1, 2])
        try #require(scenario.controllers.count == 2)

        let first = scenario.controllers[0]
        #expect(first.name == "velocityPI")
        #expect(first.configuration == (try Preset.velocityPI.configuration(target: 0.1)))
        #expect(first.expectations == [
            Expectation(metric: .settled, bound: .equals(true), line: 18),
            Expectation(metric: .settlingTime, bound: .atMost(300), line: 19),
        ])

        let second = scenario.controllers[1]
        var expected = try Preset.positionalPI.configuration(target: 0.1)
        expected.proportionalGain = 5
        expected.integralGain = 0.5
        #expect(second.name == "fast")
        #expect(second.configuration == expected)
        #expect(second.expectations == [
            Expectation(metric: .steadyStateMeanError, bound: .absoluteAtMost(0.002), line: 24),
            Expectation(metric: .steadyStateMeanError, bound: .atLeast(-0.01), line: 24),
        ])
    }

    @Test func presetTargetComesFromTheScenario() throws {
        let scenario = try ScenarioLoader.parse(Self.text(replacing: 11, with: "target: 0.25"), file: Self.file, directory: "/tmp")
        #expect(scenario.controllers.allSatisfy { $0.configuration.target == 0.25 })
    }

    @Test func defaultsApplyWhenOptionalKeysAreAbsent() throws {
        var lines = Self.valid
        lines[1] = "# no description"; lines[6] = "# no drift"; lines[7] = "#"; lines[11] = "#"; lines[12] = "#"; lines[13] = "#"
        let scenario = try ScenarioLoader.parse(lines.joined(separator: "\n"), file: Self.file, directory: "/tmp")
        #expect(scenario.summary == "")
        #expect(scenario.scores.drifts.isEmpty)
        #expect(scenario.metrics == MetricSettings(target: 0.1))   // band 0.01, window 50, tail 0.25
        #expect(scenario.seeds == [1])
    }

    @Test func gainsFileIsResolvedRelativeToTheScenarioAndTakesItsTarget() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var tuned = try Preset.velocityPI.configuration(target: 0.3)
        tuned.proportionalGain = 0.75
        try GainsFile(configuration: tuned, tuning: nil).encoded().write(to: URL(fileURLWithPath: directory + "/tuned.json"))
        let text = Self.text(replacing: 20, with: "  - gains: tuned.json")
        let scenario = try ScenarioLoader.parse(text, file: Self.file, directory: directory)
        let controller = scenario.controllers[1]
        #expect(controller.name == "fast")              // the explicit name wins over "tuned"
        #expect(controller.configuration.law == .velocity)
        #expect(controller.configuration.target == 0.1) // the scenario's, not the file's 0.3
        #expect(controller.configuration.proportionalGain == 5)   // then `set` applies
    }

    @Test func everyShippedScenarioLoads() throws {
        let directory = Fixtures.packageRoot + "/Scenarios"
        let files = try ScenarioLoader.scenarioFiles(in: [directory])
        #expect(files.count >= 10)
        #expect(files == files.sorted())
        for path in files {
            #expect(path.hasSuffix(".yaml") || path.hasSuffix(".yml"))
            do {
                let scenario = try ScenarioLoader.load(path: path)
                #expect(!scenario.controllers.isEmpty, "\(path)")
                #expect(scenario.file == path)
            } catch {
                Issue.record("\(path) failed to load: \(error)")
            }
        }
    }

    @Test func scenarioFilesRejectsAMissingPath() {
        #expect(throws: InputError.self) { try ScenarioLoader.scenarioFiles(in: ["/no/such/scenarios"]) }
    }

    // MARK: Bad input

    @Test func malformedYAMLNamesTheLine() throws {
        let error = try #require(Self.error(Self.text(replacing: 9, with: "batchSize: 64: 3")))
        #expect(error.file == Self.file)
        #expect(error.line == 9)
        #expect(error.field == "")
        #expect(error.expected == "well-formed YAML")
        #expect(error.actual.contains("malformed YAML"))
    }

    @Test func missingRequiredKey() throws {
        let error = try #require(Self.error(Self.text(replacing: 10, with: "# steps removed")))
        #expect(error.file == Self.file)
        #expect(error.line == 1)          // reported at the mapping that lacks it
        #expect(error.field == "steps")
        #expect(error.expected == "the required key 'steps'")
        #expect(error.actual == "no such key")
    }

    @Test func unknownTopLevelKeyListsTheAllowedOnes() throws {
        let error = try #require(Self.error(Self.text(replacing: 2, with: "colour: red")))
        #expect(error.file == Self.file)
        #expect(error.line == 2)
        #expect(error.field == "colour")
        for allowed in ["name", "scores", "drift", "batchSize", "steps", "target", "controllers", "steadyStateFraction"] {
            #expect(error.expected.contains(allowed), "expected should list \(allowed): \(error.expected)")
        }
        #expect(error.actual == "the unknown key 'colour'")
    }

    @Test func unknownDistributionListsValidKinds() throws {
        let error = try #require(Self.error(Self.text(replacing: 4, with: "  distribution: lognormale")))
        #expect(error.file == Self.file)
        #expect(error.line == 4)
        #expect(error.field == "scores.distribution")
        #expect(error.actual == "the unknown kind 'lognormale'")
        for kind in ["lognormal", "gamma", "beta", "normal", "pareto", "weibull"] {
            #expect(error.expected.contains(kind))
        }
    }

    @Test func unknownPresetListsValidPresets() throws {
        let error = try #require(Self.error(Self.text(replacing: 16, with: "  - preset: seedPackag")))
        #expect(error.file == Self.file)
        #expect(error.line == 16)
        #expect(error.field == "controllers[0].preset")
        for preset in Preset.allCases { #expect(error.expected.contains(preset.rawValue)) }
        #expect(error.actual == "the unknown preset 'seedPackag' (did you mean 'seedPackage'?)")
    }

    @Test func unknownDriftKind() throws {
        let error = try #require(Self.error(Self.text(replacing: 8, with: "  - {parameter: zeta, kind: wobble, to: 1}")))
        #expect(error.file == Self.file)
        #expect(error.line == 8)
        #expect(error.field == "drift[0].kind")
        #expect(error.actual == "the unknown drift 'wobble'")
        for kind in ["ramp", "step", "pulse", "sinusoid", "randomWalk", "exponentialDecay"] {
            #expect(error.expected.contains(kind))
        }
    }

    @Test func nonNumericBatchSize() throws {
        let error = try #require(Self.error(Self.text(replacing: 9, with: "batchSize: lots")))
        #expect(error.file == Self.file)
        #expect(error.line == 9)
        #expect(error.field == "batchSize")
        #expect(error.expected == "an integer")
        #expect(error.actual == "'lots'")
    }

    @Test(arguments: ["1.5", "0", "1", "-0.1"])
    func targetOutsideTheOpenUnitInterval(value: String) throws {
        let error = try #require(Self.error(Self.text(replacing: 11, with: "target: \(value)")))
        #expect(error.file == Self.file)
        #expect(error.line == 11)
        #expect(error.field == "target")
        #expect(error.expected == "a rate in (0, 1)")
        #expect(error.actual == "\(Double(value)!)")
    }

    @Test func invalidOverrideNamesTheField() throws {
        let error = try #require(Self.error(Self.text(replacing: 22, with: "    set: {emaAlpha: 2}")))
        #expect(error.file == Self.file)
        #expect(error.line == 22)
        #expect(error.field == "controllers[1].set.emaAlpha")
        #expect(error.expected == "in (0, 1]")
        #expect(error.actual == "2.0")
    }

    @Test func unknownOverrideKeyIsRejected() throws {
        let error = try #require(Self.error(Self.text(replacing: 22, with: "    set: {gain: 2}")))
        #expect(error.line == 22)
        #expect(error.field == "controllers[1].set.gain")
        #expect(error.expected.contains("emaAlpha"))   // the allowed keys are listed
        #expect(error.actual == "the unknown key 'gain'")
    }

    @Test func unknownMetricInExpect() throws {
        let error = try #require(Self.error(Self.text(replacing: 24, with: "      settlingTyme: {max: 5}")))
        #expect(error.file == Self.file)
        #expect(error.line == 24)
        #expect(error.field == "controllers[1].expect.settlingTyme")
        for metric in ["settlingTime", "overshoot", "windupRecoveryTime", "fractionFallback"] {
            #expect(error.expected.contains(metric))
        }
        #expect(error.actual == "the unknown metric 'settlingTyme'")
    }

    @Test func missingGainsFileIsReported() throws {
        let error = try #require(Self.error(Self.text(replacing: 20, with: "  - gains: missing-gains.json"), directory: "/tmp/no-such-dir"))
        #expect(error.file == Self.file)
        #expect(error.expected == "a usable gains file")
        #expect(error.actual == "/tmp/no-such-dir/missing-gains.json: expected an existing gains file, got no such file")
    }

    @Test func missingGainsFileNamesTheScenarioLineAndField() throws {
        // Scenarios/README.md: "Every error names the file, line and field." Regression: the
        // loader once passed GainsFile.load's error through with line 0 and no field.
        let error = try #require(Self.error(Self.text(replacing: 20, with: "  - gains: missing-gains.json"), directory: "/tmp/no-such-dir"))
        #expect(error.line == 20)
        #expect(error.field == "controllers[1].gains")
        #expect(error.actual.contains("missing-gains.json"))
    }
}
