/// Images as Float32 NCHW (row-major), normalised per channel, with their labels.
///
/// Sample `i` occupies `images[i * sampleSize ..< (i + 1) * sampleSize]`, channel-major within
/// the sample. Pixels are `(x / 255 − mean[c]) / std[c]` with the per-channel statistics of the
/// training split (see ``Dataset/channelMean``). Labels are in `0..<classCount`.
public struct LabeledImages: Sendable {
    /// `count * sampleSize` normalised pixels.
    public var images: [Float]
    /// `count` labels in `0..<classCount`.
    public var labels: [Int32]
    /// Number of samples.
    public var count: Int
    /// Channels per image (1 for Fashion-MNIST, 3 for CIFAR-10).
    public var channels: Int
    /// Image height in pixels.
    public var height: Int
    /// Image width in pixels.
    public var width: Int
    /// Number of classes.
    public var classCount: Int

    /// Floats per sample: `channels * height * width`.
    public var sampleSize: Int { channels * height * width }

    /// - Parameters:
    ///   - images: `count * channels * height * width` pixels, NCHW.
    ///   - labels: `count` labels in `0..<classCount`.
    ///   - count: Number of samples.
    ///   - channels: Channels per image.
    ///   - height: Image height.
    ///   - width: Image width.
    ///   - classCount: Number of classes.
    public init(images: [Float], labels: [Int32], count: Int, channels: Int, height: Int, width: Int, classCount: Int) {
        precondition(count >= 0 && channels > 0 && height > 0 && width > 0 && classCount > 0,
                     "LabeledImages: non-positive shape")
        precondition(labels.count == count, "LabeledImages: \(labels.count) labels for \(count) samples")
        precondition(images.count == count * channels * height * width,
                     "LabeledImages: \(images.count) pixels for \(count) samples of \(channels)×\(height)×\(width)")
        self.images = images
        self.labels = labels
        self.count = count
        self.channels = channels
        self.height = height
        self.width = width
        self.classCount = classCount
    }

    /// The first `n` samples (all of them if `n >= count`).
    ///
    /// - Parameter n: Number of samples to keep; must not be negative.
    public func prefix(_ n: Int) -> LabeledImages {
        precondition(n >= 0, "LabeledImages.prefix: negative count \(n)")
        let kept = min(n, count)
        return LabeledImages(
            images: Array(images[0 ..< kept * sampleSize]), labels: Array(labels[0 ..< kept]), count: kept,
            channels: channels, height: height, width: width, classCount: classCount)
    }

    /// Copies the samples at `indices`, in that order, to the front of caller-owned buffers, as
    /// one contiguous NCHW batch.
    ///
    /// - Parameters:
    ///   - indices: Sample indices in `0..<count` (for example a slice of an epoch's order).
    ///   - batchImages: Receives `indices.count * sampleSize` pixels; must be at least that long.
    ///   - batchLabels: Receives `indices.count` labels; must be at least that long.
    public func gather(_ indices: ArraySlice<Int>, into batchImages: inout [Float], labels batchLabels: inout [Int32]) {
        let size = sampleSize
        precondition(batchImages.count >= indices.count * size, "LabeledImages.gather: image buffer too small")
        precondition(batchLabels.count >= indices.count, "LabeledImages.gather: label buffer too small")
        images.withUnsafeBufferPointer { source in
            batchImages.withUnsafeMutableBufferPointer { destination in
                for (slot, index) in indices.enumerated() {
                    precondition(index >= 0 && index < count, "LabeledImages.gather: index \(index) out of 0..<\(count)")
                    let from = source.baseAddress! + index * size
                    (destination.baseAddress! + slot * size).update(from: from, count: size)
                }
            }
        }
        for (slot, index) in indices.enumerated() {
            batchLabels[slot] = labels[index]
        }
    }
}
