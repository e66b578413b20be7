/// Which rows of the forwarded batch take part in a backward pass.
///
/// The rows are strictly increasing indices into the batch that was last forwarded. Layers
/// read their cached forward activations for those rows and produce gradients for a
/// compact batch of ``count`` rows (row `j` of every gradient belongs to batch row
/// `rows[j]`).
public struct RowSelection {
    /// Strictly increasing row indices.
    public let rows: UnsafeBufferPointer<Int>
    /// The size of the batch that was forwarded.
    public let batchSize: Int
    /// Per-row loss weights `w_j` (one per selected row), or `nil` for 1: the loss whose
    /// gradient flows is `(1/m)·Σ w_j·l_j` over the `m` rows (InfoBatch's rescaling).
    public let weights: UnsafeBufferPointer<Float>?

    /// - Parameters:
    ///   - rows: Strictly increasing indices in `0..<batchSize`.
    ///   - batchSize: The forwarded batch size.
    ///   - weights: One weight per selected row, or `nil` for unweighted.
    public init(rows: UnsafeBufferPointer<Int>, batchSize: Int, weights: UnsafeBufferPointer<Float>? = nil) {
        precondition(weights == nil || weights!.count == rows.count, "one weight per selected row")
        self.rows = rows
        self.batchSize = batchSize
        self.weights = weights
    }

    /// The number of selected rows, `m`.
    @inlinable public var count: Int { rows.count }

    /// Whether every row is selected (then no gathering is needed).
    @inlinable public var isAll: Bool { rows.count == batchSize }

    /// The batch row of compact row `index`.
    @inlinable public subscript(index: Int) -> Int { rows[index] }
}
