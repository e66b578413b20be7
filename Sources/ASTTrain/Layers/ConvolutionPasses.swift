/// The shapes an im2col pass needs, copied out of the layer so a pass holds plain values.
struct ConvolutionGeometry {
    let inputShape: TensorShape
    let outputShape: TensorShape
    let kernel: Int

    var positions: Int { outputShape.height * outputShape.width }
    /// Column rows: `inChannels·k·k`.
    var patchSize: Int { inputShape.channels * kernel * kernel }
}

/// im2col for a band of column rows: `columns[(c·k + kh)·k + kw][j·P + oh·outW + ow] =
/// x[s][c][oh + kh][ow + kw]` for the column blocks `j` of `slots`, where sample `s` is `j`
/// itself or, with a `selection`, the selected batch row `selection[j]` (a subset backward
/// rebuilds its compact columns this way).
struct ImageToColumnsPass: ChunkBody {
    let geometry: ConvolutionGeometry
    /// The column blocks to write, one per sample.
    let slots: Range<Int>
    let leading: Int
    let input: UnsafePointer<Float>
    let columns: UnsafeMutablePointer<Float>
    /// Maps block `j` to the batch row it holds (`nil`: row `j`).
    var selection: RowSelection? = nil

    func run(_ patchRows: Range<Int>) {
        let kernel = geometry.kernel, inWidth = geometry.inputShape.width
        let inPlane = geometry.inputShape.height * inWidth, inSample = geometry.inputShape.elementCount
        let outHeight = geometry.outputShape.height, outWidth = geometry.outputShape.width
        let positions = geometry.positions
        for patchRow in patchRows {
            let channel = patchRow / (kernel * kernel), kernelRow = (patchRow / kernel) % kernel
            let kernelColumn = patchRow % kernel
            let row = columns + patchRow * leading
            for slot in slots {
                let sample = selection?[slot] ?? slot
                let plane = input + sample * inSample + channel * inPlane + kernelRow * inWidth + kernelColumn
                let target = row + slot * positions
                // A plain loop, not memcpy: rows are 8–28 floats, where a call per row costs
                // more than the copy.
                for outRow in 0..<outHeight {
                    let destination = target + outRow * outWidth, source = plane + outRow * inWidth
                    for column in 0..<outWidth { destination[column] = source[column] }
                }
            }
        }
    }
}

/// The adjoint of ``ImageToColumnsPass`` for a range of samples: overwrites their images
/// with the sums of their column gradients, each element's contributions added in the
/// serial order (channel, kernel row, kernel column).
struct ColumnsToImagePass: ChunkBody {
    let geometry: ConvolutionGeometry
    let leading: Int
    let columns: UnsafePointer<Float>
    let image: UnsafeMutablePointer<Float>

    func run(_ samples: Range<Int>) {
        let kernel = geometry.kernel, inWidth = geometry.inputShape.width
        let inPlane = geometry.inputShape.height * inWidth, inSample = geometry.inputShape.elementCount
        let outHeight = geometry.outputShape.height, outWidth = geometry.outputShape.width
        let positions = geometry.positions
        (image + samples.lowerBound * inSample).update(repeating: 0, count: samples.count * inSample)
        for sample in samples {
            for channel in 0..<geometry.inputShape.channels {
                for kernelRow in 0..<kernel {
                    for kernelColumn in 0..<kernel {
                        let row = columns + ((channel * kernel + kernelRow) * kernel + kernelColumn) * leading
                        let plane = image + sample * inSample + channel * inPlane + kernelRow * inWidth + kernelColumn
                        let values = row + sample * positions
                        for outRow in 0..<outHeight {
                            let destination = plane + outRow * inWidth, rowValues = values + outRow * outWidth
                            for column in 0..<outWidth { destination[column] += rowValues[column] }
                        }
                    }
                }
            }
        }
    }
}

/// `[C × block·P] → [block × C × P]` plus the bias (then `max(0, ·)` for a fused ReLU), for a
/// range of a block's samples.
struct BiasReorderPass: ChunkBody {
    /// The block's first sample.
    let first: Int
    let channels: Int
    let positions: Int
    let leading: Int
    let product: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let bias: UnsafePointer<Float>
    let rectifies: Bool

