import Foundation
import ASTSim
import PIControl
import SignificanceModels

/// Small shared builders for the ASTSim tests.
enum Fixtures {
    /// The package root, from this file's location (`Tests/ASTSimTests/Fixtures.swift`).
    static var packageRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// A stationary lognormal(0, 1) scenario with one controller.
    static func lognormalScenario(
        steps: Int, batchSize: Int, target: Double = 0.1, band: Double = 0.01, window: Int = 1,
        seeds: [UInt64] = [1], controllers: [ScenarioController] = [], drifts: [ParameterDrift] = []
    ) -> Scenario {
        Scenario(
            name: "test-lognormal", scores: .distribution(.lognormal(zeta: 0, sigma: 1), drifts: drifts),
            batchSize: batchSize, steps: steps,
            metrics: MetricSettings(target: target, band: band, window: window, steadyStateFraction: 0.25),
            seeds: seeds, controllers: controllers)
    }

    /// Velocity-law PI with a hard gate and no fallback.
    static func velocity(kp: Double, ki: Double, alpha: Double = 1, target: Double = 0.1, theta0: Double = 1,
                         bounds: (Double, Double) = (0, 20)) throws -> ControllerConfiguration {
        try ControllerConfiguration(
            target: target, law: .velocity, proportionalGain: kp, integralGain: ki, emaAlpha: alpha,
            initialThreshold: theta0, thresholdBounds: ThresholdBounds(lower: bounds.0, upper: bounds.1),
            antiWindup: .clamp(bound: 100))
    }

    /// A fresh empty temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "astsim-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// `Testing` also has an `Expectation`; in these tests the name means the scenario bound.
typealias Expectation = ASTSim.Expectation
