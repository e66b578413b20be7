import PIControl

/// Preallocated per-sample inputs (losses, intensities or entropies) for the formula models,
/// so that drawing a batch allocates nothing.
final class BatchScratch {
    let first: UnsafeMutableBufferPointer<Double>
    let second: UnsafeMutableBufferPointer<Double>

    /// - Parameters:
    ///   - capacity: The batch size.
    init(capacity: Int) {
        first = .allocate(capacity: capacity)
        first.initialize(repeating: 0)
        second = .allocate(capacity: capacity)
        second.initialize(repeating: 0)
    }

    deinit {
        first.deallocate()
        second.deallocate()
    }

    /// Draws one batch of scores of `model`'s kind from the given inputs (the step's drifted
    /// distributions; `second` is ignored for ``ScoreModel/distribution(_:drifts:)``).
    /// Losses (or the one distribution) are drawn first, then intensities or entropies.
    /// - Parameters:
    ///   - model: Selects the formula; its own parameters are not used.
    ///   - first: The distribution, or the loss distribution.
    ///   - second: The intensity or entropy distribution.
    ///   - batch: Receives the scores; at most `capacity` long.
    ///   - random: The generator to draw from.
    func drawBatch(
        of model: ScoreModel, first: Distribution, second: Distribution,
        into batch: UnsafeMutableBufferPointer<Double>, using random: GSLRandom
    ) {
        switch model {
        case .distribution:
            first.fill(batch, using: random)
        case .seedNormalised:
            let losses = UnsafeMutableBufferPointer(rebasing: self.first[0..<batch.count])
            let intensities = UnsafeMutableBufferPointer(rebasing: self.second[0..<batch.count])
            first.fill(losses, using: random)
            second.fill(intensities, using: random)
            SeedSignificance.normalisedLossIntensity(
                losses: UnsafeBufferPointer(losses), intensities: UnsafeBufferPointer(intensities), into: batch)
        case .lossEntropy:
            let losses = UnsafeMutableBufferPointer(rebasing: self.first[0..<batch.count])
            let entropies = UnsafeMutableBufferPointer(rebasing: self.second[0..<batch.count])
            first.fill(losses, using: random)
            second.fill(entropies, using: random)
            SeedSignificance.lossEntropy(
                crossEntropy: UnsafeBufferPointer(losses), entropy: UnsafeBufferPointer(entropies), into: batch)
        }
    }
}
