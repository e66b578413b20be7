import ASTTrain
import Foundation
import Testing

@Suite struct OptimizerTests {
    /// One parameter of two values, gradients set by hand before each step.
    func run(_ configuration: OptimizerConfiguration, rates: [Double], gradients: [[Float]]) -> [[Float]] {
        let parameter = Parameter(name: "w", count: 2, fanIn: 1)
        parameter.values.copy(from: [1.0, -2.0])
        let optimizer = Optimizer(configuration: configuration, parameters: [parameter])
        var history: [[Float]] = []
        for (rate, gradient) in zip(rates, gradients) {
            parameter.gradients.copy(from: gradient)
            optimizer.step(learningRate: rate)
            history.append(parameter.values.toArray())
        }
        return history
    }

    func expectClose(_ actual: [Float], _ expected: [Double], _ label: String) {
        for (a, e) in zip(actual, expected) {
            #expect(abs(Double(a) - e) <= 1e-6 * max(1, abs(e)), "\(label): \(actual) vs \(expected)")
        }
    }

    /// w = (1, −2), g1 = (0.5, 1), g2 = (−1, 0.25), η = 0.1, μ = 0.9, λ = 0.01.
    /// Step 1: g = (0.5 + 0.01, 1 − 0.02) = (0.51, 0.98); v = g; w = (1 − 0.051, −2 − 0.098) = (0.949, −2.098).
    /// Step 2: g = (−1 + 0.00949, 0.25 − 0.02098) = (−0.99051, 0.22902);
    ///         v = 0.9·(0.51, 0.98) + g = (−0.53151, 1.11102); w = (0.949 + 0.053151, −2.098 − 0.111102).
    @Test func sgdMomentum() {
        let history = run(.sgd(momentum: 0.9, nesterov: false, weightDecay: 0.01), rates: [0.1, 0.1],
                          gradients: [[0.5, 1], [-1, 0.25]])
        expectClose(history[0], [0.949, -2.098], "sgd step 1")
        expectClose(history[1], [1.002151, -2.209102], "sgd step 2")
    }

    /// Nesterov: d = g + μv. Step 1: v = g = (0.51, 0.98); d = 1.9·g = (0.969, 1.862); w = (0.9031, −2.1862).
    /// Step 2: g = (−1 + 0.009031, 0.25 − 0.021862) = (−0.990969, 0.228138);
    ///         v = (0.459 − 0.990969, 0.882 + 0.228138) = (−0.531969, 1.110138);
    ///         d = g + 0.9v = (−1.4697411, 1.2272622); w = (0.9031 + 0.14697411, −2.1862 − 0.12272622).
    @Test func sgdNesterov() {
        let history = run(.sgd(momentum: 0.9, nesterov: true, weightDecay: 0.01), rates: [0.1, 0.1],
                          gradients: [[0.5, 1], [-1, 0.25]])
        expectClose(history[0], [0.9031, -2.1862], "nesterov step 1")
        expectClose(history[1], [1.05007411, -2.30892622], "nesterov step 2")
    }

    /// AdamW, β = (0.9, 0.999), ε = 1e-8, λ = 0.1, η = 0.01.
    /// Step 1: w ← w(1 − 0.001) = (0.999, −1.998); m̂ = g, v̂ = g², step = η·sign(g) (ε negligible):
    ///         w = (0.989, −2.008).
    /// Step 2: w ← w·0.999 = (0.988011, −2.005992); m = (0.9·0.05 − 0.1, 0.09 + 0.025) = (−0.055, 0.115),
    ///         m̂ = m/0.19; v = (0.999·0.00025 + 0.001, 0.999·0.001 + 0.0000625) = (0.00124975, 0.0010615),
    ///         v̂ = v/0.001999; w −= 0.01·m̂/(√v̂ + ε).
    @Test func adamW() {
        let history = run(.adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1), rates: [0.01, 0.01],
                          gradients: [[0.5, 1], [-1, 0.25]])
        expectClose(history[0], [0.989, -2.008], "adamw step 1")
        func second(_ w: Double, _ m: Double, _ v: Double) -> Double {
            w - 0.01 * (m / 0.19) / ((v / 0.001999).squareRoot() + 1e-8)
        }
        expectClose(history[1], [second(0.988011, -0.055, 0.00124975), second(-2.005992, 0.115, 0.0010615)], "adamw step 2")
    }

    @Test func scheduleWarmupAndCosine() {
        let schedule = LearningRateSchedule(baseRate: 0.1, warmupSteps: 10, totalSteps: 110, minimumRate: 0.001)
        #expect(abs(schedule.rate(atStep: 0) - 0.01) < 1e-12)          // warm-up start: base/10
        #expect(abs(schedule.rate(atStep: 9) - 0.1) < 1e-12)           // warm-up end: base
        #expect(abs(schedule.rate(atStep: 10) - 0.1) < 1e-12)          // cosine start: base
        #expect(abs(schedule.rate(atStep: 60) - 0.0505) < 1e-12)       // midpoint: (base + min)/2
        #expect(abs(schedule.rate(atStep: 110) - 0.001) < 1e-12)       // end: minimum
        #expect(abs(schedule.rate(atStep: 500) - 0.001) < 1e-12)       // clamped after the end
        #expect(LearningRateSchedule.constant(0.05).rate(atStep: 1000) == 0.05)
    }
}
