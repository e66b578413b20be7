/// The seed's per-sample significance formulas, shared by the simulator (on synthetic
/// losses) and the trainer (on real ones).
public enum SeedSignificance {
    /// `0.7·clamp(loss/mean(loss), 0, 2)/2 + 0.3·clamp(std/mean(std), 0, 2)/2`, means over the
    /// batch, each mean offset by 1e-6 as in the seed. Scores lie in [0, 1].
    ///
    /// Non-finite inputs yield a NaN score for that sample (the controller rejects it) and
    /// are left out of the batch means.
    /// - Parameters:
    ///   - losses: Per-sample losses.
    ///   - intensities: Per-sample input intensity standard deviations.
    ///   - scores: Receives one score per sample; must be as long as `losses`.
    public static func normalisedLossIntensity(
        losses: UnsafeBufferPointer<Double>, intensities: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        precondition(losses.count == intensities.count && scores.count == losses.count, "buffers must have equal length")
        let lossMean = finiteMean(losses) + 1e-6
        let intensityMean = finiteMean(intensities) + 1e-6
        for index in 0..<losses.count {
            let loss = losses[index], intensity = intensities[index]
            guard loss.isFinite, intensity.isFinite else { scores[index] = .nan; continue }
            let lossTerm = min(2, max(0, loss / lossMean)) / 2
            let intensityTerm = min(2, max(0, intensity / intensityMean)) / 2
            scores[index] = 0.7 * lossTerm + 0.3 * intensityTerm
        }
    }

    /// `0.7·CE + 0.3·entropy` per sample.
    /// - Parameters:
    ///   - crossEntropy: Per-sample cross-entropy losses.
    ///   - entropy: Per-sample entropies of the predicted distribution.
    ///   - scores: Receives one score per sample.
    public static func lossEntropy(
        crossEntropy: UnsafeBufferPointer<Double>, entropy: UnsafeBufferPointer<Double>,
        into scores: UnsafeMutableBufferPointer<Double>
    ) {
        precondition(crossEntropy.count == entropy.count && scores.count == entropy.count, "buffers must have equal length")
        for index in 0..<entropy.count {
            scores[index] = 0.7 * crossEntropy[index] + 0.3 * entropy[index]
        }
    }

    static func finiteMean(_ values: UnsafeBufferPointer<Double>) -> Double {
        var sum = 0.0
        var count = 0
        for value in values where value.isFinite {
            sum += value
            count += 1
        }
        return count == 0 ? 0 : sum / Double(count)
    }
}
