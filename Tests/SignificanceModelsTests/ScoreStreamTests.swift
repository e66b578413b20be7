@testable import SignificanceModels
import Testing

@Suite("Score streams")
struct ScoreStreamTests {
    static let driftingMixture = ScoreModel.distribution(
        DistributionCase.mixture,
        drifts: [
            ParameterDrift(parameter: "components.0.sigma", drift: .ramp(to: 0.8, startStep: 0, endStep: 19)),
            ParameterDrift(parameter: "weights.1", drift: .sinusoid(amplitude: 0.2, period: 7, phase: 0)),
        ])

    /// Every batch of `stream`, in the order given.
    func batches(_ stream: inout ScoreStream, order: [Int]) -> [[Double]] {
        var result = [[Double]](repeating: [], count: stream.steps)
        for step in order {
            var batch = [Double](repeating: .nan, count: stream.batchSize)
            batch.withUnsafeMutableBufferPointer { stream.fill(step: step, into: $0) }
            result[step] = batch
        }
        return result
    }

    @Test("same seed gives the same batches in any order; another seed differs", arguments: [
        driftingMixture,
        ScoreModel.distribution(.lognormal(zeta: 0, sigma: 1), drifts: [ParameterDrift(parameter: "sigma", drift: .randomWalk(stepSigma: 0.01, seed: 4))]),
        ScoreModel.seedNormalised(loss: .lognormal(zeta: 0, sigma: 1), intensity: .gamma(shape: 4, scale: 0.25), drifts: []),
        ScoreModel.lossEntropy(loss: .exponential(mean: 1), entropy: .beta(a: 2, b: 5), drifts: []),
    ])
    func reproducible(model: ScoreModel) throws {
        var first = try ScoreStream(model: model, steps: 20, batchSize: 16, seed: 2024)
        var second = try ScoreStream(model: model, steps: 20, batchSize: 16, seed: 2024)
        var other = try ScoreStream(model: model, steps: 20, batchSize: 16, seed: 2025)
        let inOrder = batches(&first, order: Array(0..<20))
        #expect(batches(&second, order: Array((0..<20).reversed())) == inOrder)
        #expect(batches(&first, order: Array(0..<20)) == inOrder)
        let different = batches(&other, order: Array(0..<20))
        for step in 0..<20 { #expect(different[step] != inOrder[step]) }
        #expect(Set(inOrder.map { $0[0] }).count == 20, "every step draws a different batch")
    }

    @Test("5,000 steps get 5,000 different batch seeds")
    func distinctBatchSeeds() {
        let seeds = Set((0..<5000).map { GSLRandom.gslSeed(StreamSeeding.batchSeed(streamSeed: 77, step: $0)) })
        #expect(seeds.count == 5000)
    }

    @Test("the seed formula's scores lie in [0, 1]; lossEntropy has mean 0.7 E[CE] + 0.3 E[H]")
    func formulaScores() throws {
        var seedStream = try ScoreStream(
            model: .seedNormalised(loss: .lognormal(zeta: 0, sigma: 1.5), intensity: .gamma(shape: 2, scale: 0.5), drifts: []),
            steps: 200, batchSize: 128, seed: 11)
        let seedScores = batches(&seedStream, order: Array(0..<200)).joined()
        #expect(seedScores.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(seedStream.density(step: 0, at: 0.5) == nil)

        let crossEntropy = Distribution.gamma(shape: 2, scale: 0.6), entropy = Distribution.beta(a: 2, b: 3)
        var entropyStream = try ScoreStream(
            model: .lossEntropy(loss: crossEntropy, entropy: entropy, drifts: []), steps: 200, batchSize: 128, seed: 12)
        let scores = Array(batches(&entropyStream, order: Array(0..<200)).joined())
        let mean = scores.reduce(0, +) / Double(scores.count)
        let expectedMean = 0.7 * crossEntropy.mean + 0.3 * entropy.mean
        let standardError = ((0.49 * crossEntropy.variance + 0.09 * entropy.variance) / Double(scores.count)).squareRoot()
        #expect(abs(mean - expectedMean) <= 5 * standardError)
    }

    /// The fraction of `count` fresh batches' scores above `threshold`, and its 5-sigma bound
    /// when the threshold was estimated from `estimateSize` scores.
    func freshExceedance(model: ScoreModel, threshold: Double, target: Double, estimateSize: Int, seed: UInt64) throws -> (Double, Double) {
        var stream = try ScoreStream(model: model, steps: 400, batchSize: 128, seed: seed)
        let scores = batches(&stream, order: Array(0..<400)).joined()
        let fraction = Double(scores.count { $0 > threshold }) / Double(scores.count)
        let variance = target * (1 - target) * (1 / Double(scores.count) + 1 / Double(estimateSize))
        return (fraction, 5 * variance.squareRoot())
    }

    @Test("an estimated ideal threshold passes about the target fraction of fresh batches", arguments: [
        ScoreModel.seedNormalised(loss: .lognormal(zeta: 0, sigma: 1), intensity: .gamma(shape: 4, scale: 0.25), drifts: []),
        ScoreModel.lossEntropy(loss: .gamma(shape: 2, scale: 0.6), entropy: .beta(a: 2, b: 3), drifts: []),
    ])
    func estimatedThreshold(model: ScoreModel) throws {
        let target = 0.1
        let stream = try ScoreStream(model: model, steps: 5000, batchSize: 128, seed: 1)
        let threshold = try stream.idealThreshold(step: 0, target: target)
        #expect(threshold.isEstimate)
        let sampleSize = try #require(stream.idealThresholdSampleSize)
        #expect(sampleSize == 262_144)
        let (fraction, bound) = try freshExceedance(model: model, threshold: threshold.value, target: target, estimateSize: sampleSize, seed: 99)
        #expect(abs(fraction - target) <= bound, "fraction \(fraction) vs \(target) ± \(bound)")
        // Constant parameters: one estimate serves all 5,000 steps.
        let all = try stream.idealThresholds(target: target)
        #expect(all.allSatisfy { $0 == threshold })
        #expect(stream.estimates.estimateCount == 1)
    }

    @Test("a drifting formula model estimates at knots and interpolates in between")
    func driftingEstimate() throws {
        let target = 0.1
        let model = ScoreModel.seedNormalised(
            loss: .lognormal(zeta: 0, sigma: 0.5), intensity: .gamma(shape: 4, scale: 0.25),
            drifts: [ParameterDrift(parameter: "loss.sigma", drift: .ramp(to: 1.5, startStep: 1000, endStep: 4000))])
        let stream = try ScoreStream(model: model, steps: 5000, batchSize: 128, seed: 1)
        let knots = stream.thresholdKnots()
        #expect(knots.contains(1000) && knots.contains(4000) && knots.first == 0 && knots.last == 4999)
        #expect(knots.count <= 70)
        let sampleSize = try #require(stream.idealThresholdSampleSize)
        #expect(sampleSize >= 4_194_304 / knots.count)

        let step = 2500
        #expect(!knots.contains(step))
        let threshold = try stream.idealThreshold(step: step, target: target)
        #expect(stream.estimates.estimateCount == 2)
        let (fraction, bound) = try freshExceedance(
            model: stream.parameters(atStep: step), threshold: threshold.value, target: target, estimateSize: sampleSize, seed: 5)
        #expect(abs(fraction - target) <= bound, "fraction \(fraction) vs \(target) ± \(bound)")
        // Before the ramp the parameters are constant: all those steps share one estimate.
        _ = try stream.idealThreshold(step: 0, target: target)
        _ = try stream.idealThreshold(step: 500, target: target)
        _ = try stream.idealThreshold(step: 999, target: target)
        #expect(stream.estimates.estimateCount == 3)
    }

    @Test("knots follow the drift: a few per sinusoid period, nearly every step of a random walk")
    func knotPlacement() throws {
        func knots(_ drift: Drift, steps: Int) throws -> [Int] {
            let model = ScoreModel.lossEntropy(
                loss: .lognormal(zeta: 0, sigma: 1), entropy: .beta(a: 2, b: 2),
                drifts: [ParameterDrift(parameter: "loss.zeta", drift: drift)])
            return try ScoreStream(model: model, steps: steps, batchSize: 8, seed: 1).thresholdKnots()
        }
        #expect(try knots(.constant, steps: 5000).count == 65)
        #expect(try knots(.sinusoid(amplitude: 0.5, period: 100, phase: 0), steps: 1000).count >= 80)
        #expect(try knots(.randomWalk(stepSigma: 0.05, seed: 3), steps: 300).count >= 250)
        #expect(try knots(.step(to: 1, atStep: 123), steps: 1000).contains(122))
    }

    @Test("exact ideal thresholds for distribution models")
    func exactThresholds() throws {
        let stream = try ScoreStream(model: Self.driftingMixture, steps: 20, batchSize: 16, seed: 1)
        #expect(stream.idealThresholdSampleSize == nil)
        for step in [0, 7, 19] {
            guard case .distribution(let distribution, _) = stream.parameters(atStep: step) else { continue }
            let threshold = try stream.idealThreshold(step: step, target: 0.2)
            #expect(threshold == IdealThreshold(value: try distribution.upperQuantile(0.2), isEstimate: false))
            #expect(stream.density(step: step, at: 1.1) == distribution.density(1.1))
        }
    }
}
