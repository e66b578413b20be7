import PIControl
import Testing

/// The deadband zeroes errors strictly inside it (`|e| < deadband`); an error of exactly the
/// deadband is kept. Every value here is exact in binary (quarters), so the comparison is
/// decided by `<` against `<=`, not by rounding.
@Suite("Deadband boundary")
struct DeadbandBoundaryTests {
    /// Target 0.25, α = 1 (the EMA is the batch's rate), deadband 0.5, velocity law.
    static func controller() throws -> Controller {
        let configuration = try ControllerConfiguration(
            target: 0.25, law: .velocity, proportionalGain: 1, integralGain: 0.5, emaAlpha: 1, deadband: 0.5,
            initialThreshold: 2, thresholdBounds: ThresholdBounds(lower: 0, upper: 8), antiWindup: .none)
        return try Controller(configuration: configuration)
    }

    @Test func anErrorEqualToTheDeadbandIsKept() throws {
        var controller = try Self.controller()
        // 3 of 4 pass: rate 0.75, error 0.75 − 0.25 = 0.5 = the deadband.
        let update = controller.update(selectedCount: 3, batchSize: 4)
        let step = try #require(update)
        #expect(step.ema == 0.75)
        #expect(step.error == 0.5)
        // Velocity law: θ + Kp·(e − e_prev) + Ki·e = 2 + 0.5 + 0.25.
        #expect(step.nextThreshold == 2.75)
    }

    @Test func anErrorInsideTheDeadbandIsZeroed() throws {
        var controller = try Self.controller()
        // 2 of 4 pass: error 0.25, inside the deadband: no move.
        let update = controller.update(selectedCount: 2, batchSize: 4)
        let step = try #require(update)
        #expect(step.error == 0)
        #expect(step.nextThreshold == 2)
    }

    @Test func aNegativeErrorEqualToTheDeadbandIsKept() throws {
        var controller = try Self.controller()
        // Target 0.75 and none of 4 pass: error −0.75; with deadband 0.75 it sits on the boundary.
        var configuration = controller.configuration
        configuration.target = 0.75
        configuration.deadband = 0.75
        controller = try Controller(configuration: configuration)
        let update = controller.update(selectedCount: 0, batchSize: 4)
        let step = try #require(update)
        #expect(step.error == -0.75)
    }
}
