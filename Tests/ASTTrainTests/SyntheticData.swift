import ASTTrain
import PIControl

/// A tiny learnable dataset: 1×16×16 images, class c has a bright 4×4 square in quadrant c,
/// plus uniform noise; normalised roughly to zero mean.
func syntheticDataset(trainCount: Int = 96, testCount: Int = 32, classes: Int = 4, seed: UInt64 = 1) -> Dataset {
    var generator = SeededGenerator(seed: seed)
    func make(_ count: Int) -> LabeledImages {
        var images = [Float](repeating: 0, count: count * 256)
        var labels = [Int32](repeating: 0, count: count)
        for sample in 0..<count {
            let label = Int(generator.next(upperBound: UInt64(classes)))
            labels[sample] = Int32(label)
            let top = (label / 2) * 8 + 2, left = (label % 2) * 8 + 2
            for pixel in 0..<256 {
                let row = pixel / 16, column = pixel % 16
                let bright = row >= top && row < top + 4 && column >= left && column < left + 4
                images[sample * 256 + pixel] = Float(generator.nextUnitInterval() - 0.5) * 0.5 + (bright ? 1.5 : -0.2)
            }
        }
        return LabeledImages(images: images, labels: labels, count: count, channels: 1, height: 16, width: 16, classCount: classes)
    }
    return Dataset(name: "synthetic", train: make(trainCount), test: make(testCount), channelMean: [0], channelStd: [1])
}

/// Small, fast options for tests.
func tinyOptions(_ policy: SelectionPolicy, epochs: Int = 2) -> TrainingOptions {
    TrainingOptions(policy: policy, targetRate: 0.25, significance: .loss, epochs: epochs, batchSize: 16,
                    learningRate: 0.02, optimizer: .defaultSGD, seed: 7, threads: 1)
}
