import Testing
@testable import ASTTrain

@Suite("Fashion-MNIST loading")
struct FashionMNISTLoaderTests {
    let small = Fixtures.SmallFashion()

    /// Checks decoded images against `(x/255 − mean)/std` computed independently.
    func expectNormalised(_ images: [Float], pixels: [UInt8], mean: Double, std: Double) {
        #expect(images.count == pixels.count)
        for (value, byte) in zip(images, pixels) {
            let expected = (Double(byte) / 255 - mean) / std
            #expect(abs(Double(value) - expected) < 1e-5)
        }
    }

    @Test("gzip IDX files decode to the known pixels and labels, normalised with training statistics", arguments: [true, false])
    func decodesKnownContent(gzip: Bool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try small.write(to: directory, gzip: gzip)

        let dataset = try DatasetLoader.load(.fashionMNIST, directory: directory.path, trainLimit: nil, testLimit: nil)
        let reference = Fixtures.statistics(small.trainPixels, channels: 1, planeSize: small.rows * small.columns)

        #expect(dataset.name == "fashion-mnist")
        #expect(dataset.channelMean.count == 1 && dataset.channelStd.count == 1)
        #expect(abs(Double(dataset.channelMean[0]) - reference.mean[0]) < 1e-6)
        #expect(abs(Double(dataset.channelStd[0]) - reference.std[0]) < 1e-6)

        let train = dataset.train
        #expect(train.count == 6 && train.channels == 1 && train.height == 4 && train.width == 3)
        #expect(train.classCount == 10 && train.sampleSize == 12)
        #expect(train.labels == small.trainLabels.map(Int32.init))
        expectNormalised(train.images, pixels: small.trainPixels, mean: reference.mean[0], std: reference.std[0])

        let test = dataset.test
        #expect(test.count == 3 && test.height == 4 && test.width == 3)
        #expect(test.labels == small.testLabels.map(Int32.init))
        expectNormalised(test.images, pixels: small.testPixels, mean: reference.mean[0], std: reference.std[0])

        // The normalised training split has mean 0 and standard deviation 1.
        let mean = train.images.reduce(0) { $0 + Double($1) } / Double(train.images.count)
        let variance = train.images.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(train.images.count)
        #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-4)
    }

    @Test("a known pixel lands at its NCHW position")
    func knownPixelPosition() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try small.write(to: directory, gzip: true)
        let dataset = try DatasetLoader.load(.fashionMNIST, directory: directory.path, trainLimit: nil, testLimit: nil)
        // Sample 2, row 3, column 1 → IDX offset 2*12 + 3*3 + 1.
        let byte = Fixtures.pixel(2, 0, 3 * 3 + 1)
        let expected = (Float(byte) / 255 - dataset.channelMean[0]) / dataset.channelStd[0]
        let index = 2 * dataset.train.sampleSize + 3 * dataset.train.width + 1
        #expect(abs(dataset.train.images[index] - expected) < 1e-5)
    }

    @Test("the .gz file is preferred when both names exist")
    func prefersGzip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try small.write(to: directory, gzip: true)
        // A broken uncompressed copy that must be ignored.
        try directory.write([0, 1, 2], to: "train-images-idx3-ubyte")
        let dataset = try DatasetLoader.load(.fashionMNIST, directory: directory.path + "/", trainLimit: nil, testLimit: nil)
        #expect(dataset.train.count == 6)
    }

    @Test("trainLimit and testLimit keep prefixes; statistics come from the kept training samples")
    func limits() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try small.write(to: directory, gzip: true)
        let dataset = try DatasetLoader.load(.fashionMNIST, directory: directory.path, trainLimit: 4, testLimit: 2)
        let keptPixels = Array(small.trainPixels.prefix(4 * 12))
        let reference = Fixtures.statistics(keptPixels, channels: 1, planeSize: 12)

        #expect(dataset.train.count == 4 && dataset.train.labels == small.trainLabels.prefix(4).map(Int32.init))
        #expect(dataset.test.count == 2 && dataset.test.labels == small.testLabels.prefix(2).map(Int32.init))
        #expect(abs(Double(dataset.channelMean[0]) - reference.mean[0]) < 1e-6)
        #expect(abs(Double(dataset.channelStd[0]) - reference.std[0]) < 1e-6)
        expectNormalised(dataset.train.images, pixels: keptPixels, mean: reference.mean[0], std: reference.std[0])

        let oversized = try DatasetLoader.load(.fashionMNIST, directory: directory.path, trainLimit: 1000, testLimit: 1000)
        #expect(oversized.train.count == 6 && oversized.test.count == 3)
    }

    @Test("prefix keeps the first samples and clamps to count")
    func prefix() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try small.write(to: directory, gzip: true)
        let train = try DatasetLoader.load(.fashionMNIST, directory: directory.path, trainLimit: nil, testLimit: nil).train
        let first = train.prefix(2)
        #expect(first.count == 2 && first.labels == Array(train.labels.prefix(2)))
        #expect(first.images == Array(train.images.prefix(2 * train.sampleSize)))
        #expect(first.height == train.height && first.width == train.width && first.classCount == 10)
        #expect(train.prefix(0).count == 0 && train.prefix(0).images.isEmpty)
        #expect(train.prefix(100).count == train.count)
    }

    @Test("gather copies the chosen samples into a batch buffer in order")
    func gather() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try small.write(to: directory, gzip: true)
        let train = try DatasetLoader.load(.fashionMNIST, directory: directory.path, trainLimit: nil, testLimit: nil).train
        var batchImages = [Float](repeating: .nan, count: 4 * train.sampleSize)
        var batchLabels = [Int32](repeating: -1, count: 4)
        let order = [5, 0, 3]
        train.gather(order[...], into: &batchImages, labels: &batchLabels)
        for (slot, index) in order.enumerated() {
            let size = train.sampleSize
            #expect(Array(batchImages[slot * size ..< (slot + 1) * size]) == Array(train.images[index * size ..< (index + 1) * size]))
            #expect(batchLabels[slot] == train.labels[index])
        }
        #expect(batchLabels[3] == -1)
    }
}
