/// Where the pixels of each sample sit in a byte buffer: sample `i`, channel `c`, pixel `p` is
/// at `firstPixelOffset + i * sampleStride + c * planeSize + p`.
struct PixelLayout {
    /// Offset of sample 0's first pixel.
    var firstPixelOffset: Int
    /// Bytes from one sample to the next (pixels plus any interleaved label byte).
    var sampleStride: Int
    /// Channels per sample.
    var channels: Int
    /// Pixels per channel (`height * width`).
    var planeSize: Int
}

/// Per-channel mean and standard deviation of pixels scaled to `[0, 1]`.
struct ChannelStatistics {
    /// Mean of `x / 255` per channel.
    var mean: [Double]
    /// Population standard deviation of `x / 255` per channel; a constant channel (standard
    /// deviation 0) gets 1 so that normalisation stays finite.
    var std: [Double]

    /// Measures the statistics exactly from per-channel byte histograms.
    ///
    /// - Parameters:
    ///   - bytes: The buffer holding the samples.
    ///   - layout: Where the pixels are.
    ///   - sampleCount: How many samples (from the first) to measure; at least 1.
    init(of bytes: [UInt8], layout: PixelLayout, sampleCount: Int) {
        var histograms = [Int](repeating: 0, count: layout.channels * 256)
        bytes.withUnsafeBufferPointer { source in
            histograms.withUnsafeMutableBufferPointer { counts in
                for sample in 0 ..< sampleCount {
                    for channel in 0 ..< layout.channels {
                        let start = layout.firstPixelOffset + sample * layout.sampleStride + channel * layout.planeSize
                        let bins = channel * 256
                        for pixel in source[start ..< start + layout.planeSize] {
                            counts[bins + Int(pixel)] += 1
                        }
                    }
                }
            }
        }
        let pixelsPerChannel = Double(sampleCount * layout.planeSize)
        var mean = [Double](), std = [Double]()
        for channel in 0 ..< layout.channels {
            var sum = 0.0, sumOfSquares = 0.0
            for value in 0 ..< 256 {
                let count = Double(histograms[channel * 256 + value])
                sum += count * Double(value)
                sumOfSquares += count * Double(value * value)
            }
            let channelMean = sum / pixelsPerChannel
            let variance = max(0, sumOfSquares / pixelsPerChannel - channelMean * channelMean)
            let deviation = variance.squareRoot() / 255
            mean.append(channelMean / 255)
            std.append(deviation > 0 ? deviation : 1)
        }
        self.mean = mean
        self.std = std
    }

    /// Converts the first `sampleCount` samples to normalised Float32 NCHW,
    /// `(x / 255 − mean[c]) / std[c]`, through a 256-entry table per channel.
    ///
    /// - Parameters:
    ///   - bytes: The buffer holding the samples.
    ///   - layout: Where the pixels are.
    ///   - sampleCount: How many samples (from the first) to convert.
    /// - Returns: `sampleCount * channels * planeSize` floats.
    func normalise(_ bytes: [UInt8], layout: PixelLayout, sampleCount: Int) -> [Float] {
        var table = [Float]()
        table.reserveCapacity(layout.channels * 256)
        for channel in 0 ..< layout.channels {
            for value in 0 ..< 256 {
                table.append(Float((Double(value) / 255 - mean[channel]) / std[channel]))
            }
        }
        let sampleSize = layout.channels * layout.planeSize
        let total = sampleCount * sampleSize
        return [Float](unsafeUninitializedCapacity: total) { output, initialised in
            bytes.withUnsafeBufferPointer { source in
                table.withUnsafeBufferPointer { lookup in
                    for sample in 0 ..< sampleCount {
                        for channel in 0 ..< layout.channels {
                            let start = layout.firstPixelOffset + sample * layout.sampleStride + channel * layout.planeSize
                            let destination = sample * sampleSize + channel * layout.planeSize
                            let bins = channel * 256
                            for pixel in 0 ..< layout.planeSize {
                                (output.baseAddress! + destination + pixel).initialize(
                                    to: lookup[bins + Int(source[start + pixel])])
                            }
                        }
                    }
                }
            }
            initialised = total
        }
    }
}

/// Label extraction with range checking.
enum LabelDecoding {
    /// Checks every label in `0..<classCount` and returns the first `keep` of them.
    ///
    /// - Parameters:
    ///   - bytes: The buffer holding the labels.
    ///   - firstLabelOffset: Offset of label 0.
    ///   - stride: Bytes from one label to the next.
    ///   - count: How many labels the buffer holds (all are checked).
    ///   - keep: How many (from the first) to return.
    ///   - classCount: Labels must be below this.
    ///   - path: The file, for error messages.
    static func labels(
        in bytes: [UInt8], firstLabelOffset: Int, stride: Int, count: Int, keep: Int,
        classCount: Int, path: String
    ) throws(DatasetError) -> [Int32] {
        var kept = [Int32]()
        kept.reserveCapacity(keep)
        for index in 0 ..< count {
            let value = Int(bytes[firstLabelOffset + index * stride])
            guard value < classCount else {
                throw DatasetError(path: path, problem: .labelOutOfRange(
                    index: index, value: value, classCount: classCount))
            }
            if index < keep { kept.append(Int32(value)) }
        }
        return kept
    }
}
