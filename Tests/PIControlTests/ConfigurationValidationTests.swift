import Foundation
import PIControl
import Testing

/// One way to break a valid configuration, and the field the error must name.
struct InvalidCase: Sendable, CustomTestStringConvertible {
    var name: String
    var field: String
    var mutate: @Sendable (inout ControllerConfiguration) -> Void
    var testDescription: String { "\(name) → \(field)" }

    init(_ name: String, _ field: String, _ mutate: @escaping @Sendable (inout ControllerConfiguration) -> Void) {
        self.name = name
        self.field = field
        self.mutate = mutate
    }
}

/// A valid configuration that uses every optional part (sigmoid gate, energy bucket,
/// fallback, seedDecay): the seed's CIFAR preset.
func fullConfiguration() throws -> ControllerConfiguration {
    try Preset.seedCIFAR.configuration(target: 0.1)
}

private func withBounds(_ lower: Double, _ upper: Double) -> @Sendable (inout ControllerConfiguration) -> Void {
    { configuration in
        configuration.thresholdBounds.lower = lower
        configuration.thresholdBounds.upper = upper
    }
}

private func withBudget(_ change: @escaping @Sendable (inout EnergyBudget) -> Void) -> @Sendable (inout ControllerConfiguration) -> Void {
    { configuration in
        var budget = configuration.gate.energyBudget!
        change(&budget)
        configuration.gate.energyBudget = budget
    }
}

