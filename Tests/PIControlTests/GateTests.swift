import Foundation
import PIControl
import PropertyBased
import Testing

/// σ(z) from Foundation's libm, independent of the package's own exponential.
func logistic(_ z: Double) -> Double { 1 / (1 + Foundation.exp(-z)) }

@Suite("Gate and fallback")
struct GateTests {
    // MARK: hard gate

    /// Hard gate, no fallback: exactly the indices with s > θ, in batch order (ties with θ
    /// are not selected), batch after batch as θ moves.
    @Test func hardGateSelectsExactlyScoresAboveThreshold() async throws {
        let batches = Generator<[[Double]], Shrink.None<[[Double]]>>(run: { rng in
            (0..<Int.random(in: 1...10, using: &rng)).map { _ in
                (0..<Int.random(in: 0...60, using: &rng)).map { _ in Double.random(in: -3...3, using: &rng) }
            }
        })
        await propertyCheck(input: configurations(laws: [.sundewIncremental, .velocity]), batches) { configuration, batches in
            var controller = try Controller(configuration: configuration)
            var generator = SeededGenerator(seed: 1)
            var indices: [Int] = []
            for var batch in batches {
                let theta = controller.threshold
                // Plant ties with θ.
                if !batch.isEmpty { batch[batch.count / 2] = theta }
                let selection = controller.select(scores: batch, into: &indices, using: &generator)
                #expect(selection.gatingThreshold == theta)
                #expect(indices == batch.indices.filter { batch[$0] > theta })
                #expect(selection.passedCount == indices.count)
                #expect(selection.selectedCount == indices.count)
                #expect(!selection.usedFallback)
                #expect(generator == SeededGenerator(seed: 1), "the hard gate must not draw random numbers")
            }
        }
    }

    /// Indices are positions in the collection passed in, also for a slice that does not
    /// start at zero.
    @Test func indicesOfASliceAreAbsolute() throws {
        let configuration = try makeConfiguration(
            theta0: 0.5, fallback: Fallback(minimumCount: 3, choice: .highestScores))
        var controller = try Controller(configuration: configuration)
        let scores: [Double] = [9, 9, 9, 9, 9, 0.1, 0.7, 0.2, 0.3, 0.45, 9, 9]
        var generator = SeededGenerator(seed: 3)
        var indices: [Int] = []
        let selection = controller.select(scores: scores[5..<10], into: &indices, using: &generator)
        // 0.7 (index 6) passes; the fallback tops up with 0.45 (9) and 0.3 (8).
        #expect(indices == [6, 9, 8])
        #expect(selection.passedCount == 1)
        #expect(selection.batchSize == 5)
    }

    // MARK: fallback

    /// `highestScores` with nothing passing: exactly minimumActive samples, and they are the
    /// top scores of the batch.
    @Test func highestScoresFallbackTakesTheTopScores() async throws {
        let setups = Generator<(Int, Double, [Double]), Shrink.None<(Int, Double, [Double])>>(run: { rng in
            let scores = (0..<Int.random(in: 1...80, using: &rng)).map { _ in Double.random(in: -1...1, using: &rng) }
            return (Int.random(in: 0...10, using: &rng), Double.random(in: 0...0.6, using: &rng), scores)
        })
        await propertyCheck(input: setups) { setup in
            let (minimumCount, fraction, scores) = setup
            let fallback = try Fallback(minimumCount: minimumCount, minimumFraction: fraction, trigger: .belowMinimum, choice: .highestScores)
            // θ0 = 1.5 > every score: nothing passes.
            var controller = try Controller(configuration: makeConfiguration(theta0: 1.5, fallback: fallback))
            var generator = SeededGenerator(seed: 2)
            var indices: [Int] = []
            let selection = controller.select(scores: scores, into: &indices, using: &generator)
            let minimum = min(scores.count, max(minimumCount, Int((fraction * Double(scores.count)).rounded(.down))))
            #expect(fallback.minimumActive(batchSize: scores.count) == minimum)
            #expect(indices.count == minimum)
            #expect(selection.selectedCount == minimum)
            #expect(selection.passedCount == 0)
            #expect(selection.usedFallback == (minimum > 0))
            let top = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(minimum)
            #expect(Set(indices) == Set(top))
            // Picked best-first.
            #expect(indices.map { scores[$0] } == indices.map { scores[$0] }.sorted(by: >))
        }
    }

