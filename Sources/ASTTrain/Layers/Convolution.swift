import COpenBLAS

/// A 2-D convolution with a square kernel, stride 1 and no padding ("valid"), as im2col
/// followed by `cblas_sgemm`, in blocks of samples whose columns fit in cache, plus a
/// per-channel bias.
///
/// Layout: the column matrix is `[K × batch·P]` with `K = inChannels·k·k` and
/// `P = outHeight·outWidth`, so the product `W[outChannels × K] · columns` gives
/// `[outChannels × batch·P]`, which is reordered to NCHW while adding the bias.
public final class Convolution: Layer {
    public let name: String
    public let inputShape: TensorShape
    public let outputShape: TensorShape
    public let maximumBatchSize: Int
    public let kernelSize: Int
    /// `[outChannels × inChannels·k·k]`.
    public let weight: Parameter
    /// `[outChannels]`.
    public let bias: Parameter
    /// Whether backward computes the input gradient (false for the first layer).
    public let computesInputGradient: Bool

    let outputBuffer: FloatBuffer
    let inputGradientBuffer: FloatBuffer?
    /// im2col of the last forward; consumed (compacted) by a subset backward.
    let columns: FloatBuffer
    /// The column gradient of one block of samples (backward, when the input gradient is needed).
    let blockColumns: FloatBuffer
    /// `[outChannels × batch·P]`: the product in forward, the reordered output gradient in backward.
    let channelMajor: FloatBuffer
    var lastBatchSize = 0

    /// - Parameters:
    ///   - name: A readable name.
    ///   - inputShape: Channels × height × width of one input sample.
    ///   - outputChannels: Filters.
    ///   - kernelSize: The kernel's side, at most the input's height and width.
    ///   - maximumBatchSize: The largest batch.
    ///   - computesInputGradient: Whether to back-propagate into the input.
    ///   - blockFloats: Column floats per block of samples (see ``defaultBlockFloats``); a
    ///     block holds at least one sample.
    public init(name: String, inputShape: TensorShape, outputChannels: Int, kernelSize: Int,
                maximumBatchSize: Int, computesInputGradient: Bool = true, blockFloats: Int = defaultBlockFloats) {
        precondition(kernelSize <= inputShape.height && kernelSize <= inputShape.width, "kernel larger than input")
        self.name = name
        self.inputShape = inputShape
        self.kernelSize = kernelSize
        self.maximumBatchSize = maximumBatchSize
        self.computesInputGradient = computesInputGradient
        outputShape = TensorShape(channels: outputChannels, height: inputShape.height - kernelSize + 1,
                                  width: inputShape.width - kernelSize + 1)
        let patch = inputShape.channels * kernelSize * kernelSize
        weight = Parameter(name: name + ".weight", count: outputChannels * patch, fanIn: patch)
        bias = Parameter(name: name + ".bias", count: outputChannels, fanIn: 0)
        let positions = outputShape.height * outputShape.width
        outputBuffer = FloatBuffer(count: maximumBatchSize * outputShape.elementCount)
        inputGradientBuffer = computesInputGradient ? FloatBuffer(count: maximumBatchSize * inputShape.elementCount) : nil
        columns = FloatBuffer(count: patch * maximumBatchSize * positions)
        blockSamples = min(maximumBatchSize, max(1, blockFloats / (patch * positions)))
        blockColumns = FloatBuffer(count: computesInputGradient ? patch * blockSamples * positions : 0)
        channelMajor = FloatBuffer(count: outputChannels * maximumBatchSize * positions)
    }

    public var output: UnsafeMutablePointer<Float> { outputBuffer.pointer }
    public var inputGradient: UnsafeMutablePointer<Float>? { inputGradientBuffer?.pointer }
    public var parameters: [Parameter] { [weight, bias] }

    var patchSize: Int { inputShape.channels * kernelSize * kernelSize }
    var geometry: ConvolutionGeometry {
        ConvolutionGeometry(inputShape: inputShape, outputShape: outputShape, kernel: kernelSize)
    }
    var positions: Int { outputShape.height * outputShape.width }

    /// Samples per block of the blocked passes: as many as fit one block of columns in
    /// `blockFloats` floats (at least one), so it is still in cache when the GEMM (forward) or col2im
    /// (backward) reads it.
    let blockSamples: Int
    /// About 4 MiB of columns per block (20 samples for FashionNet's conv2, 72 for conv1):
    /// within the 32 MiB L3 here. 1 MiB blocks (one core's L2) measured slower in the benchmarks (more, smaller
    /// GEMM calls, each with its own thread hand-off; Benchmarks/README.md).
    public static let defaultBlockFloats = 1 << 20

