/// Loads the binary version of CIFAR-10.
///
/// Each record is one label byte followed by 3072 pixel bytes: the 1024 red, then 1024 green,
/// then 1024 blue values of a 32×32 image, each plane row-major — already CHW. All five
/// training batches (`data_batch_1.bin` … `data_batch_5.bin`) and `test_batch.bin` are
/// required: a partial training set would silently change the experiment, so a missing batch
/// is an error naming it (use `trainLimit` for a smaller run).
enum CIFAR10Loader {
    static let trainBatchNames = (1 ... 5).map { "data_batch_\($0).bin" }
    static let testBatchName = "test_batch.bin"
    static let expectedNames = trainBatchNames + [testBatchName]
    static let classCount = 10
    static let side = 32
    static let channels = 3
    static let planeSize = side * side
    static let recordSize = 1 + channels * planeSize

    static let layout = PixelLayout(firstPixelOffset: 1, sampleStride: recordSize, channels: channels, planeSize: planeSize)

    /// - Parameters:
    ///   - directory: Holds the six batch files.
    ///   - trainLimit: Keep only this many training samples (already validated, `nil` = all).
    ///   - testLimit: Keep only this many test samples (`nil` = all).
    static func load(directory: String, trainLimit: Int?, testLimit: Int?) throws(DatasetError) -> Dataset {
        let missing = expectedNames.filter { !DataFileReader.exists(DatasetLoader.join(directory, $0)) }
        guard missing.isEmpty else {
            throw DatasetError(path: directory, problem: .missingFiles(kind: .cifar10, missing: missing, expected: expectedNames))
        }
        var trainRecords = [UInt8]()
        for name in trainBatchNames {
            trainRecords.append(contentsOf: try readBatch(DatasetLoader.join(directory, name)))
        }
        let testRecords = try readBatch(DatasetLoader.join(directory, testBatchName))

        let trainKept = min(trainLimit ?? Int.max, trainRecords.count / recordSize)
        let testKept = min(testLimit ?? Int.max, testRecords.count / recordSize)
        let statistics = ChannelStatistics(of: trainRecords, layout: layout, sampleCount: trainKept)
        return Dataset(
            name: DatasetKind.cifar10.rawValue,
            train: labeledImages(trainRecords, kept: trainKept, statistics),
            test: labeledImages(testRecords, kept: testKept, statistics),
            channelMean: statistics.mean.map(Float.init), channelStd: statistics.std.map(Float.init))
    }

    /// Reads one batch file and checks that it is a non-empty whole number of records with
    /// labels below 10.
    private static func readBatch(_ path: String) throws(DatasetError) -> [UInt8] {
        try checkBatch(DataFileReader.readAll(path), path: path)
    }

    /// The checks of ``readBatch(_:)`` on bytes in memory (also the fuzz target's entry).
    /// - Parameters:
    ///   - bytes: A batch file's contents.
    ///   - path: The file, for messages.
    /// - Returns: `bytes`, when they hold whole records with valid labels.
    static func checkBatch(_ bytes: [UInt8], path: String) throws(DatasetError) -> [UInt8] {
        guard !bytes.isEmpty, bytes.count % recordSize == 0 else {
            throw DatasetError(path: path, problem: .notWholeRecords(actualBytes: bytes.count, recordSize: recordSize))
        }
        let count = bytes.count / recordSize
        _ = try LabelDecoding.labels(
            in: bytes, firstLabelOffset: 0, stride: recordSize, count: count, keep: 0, classCount: classCount, path: path)
        return bytes
    }

    private static func labeledImages(_ records: [UInt8], kept: Int, _ statistics: ChannelStatistics) -> LabeledImages {
        let labels = (0 ..< kept).map { Int32(records[$0 * recordSize]) }
        return LabeledImages(
            images: statistics.normalise(records, layout: layout, sampleCount: kept), labels: labels, count: kept,
            channels: channels, height: side, width: side, classCount: classCount)
    }
}
