import Foundation
import SignificanceModels
import Testing

@Suite("Quantiles, exceedances and densities against SciPy")
struct QuantileTests {
    @Test("lognormal(ζ 0, σ 1) exceeds exp(1.28155) = 3.6022 with probability 0.10")
    func lognormalTextbookQuantile() throws {
        let quantile = try Distribution.lognormal(zeta: 0, sigma: 1).upperQuantile(0.1)
        #expect(abs(quantile - 3.6022) < 1e-4)
        #expect(abs(quantile - exp(1.2815515655446004)) < 1e-12)
    }

    @Test("upper quantiles match SciPy's isf", arguments: DistributionCase.all)
    func quantilesMatchScipy(_ testCase: DistributionCase) throws {
        let q10 = try testCase.distribution.upperQuantile(0.1)
        let q01 = try testCase.distribution.upperQuantile(0.01)
        #expect(isClose(q10, testCase.upperQuantile10, tolerance: 1e-9), "\(q10) vs \(testCase.upperQuantile10)")
        #expect(isClose(q01, testCase.upperQuantile01, tolerance: 1e-9), "\(q01) vs \(testCase.upperQuantile01)")
    }

    @Test("exceedance, density, mean and variance match SciPy", arguments: DistributionCase.all)
    func valuesMatchScipy(_ testCase: DistributionCase) {
        let distribution = testCase.distribution
        #expect(isClose(distribution.exceedance(1.2), testCase.exceedanceAt1_2, tolerance: 1e-12))
        #expect(isClose(distribution.density(0.8), testCase.densityAt0_8, tolerance: 1e-12))
        #expect(isClose(distribution.mean, testCase.mean, tolerance: 1e-12))
        #expect(isClose(distribution.variance, testCase.variance, tolerance: 1e-12))
    }

    @Test("exceedance is 1 below the support and 0 above it")
    func exceedanceOutsideSupport() {
        #expect(Distribution.lognormal(zeta: 0, sigma: 1).exceedance(-1) == 1)
        #expect(Distribution.weibull(scale: 1, shape: 2).exceedance(-1) == 1)
        #expect(Distribution.pareto(shape: 2, scale: 1).exceedance(0.5) == 1)
        #expect(Distribution.beta(a: 2, b: 3).exceedance(-0.1) == 1)
        #expect(Distribution.beta(a: 2, b: 3).exceedance(1.1) == 0)
        #expect(Distribution.gamma(shape: 2, scale: 1).density(-1) == 0)
    }

    @Test("a mixture's Brent quantile solves Σ w Q = p to 1e-9 and matches SciPy", arguments: [
        (0.1, 5.156360511431744), (0.01, 9.339520589168998), (0.5, 1.7991668131792582),
    ])
    func mixtureQuantile(probability: Double, expected: Double) throws {
        let mixture = DistributionCase.mixture
        let quantile = try mixture.upperQuantile(probability)
        let weighted = 0.3 * Distribution.lognormal(zeta: 0, sigma: 0.5).exceedance(quantile)
            + 0.7 * Distribution.gamma(shape: 2, scale: 1.5).exceedance(quantile)
        #expect(abs(weighted - probability) <= 1e-9)
        #expect(isClose(quantile, expected, tolerance: 1e-9), "\(quantile) vs \(expected)")
    }

    @Test("mixture weights are relative: weights 3 and 7 equal 0.3 and 0.7")
    func mixtureWeightsAreNormalised() throws {
        let scaled = try Distribution.makeMixture(
            weights: [3, 7], components: [.lognormal(zeta: 0, sigma: 0.5), .gamma(shape: 2, scale: 1.5)])
        #expect(isClose(try scaled.upperQuantile(0.1), 5.156360511431744, tolerance: 1e-9))
        #expect(isClose(scaled.mean, DistributionCase.mixture.mean, tolerance: 1e-12))
    }

    @Test("Brent copes with components far apart and nested mixtures")
    func awkwardMixtures() throws {
        let separated = Distribution.mixture([
            MixtureComponent(weight: 0.5, distribution: .beta(a: 2, b: 5)),
            MixtureComponent(weight: 0.5, distribution: .normal(mean: 10, sigma: 1)),
        ])
        for probability in [0.9, 0.5, 0.4999, 0.1] {
            let quantile = try separated.upperQuantile(probability)
            #expect(abs(separated.exceedance(quantile) - probability) <= 1e-9, "p \(probability): x \(quantile)")
        }
        let nested = Distribution.mixture([
            MixtureComponent(weight: 1, distribution: DistributionCase.mixture),
            MixtureComponent(weight: 1, distribution: .exponential(mean: 4)),
        ])
        let quantile = try nested.upperQuantile(0.05)
        #expect(abs(nested.exceedance(quantile) - 0.05) <= 1e-9)
    }

    @Test("an impossible quantile is a ModelError, not a NaN")
    func impossibleQuantile() {
        // GSL's beta inverse returns NaN here.
        #expect(throws: ModelError.self) { try Distribution.beta(a: 0.01, b: 0.01).upperQuantile(1e-300) }
        #expect(throws: ModelError(field: "probability", expected: "a number in (0, 1)", actual: "0.0")) {
            try Distribution.normal(mean: 0, sigma: 1).upperQuantile(0)
        }
        #expect(throws: ModelError.self) { try Distribution.normal(mean: 0, sigma: 1).upperQuantile(.nan) }
        #expect(throws: ModelError.self) { try Distribution.normal(mean: 0, sigma: -1).upperQuantile(0.1) }
    }
}
