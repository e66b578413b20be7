import ASTTrain
import PIControl

/// Deterministic uniform floats in `[-1, 1)` for tests.
func uniformFloats(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in Float(generator.nextUnitInterval() * 2 - 1) * scale }
}

/// Floats whose magnitudes are at least `gap` and that are pairwise at least `gap` apart,
/// so that ReLU kinks and max-pool ties are farther than any finite-difference step.
func separatedFloats(_ count: Int, seed: UInt64, gap: Float = 0.05) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    var values = (0..<count).map { index in (Float(index) - Float(count) / 2 + 0.5) * gap * 2 }
    values.shuffle(using: &generator)
    return values
}

/// `|a − b| ≤ absolute + relative·max(|a|, |b|)`.
func close(_ a: Double, _ b: Double, relative: Double, absolute: Double) -> Bool {
    abs(a - b) <= absolute + relative * max(abs(a), abs(b))
}

/// The largest violation ratio |a−b| / (absolute + relative·max|·|) over two arrays (≤ 1 passes).
func worstRatio(_ analytic: [Double], _ numeric: [Double], relative: Double, absolute: Double) -> Double {
    zip(analytic, numeric).map { abs($0 - $1) / (absolute + relative * max(abs($0), abs($1))) }.max() ?? 0
}

/// A row selection over an array (the array must outlive the use, so call inside `withUnsafeBufferPointer`).
func withRows<Result>(_ rows: [Int], batchSize: Int, _ body: (RowSelection) -> Result) -> Result {
    rows.withUnsafeBufferPointer { body(RowSelection(rows: $0, batchSize: batchSize)) }
}
