import Foundation
import Testing
@testable import ASTTrain

/// The seed's score ingredients, against values computed by hand or in Python from the
/// upstream formulas.
@Suite struct SeedScoreTests {
    /// torch's `std` is unbiased: for [1, 2, 3, 4], Σ(x − 2.5)² = 5, so sqrt(5/3).
    @Test func intensityIsTheUnbiasedStandardDeviation() {
        let pixels: [Float] = [1, 2, 3, 4]
        let std = pixels.withUnsafeBufferPointer { TrainingEngine.unbiasedStandardDeviation($0) }
        #expect(std == (5.0 / 3.0).squareRoot())
        let single: [Float] = [7]
        #expect(single.withUnsafeBufferPointer { TrainingEngine.unbiasedStandardDeviation($0) }.isNaN)
    }

    /// sundew.py's entropy term is −Σ p·log(p + 1e-8). Python, from the softmax of the logits:
    /// [0, 0] → 0.6931471605599454; [2, 0, −1] → 0.5242665867276743.
    @Test(arguments: [([Float(0), 0], 0.6931471605599454), ([Float(2), 0, -1], 0.5242665867276743)])
    func entropyCarriesTheSeedOffset(logits: [Float], expected: Double) {
        let loss = SoftmaxCrossEntropy(classCount: logits.count, maximumBatchSize: 1)
        let labels: [Int32] = [0]
        logits.withUnsafeBufferPointer { logitPointer in
            labels.withUnsafeBufferPointer { labelPointer in
                _ = loss.forward(logits: logitPointer.baseAddress!, labels: labelPointer.baseAddress!, batchSize: 1)
            }
        }
        #expect(abs(loss.entropies[0] - expected) <= 1e-12)
    }
}