let invalidCases: [InvalidCase] = [
    InvalidCase("target NaN", "target") { $0.target = .nan },
    InvalidCase("target +inf", "target") { $0.target = .infinity },
    InvalidCase("target 0", "target") { $0.target = 0 },
    InvalidCase("target 1", "target") { $0.target = 1 },
    InvalidCase("target -0.2", "target") { $0.target = -0.2 },
    InvalidCase("target 1.5", "target") { $0.target = 1.5 },
    InvalidCase("Kp NaN", "proportionalGain") { $0.proportionalGain = .nan },
    InvalidCase("Kp +inf", "proportionalGain") { $0.proportionalGain = .infinity },
    InvalidCase("Kp -inf", "proportionalGain") { $0.proportionalGain = -.infinity },
    InvalidCase("Ki NaN", "integralGain") { $0.integralGain = .nan },
    InvalidCase("Ki +inf", "integralGain") { $0.integralGain = .infinity },
    InvalidCase("α 0", "emaAlpha") { $0.emaAlpha = 0 },
    InvalidCase("α -0.3", "emaAlpha") { $0.emaAlpha = -0.3 },
    InvalidCase("α just above 1", "emaAlpha") { $0.emaAlpha = 1.0.nextUp },
    InvalidCase("α 2", "emaAlpha") { $0.emaAlpha = 2 },
    InvalidCase("α NaN", "emaAlpha") { $0.emaAlpha = .nan },
    InvalidCase("deadband -0.01", "deadband") { $0.deadband = -0.01 },
    InvalidCase("deadband NaN", "deadband") { $0.deadband = .nan },
    InvalidCase("lo == hi", "thresholdBounds", withBounds(0.5, 0.5)),
    InvalidCase("lo > hi", "thresholdBounds", withBounds(1, 0)),
    InvalidCase("lo NaN", "thresholdBounds.lower", withBounds(.nan, 1)),
    InvalidCase("hi +inf", "thresholdBounds.upper", withBounds(0, .infinity)),
    InvalidCase("θ0 below lo", "initialThreshold") { $0.initialThreshold = -0.1 },
    InvalidCase("θ0 above hi", "initialThreshold") { $0.initialThreshold = 1.1 },
    InvalidCase("θ0 NaN", "initialThreshold") { $0.initialThreshold = .nan },
    InvalidCase("positional reference NaN", "law.positional.reference") { $0.law = .positional(reference: .nan) },
    InvalidCase("clamp bound -1", "antiWindup.clamp.bound") { $0.antiWindup = .clamp(bound: -1) },
    InvalidCase("clamp bound NaN", "antiWindup.clamp.bound") { $0.antiWindup = .clamp(bound: .nan) },
    InvalidCase("seedDecay bound -1", "antiWindup.seedDecay.bound") {
        $0.antiWindup = .seedDecay(factor: 0.9, bound: -1, band: $0.thresholdBounds, condition: .outputInside)
    },
    InvalidCase("seedDecay factor 1.5", "antiWindup.seedDecay.factor") {
        $0.antiWindup = .seedDecay(factor: 1.5, bound: 50, band: $0.thresholdBounds, condition: .outputInside)
    },
    InvalidCase("seedDecay factor -0.1", "antiWindup.seedDecay.factor") {
        $0.antiWindup = .seedDecay(factor: -0.1, bound: 50, band: $0.thresholdBounds, condition: .outputInside)
    },
    InvalidCase("seedDecay band empty", "antiWindup.seedDecay.band") {
        var band = $0.thresholdBounds
        band.lower = band.upper
        $0.antiWindup = .seedDecay(factor: 0.9, bound: 50, band: band, condition: .outputInside)
    },
    InvalidCase("backCalculation gain -1", "antiWindup.backCalculation.gain") { $0.antiWindup = .backCalculation(gain: -1) },
    InvalidCase("sigmoid T 0", "gate.rule.sigmoid.temperature") { $0.gate.rule = .sigmoid(temperature: 0, scope: .everywhere) },
    InvalidCase("sigmoid T -1", "gate.rule.sigmoid.temperature") { $0.gate.rule = .sigmoid(temperature: -1, scope: .aboveThreshold) },
    InvalidCase("sigmoid T NaN", "gate.rule.sigmoid.temperature") { $0.gate.rule = .sigmoid(temperature: .nan, scope: .aboveThreshold) },
    InvalidCase("capacity -1", "gate.energyBudget.capacity", withBudget { $0.capacity = -1 }),
    InvalidCase("activation cost -1", "gate.energyBudget.activationCost", withBudget { $0.activationCost = -1 }),
    InvalidCase("regeneration lower -1", "gate.energyBudget.regenerationLower", withBudget { $0.regenerationLower = -1 }),
    InvalidCase("regeneration upper -1", "gate.energyBudget.regenerationUpper", withBudget { $0.regenerationUpper = -1 }),
    InvalidCase("regeneration upper < lower", "gate.energyBudget.regenerationUpper", withBudget { $0.regenerationUpper = 0.5 }),
    InvalidCase("minimumCount -1", "fallback.minimumCount") { $0.fallback.minimumCount = -1 },
    InvalidCase("minimumFraction 1.5", "fallback.minimumFraction") { $0.fallback.minimumFraction = 1.5 },
    InvalidCase("minimumFraction -0.1", "fallback.minimumFraction") { $0.fallback.minimumFraction = -0.1 },
    InvalidCase("minimumFraction NaN", "fallback.minimumFraction") { $0.fallback.minimumFraction = .nan },
]

/// JSON coders that can carry NaN and infinities (so invalid numbers reach the decoder).
func permissiveEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    encoder.outputFormatting = .sortedKeys
    return encoder
}

func permissiveDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
}

@Suite("Configuration validation")
struct ConfigurationValidationTests {
    @Test func baseConfigurationIsValid() throws {
        let configuration = try fullConfiguration()
        try configuration.validate()
        _ = try Controller(configuration: configuration)
    }

