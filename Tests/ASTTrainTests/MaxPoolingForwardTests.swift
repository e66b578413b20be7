import ASTTrain
import PIControl
import Testing

/// Max-pooling's forward against the definition: each 2×2 window's maximum, and as the
/// winner the first input in row-major order that reaches it (so ties go to the top left).
/// Inputs drawn from {−1, 0, 0.5, 1} make ties common; widths that leave four-window blocks,
/// remainders and an odd dropped column.
@Suite struct MaxPoolingForwardTests {
    @Test(arguments: [(3, 8), (5, 9), (4, 12), (2, 16), (6, 24), (5, 11), (4, 2)])
    func matchesDefinition(height: Int, width: Int) {
        let shape = TensorShape(channels: 3, height: height, width: width), batch = 2
        let layer = MaxPooling(name: "pool", inputShape: shape, maximumBatchSize: batch)
        var generator = SeededGenerator(seed: UInt64(height * 100 + width))
        let levels: [Float] = [-1, 0, 0.5, 1]
        let input = (0..<(batch * shape.elementCount)).map { _ in levels[Int(generator.next(upperBound: UInt64(4)))] }
        input.withUnsafeBufferPointer { layer.forward($0.baseAddress!, batchSize: batch) }
        let out = layer.outputShape
        // Per window, in output order: its four inputs' offsets in the batch, row-major.
        var windows: [[Int]] = []
        for sample in 0..<batch {
            for channel in 0..<shape.channels {
                for row in 0..<out.height {
                    for column in 0..<out.width {
                        windows.append([(0, 0), (0, 1), (1, 0), (1, 1)].map { dy, dx in
                            sample * shape.elementCount + (channel * height + 2 * row + dy) * width + 2 * column + dx
                        })
                    }
                }
            }
        }
        let maxima = windows.map { window in window.map { input[$0] }.max()! }
        let mismatches = windows.indices.filter { layer.output[$0] != maxima[$0] }.count
        #expect(mismatches == 0, "pooled values differ from the window maxima in \(mismatches) windows")
        // The winners (the layer's record for backward), read through the gradient they route:
        // a backward of all ones puts each window's 1 on its winner only.
        let ones = [Float](repeating: 1, count: batch * out.elementCount)
        withRows(Array(0..<batch), batchSize: batch) { rows in
            ones.withUnsafeBufferPointer { layer.backward(outputGradient: $0.baseAddress!, rows: rows) }
        }
        let wrongWinners = windows.indices.filter { index in
            let window = windows[index]
            let winner = window.firstIndex { input[$0] == maxima[index] }!
            // The gradient buffer is compact by row, and here every row is selected in order.
            return window.map { layer.inputGradient![$0] } != (0..<4).map { $0 == winner ? Float(1) : 0 }
        }.count
        #expect(wrongWinners == 0, "\(wrongWinners) windows route their gradient to another input than the first maximum")
    }
}