    public func forward(_ input: UnsafePointer<Float>, batchSize: Int) {
        precondition(batchSize > 0 && batchSize <= maximumBatchSize, "batch size out of range")
        lastBatchSize = batchSize
        let positions = positions, outChannels = outputShape.channels, patch = patchSize
        let leading = batchSize * positions
        let product = channelMajor.pointer, out = outputBuffer.pointer, biasValues = bias.values.pointer
        // Block by samples: im2col of a block, its GEMM while the columns are in cache, then
        // [C × block·P] → [block × C × P] with the bias. The full column matrix stays for backward.
        for first in stride(from: 0, to: batchSize, by: blockSamples) {
            let samples = first..<min(batchSize, first + blockSamples)
            imageToColumns(input, samples: samples, leading: leading)
            let blockColumns = samples.count * positions
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                        Int32(outChannels), Int32(blockColumns), Int32(patch),
                        1, weight.values.pointer, Int32(patch), columns.pointer + first * positions, Int32(leading),
                        0, product + first * positions, Int32(leading))
            SampleParallel.forEachChunk(samples.count, BiasReorderPass(
                first: first, channels: outChannels, positions: positions, leading: leading,
                product: product, output: out, bias: biasValues))
        }
    }

    /// For the given samples, writes
    /// `columns[(c·k + kh)·k + kw][b·P + oh·outW + ow] = x[b][c][oh + kh][ow + kw]`.
    func imageToColumns(_ input: UnsafePointer<Float>, samples: Range<Int>, leading: Int) {
        // One worker per band of column rows: each writes its rows' block contiguously.
        SampleParallel.forEachChunk(patchSize, minimumChunk: 4, ImageToColumnsPass(
            geometry: geometry, samples: samples, leading: leading, input: input, columns: columns.pointer))
    }

    public func backward(outputGradient: UnsafePointer<Float>, rows: RowSelection) {
        precondition(rows.batchSize == lastBatchSize, "backward does not match the last forward")
        let selectedCount = rows.count
        let positions = positions, outChannels = outputShape.channels, patch = patchSize
        let fullLeading = lastBatchSize * positions
        let leading = selectedCount * positions
        guard selectedCount > 0 else {
            weight.gradients.fill(0)
            bias.gradients.fill(0)
            return
        }
        // Output gradient [m × C × P] → [C × m·P]; bias gradient = row sums.
        let gradientCM = channelMajor.pointer
        SampleParallel.forEachChunk(selectedCount, GradientReorderPass(
            channels: outChannels, positions: positions, leading: leading, incoming: outputGradient, channelMajor: gradientCM))
        // Per channel, the same serial sum whatever the thread count.
        SampleParallel.forEachChunk(outChannels, minimumChunk: 8, RowSumPass(
            length: leading, rows: gradientCM, sums: bias.gradients.pointer))
        // Compact the selected samples' column blocks to the front of every row (blocks move
        // left only and in increasing order, so memmove never clobbers an unread block).
        if !rows.isAll {
            SampleParallel.forEachChunk(patch, minimumChunk: 4, CompactionPass(
                rows: rows, positions: positions, leading: fullLeading, columns: columns.pointer))
        }
        // dW[C × K] = dY[C × m·P] · columnsᵀ[m·P × K]
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                    Int32(outChannels), Int32(patch), Int32(leading),
                    1, gradientCM, Int32(leading), columns.pointer, Int32(fullLeading),
                    0, weight.gradients.pointer, Int32(patch))
        guard let inputGradient = inputGradientBuffer?.pointer else { return }
        // Per block of samples: dColumns[K × block·P] = Wᵀ[K × C] · dY[C × block·P] into the
        // block scratch, then col2im of the block while it is in cache.
        let scratch = blockColumns.pointer, inSample = inputShape.elementCount
        for first in stride(from: 0, to: selectedCount, by: blockSamples) {
            let count = min(blockSamples, selectedCount - first), blockLeading = count * positions
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans,
                        Int32(patch), Int32(blockLeading), Int32(outChannels),
                        1, weight.values.pointer, Int32(patch), gradientCM + first * positions, Int32(leading),
                        0, scratch, Int32(blockLeading))
            columnsToImage(inputGradient + first * inSample, from: scratch, sampleCount: count, leading: blockLeading)
        }
    }

    /// The adjoint of ``imageToColumns(_:samples:leading:)``: overwrites `sampleCount` images
    /// with the sums of their column gradients, read from `source` (row stride `leading`).
    func columnsToImage(_ image: UnsafeMutablePointer<Float>, from source: UnsafePointer<Float>, sampleCount: Int,
                        leading: Int) {
        // By samples: each worker zeroes and accumulates only its own images.
        SampleParallel.forEachChunk(sampleCount, ColumnsToImagePass(
            geometry: geometry, leading: leading, columns: source, image: image))
    }

    public func operationCount(batchSize: Int, backwardRows: Int) -> OperationCount {
        let outChannels = Double(outputShape.channels), patch = Double(patchSize), positions = Double(positions)
        let forward = Double(batchSize) * (2 * outChannels * patch * positions + outChannels * positions)
        let rows = Double(backwardRows)
        var backward = rows * (2 * outChannels * patch * positions + outChannels * positions)
        if computesInputGradient {
            backward += rows * (2 * patch * outChannels * positions + patch * positions)
        }
        return OperationCount(forward: forward, backward: backward)
    }
}