    @Test(arguments: invalidCases)
    func invalidFieldIsNamed(_ invalid: InvalidCase) throws {
        var configuration = try fullConfiguration()
        invalid.mutate(&configuration)

        let fromValidate = #expect(throws: ConfigurationError.self) { try configuration.validate() }
        #expect(fromValidate?.field == invalid.field)
        #expect(fromValidate?.description.contains("field '\(invalid.field)'") == true)

        let fromController = #expect(throws: ConfigurationError.self) { try Controller(configuration: configuration) }
        #expect(fromController?.field == invalid.field)

        let fromInitializer = #expect(throws: ConfigurationError.self) {
            try ControllerConfiguration(
                target: configuration.target, law: configuration.law, proportionalGain: configuration.proportionalGain,
                integralGain: configuration.integralGain, emaAlpha: configuration.emaAlpha, deadband: configuration.deadband,
                initialThreshold: configuration.initialThreshold, thresholdBounds: configuration.thresholdBounds,
                antiWindup: configuration.antiWindup, rateMeasurement: configuration.rateMeasurement,
                gate: configuration.gate, fallback: configuration.fallback)
        }
        #expect(fromInitializer?.field == invalid.field)

        // Through JSON: decoding validates and names the field in the description.
        let data = try permissiveEncoder().encode(configuration)
        let fromJSON = #expect(throws: DecodingError.self) {
            try permissiveDecoder().decode(ControllerConfiguration.self, from: data)
        }
        let description = fromJSON.map { String(describing: $0) } ?? ""
        #expect(description.contains("field '\(invalid.field)'"), "\(description)")
        if case .dataCorrupted(let context)? = fromJSON {
            #expect((context.underlyingError as? ConfigurationError)?.field == invalid.field)
        } else {
            Issue.record("expected DecodingError.dataCorrupted, got \(String(describing: fromJSON))")
        }
    }

    @Test func componentInitializersValidate() {
        #expect(throws: ConfigurationError(field: "thresholdBounds", expected: "lower < upper", actual: "[1.0, 1.0]")) {
            try ThresholdBounds(lower: 1, upper: 1)
        }
        let budget = #expect(throws: ConfigurationError.self) {
            try EnergyBudget(capacity: 10, activationCost: -2, regenerationLower: 1, regenerationUpper: 3)
        }
        #expect(budget?.field == "gate.energyBudget.activationCost")
        let fallback = #expect(throws: ConfigurationError.self) { try Fallback(minimumCount: -1) }
        #expect(fallback?.field == "fallback.minimumCount")
    }

    @Test(arguments: Preset.allCases)
    func presetsRejectTargetsOutsideTheOpenUnitInterval(_ preset: Preset) throws {
        for target in [0.0, 1.0, -0.1, 1.01, .nan, .infinity] {
            let error = #expect(throws: ConfigurationError.self) { try preset.configuration(target: target) }
            #expect(error?.field == "target", "\(preset) target \(target)")
        }
        for target in [1e-9, 0.1, 0.5, 0.999] {
            let configuration = try preset.configuration(target: target)
            #expect(configuration.target == target)
            #expect(configuration.initialThreshold >= configuration.thresholdBounds.lower)
            #expect(configuration.initialThreshold <= configuration.thresholdBounds.upper)
        }
    }

    /// A hand-written JSON document with α = 1.5.
    @Test func handWrittenInvalidJSONNamesTheField() throws {
        let json = """
            {"target": 0.1, "law": {"sundewIncremental": {}}, "proportionalGain": 0.5, "integralGain": 0.05,
             "emaAlpha": 1.5, "initialThreshold": 1, "thresholdBounds": {"lower": 0, "upper": 2},
             "antiWindup": {"none": {}}}
            """
        let error = #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ControllerConfiguration.self, from: Data(json.utf8))
        }
        let description = error.map { String(describing: $0) } ?? ""
        #expect(description.contains("field 'emaAlpha'"), "\(description)")
    }
}

/// Unknown preset names list the valid ones and suggest the closest.
@Suite struct UnknownPresetTests {
    @Test(arguments: [("seedPackge", "did you mean 'seedPackage'?"), ("velocitypi", "did you mean 'velocityPI'?"),
                      ("nope", "valid presets: seedCIFAR, seedPackage")])
    func unknownPresetsSuggest(name: String, expected: String) {
        func message(_ name: String) -> String {
            do {
                _ = try Preset.named(name)
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(message(name).contains(expected), "\(message(name))")
        #expect(!message("nope").contains("did you mean"))
    }
}
