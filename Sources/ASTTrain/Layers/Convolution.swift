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
    /// im2col of the last forward, `[K × batch·P]`; a subset backward overwrites it with the
    /// selected samples' columns, `[K × m·P]`, rebuilt from ``lastInput``.
    let columns: FloatBuffer
    /// Per part, the column gradient of one block of samples (backward, when the input
    /// gradient is needed).
    let blockColumns: FloatBuffer
    /// The most parts a backward splits into (the worker count, capped by the cores).
    let partCapacity = SampleParallel.maximumWorkers
    /// `[outChannels × batch·P]`: the product in forward, the reordered output gradient in backward.
    let channelMajor: FloatBuffer
    var lastBatchSize = 0
    /// The last forward's input (callers keep it unchanged until backward).
    var lastInput: UnsafePointer<Float>?

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
        blockColumns = FloatBuffer(count: computesInputGradient ? partCapacity * patch * blockSamples * positions : 0)
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
    /// About 1 MiB of columns per block (5 samples for FashionNet's conv2, 18 for conv1): one
    /// core's L2 here. Each worker runs its own blocks' GEMMs on one OpenBLAS thread, so a
    /// smaller block costs no thread hand-off (Benchmarks/README.md).
    public static let defaultBlockFloats = 1 << 18

    public func forward(_ input: UnsafePointer<Float>, batchSize: Int) {
        checkBatchSize(batchSize)
        lastBatchSize = batchSize
        lastInput = input
        // One pass over the samples: each worker, per block of its own samples, runs im2col,
        // the block's GEMM on its own core while the columns are in its cache, then
        // [C × block·P] → [block × C × P] with the bias. The full column matrix stays for backward.
        SampleParallel.forEachChunk(batchSize, ConvolutionForwardPass(
            geometry: geometry, blockSamples: blockSamples, leading: batchSize * positions, input: input,
            columns: columns.pointer, weight: weight.values.pointer, product: channelMajor.pointer,
            output: outputBuffer.pointer, bias: bias.values.pointer, rectifies: false))
    }

    /// The forward of this convolution followed by that of `relu`: `max(0, conv + bias)` is
    /// written into `relu`'s output (what `relu.forward` on this layer's output would give);
    /// this layer's own ``output`` is not written.
    /// - Parameters:
    ///   - input: `[batchSize × inputShape]`; must stay alive and unchanged until backward.
    ///   - batchSize: Rows, at most ``maximumBatchSize``.
    ///   - relu: The ReLU that takes this layer's output.
    func forward(_ input: UnsafePointer<Float>, batchSize: Int, applyingReLUInto relu: ReLU) {
        checkBatchSize(batchSize)
        precondition(relu.inputShape == outputShape && relu.maximumBatchSize >= batchSize, "the ReLU does not fit")
        lastBatchSize = batchSize
        lastInput = input
        relu.lastBatchSize = batchSize
        SampleParallel.forEachChunk(batchSize, ConvolutionForwardPass(
            geometry: geometry, blockSamples: blockSamples, leading: batchSize * positions, input: input,
            columns: columns.pointer, weight: weight.values.pointer, product: channelMajor.pointer,
            output: relu.outputBuffer.pointer, bias: bias.values.pointer, rectifies: true))
    }

    public func backward(outputGradient: UnsafePointer<Float>, rows: RowSelection) {
        checkRows(rows, lastBatchSize: lastBatchSize)
        guard let cachedInput = lastInput else { preconditionFailure("backward before forward") }
        let selectedCount = rows.count
        guard selectedCount > 0 else {
            weight.gradients.fill(0)
            bias.gradients.fill(0)
            return
        }
        let parts = min(SampleParallel.workerCount, partCapacity)
        // Pass 1, per part: output gradient [m × C × P] → [C × m·P] for a range of samples, and
        // (for a subset) the selected samples' columns [K × m·P] rebuilt for a range of column rows.
        SampleParallel.forEachChunk(parts, ConvolutionGradientPreparation(
            geometry: geometry, rows: rows, parts: parts, incoming: outputGradient, input: cachedInput,
            channelMajor: channelMajor.pointer, columns: columns.pointer))
        // Pass 2, per part: the bias and weight gradients of a range of channels (over every
        // selected sample, so no partial sums to add), and the input gradient of a range of samples.
        SampleParallel.forEachChunk(parts, ConvolutionGradientPass(
            geometry: geometry, selectedCount: selectedCount, parts: parts,
            blockSamples: blockSamples, channelMajor: channelMajor.pointer, columns: columns.pointer,
            weight: weight.values.pointer, weightGradient: weight.gradients.pointer,
            biasGradient: bias.gradients.pointer, scratch: blockColumns.pointer, inputGradient: inputGradientBuffer?.pointer))
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

/// A convolution's forward for a range of samples, block by block: im2col of the block, then
/// either one GEMM `W[C × K] · columns[K × block·P]` on the calling worker followed by the bias
/// reorder to NCHW, or, when `K ≤ P`, one GEMM per sample straight into its NCHW output
/// (`[C × P]` is that sample's layout) with the bias added in place while it is in cache.
///
/// A GEMM packs `W` (`C·K` floats) on every call, so a GEMM per sample costs that packing
/// once per sample; with `K ≤ P` it is no more than the sample's output (`C·P` floats), which
/// the reorder would otherwise copy once more (FashionNet's conv1: K = 25, P = 576, so its
/// 9.4 MB product is no longer written and copied; conv2: K = 800, P = 64, blocked).
/// Either way every output element is the same sum, so the results are the same.
struct ConvolutionForwardPass: ChunkBody {
    let geometry: ConvolutionGeometry
    let blockSamples: Int
    /// The column matrix's row stride: the batch's samples times positions.
    let leading: Int
    let input: UnsafePointer<Float>
    let columns: UnsafeMutablePointer<Float>
    let weight: UnsafePointer<Float>
    let product: UnsafeMutablePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let bias: UnsafePointer<Float>
    /// Whether to write `max(0, ·)` (a fused ReLU).
    let rectifies: Bool

    /// Whether each sample's GEMM writes its output directly (see the type's discussion).
    static func writesSamplesDirectly(_ geometry: ConvolutionGeometry) -> Bool {
        geometry.patchSize <= geometry.positions
    }

    func run(_ samples: Range<Int>) {
        let patch = geometry.patchSize, channels = geometry.outputShape.channels, positions = geometry.positions
        let direct = Self.writesSamplesDirectly(geometry)
        for first in stride(from: samples.lowerBound, to: samples.upperBound, by: blockSamples) {
            let block = first..<min(samples.upperBound, first + blockSamples)
            ImageToColumnsPass(geometry: geometry, slots: block, leading: leading, input: input, columns: columns)
                .run(0..<patch)
            guard direct else {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                            Int32(channels), Int32(block.count * positions), Int32(patch),
                            1, weight, Int32(patch), columns + first * positions, Int32(leading),
                            0, product + first * positions, Int32(leading))
                BiasReorderPass(first: first, channels: channels, positions: positions, leading: leading,
                                product: product, output: output, bias: bias, rectifies: rectifies).run(0..<block.count)
                continue
            }
            for sample in block {
                let sampleOutput = output + sample * channels * positions
                // Y_s[C × P] = W[C × K] · columns_s[K × P]
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                            Int32(channels), Int32(positions), Int32(patch),
                            1, weight, Int32(patch), columns + sample * positions, Int32(leading),
                            0, sampleOutput, Int32(positions))
                // The reorder of one sample with stride P is the identity: bias (+ ReLU) in place.
                BiasReorderPass(first: 0, channels: channels, positions: positions, leading: positions,
                                product: sampleOutput, output: sampleOutput, bias: bias, rectifies: rectifies)
                    .run(0..<1)
            }
        }
    }
}

