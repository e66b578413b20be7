import Foundation
import PIControl
import Testing

@Suite("Codable and SeededGenerator")
struct CodableTests {
    @Test(arguments: Preset.allCases, [0.1, 0.37])
    func presetConfigurationRoundTrips(_ preset: Preset, target: Double) throws {
        let configuration = try preset.configuration(target: target)
        let data = try JSONEncoder().encode(configuration)
        let decoded = try JSONDecoder().decode(ControllerConfiguration.self, from: data)
        #expect(decoded == configuration)
        // And the decoded configuration drives a controller identically.
        var a = try Controller(configuration: configuration)
        var b = try Controller(configuration: decoded)
        for rate in [0.0, 0.3, 1.0, 0.12, 0.05] {
            #expect(a.update(observedRate: rate) == b.update(observedRate: rate))
        }
    }

    @Test func presetNamesRoundTrip() throws {
        for preset in Preset.allCases {
            #expect(try Preset.named(preset.rawValue) == preset)
            let data = try JSONEncoder().encode(preset)
            #expect(try JSONDecoder().decode(Preset.self, from: data) == preset)
        }
        let error = #expect(throws: UnknownPresetError.self) { try Preset.named("seedcifar") }
        for preset in Preset.allCases {
            #expect(error?.description.contains(preset.rawValue) == true)
        }
    }

    /// Missing optional keys take their documented defaults.
    @Test func minimalJSONTakesDefaults() throws {
        let json = """
            {"target": 0.2, "law": {"positional": {"reference": 1.5}}, "proportionalGain": 1, "integralGain": 0.1,
             "emaAlpha": 0.5, "initialThreshold": 1.5, "thresholdBounds": {"lower": 0, "upper": 3},
             "antiWindup": {"clamp": {"bound": 4}}}
            """
        let configuration = try JSONDecoder().decode(ControllerConfiguration.self, from: Data(json.utf8))
        #expect(configuration.deadband == 0)
        #expect(configuration.rateMeasurement == .perBatch)
        #expect(configuration.gate == .hard)
        #expect(configuration.fallback == .disabled)
        #expect(configuration.law == .positional(reference: 1.5))
        #expect(configuration.antiWindup == .clamp(bound: 4))
    }

    /// A checkpointed state resumes exactly where it left off.
    @Test func stateCheckpointResumes() throws {
        let configuration = try Preset.seedCIFAR.configuration(target: 0.1)
        var original = try Controller(configuration: configuration)
        var generator = SeededGenerator(seed: 21)
        var scoreSource = SeededGenerator(seed: 22)
        func batch() -> [Double] { (0..<32).map { _ in scoreSource.nextUnitInterval() } }
        for _ in 0..<20 { _ = original.select(scores: batch(), using: &generator) }

        let stateData = try JSONEncoder().encode(original.state)
        let generatorData = try JSONEncoder().encode(generator)
        var resumed = try Controller(
            configuration: configuration, state: JSONDecoder().decode(ControllerState.self, from: stateData))
        var resumedGenerator = try JSONDecoder().decode(SeededGenerator.self, from: generatorData)
        #expect(resumed == original)
        for _ in 0..<20 {
            let scores = batch()
            let a = original.select(scores: scores, using: &generator)
            let b = resumed.select(scores: scores, using: &resumedGenerator)
            #expect(a.selection == b.selection)
            #expect(a.indices == b.indices)
        }
        #expect(resumed.state == original.state)
    }

    // MARK: SeededGenerator

    @Test func sameSeedSameStream() {
        var a = SeededGenerator(seed: 123_456_789)
        var b = SeededGenerator(seed: 123_456_789)
        for _ in 0..<1000 { #expect(a.next() == b.next()) }
        #expect(a == b)
    }

    @Test func differentSeedsDiffer() {
        var prefixes = Set<[UInt64]>()
        for seed in UInt64(0)..<200 {
            var generator = SeededGenerator(seed: seed)
            prefixes.insert((0..<4).map { _ in generator.next() })
        }
        #expect(prefixes.count == 200)
        var neighbours = (SeededGenerator(seed: 1), SeededGenerator(seed: 2))
        let first = (0..<64).map { _ in neighbours.0.next() }
        let second = (0..<64).map { _ in neighbours.1.next() }
        #expect(zip(first, second).allSatisfy { $0 != $1 })
    }

    @Test func codableRoundTripContinuesTheStream() throws {
        var generator = SeededGenerator(seed: 77)
        for _ in 0..<17 { _ = generator.next() }
        let data = try JSONEncoder().encode(generator)
        var restored = try JSONDecoder().decode(SeededGenerator.self, from: data)
        #expect(restored == generator)
        let expected = (0..<100).map { _ in generator.next() }
        let actual = (0..<100).map { _ in restored.next() }
        #expect(actual == expected)
        // A fresh generator with the same seed is at a different point of the stream.
        var fresh = SeededGenerator(seed: 77)
        #expect((0..<100).map { _ in fresh.next() } != expected)
    }

    /// The unit-interval draw is uniform on [0, 1): mean 1/2, variance 1/12 within 99.9 %
    /// intervals, and never 1.
    @Test func unitIntervalIsUniform() {
        var generator = SeededGenerator(seed: 31)
        let n = 50_000
        var sum = 0.0
        var sumOfSquares = 0.0
        var below = 0
        for _ in 0..<n {
            let u = generator.nextUnitInterval()
            #expect(u >= 0 && u < 1)
            sum += u
            sumOfSquares += u * u
            if u < 0.25 { below += 1 }
        }
        let mean = sum / Double(n)
        #expect(abs(mean - 0.5) <= z999 * (1.0 / 12 / Double(n)).squareRoot())
        #expect(abs(sumOfSquares / Double(n) - 1.0 / 3) <= z999 * (4.0 / 45 / Double(n)).squareRoot())
        #expect(abs(Double(below) / Double(n) - 0.25) <= binomialHalfWidth(p: 0.25, n: n))
    }
}
