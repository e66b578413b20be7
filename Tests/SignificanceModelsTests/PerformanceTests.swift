import SignificanceModels
import Testing

@Suite("Performance")
struct PerformanceTests {
    /// 5,000 batches of 128 drifting lognormal scores. The goal (well under a second) is for
    /// release builds; in a debug build the bound here is loose.
    @Test("5,000 batches of 128 are drawn quickly")
    func generationSpeed() throws {
        let model = ScoreModel.distribution(
            .lognormal(zeta: 0, sigma: 1),
            drifts: [ParameterDrift(parameter: "sigma", drift: .ramp(to: 2, startStep: 0, endStep: 4999))])
        var stream = try ScoreStream(model: model, steps: 5000, batchSize: 128, seed: 1)
        let batch = UnsafeMutableBufferPointer<Double>.allocate(capacity: 128)
        defer { batch.deallocate() }
        var checksum = 0.0
        let elapsed = ContinuousClock().measure {
            for step in 0..<5000 {
                stream.fill(step: step, into: batch)
                checksum += batch[0]
            }
        }
        #expect(checksum.isFinite)
        #expect(elapsed < .seconds(2), "took \(elapsed)")
    }
}