    /// The minimum is min(B, max(minimumCount, ⌊fraction·B⌋)) over the finite scores, checked
    /// through select() on batches where nothing passes.
    @Test(arguments: [
        (2, 0.1, 50, 5), (2, 0.1, 10, 2), (2, 0.1, 25, 2), (2, 0.1, 1, 1), (2, 0.1, 0, 0),
        (0, 0.25, 7, 1), (0, 0.25, 3, 0), (5, 0.0, 4, 4), (3, 1.0, 6, 6), (0, 0.5, 9, 4),
    ])
    func minimumActiveCount(minimumCount: Int, fraction: Double, batchSize: Int, expected: Int) throws {
        for choice in Fallback.Choice.allCases {
            let fallback = try Fallback(minimumCount: minimumCount, minimumFraction: fraction, choice: choice)
            var controller = try Controller(configuration: makeConfiguration(theta0: 1.5, fallback: fallback))
            // NaNs around the finite scores do not count towards B.
            let scores = [Double.nan] + (0..<batchSize).map { Double($0) / 100 } + [.infinity]
            var generator = SeededGenerator(seed: 4)
            var indices: [Int] = []
            let selection = controller.select(scores: scores, into: &indices, using: &generator)
            #expect(indices.count == expected, "\(choice)")
            #expect(selection.selectedCount == expected)
            #expect(indices.allSatisfy { scores[$0].isFinite })
            #expect(Set(indices).count == indices.count)
        }
    }

    /// `random` fallback: exactly the missing number of distinct, finite, not-passed
    /// indices, each non-passed sample equally likely (99.9 % binomial interval per index).
    @Test func randomFallbackIsAUniformSampleOfTheRest() throws {
        let fallback = try Fallback(minimumCount: 3, trigger: .belowMinimum, choice: .random)
        // Kp = Ki = 0 keep θ at 0.5 batch after batch.
        let configuration = try makeConfiguration(kp: 0, ki: 0, theta0: 0.5, fallback: fallback)
        var controller = try Controller(configuration: configuration)
        let scores: [Double] = [0.1, 0.9, .nan, 0.2, 0.3, 0.4, 0.05, 0.45]  // index 1 passes
        let candidates = [0, 3, 4, 5, 6, 7]
        var generator = SeededGenerator(seed: 5)
        var hits = [Int: Int]()
        var indices: [Int] = []
        let batches = 6000
        for _ in 0..<batches {
            let selection = controller.select(scores: scores, into: &indices, using: &generator)
            #expect(selection.passedCount == 1)
            try #require(indices.count == 3)
            #expect(indices[0] == 1, "passed samples come first")
            let picks = indices.dropFirst()
            try #require(Set(picks).count == 2 && picks.allSatisfy { candidates.contains($0) }, "\(indices)")
            for pick in picks { hits[pick, default: 0] += 1 }
        }
        #expect(controller.threshold == 0.5)
        let p = 2.0 / Double(candidates.count)
        for candidate in candidates {
            let frequency = Double(hits[candidate, default: 0]) / Double(batches)
            #expect(abs(frequency - p) <= binomialHalfWidth(p: p, n: batches), "index \(candidate): \(frequency) vs \(p)")
        }
    }

    /// `belowMinimum` tops up whenever fewer than the minimum pass; `noneSelected` only when
    /// nothing passes.
    @Test(arguments: Fallback.Choice.allCases)
    func triggers(choice: Fallback.Choice) throws {
        let onePasses: [Double] = [0.1, 0.2, 0.9, 0.3, 0.4, 0.15]
        let nonePasses: [Double] = [0.1, 0.2, 0.25, 0.3, 0.4, 0.15]
        func run(_ trigger: Fallback.Trigger, _ scores: [Double]) throws -> (Selection, [Int]) {
            let fallback = try Fallback(minimumCount: 3, trigger: trigger, choice: choice)
            var controller = try Controller(configuration: makeConfiguration(theta0: 0.5, fallback: fallback))
            var generator = SeededGenerator(seed: 6)
            var indices: [Int] = []
            let selection = controller.select(scores: scores, into: &indices, using: &generator)
            return (selection, indices)
        }
        let (below, belowIndices) = try run(.belowMinimum, onePasses)
        #expect(below.passedCount == 1 && below.selectedCount == 3 && below.usedFallback)
        #expect(belowIndices.first == 2)
        let (none, noneIndices) = try run(.noneSelected, onePasses)
        #expect(none.passedCount == 1 && none.selectedCount == 1 && !none.usedFallback)
        #expect(noneIndices == [2])
        for trigger in Fallback.Trigger.allCases {
            let (selection, indices) = try run(trigger, nonePasses)
            #expect(selection.passedCount == 0 && selection.selectedCount == 3 && selection.usedFallback, "\(trigger)")
            #expect(indices.count == 3)
        }
    }

