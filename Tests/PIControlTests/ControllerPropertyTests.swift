import PIControl
import PropertyBased
import Testing

/// Every Double in the state is finite.
func stateIsFinite(_ state: ControllerState) -> Bool {
    [state.threshold, state.ema, state.integral, state.previousError, state.cumulativeSelected,
     state.cumulativeSeen, state.energy].allSatisfy(\.isFinite)
}

@Suite("Controller invariants (property-based)")
struct ControllerPropertyTests {
    @Test func thresholdStaysWithinBounds() async throws {
        await propertyCheck(input: configurations(), wildRates) { configuration, rates in
            var controller = try Controller(configuration: configuration)
            let bounds = configuration.thresholdBounds
            for rate in rates {
                let step = try controller.requireUpdate(observedRate: rate)
                #expect(step.nextThreshold >= bounds.lower && step.nextThreshold <= bounds.upper)
                #expect(controller.threshold == step.nextThreshold)
                #expect(!step.saturated || controller.threshold == bounds.lower || controller.threshold == bounds.upper,
                        "a saturated step must end on a bound")
            }
        }
    }

    @Test func integralNeverExceedsItsBound() async throws {
        await propertyCheck(input: configurations(windups: [.clamp, .seedDecay]), unitRates) { configuration, rates in
            var controller = try Controller(configuration: configuration)
            let bound = try #require(configuration.antiWindup.integralBound)
            for rate in rates {
                let step = try controller.requireUpdate(observedRate: rate)
                #expect(abs(step.integral) <= bound, "|I| = \(abs(step.integral)) > \(bound)")
                #expect(controller.state.integral == step.integral)
            }
        }
    }

    @Test func stateStaysFiniteForFiniteRatesAndCounts() async throws {
        let counts = Generator<[(Int, Int)], Shrink.None<[(Int, Int)]>>(run: { rng in
            (0..<Int.random(in: 1...100, using: &rng)).map { _ in
                (Int.random(in: -1_000_000...1_000_000, using: &rng), Int.random(in: -5...1_000_000, using: &rng))
            }
        })
        await propertyCheck(input: configurations(), wildRates, counts) { configuration, rates, counts in
            var controller = try Controller(configuration: configuration)
            for rate in rates {
                #expect(controller.update(observedRate: rate) != nil)
                #expect(stateIsFinite(controller.state), "rate \(rate) → \(controller.state)")
            }
            for (count, batchSize) in counts {
                let before = controller.state
                let step = controller.update(selectedCount: count, batchSize: batchSize)
                if batchSize <= 0 {
                    #expect(step == nil)
                    #expect(controller.state == before, "an empty batch must not change the state")
                } else {
                    let step = try #require(step)
                    #expect(step.observedRate >= 0 && step.observedRate <= 1)
                }
                #expect(stateIsFinite(controller.state), "count \(count)/\(batchSize) → \(controller.state)")
            }
        }
    }

    @Test func stateStaysFiniteForHugeFiniteScores() async throws {
        let huge: [Double] = [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e308, -1e308, 1e200, -1e-300, 0]
        let batches = Generator<[[Double]], Shrink.None<[[Double]]>>(run: { rng in
            (0..<Int.random(in: 1...20, using: &rng)).map { _ in
                (0..<Int.random(in: 1...40, using: &rng)).map { _ in
                    Bool.random(using: &rng) ? huge.randomElement(using: &rng)! : Double.random(in: -1e300...1e300, using: &rng)
                }
            }
        })
        await propertyCheck(input: configurations(randomGate: true, randomFallback: true), batches, Gen<UInt64>.value()) {
            configuration, batches, seed in
            var controller = try Controller(configuration: configuration)
            var generator = SeededGenerator(seed: seed)
            var indices: [Int] = []
            for batch in batches {
                let selection = controller.select(scores: batch, into: &indices, using: &generator)
                #expect(stateIsFinite(controller.state), "\(batch) → \(controller.state)")
                #expect(selection.step != nil)
                #expect(Set(indices).count == indices.count, "indices are distinct")
                #expect(indices.allSatisfy { batch.indices.contains($0) })
            }
        }
    }

    /// m_k lies between m_{k−1} and the (clamped, measured) rate sample r_k. The EMA is
    /// computed as α·r + (1 − α)·m, which can land one or two ulps outside [min, max] (see
    /// `EquilibriumTests`), so the check allows 4 ulps of 1.
    @Test func emaLiesBetweenPreviousEmaAndSample() async throws {
        await propertyCheck(input: configurations(), wildRates) { configuration, rates in
            var controller = try Controller(configuration: configuration)
            let slack = 4 * Double.ulpOfOne
            for rate in rates {
                let previous = controller.state.ema
                let step = try controller.requireUpdate(observedRate: rate)
                #expect(step.observedRate >= 0 && step.observedRate <= 1)
                if configuration.rateMeasurement == .perBatch {
                    #expect(step.observedRate == min(1, max(0, rate)))
                }
                let low = min(previous, step.observedRate) - slack
                let high = max(previous, step.observedRate) + slack
                #expect(step.ema >= low && step.ema <= high, "m = \(step.ema), previous \(previous), sample \(step.observedRate)")
                #expect(controller.state.ema == step.ema)
            }
        }
    }

    /// Feeding the target rate from the start (so m stays at the target) must leave θ in
    /// place for every law (the positional law starting at its reference). Rounding in the
    /// EMA leaves m a few ulps off the target (up to ~ulp/α; see `EquilibriumTests`, a known
    /// defect), so this property allows |m − t| ≤ ε = 1e-12 and only the θ movement such an
    /// error can explain after n steps: (2·Kp + Ki·n)·n·ε. A real movement is far larger.
    @Test func equilibriumKeepsThresholdInPlace() async throws {
        let setups = Generator<(ControllerConfiguration, Int), Shrink.None<(ControllerConfiguration, Int)>>(run: { rng in
            var configuration = randomConfiguration(using: &rng)
            if case .positional(let reference) = configuration.law { configuration.initialThreshold = reference }
            // A target that is exactly n/B for the batch size used, so both entry points
            // measure exactly the target.
            let batchSize = Int.random(in: 2...200, using: &rng)
            configuration.target = Double(Int.random(in: 1..<batchSize, using: &rng)) / Double(batchSize)
            return (configuration, batchSize)
        })
        await propertyCheck(input: setups) { setup in
            let (configuration, batchSize) = setup
            let selected = Int((configuration.target * Double(batchSize)).rounded())
            var controller = try Controller(configuration: configuration)
            let start = controller.threshold
            for k in 0..<300 {
                // Counts work for both measurements (Σn/ΣB stays exactly n/B); a fed rate is
                // exact only per batch.
                if configuration.rateMeasurement == .perBatch && k.isMultiple(of: 2) {
                    controller.update(observedRate: configuration.target)
                } else {
                    controller.update(selectedCount: selected, batchSize: batchSize)
                }
                let epsilon = 1e-12
                let n = Double(k + 1)
                let allowed = (2 * configuration.proportionalGain + configuration.integralGain * n) * n * epsilon
                #expect(abs(controller.state.ema - configuration.target) <= epsilon)
                #expect(abs(controller.threshold - start) <= allowed, "θ moved from \(start) to \(controller.threshold) at step \(k)")
                if abs(controller.threshold - start) > allowed { break }
            }
        }
    }

    /// NaN and ±∞ scores are never selected, are counted in `rejectedNonFiniteCount`, and
    /// leave the state (and the random stream) exactly as if they were not in the batch.
    @Test func nonFiniteScoresAreInvisible() async throws {
        let batches = Generator<[[Double]], Shrink.None<[[Double]]>>(run: { rng in
            (0..<Int.random(in: 1...8, using: &rng)).map { _ in
                (0..<Int.random(in: 0...30, using: &rng)).map { _ in
                    switch Int.random(in: 0..<6, using: &rng) {
                    case 0: return [Double.nan, .infinity, -.infinity, -Double.nan, Double.signalingNaN].randomElement(using: &rng)!
                    default: return Double.random(in: -3...3, using: &rng)
                    }
                }
            }
        })
        await propertyCheck(input: configurations(randomGate: true, randomFallback: true), batches, Gen<UInt64>.value()) {
            configuration, batches, seed in
            var withNonFinite = try Controller(configuration: configuration)
            var finiteOnly = try Controller(configuration: configuration)
            var generatorA = SeededGenerator(seed: seed)
            var generatorB = SeededGenerator(seed: seed)
            var indicesA: [Int] = []
            var indicesB: [Int] = []
            for batch in batches {
                let finitePositions = batch.indices.filter { batch[$0].isFinite }
                let finiteScores = finitePositions.map { batch[$0] }
                let before = withNonFinite.state
                let a = withNonFinite.select(scores: batch, into: &indicesA, using: &generatorA)
                let b = finiteOnly.select(scores: finiteScores, into: &indicesB, using: &generatorB)
                #expect(a.rejectedNonFiniteCount == batch.count - finiteScores.count)
                #expect(a.batchSize == batch.count)
                #expect(indicesA.allSatisfy { batch[$0].isFinite }, "a non-finite score was selected")
                #expect(indicesA == indicesB.map { finitePositions[$0] })
                #expect(a.step == b.step)
                #expect(withNonFinite.state == finiteOnly.state)
                #expect(generatorA == generatorB)
                if finiteScores.isEmpty {
                    #expect(a.step == nil)
                    #expect(indicesA.isEmpty)
                    #expect(withNonFinite.state == before, "an all-non-finite batch must not change the state")
                }
            }
        }
    }
}
