import SignificanceModels
import Testing

/// A distribution with reference values computed independently with SciPy 1.17.1.
///
/// Produced by `python3 goldens.py` with this script (`d` is the SciPy twin of the GSL
/// parameterisation: lognorm(s=σ, scale=exp ζ), gamma(a=shape, scale=scale), beta(a, b),
/// norm(loc=mean, scale=σ), expon(scale=mean), pareto(b=shape, scale=scale),
/// weibull_min(c=shape, scale=scale)):
///
/// ```python
/// from scipy import stats
/// from scipy.optimize import brentq
/// import numpy as np
/// d = stats.lognorm(s=0.5, scale=np.exp(0.0))   # and the others below
/// m, v, k = d.stats(moments='mvk')
/// print(d.isf(0.1), d.isf(0.01), float(m), float(v), float(k), d.sf(1.2), d.pdf(0.8))
/// # mixture 0.3·lognorm(s=0.5) + 0.7·gamma(a=2, scale=1.5):
/// a = stats.lognorm(s=0.5, scale=1.0); b = stats.gamma(a=2.0, scale=1.5)
/// brentq(lambda x: 0.3*a.sf(x) + 0.7*b.sf(x) - p, 1e-6, 100, xtol=1e-15, rtol=1e-15)  # p = 0.1, 0.01, 0.5
/// m = 0.3*a.mean() + 0.7*b.mean()
/// raw = [0.3*a.moment(n) + 0.7*b.moment(n) for n in range(1, 5)]
/// var = raw[1] - m*m; mu4 = raw[3] - 4*m*raw[2] + 6*m*m*raw[1] - 3*m**4; exkurt = mu4/var**2 - 3
/// 0.3*a.sf(1.2) + 0.7*b.sf(1.2); 0.3*a.pdf(0.8) + 0.7*b.pdf(0.8)
/// ```
struct DistributionCase: Sendable, CustomTestStringConvertible {
    var name: String
    var distribution: Distribution
    /// x with P(X > x) = 0.1 and = 0.01.
    var upperQuantile10: Double
    var upperQuantile01: Double
    var mean: Double
    var variance: Double
    /// Excess kurtosis μ₄/σ⁴ − 3, for the standard error of the sample variance.
    var excessKurtosis: Double
    /// P(X > 1.2) and the density at 0.8.
    var exceedanceAt1_2: Double
    var densityAt0_8: Double

    var testDescription: String { name }

    static let mixture = Distribution.mixture([
        MixtureComponent(weight: 0.3, distribution: .lognormal(zeta: 0, sigma: 0.5)),
        MixtureComponent(weight: 0.7, distribution: .gamma(shape: 2, scale: 1.5)),
    ])

    static let all: [DistributionCase] = [
        DistributionCase(
            name: "lognormal(0, 0.5)", distribution: .lognormal(zeta: 0, sigma: 0.5),
            upperQuantile10: 1.8979527073347104, upperQuantile01: 3.2000740079429617,
            mean: 1.1331484530668263, variance: 0.3646958540123865, excessKurtosis: 5.898445673784778,
            exceedanceAt1_2: 0.35768891376316037, densityAt0_8: 0.9028183664990461),
        DistributionCase(
            name: "lognormal(0, 1)", distribution: .lognormal(zeta: 0, sigma: 1),
            upperQuantile10: 3.6022244792791573, upperQuantile01: 10.240473656312131,
            mean: 1.6487212707001282, variance: 4.670774270471604, excessKurtosis: 110.9363921763115,
            exceedanceAt1_2: 0.42766519116323165, densityAt0_8: 0.4864157811115534),
        DistributionCase(
            name: "gamma(2, 1.5)", distribution: .gamma(shape: 2, scale: 1.5),
            upperQuantile10: 5.834580254801144, upperQuantile01: 9.957528101990718,
            mean: 3.0, variance: 4.5, excessKurtosis: 3.0,
            exceedanceAt1_2: 0.8087921354109989, densityAt0_8: 0.20858532249245573),
        DistributionCase(
            name: "beta(2, 5)", distribution: .beta(a: 2, b: 5),
            upperQuantile10: 0.5103163065514916, upperQuantile01: 0.7056863283197075,
            mean: 0.2857142857142857, variance: 0.025510204081632654, excessKurtosis: -0.12,
            exceedanceAt1_2: 0.0, densityAt0_8: 0.03839999999999999),
        DistributionCase(
            name: "normal(1, 2)", distribution: .normal(mean: 1, sigma: 2),
            upperQuantile10: 3.5631031310892007, upperQuantile01: 5.6526957480816815,
            mean: 1.0, variance: 4.0, excessKurtosis: 0.0,
            exceedanceAt1_2: 0.460172162722971, densityAt0_8: 0.1984762737385059),
        DistributionCase(
            name: "exponential(0.7)", distribution: .exponential(mean: 0.7),
            upperQuantile10: 1.6118095650958317, upperQuantile01: 3.2236191301916635,
            mean: 0.7, variance: 0.48999999999999994, excessKurtosis: 6.0,
            exceedanceAt1_2: 0.18009231214795235, densityAt0_8: 0.45558079617710057),
        DistributionCase(
            name: "pareto(5, 1)", distribution: .pareto(shape: 5, scale: 1),
            upperQuantile10: 1.5848931924611136, upperQuantile01: 2.51188643150958,
            mean: 1.25, variance: 0.10416666666666667, excessKurtosis: 70.8,
            exceedanceAt1_2: 0.40187757201646096, densityAt0_8: 0.0),
        DistributionCase(
            name: "weibull(scale 2, shape 1.5)", distribution: .weibull(scale: 2, shape: 1.5),
            upperQuantile10: 3.487443027192823, upperQuantile01: 5.535970730045049,
            mean: 1.805490585901867, variance: 1.5027611392557279, excessKurtosis: 1.3904035615957744,
            exceedanceAt1_2: 0.6282871313089982, densityAt0_8: 0.368317606755129),
        DistributionCase(
            name: "mixture 0.3 lognormal(0, 0.5) + 0.7 gamma(2, 1.5)", distribution: mixture,
            upperQuantile10: 5.156360511431744, upperQuantile01: 9.339520589168998,
            mean: 2.4399445359200476, variance: 3.9912870428439415, excessKurtosis: 4.153862599307311,
            exceedanceAt1_2: 0.6734611689166473, densityAt0_8: 0.41685523569443284),
    ]
}

/// |actual − expected| ≤ tolerance · max(1, |expected|).
func isClose(_ actual: Double, _ expected: Double, tolerance: Double) -> Bool {
    abs(actual - expected) <= tolerance * max(1, abs(expected))
}

/// `count` draws of `distribution` from a generator seeded with `seed`.
func draws(_ distribution: Distribution, count: Int, seed: UInt64) -> [Double] {
    let random = GSLRandom(seed: seed)
    var values = [Double](repeating: .nan, count: count)
    values.withUnsafeMutableBufferPointer { distribution.fill($0, using: random) }
    return values
}
