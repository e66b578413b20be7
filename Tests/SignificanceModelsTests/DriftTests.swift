import CNumerics
import Foundation
import SignificanceModels
import Testing

@Suite("Drifts")
struct DriftTests {
    /// (drift, base, step, hand-computed value).
    static let cases: [(Drift, Double, Int, Double)] = [
        (.constant, 1.5, 0, 1.5),
        (.constant, 1.5, 29, 1.5),
        // ramp 1 → 3 over steps 10…20
        (.ramp(to: 3, startStep: 10, endStep: 20), 1, 0, 1),
        (.ramp(to: 3, startStep: 10, endStep: 20), 1, 10, 1),
        (.ramp(to: 3, startStep: 10, endStep: 20), 1, 15, 2),
        (.ramp(to: 3, startStep: 10, endStep: 20), 1, 17, 2.4),
        (.ramp(to: 3, startStep: 10, endStep: 20), 1, 20, 3),
        (.ramp(to: 3, startStep: 10, endStep: 20), 1, 29, 3),
        // a ramp with equal ends is a jump
        (.ramp(to: 3, startStep: 5, endStep: 5), 1, 4, 1),
        (.ramp(to: 3, startStep: 5, endStep: 5), 1, 5, 3),
        // regime shift at step 7
        (.step(to: 5, atStep: 7), 2, 6, 2),
        (.step(to: 5, atStep: 7), 2, 7, 5),
        (.step(to: 5, atStep: 7), 2, 29, 5),
        // 1 + 0.5 sin(2π k / 8): k = 2 → 1.5, k = 6 → 0.5, k = 1 → 1 + 0.5/√2
        (.sinusoid(amplitude: 0.5, period: 8, phase: 0), 1, 2, 1.5),
        (.sinusoid(amplitude: 0.5, period: 8, phase: 0), 1, 6, 0.5),
        (.sinusoid(amplitude: 0.5, period: 8, phase: 0), 1, 1, 1 + 0.5 / 2.0.squareRoot()),
        (.sinusoid(amplitude: 0.5, period: 8, phase: Double.pi / 2), 1, 0, 1.5),
        // 0.5 + (2.5 − 0.5) e^(−0.1 k): k = 0 → 2.5, k = 10 → 0.5 + 2/e
        (.exponentialDecay(to: 0.5, rate: 0.1), 2.5, 0, 2.5),
        (.exponentialDecay(to: 0.5, rate: 0.1), 2.5, 10, 0.5 + 2 / M_E),
    ]

    @Test("each drift kind gives the hand-computed value", arguments: cases.indices)
    func driftValue(_ index: Int) {
        let (drift, base, step, expected) = Self.cases[index]
        let path = drift.values(base: base, steps: 30)
        #expect(abs(path[step] - expected) <= 1e-12, "\(drift) at step \(step): \(path[step]) vs \(expected)")
    }

    @Test("a random walk adds N(0, σ²) increments drawn in order from its own seed")
    func randomWalk() {
        let path = Drift.randomWalk(stepSigma: 0.1, seed: 42).values(base: 1, steps: 4)
        // The same increments, drawn by hand from GSL.
        let random = GSLRandom(seed: 42)
        let increments = (0..<3).map { _ in gsl_ran_gaussian(random.raw, 0.1) }
        #expect(path[0] == 1)
        #expect(path[1] == 1 + increments[0])
        #expect(abs(path[3] - (1 + increments[0] + increments[1] + increments[2])) <= 1e-15)
        #expect(Drift.randomWalk(stepSigma: 0.1, seed: 42).values(base: 1, steps: 4) == path)
        #expect(Drift.randomWalk(stepSigma: 0.1, seed: 43).values(base: 1, steps: 4) != path)
    }

    @Test("a stream applies drifts to the named parameters")
    func streamApplesDrifts() throws {
        let model = ScoreModel.distribution(
            .lognormal(zeta: 0, sigma: 1),
            drifts: [
                ParameterDrift(parameter: "sigma", drift: .ramp(to: 2, startStep: 0, endStep: 100)),
                ParameterDrift(parameter: "zeta", drift: .step(to: -1, atStep: 50)),
            ])
        let stream = try ScoreStream(model: model, steps: 101, batchSize: 4, seed: 1)
        #expect(stream.parameters(atStep: 0) == .distribution(.lognormal(zeta: 0, sigma: 1), drifts: []))
        #expect(stream.parameters(atStep: 25) == .distribution(.lognormal(zeta: 0, sigma: 1.25), drifts: []))
        #expect(stream.parameters(atStep: 50) == .distribution(.lognormal(zeta: -1, sigma: 1.5), drifts: []))
        #expect(stream.parameters(atStep: 100) == .distribution(.lognormal(zeta: -1, sigma: 2), drifts: []))
        let threshold = try stream.idealThreshold(step: 25, target: 0.1)
        #expect(threshold == IdealThreshold(value: try Distribution.lognormal(zeta: 0, sigma: 1.25).upperQuantile(0.1), isEstimate: false))
        #expect(stream.density(step: 25, at: 1) == Distribution.lognormal(zeta: 0, sigma: 1.25).density(1))
    }

    @Test("drifts reach mixture weights and components, and the formula models' prefixed inputs")
    func driftedMixturesAndFormulaInputs() throws {
        let mixture = ScoreModel.distribution(
            DistributionCase.mixture,
            drifts: [
                ParameterDrift(parameter: "weights.0", drift: .step(to: 0.9, atStep: 2)),
                ParameterDrift(parameter: "components.1.scale", drift: .step(to: 3, atStep: 2)),
            ])
        let stream = try ScoreStream(model: mixture, steps: 3, batchSize: 8, seed: 1)
        guard case .distribution(let drifted, _) = stream.parameters(atStep: 2) else { Issue.record("wrong model"); return }
        #expect(try drifted.value(of: "weights.0") == 0.9)
        #expect(try drifted.value(of: "components.1.scale") == 3)
        #expect(try drifted.value(of: "components.0.sigma") == 0.5)

        let formula = ScoreModel.seedNormalised(
            loss: .lognormal(zeta: 0, sigma: 1), intensity: .gamma(shape: 4, scale: 0.25),
            drifts: [ParameterDrift(parameter: "intensity.shape", drift: .step(to: 8, atStep: 1))])
        let formulaStream = try ScoreStream(model: formula, steps: 2, batchSize: 8, seed: 1)
        #expect(formulaStream.parameters(atStep: 1) == .seedNormalised(
            loss: .lognormal(zeta: 0, sigma: 1), intensity: .gamma(shape: 8, scale: 0.25), drifts: []))
    }

    @Test("parameter names, value(of:) and setting(_:to:)")
    func namedParameters() throws {
        #expect(Distribution.lognormal(zeta: 0, sigma: 1).parameterNames == ["zeta", "sigma"])
        #expect(Distribution.weibull(scale: 1, shape: 2).parameterNames == ["scale", "shape"])
        #expect(DistributionCase.mixture.parameterNames == [
            "weights.0", "weights.1", "components.0.zeta", "components.0.sigma", "components.1.shape", "components.1.scale",
        ])
        #expect(try Distribution.pareto(shape: 3, scale: 2).value(of: "scale") == 2)
        #expect(try Distribution.pareto(shape: 3, scale: 2).setting("shape", to: 4) == .pareto(shape: 4, scale: 2))
        #expect(ScoreModel.lossEntropy(loss: .exponential(mean: 1), entropy: .beta(a: 2, b: 2), drifts: []).parameterNames
            == ["loss.mean", "entropy.a", "entropy.b"])
    }
}
