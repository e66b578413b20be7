import PIControl
import Testing

/// At equilibrium (every batch exactly at the target, EMA starting at the target) the error
/// should be exactly zero and the threshold should never move.
///
/// Known defect: `Controller.advance` (Sources/PIControl/Controller.swift:76) computes
/// `ema = α·rate + (1 − α)·ema`, which is not exact when rate == ema:
/// - with α = 0.3 and target 0.1 the first step gives m = 0.09999999999999999, so
///   e = −1.39e-17 instead of 0 on every step; the integral grows linearly and θ creeps:
///   positional (Kp 1, Ki 0.2, θ_ref 1) first moves at step 20 (θ = 0.9999999999999999),
///   sundewIncremental (Kp 0.05, Ki 0.002, θ0 1) at step 2000, drifting quadratically;
/// - with small α the rounded map's fixed point sits several ulps from the target
///   (about ulp/α at worst): α = 0.015, target 0.84 settles at m − t = −7.77e-16 (7 ulps),
///   a persistent error that sundewIncremental with no anti-windup integrates to a θ drift
///   of −7.8e-9 after 1e5 steps (quadratic in the number of steps).
/// `ema + α·(rate − ema)` is exact whenever rate == ema and removes both effects (checked
/// against every golden trajectory in a scratch copy).
@Suite("Equilibrium is a fixed point")
struct EquilibriumTests {
    static let laws: [(ControlLaw, Double, Double)] = [
        (.positional(reference: 1.0), 1.0, 0.2),
        (.sundewIncremental, 0.05, 0.002),
        (.velocity, 1.0, 0.5),
    ]

    @Test(.bug(id: "PIControl-ema-rounding"), arguments: laws.indices)
    func errorIsExactlyZeroAtTarget(lawIndex: Int) throws {
        let (law, kp, ki) = Self.laws[lawIndex]
        let configuration = try makeConfiguration(
            target: 0.1, law: law, kp: kp, ki: ki, alpha: 0.3, theta0: 1, lower: 0, upper: 10, antiWindup: .clamp(bound: 100))
        var controller = try Controller(configuration: configuration)
        withKnownIssue("α·r + (1 − α)·m is not exactly m when r == m, so e ≠ 0 at equilibrium") {
            for k in 0..<2500 {
                let step = try controller.requireUpdate(observedRate: 0.1)
                try #require(step.error == 0, "step \(k): e = \(step.error), m = \(step.ema)")
                try #require(step.nextThreshold == 1, "step \(k): θ moved to \(step.nextThreshold)")
            }
        }
    }

    @Test(.bug(id: "PIControl-ema-rounding"))
    func emaStaysAtTargetForSmallAlpha() throws {
        let configuration = try makeConfiguration(
            target: 0.84, law: .sundewIncremental, kp: 0.05, ki: 0.002, alpha: 0.015, theta0: 1, lower: 0, upper: 10,
            antiWindup: .none)
        var controller = try Controller(configuration: configuration)
        withKnownIssue("the rounded EMA settles 7 ulps below the target") {
            for k in 0..<3000 {
                let step = try controller.requireUpdate(observedRate: 0.84)
                try #require(step.ema == 0.84, "step \(k): m − t = \(step.ema - 0.84)")
            }
        }
        // Whatever the rounding, the drift stays tiny over this horizon.
        #expect(abs(controller.threshold - 1) < 1e-9)
    }

    /// With α = 1/2 the EMA happens to be exact (halving is exact), so here the fixed point
    /// holds bit for bit: a control for the test above.
    @Test(arguments: laws.indices)
    func exactFixedPointWhenEmaIsExact(lawIndex: Int) throws {
        let (law, kp, ki) = Self.laws[lawIndex]
        let configuration = try makeConfiguration(
            target: 0.1, law: law, kp: kp, ki: ki, alpha: 0.5, theta0: 1, lower: 0, upper: 10, antiWindup: .clamp(bound: 100))
        var controller = try Controller(configuration: configuration)
        for k in 0..<2500 {
            let step = try controller.requireUpdate(observedRate: 0.1)
            try #require(step.error == 0, "step \(k): e = \(step.error)")
            try #require(step.nextThreshold == 1, "step \(k): θ = \(step.nextThreshold)")
        }
        #expect(controller.state.integral == 0)
    }
}
