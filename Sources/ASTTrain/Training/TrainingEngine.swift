import Foundation
import PIControl

/// The network's side of a training step, allocation-free after set-up: forward a batch
/// keeping the activations (per-sample losses), significance scores, backward of chosen rows
/// only. Which rows is the ``SampleSelector``'s decision.
///
/// This is also what the benchmarks drive: ``trainStep(images:labels:batchSize:learningRate:)``
/// (every row back-propagated) and ``forwardOnly(images:labels:batchSize:)``.
public final class TrainingEngine {
    public let network: Network
    public let optimizer: Optimizer
    public let maximumBatchSize: Int

    /// Per-sample scores of the last ``computeSignificance(_:images:batchSize:)`` (storage
    /// for `maximumBatchSize` rows; the selector reads it). Writable inside the package only.
    package var scores: UnsafeMutableBufferPointer<Double> { scoreStorage.buffer }
    let scoreStorage: OwnedBuffer<Double>

    /// The scores of the last scored batch of `batchSize` rows, read-only.
    /// - Parameter batchSize: Rows of that batch.
    public func scores(batchSize: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(rebasing: scores[0..<min(batchSize, maximumBatchSize)])
    }
    var intensities: UnsafeMutableBufferPointer<Double> { intensityStorage.buffer }
    let intensityStorage: OwnedBuffer<Double>

    /// - Parameters:
    ///   - network: The network (its maximum batch size bounds every step).
    ///   - optimizer: The optimiser over `network.parameters`.
    public init(network: Network, optimizer: Optimizer) {
        self.network = network
        self.optimizer = optimizer
        let size = network.maximumBatchSize
        maximumBatchSize = size
        scoreStorage = OwnedBuffer(count: size)
        intensityStorage = OwnedBuffer(count: size)
    }

    /// Forwards the batch, keeping activations.
    /// - Parameters:
    ///   - images: `[batchSize × sample]` NCHW.
    ///   - labels: `batchSize` labels.
    ///   - batchSize: Rows.
    /// - Returns: The mean loss (per-sample values in `network.loss.losses`).
    @discardableResult
    public func forwardOnly(images: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batchSize: Int) -> Double {
        network.forward(images: images, labels: labels, batchSize: batchSize)
    }

    /// A full training step on every row (the `full` policy), for benchmarks.
    /// - Parameters:
    ///   - images: `[batchSize × sample]` NCHW.
    ///   - labels: `batchSize` labels.
    ///   - batchSize: Rows.
    ///   - learningRate: The step's rate.
    /// - Returns: The mean loss before the update.
    @discardableResult
    public func trainStep(images: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batchSize: Int, learningRate: Double) -> Double {
        let loss = network.forward(images: images, labels: labels, batchSize: batchSize)
        network.backwardAll(batchSize: batchSize)
        optimizer.step(learningRate: learningRate)
        return loss
    }

    /// Fills `scores` (package-only storage) for the last forward.
    /// - Parameters:
    ///   - kind: The formula.
    ///   - images: The forwarded images (for the seed's intensity term).
    ///   - batchSize: Rows.
    public func computeSignificance(_ kind: SignificanceKind, images: UnsafePointer<Float>, batchSize: Int) {
        let losses = UnsafeBufferPointer(rebasing: network.loss.losses[0..<batchSize])
        let output = UnsafeMutableBufferPointer(rebasing: scores[0..<batchSize])
        switch kind {
        case .loss:
            for index in 0..<batchSize { output[index] = losses[index] }
        case .lossEntropy:
            SeedSignificance.lossEntropy(crossEntropy: losses,
                                         entropy: UnsafeBufferPointer(rebasing: network.loss.entropies[0..<batchSize]),
                                         into: output)
        case .seed:
            let size = network.inputShape.elementCount
            for sample in 0..<batchSize {
                intensities[sample] = Self.unbiasedStandardDeviation(UnsafeBufferPointer(start: images + sample * size, count: size))
            }
            SeedSignificance.normalisedLossIntensity(
                losses: losses, intensities: UnsafeBufferPointer(rebasing: intensities[0..<batchSize]), into: output)
        }
    }

    /// `sqrt(Σ(x − x̄)² / (N − 1))`, two passes in Double: torch's default `std` (unbiased),
    /// which the seed's intensity term uses (Kaggle script, `_compute_batch_significance`).
    /// - Parameter pixels: One sample's values; fewer than two give NaN, as in torch.
    static func unbiasedStandardDeviation(_ pixels: UnsafeBufferPointer<Float>) -> Double {
        guard pixels.count > 1 else { return .nan }
        var sum = 0.0
        for value in pixels { sum += Double(value) }
        let mean = sum / Double(pixels.count)
        var squares = 0.0
        for value in pixels {
            let deviation = Double(value) - mean
            squares += deviation * deviation
        }
        return (squares / Double(pixels.count - 1)).squareRoot()
    }

    /// Back-propagates the chosen rows (the weighted mean loss over them). Does nothing for none.
    /// - Parameter rows: Rows of the last forward.
    public func backward(rows: RowSelection) {
        guard rows.count > 0 else { return }
        network.backward(rows: rows)
    }
}
