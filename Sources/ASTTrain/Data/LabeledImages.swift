// TEMPORARY STAND-IN written by the trainer branch so ASTTrain compiles before the data
// loader is merged. The data branch's files (LabeledImages.swift, Dataset.swift, …) replace
// this file entirely on merge; take theirs.
import PIControl

public struct LabeledImages: Sendable {
    public var images: [Float]
    public var labels: [Int32]
    public var count: Int
    public var channels: Int
    public var height: Int
    public var width: Int
    public var classCount: Int
    public var sampleSize: Int { channels * height * width }

    public init(images: [Float], labels: [Int32], count: Int, channels: Int, height: Int, width: Int, classCount: Int) {
        self.images = images
        self.labels = labels
        self.count = count
        self.channels = channels
        self.height = height
        self.width = width
        self.classCount = classCount
    }
}

public struct Dataset: Sendable {
    public var name: String
    public var train: LabeledImages
    public var test: LabeledImages
    public var channelMean: [Float]
    public var channelStd: [Float]

    public init(name: String, train: LabeledImages, test: LabeledImages, channelMean: [Float], channelStd: [Float]) {
        self.name = name
        self.train = train
        self.test = test
        self.channelMean = channelMean
        self.channelStd = channelStd
    }
}

public struct EpochShuffler {
    let count: Int
    let seed: UInt64

    public init(count: Int, seed: UInt64) {
        self.count = count
        self.seed = seed
    }

    public mutating func order(forEpoch epoch: Int) -> [Int] {
        var generator = SeededGenerator(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        var order = Array(0..<count)
        order.shuffle(using: &generator)
        return order
    }
}