    /// `countsTowardRate` decides whether fallback picks enter the observed rate.
    @Test(arguments: [true, false])
    func countsTowardRate(counts: Bool) throws {
        let fallback = try Fallback(minimumCount: 5, trigger: .belowMinimum, choice: .highestScores, countsTowardRate: counts)
        let configuration = try makeConfiguration(target: 0.1, kp: 0.5, ki: 0.05, alpha: 1, theta0: 0.5, fallback: fallback)
        var controller = try Controller(configuration: configuration)
        var scores = (0..<20).map { Double($0) / 100 }  // all below θ = 0.5 …
        scores[7] = 0.8  // … except one
        var generator = SeededGenerator(seed: 7)
        var indices: [Int] = []
        let selection = controller.select(scores: scores, into: &indices, using: &generator)
        let step = try #require(selection.step)
        #expect(selection.passedCount == 1 && selection.selectedCount == 5)
        let rate = counts ? 5.0 / 20 : 1.0 / 20
        #expect(step.observedRate == rate)
        #expect(step.ema == rate)  // α = 1
        // θ1 = θ0 + Kp·e + Ki·e (sundewIncremental, I = e after one step).
        let error = rate - 0.1
        expectClose(step.nextThreshold, 0.5 + 0.5 * error + 0.05 * error, "θ1")
    }

    // MARK: sigmoid gate

    struct SigmoidCase: Sendable, CustomTestStringConvertible {
        var scope: SigmoidScope
        var score: Double
        var threshold: Double
        var temperature: Double
        var testDescription: String { "\(scope) s=\(score) θ=\(threshold) T=\(temperature)" }
        /// The pass probability implied by the gate's equations (PIControl.docc/PIControl.md, "Gate").
        var probability: Double {
            let sigma = logistic((score - threshold) / temperature)
            switch scope {
            case .aboveThreshold: return score > threshold ? sigma : 0
            case .everywhere: return sigma
            }
        }
    }

    /// The selection frequency of a score s is σ((s − θ)/T) (times [s > θ] for the seed's
    /// scope) within a 99.9 % binomial interval, over 20 000 draws from SeededGenerator.
    @Test(arguments: [
        SigmoidCase(scope: .aboveThreshold, score: 0.6, threshold: 0.5, temperature: 0.15),
        SigmoidCase(scope: .aboveThreshold, score: 0.52, threshold: 0.5, temperature: 0.15),
        SigmoidCase(scope: .aboveThreshold, score: 0.45, threshold: 0.5, temperature: 0.15),
        SigmoidCase(scope: .aboveThreshold, score: 0.5, threshold: 0.5, temperature: 0.15),
        SigmoidCase(scope: .everywhere, score: 0.45, threshold: 0.5, temperature: 0.15),
        SigmoidCase(scope: .everywhere, score: 0.5, threshold: 0.5, temperature: 0.15),
        SigmoidCase(scope: .everywhere, score: 0.9, threshold: 0.5, temperature: 0.15),
        SigmoidCase(scope: .everywhere, score: -1.0, threshold: 0.5, temperature: 0.5),
        SigmoidCase(scope: .everywhere, score: 2.0, threshold: 1.0, temperature: 2.0),
    ])
    func sigmoidSelectionFrequency(_ testCase: SigmoidCase) throws {
        let gate = Gate(rule: .sigmoid(temperature: testCase.temperature, scope: testCase.scope))
        let configuration = try makeConfiguration(
            kp: 0, ki: 0, theta0: testCase.threshold, lower: -5, upper: 5, gate: gate)
        var controller = try Controller(configuration: configuration)
        var generator = SeededGenerator(seed: 8)
        let draws = 20_000
        let scores = [Double](repeating: testCase.score, count: draws)
        var indices: [Int] = []
        let selection = controller.select(scores: scores, into: &indices, using: &generator)
        let p = testCase.probability
        let frequency = Double(selection.passedCount) / Double(draws)
        if p == 0 {
            #expect(selection.passedCount == 0)
        } else {
            #expect(abs(frequency - p) <= binomialHalfWidth(p: p, n: draws), "frequency \(frequency), σ = \(p)")
        }
    }

    // MARK: energy bucket

