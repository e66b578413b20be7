import SignificanceModels
import Testing

@Suite("ModelError names the field")
struct ModelErrorTests {
    /// The `ModelError` thrown by `body`, or nil (a different error fails the test).
    func error(_ body: () throws -> Void) -> ModelError? {
        do {
            try body()
            return nil
        } catch let error as ModelError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test("invalid distribution parameters")
    func invalidParameters() {
        #expect(error { _ = try Distribution.make(kind: "lognormal", parameters: ["zeta": 0, "sigma": -1]) }?.field == "lognormal.sigma")
        #expect(error { try Distribution.beta(a: 0, b: 1).validate() }?.field == "beta.a")
        #expect(error { try Distribution.beta(a: -2, b: 1).validate() }?.field == "beta.a")
        #expect(error { try Distribution.normal(mean: .nan, sigma: 1).validate() }?.field == "normal.mean")
        #expect(error { try Distribution.gamma(shape: 1, scale: .infinity).validate() }?.field == "gamma.scale")
        let zeroWeights = Distribution.mixture([
            MixtureComponent(weight: 0, distribution: .exponential(mean: 1)),
            MixtureComponent(weight: 0, distribution: .exponential(mean: 2)),
        ])
        #expect(error { try zeroWeights.validate() }?.field == "mixture.weights")
        let negativeWeight = Distribution.mixture([MixtureComponent(weight: -1, distribution: .exponential(mean: 1))])
        #expect(error { try negativeWeight.validate() }?.field == "mixture.weights.0")
        let badComponent = Distribution.mixture([
            MixtureComponent(weight: 1, distribution: .exponential(mean: 1)),
            MixtureComponent(weight: 1, distribution: .weibull(scale: 1, shape: 0)),
        ])
        #expect(error { try badComponent.validate() }?.field == "mixture.components.1.weibull.shape")
        #expect(error { try Distribution.mixture([]).validate() }?.field == "mixture.components")
    }

    @Test("unknown kind lists the valid kinds")
    func unknownKind() throws {
        let failure = try #require(error { _ = try Distribution.make(kind: "cauchy", parameters: [:]) })
        #expect(failure.field == "kind")
        for kind in Distribution.kinds { #expect(failure.expected.contains(kind)) }
        #expect(failure.actual == "the unknown kind 'cauchy'")
        #expect(error { _ = try Distribution.make(kind: "mixture", parameters: [:]) }?.field == "kind")
    }

    @Test("missing, extra and unknown parameters are named")
    func unknownParameters() {
        #expect(error { _ = try Distribution.make(kind: "gamma", parameters: ["shape": 1]) }?.field == "gamma.scale")
        #expect(error { _ = try Distribution.make(kind: "gamma", parameters: ["shape": 1, "scale": 1, "rate": 2]) }?.field == "gamma.rate")
        #expect(error { _ = try Distribution.lognormal(zeta: 0, sigma: 1).value(of: "mu") }?.field == "lognormal.mu")
        #expect(error { _ = try Distribution.lognormal(zeta: 0, sigma: 1).setting("mu", to: 1) }?.field == "lognormal.mu")
        let model = ScoreModel.distribution(.lognormal(zeta: 0, sigma: 1), drifts: [ParameterDrift(parameter: "mu", drift: .constant)])
        let failure = error { _ = try ScoreStream(model: model, steps: 10, batchSize: 4, seed: 1) }
        #expect(failure?.field == "drifts[0].parameter")
        #expect(failure?.expected.contains("zeta, sigma") == true)
        #expect(failure?.actual == "the unknown parameter 'mu'")
        let formula = ScoreModel.seedNormalised(
            loss: .exponential(mean: 1), intensity: .exponential(mean: 1),
            drifts: [ParameterDrift(parameter: "mean", drift: .constant)])
        #expect(error { _ = try ScoreStream(model: formula, steps: 10, batchSize: 4, seed: 1) }?.field == "drifts[0].parameter")
    }

    @Test("a drift that leaves the domain names the parameter and the step")
    func driftOutOfDomain() throws {
        // sigma = 1 − k/812 reaches 0 (invalid) at step 812.
        let model = ScoreModel.distribution(
            .lognormal(zeta: 0, sigma: 1),
            drifts: [ParameterDrift(parameter: "sigma", drift: .ramp(to: 0, startStep: 0, endStep: 812))])
        let failure = try #require(error { _ = try ScoreStream(model: model, steps: 1000, batchSize: 4, seed: 1) })
        #expect(failure.field == "lognormal.sigma")
        #expect(failure.step == 812)
        #expect(failure.expected == "a finite number > 0")
        #expect(failure.actual.hasSuffix(" at step 812, after drifts"))
        #expect(failure.description.hasPrefix("field 'lognormal.sigma': expected a finite number > 0, got "))
        // The same ramp over fewer steps never gets there.
        _ = try ScoreStream(model: model, steps: 812, batchSize: 4, seed: 1)

        let formula = ScoreModel.lossEntropy(
            loss: .exponential(mean: 1), entropy: .beta(a: 2, b: 2),
            drifts: [ParameterDrift(parameter: "entropy.a", drift: .sinusoid(amplitude: 3, period: 40, phase: 0))])
        let formulaFailure = try #require(error { _ = try ScoreStream(model: formula, steps: 100, batchSize: 4, seed: 1) })
        #expect(formulaFailure.field == "entropy.beta.a")
        // 2 + 3 sin(2π k/40) ≤ 0 first at k = 25: 2 + 3 sin(5π/4) = 2 − 3/√2 ≈ −0.121 (k = 24 gives 0.237).
        #expect(formulaFailure.step == 25)
    }

    @Test("invalid drifts, duplicate drifts and stream sizes")
    func invalidDrifts() {
        func stream(_ drifts: [ParameterDrift], steps: Int = 10, batchSize: Int = 4) -> ModelError? {
            error { _ = try ScoreStream(model: .distribution(.normal(mean: 0, sigma: 1), drifts: drifts), steps: steps, batchSize: batchSize, seed: 1) }
        }
        #expect(stream([ParameterDrift(parameter: "sigma", drift: .sinusoid(amplitude: 0.1, period: 0, phase: 0))])?.field == "drifts[0].sinusoid.period")
        #expect(stream([ParameterDrift(parameter: "mean", drift: .constant), ParameterDrift(parameter: "sigma", drift: .ramp(to: 2, startStep: 5, endStep: 3))])?.field == "drifts[1].ramp.endStep")
        #expect(stream([ParameterDrift(parameter: "mean", drift: .randomWalk(stepSigma: -1, seed: 1))])?.field == "drifts[0].randomWalk.stepSigma")
        #expect(stream([ParameterDrift(parameter: "mean", drift: .constant), ParameterDrift(parameter: "mean", drift: .constant)])?.field == "drifts[1].parameter")
        #expect(stream([], steps: 0)?.field == "steps")
        #expect(stream([], batchSize: 0)?.field == "batchSize")
        #expect(error { _ = try ScoreStream(model: .distribution(.normal(mean: 0, sigma: -1), drifts: []), steps: 5, batchSize: 4, seed: 1) }?.field == "normal.sigma")
        #expect(error { _ = try ScoreStream(model: .seedNormalised(loss: .beta(a: 0, b: 1), intensity: .exponential(mean: 1), drifts: []), steps: 5, batchSize: 4, seed: 1) }?.field == "loss.beta.a")
    }

    @Test("ideal threshold arguments out of range")
    func idealThresholdArguments() throws {
        let stream = try ScoreStream(model: .distribution(.exponential(mean: 1), drifts: []), steps: 5, batchSize: 4, seed: 1)
        #expect(error { _ = try stream.idealThreshold(step: 0, target: 1.5) }?.field == "target")
        #expect(error { _ = try stream.idealThreshold(step: 0, target: 0) }?.field == "target")
        #expect(error { _ = try stream.idealThreshold(step: 5, target: 0.1) }?.field == "step")
    }
}
