import SignificanceModels
import Testing

/// Sample moments and exceedance fractions against theory, with bounds from the sampling
/// distributions (z = 5: a false failure has probability about 6·10⁻⁷ per check; the seeds are
/// fixed, so a run is deterministic anyway).
@Suite("Sampling matches theory")
struct DistributionMomentTests {
    static let sampleSize = 200_000
    static let z = 5.0

    @Test("sample mean and variance lie within 5 standard errors of theory", arguments: DistributionCase.all)
    func momentsMatchTheory(_ testCase: DistributionCase) {
        let values = draws(testCase.distribution, count: Self.sampleSize, seed: 20_240_601)
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        let sigma2 = testCase.variance
        // SE of the mean: σ/√n. SE of the sample variance: √((μ₄ − σ⁴)/n) = σ²·√((κ + 2)/n),
        // κ the excess kurtosis (finite for every case here).
        let meanBound = Self.z * (sigma2 / n).squareRoot()
        let varianceBound = Self.z * sigma2 * ((testCase.excessKurtosis + 2) / n).squareRoot()
        #expect(abs(mean - testCase.mean) <= meanBound, "mean \(mean) vs \(testCase.mean) ± \(meanBound)")
        #expect(abs(variance - sigma2) <= varianceBound, "variance \(variance) vs \(sigma2) ± \(varianceBound)")
    }

    @Test("single draws agree with fill for non-mixtures", arguments: DistributionCase.all.filter { $0.distribution.kind != "mixture" })
    func sampleMatchesFill(_ testCase: DistributionCase) {
        let filled = draws(testCase.distribution, count: 64, seed: 9)
        let random = GSLRandom(seed: 9)
        let single = (0..<64).map { _ in testCase.distribution.sample(using: random) }
        #expect(single == filled)
    }

    @Test("a mixture's single draws have the mixture's mean")
    func mixtureSingleDraws() {
        let random = GSLRandom(seed: 77)
        let distribution = DistributionCase.mixture
        let n = 100_000
        var sum = 0.0
        for _ in 0..<n { sum += distribution.sample(using: random) }
        let bound = Self.z * (distribution.variance / Double(n)).squareRoot()
        #expect(abs(sum / Double(n) - distribution.mean) <= bound)
    }

    @Test("the fraction above the ideal threshold for target 0.1 is 0.1 within a binomial bound", arguments: DistributionCase.all)
    func exceedanceAtIdealThreshold(_ testCase: DistributionCase) throws {
        let target = 0.1
        let threshold = try testCase.distribution.upperQuantile(target)
        let values = draws(testCase.distribution, count: Self.sampleSize, seed: 31_337)
        let fraction = Double(values.count { $0 > threshold }) / Double(values.count)
        let bound = Self.z * (target * (1 - target) / Double(values.count)).squareRoot()
        #expect(abs(fraction - target) <= bound, "fraction \(fraction) vs \(target) ± \(bound)")
    }

    @Test("heavy tails: undefined moments are infinite")
    func heavyTails() {
        #expect(Distribution.pareto(shape: 1.5, scale: 1).mean == 3)
        #expect(Distribution.pareto(shape: 1.5, scale: 1).variance == .infinity)
        #expect(Distribution.pareto(shape: 0.8, scale: 1).mean == .infinity)
        let heavyMixture = Distribution.mixture([
            MixtureComponent(weight: 1, distribution: .normal(mean: 0, sigma: 1)),
            MixtureComponent(weight: 0.01, distribution: .pareto(shape: 0.9, scale: 1)),
        ])
        #expect(heavyMixture.mean == .infinity)
        #expect(heavyMixture.variance == .infinity)
    }
}
