import PIControl
import PropertyBased

/// The anti-windup schemes, as plain cases for choosing at random.
enum WindupKind: CaseIterable, Sendable {
    case none, clamp, seedDecay, conditional, backCalculation
}

/// The laws, as plain cases for choosing at random.
enum LawKind: CaseIterable, Sendable {
    case sundewIncremental, positional, velocity
}

/// A random valid configuration with gains in sane ranges: Kp ∈ [0, 5], Ki ∈ [0, 1],
/// α ∈ (0, 1] (α = 1 one time in eight), bounds lo < hi within [−5, 15], θ0 and any
/// positional reference inside the bounds, target ∈ [0.01, 0.99].
func randomConfiguration<G: RandomNumberGenerator>(
    using rng: inout G, windups: [WindupKind] = WindupKind.allCases, laws: [LawKind] = LawKind.allCases,
    randomGate: Bool = false, randomFallback: Bool = false
) -> ControllerConfiguration {
    let lower = Double.random(in: -5...5, using: &rng)
    let upper = lower + Double.random(in: 0.01...10, using: &rng)
    let law: ControlLaw
    switch laws.randomElement(using: &rng)! {
    case .sundewIncremental: law = .sundewIncremental
    case .positional: law = .positional(reference: Double.random(in: lower...upper, using: &rng))
    case .velocity: law = .velocity
    }
    let antiWindup: AntiWindup
    switch windups.randomElement(using: &rng)! {
    case .none: antiWindup = .none
    case .clamp: antiWindup = .clamp(bound: Double.random(in: 0...50, using: &rng))
    case .seedDecay:
        let bandLower = lower + Double.random(in: -0.5...0.5, using: &rng)
        let band = try! ThresholdBounds(lower: bandLower, upper: bandLower + Double.random(in: 0.01...10, using: &rng))
        antiWindup = .seedDecay(
            factor: Double.random(in: 0...1, using: &rng), bound: Double.random(in: 0...50, using: &rng), band: band,
            condition: DecayCondition.allCases.randomElement(using: &rng)!)
    case .conditional: antiWindup = .conditional
    case .backCalculation: antiWindup = .backCalculation(gain: Double.random(in: 0...5, using: &rng))
    }
    var gate = Gate.hard
    if randomGate {
        let rule: GateRule = Bool.random(using: &rng)
            ? .hard
            : .sigmoid(temperature: Double.random(in: 0.001...2, using: &rng), scope: Bool.random(using: &rng) ? .aboveThreshold : .everywhere)
        var budget: EnergyBudget?
        if Bool.random(using: &rng) {
            let regenerationLower = Double.random(in: 0...5, using: &rng)
            budget = try! EnergyBudget(
                capacity: Double.random(in: 0...100, using: &rng), activationCost: Double.random(in: 0...20, using: &rng),
                regenerationLower: regenerationLower, regenerationUpper: regenerationLower + Double.random(in: 0...5, using: &rng))
        }
        gate = Gate(rule: rule, energyBudget: budget)
    }
    var fallback = Fallback.disabled
    if randomFallback {
        fallback = try! Fallback(
            minimumCount: Int.random(in: 0...5, using: &rng), minimumFraction: Double.random(in: 0...0.5, using: &rng),
            trigger: Bool.random(using: &rng) ? .belowMinimum : .noneSelected,
            choice: Bool.random(using: &rng) ? .highestScores : .random,
            countsTowardRate: Bool.random(using: &rng))
    }
    let alpha = Int.random(in: 0..<8, using: &rng) == 0 ? 1 : Double.random(in: 0.001...1, using: &rng)
    return try! ControllerConfiguration(
        target: Double.random(in: 0.01...0.99, using: &rng), law: law,
        proportionalGain: Double.random(in: 0...5, using: &rng), integralGain: Double.random(in: 0...1, using: &rng),
        emaAlpha: alpha, deadband: Bool.random(using: &rng) ? 0 : Double.random(in: 0...0.05, using: &rng),
        initialThreshold: Double.random(in: lower...upper, using: &rng),
        thresholdBounds: try! ThresholdBounds(lower: lower, upper: upper), antiWindup: antiWindup,
        rateMeasurement: Bool.random(using: &rng) ? .perBatch : .cumulative, gate: gate, fallback: fallback)
}

/// A property-test generator of random configurations (no shrinking).
func configurations(
    windups: [WindupKind] = WindupKind.allCases, laws: [LawKind] = LawKind.allCases,
    randomGate: Bool = false, randomFallback: Bool = false
) -> Generator<ControllerConfiguration, Shrink.None<ControllerConfiguration>> {
    Generator(run: { rng in
        randomConfiguration(using: &rng, windups: windups, laws: laws, randomGate: randomGate, randomFallback: randomFallback)
    })
}

/// Finite rates anywhere on the real line: mostly in [0, 1], some far outside, some at the
/// extremes of `Double`.
let wildRates: Generator<[Double], Shrink.None<[Double]>> = Generator(run: { rng in
    let count = Int.random(in: 1...200, using: &rng)
    return (0..<count).map { _ in
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: return Double.random(in: -1e300...1e300, using: &rng)
        case 1: return [Double.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -0.0, 1e6, -1e6]
            .randomElement(using: &rng)!
        case 2: return Double.random(in: -10...10, using: &rng)
        default: return Double.random(in: 0...1, using: &rng)
        }
    }
})

/// Rates in [0, 1].
let unitRates = Gen.double(in: 0...1).array(of: 1...200)
