import Foundation
import PIControl
import SignificanceModels

/// One training step, allocation-free after set-up: forward the whole batch keeping the
/// activations → per-sample losses → significance → selection → backward of the selected
/// rows only → update with their mean gradient.
///
/// This is also what the benchmarks drive: ``trainStep(images:labels:batchSize:learningRate:)``
/// (every row back-propagated) and ``forwardOnly(images:labels:batchSize:)``.
public final class TrainingEngine {
    public let network: Network
    public let optimizer: Optimizer
    public let maximumBatchSize: Int

    /// Per-sample scores of the last ``computeSignificance(_:images:batchSize:)``.
    public let scores: UnsafeMutableBufferPointer<Double>
    let intensities: UnsafeMutableBufferPointer<Double>
    /// Selected indices in selection order (the controller writes here).
    var selectedIndices: [Int]
    /// Scratch for random / top-k selection.
    let candidates: UnsafeMutableBufferPointer<Int>
    let marks: UnsafeMutableBufferPointer<Bool>
    /// The selected rows in increasing order, handed to backward.
    let sortedRows: UnsafeMutableBufferPointer<Int>

    /// - Parameters:
    ///   - network: The network (its maximum batch size bounds every step).
    ///   - optimizer: The optimiser over `network.parameters`.
    public init(network: Network, optimizer: Optimizer) {
        self.network = network
        self.optimizer = optimizer
        let size = network.maximumBatchSize
        maximumBatchSize = size
        scores = .allocate(capacity: size)
        scores.initialize(repeating: 0)
        intensities = .allocate(capacity: size)
        intensities.initialize(repeating: 0)
        selectedIndices = []
        selectedIndices.reserveCapacity(size)
        candidates = .allocate(capacity: size)
        candidates.initialize(repeating: 0)
        marks = .allocate(capacity: size)
        marks.initialize(repeating: false)
        sortedRows = .allocate(capacity: size)
        sortedRows.initialize(repeating: 0)
    }

    deinit {
        scores.deallocate()
        intensities.deallocate()
        candidates.deallocate()
        marks.deallocate()
        sortedRows.deallocate()
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

    /// Fills ``scores`` for the last forward.
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

    /// Selects rows with a policy, leaving them in increasing order in ``sortedRows``.
    /// - Parameters:
    ///   - policy: `full`, `random`, `topk` (for `ast` use ``selectWithController(_:batchSize:generator:)``).
    ///   - count: Rows to select for `random` and `topk`.
    ///   - batchSize: Rows forwarded.
    ///   - generator: Randomness for `random`.
    /// - Returns: The number selected.
    public func selectFixed(_ policy: SelectionPolicy, count: Int, batchSize: Int, generator: inout SeededGenerator) -> Int {
        for index in 0..<batchSize { marks[index] = false }
        switch policy {
        case .full, .ast:
            for index in 0..<batchSize { marks[index] = true }
        case .random:
            // Partial Fisher–Yates: the first `count` positions are a uniform sample.
            for index in 0..<batchSize { candidates[index] = index }
            for position in 0..<min(count, batchSize) {
                let pick = position + Int(generator.next(upperBound: UInt64(batchSize - position)))
                candidates.swapAt(position, pick)
                marks[candidates[position]] = true
            }
        case .topk:
            // Insertion sort by descending score (NaN last, ties by index): B is small.
            for index in 0..<batchSize {
                let score = scores[index]
                var position = index
                while position > 0, Self.ranksBefore(score, scores[candidates[position - 1]]) {
                    candidates[position] = candidates[position - 1]
                    position -= 1
                }
                candidates[position] = index
            }
            for position in 0..<min(count, batchSize) where scores[candidates[position]].isFinite {
                marks[candidates[position]] = true
            }
        }
        return collectMarkedRows(batchSize: batchSize)
    }

    static func ranksBefore(_ score: Double, _ other: Double) -> Bool {
        if score.isNaN { return false }
        if other.isNaN { return true }
        return score > other
    }

    /// Selects rows with the PI-controlled gate (and its fallback), updating the controller.
    /// - Parameters:
    ///   - controller: The controller.
    ///   - batchSize: Rows forwarded.
    ///   - generator: Randomness for stochastic gates and fallback.
    /// - Returns: The controller's account of the selection.
    public func selectWithController(_ controller: inout Controller, batchSize: Int, generator: inout SeededGenerator) -> Selection {
        let selection = controller.select(scores: UnsafeBufferPointer(rebasing: scores[0..<batchSize]), into: &selectedIndices, using: &generator)
        for index in 0..<batchSize { marks[index] = false }
        for index in selectedIndices { marks[index] = true }
        _ = collectMarkedRows(batchSize: batchSize)
        return selection
    }

    func collectMarkedRows(batchSize: Int) -> Int {
        var count = 0
        for index in 0..<batchSize where marks[index] {
            sortedRows[count] = index
            count += 1
        }
        lastSelectedCount = count
        return count
    }

    /// Rows chosen by the last selection.
    public private(set) var lastSelectedCount = 0

    /// The rows chosen by the last selection, in increasing order.
    public var lastSelectedRows: UnsafeBufferPointer<Int> { UnsafeBufferPointer(rebasing: sortedRows[0..<lastSelectedCount]) }

    /// Back-propagates the last selection's rows (mean over them). Does nothing for none.
    /// - Parameter batchSize: The forwarded batch's size.
    public func backwardSelected(batchSize: Int) {
        guard lastSelectedCount > 0 else { return }
        network.backward(rows: RowSelection(rows: lastSelectedRows, batchSize: batchSize))
    }
}
