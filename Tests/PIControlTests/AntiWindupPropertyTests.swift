import PIControl
import PropertyBased
import Testing

/// Saturates the controller at its upper bound for `saturationSteps` batches of rate 1, then
/// feeds rate 0 and returns how many batches pass until θ leaves the upper bound (nil if it
/// has not left after `limit`).
func recoverySteps(_ configuration: ControllerConfiguration, saturationSteps: Int, limit: Int = 20_000) throws -> Int? {
    var controller = try Controller(configuration: configuration)
    for _ in 0..<saturationSteps { controller.update(observedRate: 1) }
    try #require(controller.threshold == configuration.thresholdBounds.upper, "not saturated after \(saturationSteps) steps")
    try #require(controller.state.saturated)
    for k in 1...limit {
        controller.update(observedRate: 0)
        if controller.threshold < configuration.thresholdBounds.upper { return k }
    }
    return nil
}

@Suite("Anti-windup")
struct AntiWindupPropertyTests {
    /// With `clamp` (bound ≤ 3, reached within 10 saturated steps) or `conditional`, the time
    /// to leave the upper bound after the error flips does not grow with the time spent
    /// saturated: N = 10 and N = 1000 agree within one step.
    @Test func recoveryDoesNotGrowWithSaturationTime() async throws {
        let setups = Generator<ControllerConfiguration, Shrink.None<ControllerConfiguration>>(run: { rng in
            let lower = Double.random(in: -2...2, using: &rng)
            let upper = lower + Double.random(in: 0.5...5, using: &rng)
            let law: ControlLaw
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: law = .sundewIncremental
            // Kp·e ≥ 0.35 at saturation, so a reference within 0.3 of the top saturates.
            case 1: law = .positional(reference: Double.random(in: (upper - 0.3)...upper, using: &rng))
            default: law = .velocity
            }
            let antiWindup: AntiWindup = Bool.random(using: &rng)
                ? .clamp(bound: Double.random(in: 0.1...3, using: &rng)) : .conditional
            return try! ControllerConfiguration(
                target: Double.random(in: 0.05...0.3, using: &rng), law: law,
                proportionalGain: Double.random(in: 1...5, using: &rng), integralGain: Double.random(in: 0.001...1, using: &rng),
                emaAlpha: Double.random(in: 0.5...1, using: &rng), initialThreshold: upper,
                thresholdBounds: try! ThresholdBounds(lower: lower, upper: upper), antiWindup: antiWindup)
        })
        await propertyCheck(input: setups) { configuration in
            let short = try #require(try recoverySteps(configuration, saturationSteps: 10))
            let long = try #require(try recoverySteps(configuration, saturationSteps: 1000))
            #expect(abs(long - short) <= 1, "recovery after 10 saturated steps: \(short), after 1000: \(long)")
        }
    }

    /// The same comparison on fixed configurations, with `none` as the contrast: without
    /// anti-windup the integral winds up and recovery after 1000 saturated steps takes
    /// thousands of steps more than after 10.
    @Test(arguments: [ControlLaw.sundewIncremental, .positional(reference: 1.0)])
    func windupWithoutAntiWindup(law: ControlLaw) throws {
        func configuration(_ antiWindup: AntiWindup) throws -> ControllerConfiguration {
            try makeConfiguration(
                target: 0.1, law: law, kp: 1, ki: 0.01, alpha: 1, theta0: 1, lower: 0, upper: 1, antiWindup: antiWindup)
        }
        let noneShort = try #require(try recoverySteps(configuration(.none), saturationSteps: 10))
        let noneLong = try #require(try recoverySteps(configuration(.none), saturationSteps: 1000))
        // I = 0.9·N after saturation; rate 0 removes 0.1 per step, and θ leaves the bound
        // once Ki·I < Kp·0.1 (I < 10): about 9·N − 99 steps.
        #expect(noneShort <= 2)
        #expect(noneLong >= 8_000, "windup expected: recovery after 1000 saturated steps took only \(noneLong)")
        #expect(noneLong > 100 * noneShort)

        for antiWindup in [AntiWindup.clamp(bound: 5), .conditional] {
            let short = try #require(try recoverySteps(configuration(antiWindup), saturationSteps: 10))
            let long = try #require(try recoverySteps(configuration(antiWindup), saturationSteps: 1000))
            #expect(abs(long - short) <= 1, "\(antiWindup.name): \(short) vs \(long)")
            #expect(long < noneLong / 100)
        }
    }

    /// `seedDecay`: while the output stays outside the band, I only decays (|I| shrinks
    /// geometrically), so a long saturation leaves a smaller integral than a short one.
    @Test func seedDecayShrinksTheIntegralWhileSaturated() throws {
        let band = try ThresholdBounds(lower: 0, upper: 1)
        let configuration = try makeConfiguration(
            target: 0.1, kp: 1, ki: 0.01, alpha: 1, theta0: 0.5, lower: 0, upper: 1,
            antiWindup: .seedDecay(factor: 0.9, bound: 50, band: band, condition: .outputInside))
        var controller = try Controller(configuration: configuration)
        var integrals: [Double] = []
        for _ in 0..<40 {
            let step = try controller.requireUpdate(observedRate: 1)
            integrals.append(step.integral)
        }
        // First step: u = 0.5 + 0.9 + 0.009 > 1, so I = 0.9·0 = 0, and stays 0.
        #expect(integrals.allSatisfy { $0 == 0 })
        #expect(controller.threshold == 1)

        // Start with a wound-up integral: it decays by exactly 0.9 per saturated step.
        var state = ControllerState(configuration: configuration)
        state.integral = 40
        state.threshold = 1
        controller = try Controller(configuration: configuration, state: state)
        var expected = 40.0
        for k in 0..<30 {
            let step = try controller.requireUpdate(observedRate: 1)
            expected *= 0.9
            #expect(step.integral == expected, "step \(k)")
            #expect(step.nextThreshold == 1)
        }
    }
}