/// The second pass of a convolution's backward, per part of `parts`: the bias and weight
/// gradients of a range of channels (`dW[c × K] = dY[c × m·P] · columnsᵀ` over every selected
/// sample: splitting the channels instead of the samples leaves no partial sums to add, a cost
/// that does not shrink with the rows), and the input gradient of a range of samples, block by
/// block (`Wᵀ · dY` into the part's scratch, then col2im).
struct ConvolutionGradientPass: ChunkBody {
    let geometry: ConvolutionGeometry
    let selectedCount: Int
    let parts: Int
    let blockSamples: Int
    let channelMajor: UnsafePointer<Float>
    let columns: UnsafePointer<Float>
    let weight: UnsafePointer<Float>
    /// `[C × K]`: each part writes the rows of its own channels.
    let weightGradient: UnsafeMutablePointer<Float>
    let biasGradient: UnsafeMutablePointer<Float>
    /// `[parts × K × blockSamples·P]`.
    let scratch: UnsafeMutablePointer<Float>
    let inputGradient: UnsafeMutablePointer<Float>?

    func run(_ partRange: Range<Int>) {
        let positions = geometry.positions, channels = geometry.outputShape.channels, patch = geometry.patchSize
        let leading = selectedCount * positions
        for part in partRange {
            let channelRange = WorkerPool.chunk(part, of: parts, count: channels)
            RowSumPass(length: leading, rows: channelMajor, sums: biasGradient).run(channelRange)
            // dW[c × K] = dY[c × m·P] · columnsᵀ[m·P × K] for this part's range c of channels,
            // over every selected sample: no partial sums to add up.
            if !channelRange.isEmpty {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                            Int32(channelRange.count), Int32(patch), Int32(leading),
                            1, channelMajor + channelRange.lowerBound * leading, Int32(leading),
                            columns, Int32(leading),
                            0, weightGradient + channelRange.lowerBound * patch, Int32(patch))
            }
            let samples = WorkerPool.chunk(part, of: parts, count: selectedCount)
            if samples.isEmpty { continue }
            guard let inputGradient else { continue }
            let blockScratch = scratch + part * patch * blockSamples * positions
            let inSample = geometry.inputShape.elementCount
            for first in stride(from: samples.lowerBound, to: samples.upperBound, by: blockSamples) {
                let count = min(blockSamples, samples.upperBound - first), blockLeading = count * positions
                // dColumns[K × block·P] = Wᵀ[K × C] · dY[C × block·P]
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans,
                            Int32(patch), Int32(blockLeading), Int32(channels),
                            1, weight, Int32(patch), channelMajor + first * positions, Int32(leading),
                            0, blockScratch, Int32(blockLeading))
                ColumnsToImagePass(geometry: geometry, leading: blockLeading, columns: blockScratch,
                                   image: inputGradient + first * inSample).run(0..<count)
            }
        }
    }
}
