import PIControl
import Testing

/// At equilibrium (every batch exactly at the target, EMA starting at the target) the error
/// should be exactly zero and the threshold should never move.
///
/// Regression for a fixed defect: `α·r + (1 − α)·m` is not exactly `m` when `r == m`
/// (α = 0.3, target 0.1 gave m = 0.09999999999999999 and e = −1.39e-17 each step, so the
/// integral grew and θ crept; with small α the fixed point sat ulps away from the target).
/// The controller now computes `m + α·(r − m)`, exact whenever `r == m`.
@Suite("Equilibrium is a fixed point")
struct EquilibriumTests {
    static let laws: [(ControlLaw, Double, Double)] = [
        (.positional(reference: 1.0), 1.0, 0.2),
        (.sundewIncremental, 0.05, 0.002),
        (.velocity, 1.0, 0.5),
    ]

    @Test(arguments: laws.indices)
    func errorIsExactlyZeroAtTarget(lawIndex: Int) throws {
        let (law, kp, ki) = Self.laws[lawIndex]
        let configuration = try makeConfiguration(
            target: 0.1, law: law, kp: kp, ki: ki, alpha: 0.3, theta0: 1, lower: 0, upper: 10, antiWindup: .clamp(bound: 100))
        var controller = try Controller(configuration: configuration)
        for k in 0..<2500 {
            let step = try controller.requireUpdate(observedRate: 0.1)
            try #require(step.error == 0, "step \(k): e = \(step.error), m = \(step.ema)")
            try #require(step.nextThreshold == 1, "step \(k): θ moved to \(step.nextThreshold)")
        }
    }

    @Test
    func emaStaysAtTargetForSmallAlpha() throws {
        let configuration = try makeConfiguration(
            target: 0.84, law: .sundewIncremental, kp: 0.05, ki: 0.002, alpha: 0.015, theta0: 1, lower: 0, upper: 10,
            antiWindup: .none)
        var controller = try Controller(configuration: configuration)
        for k in 0..<3000 {
            let step = try controller.requireUpdate(observedRate: 0.84)
            try #require(step.ema == 0.84, "step \(k): m − t = \(step.ema - 0.84)")
        }
        #expect(controller.threshold == 1)
    }

    /// α = 1/2, where even the old formula was exact: the fixed point holds bit for bit.
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
