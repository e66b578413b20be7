import Foundation

/// Softmax over logits followed by the cross-entropy with integer labels, per sample.
///
/// Forward keeps, per row, the probabilities (Float), the loss `−log p_label` and the
/// seed entropy `−Σ p·log(p + 1e-8)` (both Double, from a max-shifted log-sum-exp). Backward writes
/// `(p − onehot(label)) / m` for the selected rows: the gradient of the mean loss over them.
public final class SoftmaxCrossEntropy {
    public let classCount: Int
    public let maximumBatchSize: Int
    let probabilityBuffer: FloatBuffer
    let gradientBuffer: FloatBuffer
    let lossBuffer: OwnedBuffer<Double>
    let entropyBuffer: OwnedBuffer<Double>
    let predictionBuffer: OwnedBuffer<Int32>
    var labels: UnsafePointer<Int32>?
    var lastBatchSize = 0

    /// - Parameters:
    ///   - classCount: Classes (logits per sample).
    ///   - maximumBatchSize: The largest batch.
    public init(classCount: Int, maximumBatchSize: Int) {
        self.classCount = classCount
        self.maximumBatchSize = maximumBatchSize
        probabilityBuffer = FloatBuffer(count: classCount * maximumBatchSize)
        gradientBuffer = FloatBuffer(count: classCount * maximumBatchSize)
        lossBuffer = OwnedBuffer(count: maximumBatchSize)
        entropyBuffer = OwnedBuffer(count: maximumBatchSize)
        predictionBuffer = OwnedBuffer(count: maximumBatchSize)
    }

    /// Per-sample cross-entropy of the last forward.
    public var losses: UnsafeMutableBufferPointer<Double> { lossBuffer.buffer }
    /// Per-sample entropy of the predicted distribution of the last forward.
    public var entropies: UnsafeMutableBufferPointer<Double> { entropyBuffer.buffer }
    /// Per-sample arg-max class of the last forward.
    public var predictions: UnsafeMutableBufferPointer<Int32> { predictionBuffer.buffer }

    /// `[batch × classes]` probabilities of the last forward.
    public var probabilities: UnsafeMutablePointer<Float> { probabilityBuffer.pointer }
    /// `[m × classes]` gradient of the mean selected loss w.r.t. the logits, after backward.
    public var logitGradient: UnsafeMutablePointer<Float> { gradientBuffer.pointer }

    /// Computes probabilities, losses, entropies and predictions.
    /// - Parameters:
    ///   - logits: `[batchSize × classes]`.
    ///   - labels: `batchSize` labels in `0..<classes`; must stay alive until backward.
    ///   - batchSize: Rows.
    /// - Returns: The mean loss over the batch.
    @discardableResult
    public func forward(logits: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batchSize: Int) -> Double {
        precondition(batchSize > 0 && batchSize <= maximumBatchSize, "batch size out of range")
        self.labels = labels
        lastBatchSize = batchSize
        let classes = classCount
        var total = 0.0
        for sample in 0..<batchSize {
            let row = logits + sample * classes, probabilityRow = probabilityBuffer.pointer + sample * classes
            var largest = Double(row[0]), best = 0
            for index in 1..<classes where Double(row[index]) > largest {
                largest = Double(row[index])
                best = index
            }
            var sum = 0.0
            for index in 0..<classes { sum += Foundation.exp(Double(row[index]) - largest) }
            let logSum = Foundation.log(sum) + largest
            var entropy = 0.0
            for index in 0..<classes {
                let logProbability = Double(row[index]) - logSum
                let probability = Foundation.exp(logProbability)
                probabilityRow[index] = Float(probability)
                // The seed's entropy, −Σ p·log(p + 1e-8) (sundew.py, compute_significance).
                entropy -= probability * Foundation.log(probability + 1e-8)
            }
            let label = Int(labels[sample])
            precondition(label >= 0 && label < classes, "label out of range")
            let loss = logSum - Double(row[label])
            lossBuffer[sample] = loss
            entropyBuffer[sample] = entropy
            predictionBuffer[sample] = Int32(best)
            total += loss
        }
        return total / Double(batchSize)
    }

    /// Writes the gradient of the mean loss over the selected rows into ``logitGradient``,
    /// each row's loss multiplied by its weight when the selection carries weights.
    /// - Parameter rows: The rows of the last forward.
    public func backward(rows: RowSelection) {
        precondition(rows.batchSize == lastBatchSize, "backward does not match the last forward")
        guard let labels, rows.count > 0 else { return }
        let classes = classCount, meanScale = 1 / Float(rows.count)
        for compact in 0..<rows.count {
            let row = rows[compact]
            let scale = rows.weights.map { $0[compact] * meanScale } ?? meanScale
            let probabilityRow = probabilityBuffer.pointer + row * classes
            let gradientRow = gradientBuffer.pointer + compact * classes
            for index in 0..<classes { gradientRow[index] = probabilityRow[index] * scale }
            gradientRow[Int(labels[row])] -= scale
        }
    }

    /// Softmax, logarithm and division: counted as 4 operations per logit forward, 2 backward.
    public func operationCount(batchSize: Int, backwardRows: Int) -> OperationCount {
        OperationCount(forward: Double(batchSize * classCount * 4), backward: Double(backwardRows * classCount * 2))
    }
}