    func run(_ chunk: Range<Int>) {
        for sample in (first + chunk.lowerBound)..<(first + chunk.upperBound) {
            for channel in 0..<channels {
                let source = product + channel * leading + sample * positions
                let destination = output + (sample * channels + channel) * positions
                let channelBias = bias[channel]
                if rectifies {
                    for position in 0..<positions { destination[position] = max(0, source[position] + channelBias) }
                } else {
                    for position in 0..<positions { destination[position] = source[position] + channelBias }
                }
            }
        }
    }
}

/// Output gradient `[m × C × P] → [C × m·P]` for a range of compact rows.
struct GradientReorderPass: ChunkBody {
    let channels: Int
    let positions: Int
    let leading: Int
    let incoming: UnsafePointer<Float>
    let channelMajor: UnsafeMutablePointer<Float>

    func run(_ samples: Range<Int>) {
        for sample in samples {
            for channel in 0..<channels {
                (channelMajor + channel * leading + sample * positions)
                    .update(from: incoming + (sample * channels + channel) * positions, count: positions)
            }
        }
    }
}

/// Sums of whole rows, for a range of rows (the bias gradient per channel): 32 running sums
/// (four `SIMD8` lanes) added together at the end, in a fixed order, so the result is the
/// same for every thread count. A single serial sum waited on each add's latency (conv1:
/// 32 rows of 128·576 floats per step).
struct RowSumPass: ChunkBody {
    let length: Int
    let rows: UnsafePointer<Float>
    let sums: UnsafeMutablePointer<Float>

    func run(_ range: Range<Int>) {
        let width = 32, blocks = length / width
        for row in range {
            let values = UnsafeRawPointer(rows + row * length)
            var a = SIMD8<Float>(), b = SIMD8<Float>(), c = SIMD8<Float>(), d = SIMD8<Float>()
            let stride = MemoryLayout<SIMD8<Float>>.stride
            for block in 0..<blocks {
                let offset = block * width * MemoryLayout<Float>.stride
                a += values.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
                b += values.loadUnaligned(fromByteOffset: offset + stride, as: SIMD8<Float>.self)
                c += values.loadUnaligned(fromByteOffset: offset + 2 * stride, as: SIMD8<Float>.self)
                d += values.loadUnaligned(fromByteOffset: offset + 3 * stride, as: SIMD8<Float>.self)
            }
            var sum = ((a + b) + (c + d)).sum()
            let tail = rows + row * length
            for index in (blocks * width)..<length { sum += tail[index] }
            sums[row] = sum
        }
    }
}

/// The first pass of a convolution's backward, per part of `parts`: the output gradient of a
/// range of samples reordered to `[C × m·P]`, and (for a subset) a range of the compact column
/// rows `[K × m·P]` of the selected samples, rebuilt from the forward's cached input. The two
/// touch different buffers.
///
/// Rebuilding reads the selected inputs (in cache) and writes `K·m·P` floats; moving the
/// selected blocks inside the forward's `[K × batch·P]` matrix read as many floats again,
/// scattered over the whole matrix (26 MB for FashionNet's conv2): this pass took 130 µs
/// that way against 72 µs now at 13 of 128 rows (best of 300, Benchmarks/Profile).
struct ConvolutionGradientPreparation: ChunkBody {
    let geometry: ConvolutionGeometry
    let rows: RowSelection
    let parts: Int
    let incoming: UnsafePointer<Float>
    /// The forward's input, from which a subset's columns are rebuilt.
    let input: UnsafePointer<Float>
    let channelMajor: UnsafeMutablePointer<Float>
    let columns: UnsafeMutablePointer<Float>

    func run(_ partRange: Range<Int>) {
        let positions = geometry.positions, channels = geometry.outputShape.channels, patch = geometry.patchSize
        for part in partRange {
            let samples = WorkerPool.chunk(part, of: parts, count: rows.count)
            GradientReorderPass(channels: channels, positions: positions, leading: rows.count * positions,
                                incoming: incoming, channelMajor: channelMajor).run(samples)
            if !rows.isAll {
                ImageToColumnsPass(geometry: geometry, slots: 0..<rows.count, leading: rows.count * positions,
                                   input: input, columns: columns, selection: rows)
                    .run(WorkerPool.chunk(part, of: parts, count: patch))
            }
        }
    }
}
