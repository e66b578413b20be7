import PIControl
import Testing

/// A generator that returns a fixed list of 64-bit words, cycling, and counts how many it
/// handed out. Golden tests use it so that the Python reference knows every uniform.
struct StubWordGenerator: RandomNumberGenerator {
    let words: [UInt64]
    private(set) var consumed = 0

    init(words: [UInt64]) {
        precondition(!words.isEmpty)
        self.words = words
    }

    mutating func next() -> UInt64 {
        defer { consumed += 1 }
        return words[consumed % words.count]
    }
}

/// `|actual − expected| ≤ tolerance·max(|actual|, |expected|)` (exact equality also passes).
func isClose(_ actual: Double, _ expected: Double, relative tolerance: Double = 1e-12) -> Bool {
    actual == expected || abs(actual - expected) <= tolerance * max(abs(actual), abs(expected))
}

func expectClose(
    _ actual: Double, _ expected: Double, relative tolerance: Double = 1e-12, _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(
        isClose(actual, expected, relative: tolerance),
        "\(what): got \(actual), expected \(expected)", sourceLocation: sourceLocation)
}

/// One row of a golden trajectory: (θ gating, observed rate, EMA, integral, next θ).
typealias GoldenStep = (gating: Double, rate: Double, ema: Double, integral: Double, next: Double)

func expectStep(
    _ step: ControllerStep?, _ expected: GoldenStep, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let step else {
        Issue.record("\(label): no step", sourceLocation: sourceLocation)
        return
    }
    expectClose(step.gatingThreshold, expected.gating, "\(label) gatingThreshold", sourceLocation: sourceLocation)
    expectClose(step.observedRate, expected.rate, "\(label) observedRate", sourceLocation: sourceLocation)
    expectClose(step.ema, expected.ema, "\(label) ema", sourceLocation: sourceLocation)
    expectClose(step.integral, expected.integral, "\(label) integral", sourceLocation: sourceLocation)
    expectClose(step.nextThreshold, expected.next, "\(label) nextThreshold", sourceLocation: sourceLocation)
}

/// A configuration built through the throwing memberwise initialiser, hard gate and
/// per-batch rate unless told otherwise.
func makeConfiguration(
    target: Double = 0.1, law: ControlLaw = .sundewIncremental, kp: Double = 0.5, ki: Double = 0.05,
    alpha: Double = 0.5, deadband: Double = 0, theta0: Double = 1, lower: Double = 0, upper: Double = 2,
    antiWindup: AntiWindup = .clamp(bound: 10), rate: RateMeasurement = .perBatch, gate: Gate = .hard,
    fallback: Fallback = .disabled
) throws -> ControllerConfiguration {
    try ControllerConfiguration(
        target: target, law: law, proportionalGain: kp, integralGain: ki, emaAlpha: alpha,
        deadband: deadband, initialThreshold: theta0,
        thresholdBounds: ThresholdBounds(lower: lower, upper: upper), antiWindup: antiWindup,
        rateMeasurement: rate, gate: gate, fallback: fallback)
}

/// The two-sided standard-normal quantile for a 99.9 % confidence interval.
let z999 = 3.290526731491926

/// Half-width of a 99.9 % binomial confidence interval (normal approximation) for `n` trials.
func binomialHalfWidth(p: Double, n: Int) -> Double {
    z999 * (p * (1 - p) / Double(n)).squareRoot()
}

extension Controller {
    /// `update(observedRate:)`, requiring a step (the rate must be finite).
    mutating func requireUpdate(
        observedRate: Double, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ControllerStep {
        let step = update(observedRate: observedRate)
        return try #require(step, sourceLocation: sourceLocation)
    }
}
