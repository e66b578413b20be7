import SignificanceModels
import Testing

@Suite("Empirical upper quantile (type 7)")
struct EmpiricalQuantileTests {
    /// `python3 -c "import numpy as np; print(np.quantile([3,1,4,1,5,9,2,6], 1 - p))"`
    @Test("matches NumPy's default quantile at 1 − p", arguments: [
        (0.1, 6.8999999999999995), (0.25, 5.25), (0.5, 3.5), (0.9, 1.0), (0.0, 9.0), (1.0, 1.0),
    ])
    func matchesNumpy(probability: Double, expected: Double) {
        let values: [Double] = [3, 1, 4, 1, 5, 9, 2, 6]
        let quantile = ScoreStream.empiricalUpperQuantile(values, probability: probability)
        #expect(abs(quantile - expected) <= 1e-12)
        #expect(IdealThreshold.empiricalUpperQuantile(values, probability: probability) == quantile)
    }

    @Test("NaNs are ignored; no numbers or a bad probability give NaN")
    func edgeCases() {
        #expect(ScoreStream.empiricalUpperQuantile([.nan, 2, .nan, 1], probability: 0) == 2)
        #expect(ScoreStream.empiricalUpperQuantile([], probability: 0.1).isNaN)
        #expect(ScoreStream.empiricalUpperQuantile([.nan], probability: 0.1).isNaN)
        #expect(ScoreStream.empiricalUpperQuantile([1, 2], probability: 1.5).isNaN)
        #expect(ScoreStream.empiricalUpperQuantile([7], probability: 0.3) == 7)
        #expect(ScoreStream.empiricalUpperQuantile([1, .infinity], probability: 0) == .infinity)
    }

    @Test("about a fraction p of a large sample lies above it")
    func fractionAbove() {
        let values = draws(.gamma(shape: 3, scale: 1), count: 10_001, seed: 5)
        let quantile = ScoreStream.empiricalUpperQuantile(values, probability: 0.1)
        #expect(values.count { $0 > quantile } == 1_000)
    }
}
