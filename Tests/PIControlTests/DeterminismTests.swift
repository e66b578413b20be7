import PIControl
import Testing

@Suite("Determinism")
struct DeterminismTests {
    /// Runs `batches` batches of scores (drawn from their own generator) through a controller
    /// with a generator seeded `seed`; returns every selection and index list.
    func run(_ configuration: ControllerConfiguration, seed: UInt64, batches: Int = 100) throws -> [(Selection, [Int])] {
        var controller = try Controller(configuration: configuration)
        var generator = SeededGenerator(seed: seed)
        var scoreSource = SeededGenerator(seed: 1_000)
        var indices: [Int] = []
        var result: [(Selection, [Int])] = []
        for k in 0..<batches {
            var scores = (0..<64).map { _ in scoreSource.nextUnitInterval() }
            if k % 7 == 3 { scores = scores.map { $0 * 0.3 } }  // low batches: fallbacks fire
            let selection = controller.select(scores: scores, into: &indices, using: &generator)
            result.append((selection, indices))
        }
        return result
    }

    static let configurations: [String] = ["seedCIFAR", "seedPackage", "sigmoidEverywhereRandomFallback"]

    func configuration(named name: String) throws -> ControllerConfiguration {
        switch name {
        case "seedCIFAR": return try Preset.seedCIFAR.configuration(target: 0.1)
        case "seedPackage": return try Preset.seedPackage.configuration(target: 0.1)
        default:
            return try makeConfiguration(
                target: 0.2, kp: 0.3, ki: 0.02, alpha: 0.4, theta0: 0.6, lower: 0, upper: 1,
                gate: Gate(rule: .sigmoid(temperature: 0.1, scope: .everywhere)),
                fallback: Fallback(minimumCount: 4, trigger: .belowMinimum, choice: .random))
        }
    }

    @Test(arguments: configurations)
    func sameConfigurationAndSeedGiveIdenticalSelections(_ name: String) throws {
        let configuration = try configuration(named: name)
        let first = try run(configuration, seed: 99)
        let second = try run(configuration, seed: 99)
        try #require(first.count == 100 && second.count == 100)
        for k in 0..<100 {
            #expect(first[k].0 == second[k].0, "batch \(k)")
            #expect(first[k].1 == second[k].1, "batch \(k)")
        }
        #expect(first.contains { $0.0.usedFallback }, "the run should exercise the fallback")
    }

    /// Control: for the stochastic configurations the seed does matter.
    @Test(arguments: ["seedCIFAR", "sigmoidEverywhereRandomFallback"])
    func differentSeedsGiveDifferentSelections(_ name: String) throws {
        let configuration = try configuration(named: name)
        let first = try run(configuration, seed: 99)
        let second = try run(configuration, seed: 100)
        #expect(zip(first, second).contains { $0.1 != $1.1 })
    }
}