    /// Energy never goes negative and never exceeds the capacity, for any budget, gate and
    /// scores (batches of one sample expose the level after every sample).
    @Test func energyStaysWithinZeroAndCapacity() async throws {
        let setups = Generator<(EnergyBudget, GateRule, [[Double]]), Shrink.None<(EnergyBudget, GateRule, [[Double]])>>(run: { rng in
            let lower = Double.random(in: 0...5, using: &rng)
            let budget = try! EnergyBudget(
                capacity: Double.random(in: 0...100, using: &rng), activationCost: Double.random(in: 0...30, using: &rng),
                regenerationLower: lower, regenerationUpper: lower + Double.random(in: 0...5, using: &rng))
            let rule: GateRule = Bool.random(using: &rng) ? .hard : .sigmoid(temperature: 0.3, scope: .everywhere)
            let batches = (0..<Int.random(in: 1...60, using: &rng)).map { _ in
                (0..<Int.random(in: 1...(Bool.random(using: &rng) ? 1 : 40), using: &rng)).map { _ in Double.random(in: -2...4, using: &rng) }
            }
            return (budget, rule, batches)
        })
        await propertyCheck(input: setups) { setup in
            let (budget, rule, batches) = setup
            let configuration = try makeConfiguration(kp: 0.1, ki: 0.01, theta0: 0.5, gate: Gate(rule: rule, energyBudget: budget))
            var controller = try Controller(configuration: configuration)
            #expect(controller.state.energy == budget.capacity, "the bucket starts full")
            var generator = SeededGenerator(seed: 9)
            var indices: [Int] = []
            for batch in batches {
                let before = controller.state.energy
                let selection = controller.select(scores: batch, into: &indices, using: &generator)
                let energy = controller.state.energy
                #expect(energy >= 0, "energy \(energy)")
                #expect(energy <= budget.capacity)
                // Each activation costs `cost`; at most `upper` regenerates per sample.
                let ceiling = before + Double(batch.count) * budget.regenerationUpper
                #expect(Double(selection.passedCount) * budget.activationCost <= ceiling + 1e-9)
            }
        }
    }

    /// With every score passing the rule, the bucket caps the sustained rate at
    /// mean(regeneration)/cost: cost 10, regeneration U(1, 3) → 0.2, within a 99.9 %
    /// interval for the sum of the uniform regenerations.
    @Test func energyBucketCapsTheSustainedRate() throws {
        let budget = try EnergyBudget(capacity: 100, activationCost: 10, regenerationLower: 1, regenerationUpper: 3)
        #expect(budget.sustainableRate == 0.2)
        let configuration = try makeConfiguration(theta0: 1, lower: 0, upper: 10, gate: Gate(rule: .hard, energyBudget: budget))
        var controller = try Controller(configuration: configuration)
        var generator = SeededGenerator(seed: 10)
        let scores = [Double](repeating: 1e6, count: 500)  // every score passes the hard gate
        var indices: [Int] = []
        var passed = 0
        let batches = 200
        for _ in 0..<batches {
            passed += controller.select(scores: scores, into: &indices, using: &generator).passedCount
        }
        let n = Double(batches * scores.count)
        let rate = Double(passed) / n
        // passed·cost = initial − final energy + Σ regeneration; Var(U(1, 3)) = 1/3.
        let halfWidth = z999 * (n / 3).squareRoot() / (10 * n) + (100 + 10) / (10 * n)
        #expect(abs(rate - 0.2) <= halfWidth, "sustained rate \(rate)")
        #expect(rate < 0.21)
    }

    /// The energy bucket decides, spends, then regenerates, in batch order: with capacity 25,
    /// cost 10 and a fixed regeneration of 1, of three passing scores the first two activate
    /// and the third is refused.
    @Test func energyOrderDecideSpendRegenerate() throws {
        let budget = try EnergyBudget(capacity: 25, activationCost: 10, regenerationLower: 1, regenerationUpper: 1)
        let configuration = try makeConfiguration(theta0: 0.5, gate: Gate(rule: .hard, energyBudget: budget))
        var controller = try Controller(configuration: configuration)
        var generator = SeededGenerator(seed: 11)
        var indices: [Int] = []
        _ = controller.select(scores: [0.9, 0.1, 0.9, 0.9], into: &indices, using: &generator)
        // 25 → (pass) 15 → +1 = 16 → (fail s) +1 = 17 → (pass) 7 → +1 = 8 → (8 ≤ 10, refused) +1 = 9
        #expect(indices == [0, 2])
        #expect(controller.state.energy == 9)
    }
}
