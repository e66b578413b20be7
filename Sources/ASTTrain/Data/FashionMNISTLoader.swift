/// Loads Fashion-MNIST from IDX files, gzip-compressed (`*.gz`, preferred) or not.
enum FashionMNISTLoader {
    /// The four files, without the `.gz` suffix.
    static let trainImagesName = "train-images-idx3-ubyte"
    static let trainLabelsName = "train-labels-idx1-ubyte"
    static let testImagesName = "t10k-images-idx3-ubyte"
    static let testLabelsName = "t10k-labels-idx1-ubyte"
    static let baseNames = [trainImagesName, trainLabelsName, testImagesName, testLabelsName]
    static let classCount = 10

    /// - Parameters:
    ///   - directory: Holds the four files.
    ///   - trainLimit: Keep only this many training samples (already validated, `nil` = all).
    ///   - testLimit: Keep only this many test samples (`nil` = all).
    static func load(directory: String, trainLimit: Int?, testLimit: Int?) throws(DatasetError) -> Dataset {
        let paths = try locateFiles(in: directory)
        let train = try loadSplit(images: paths[0], labels: paths[1], limit: trainLimit)
        let test = try loadSplit(images: paths[2], labels: paths[3], limit: testLimit)
        guard test.images.dimensions[1...] == train.images.dimensions[1...] else {
            throw DatasetError(path: test.images.path, problem: .shapeMismatch(
                expected: Array(train.images.dimensions[1...]), found: Array(test.images.dimensions[1...]),
                trainingFile: train.images.path))
        }
        let statistics = ChannelStatistics(of: train.images.bytes, layout: train.layout, sampleCount: train.kept)
        return Dataset(
            name: DatasetKind.fashionMNIST.rawValue,
            train: train.labeledImages(statistics), test: test.labeledImages(statistics),
            channelMean: statistics.mean.map(Float.init), channelStd: statistics.std.map(Float.init))
    }

    /// The path of each file, `.gz` preferred; all missing names are reported together.
    private static func locateFiles(in directory: String) throws(DatasetError) -> [String] {
        var paths = [String](), missing = [String]()
        for name in baseNames {
            let compressed = DatasetLoader.join(directory, name + ".gz")
            let plain = DatasetLoader.join(directory, name)
            if DataFileReader.exists(compressed) {
                paths.append(compressed)
            } else if DataFileReader.exists(plain) {
                paths.append(plain)
            } else {
                missing.append(name + ".gz")
            }
        }
        guard missing.isEmpty else {
            throw DatasetError(path: directory, problem: .missingFiles(
                kind: .fashionMNIST, missing: missing, expected: baseNames.map { $0 + ".gz" }))
        }
        return paths
    }

    /// One validated image/label pair.
    private struct Split {
        var images: IDXFile
        var labels: [Int32]
        var kept: Int
        var layout: PixelLayout {
            let planeSize = images.dimensions[1] * images.dimensions[2]
            return PixelLayout(firstPixelOffset: images.headerSize, sampleStride: planeSize, channels: 1, planeSize: planeSize)
        }

        func labeledImages(_ statistics: ChannelStatistics) -> LabeledImages {
            LabeledImages(
                images: statistics.normalise(images.bytes, layout: layout, sampleCount: kept), labels: labels,
                count: kept, channels: 1, height: images.dimensions[1], width: images.dimensions[2],
                classCount: FashionMNISTLoader.classCount)
        }
    }

    private static func loadSplit(images imagePath: String, labels labelPath: String, limit: Int?) throws(DatasetError) -> Split {
        let labelFile = try IDXFile.load(labelPath, expectedMagic: IDXFile.labelMagic)
        let imageFile = try IDXFile.load(imagePath, expectedMagic: IDXFile.imageMagic)
        let count = imageFile.dimensions[0]
        guard labelFile.dimensions[0] == count else {
            throw DatasetError(path: imagePath, problem: .countMismatch(
                imageCount: count, labelFile: labelPath, labelCount: labelFile.dimensions[0]))
        }
        let kept = min(limit ?? count, count)
        let labels = try LabelDecoding.labels(
            in: labelFile.bytes, firstLabelOffset: labelFile.headerSize, stride: 1, count: count, keep: kept,
            classCount: classCount, path: labelPath)
        return Split(images: imageFile, labels: labels, kept: kept)
    }
}
