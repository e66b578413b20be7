import Testing
@testable import ASTTrain

@Suite("CIFAR-10 loading")
struct CIFAR10LoaderTests {
    /// Five training batches of 2, 1, 2, 1, 2 records and a test batch of 3 (small, but every
    /// batch boundary is exercised).
    static let trainBatchSizes = [2, 1, 2, 1, 2]

    struct Written {
        var directory: TemporaryDirectory
        var trainLabels: [UInt8] = []
        var trainPixels: [UInt8] = []
        var testLabels: [UInt8] = []
        var testPixels: [UInt8] = []
    }

    func writeBatches(skipping skipped: Set<String> = []) throws -> Written {
        var written = Written(directory: try TemporaryDirectory())
        for (index, size) in Self.trainBatchSizes.enumerated() {
            let records = Fixtures.cifarRecords(count: size, salt: index)
            written.trainLabels += records.labels
            written.trainPixels += records.pixels
            let name = "data_batch_\(index + 1).bin"
            if !skipped.contains(name) { try written.directory.write(records.bytes, to: name) }
        }
        let test = Fixtures.cifarRecords(count: 3, salt: 9)
        written.testLabels = test.labels
        written.testPixels = test.pixels
        if !skipped.contains("test_batch.bin") { try written.directory.write(test.bytes, to: "test_batch.bin") }
        return written
    }

    @Test("records decode to CHW with per-channel training statistics")
    func decodes() throws {
        let written = try writeBatches()
        defer { written.directory.remove() }
        let dataset = try DatasetLoader.load(.cifar10, directory: written.directory.path, trainLimit: nil, testLimit: nil)
        let reference = Fixtures.statistics(written.trainPixels, channels: 3, planeSize: 1024)

        #expect(dataset.name == "cifar10")
        #expect(dataset.train.count == 8 && dataset.test.count == 3)
        #expect(dataset.train.channels == 3 && dataset.train.height == 32 && dataset.train.width == 32)
        #expect(dataset.train.sampleSize == 3072 && dataset.train.classCount == 10)
        #expect(dataset.train.labels == written.trainLabels.map(Int32.init))
        #expect(dataset.test.labels == written.testLabels.map(Int32.init))
        for channel in 0 ..< 3 {
            #expect(abs(Double(dataset.channelMean[channel]) - reference.mean[channel]) < 1e-6)
            #expect(abs(Double(dataset.channelStd[channel]) - reference.std[channel]) < 1e-6)
        }
        // The three channels really differ, so a channel mix-up would show.
        #expect(Set(dataset.channelMean).count == 3)

        for (split, pixels) in [(dataset.train, written.trainPixels), (dataset.test, written.testPixels)] {
            #expect(split.images.count == pixels.count)
            for index in stride(from: 0, to: pixels.count, by: 7) {
                let channel = (index % 3072) / 1024
                let expected = (Double(pixels[index]) / 255 - reference.mean[channel]) / reference.std[channel]
                #expect(abs(Double(split.images[index]) - expected) < 1e-5)
            }
        }
        // Sample 3 (batch 3, record 0), green plane, row 5, column 7.
        let byte = Fixtures.pixel(0, 1, 5 * 32 + 7, salt: 2)
        let expected = (Float(byte) / 255 - dataset.channelMean[1]) / dataset.channelStd[1]
        #expect(abs(dataset.train.images[3 * 3072 + 1024 + 5 * 32 + 7] - expected) < 1e-5)
    }

    @Test("trainLimit crosses batch boundaries; statistics from the kept samples")
    func limits() throws {
        let written = try writeBatches()
        defer { written.directory.remove() }
        let dataset = try DatasetLoader.load(.cifar10, directory: written.directory.path, trainLimit: 4, testLimit: 1)
        let reference = Fixtures.statistics(Array(written.trainPixels.prefix(4 * 3072)), channels: 3, planeSize: 1024)
        #expect(dataset.train.count == 4 && dataset.train.labels == written.trainLabels.prefix(4).map(Int32.init))
        #expect(dataset.test.count == 1 && dataset.test.images.count == 3072)
        for channel in 0 ..< 3 {
            #expect(abs(Double(dataset.channelMean[channel]) - reference.mean[channel]) < 1e-6)
        }
    }

    @Test("a missing batch is named, with every expected file")
    func missingBatch() throws {
        let written = try writeBatches(skipping: ["data_batch_3.bin", "test_batch.bin"])
        defer { written.directory.remove() }
        let error = loadingError(written.directory.path, kind: .cifar10)
        expectMessage(error, contains: [
            written.directory.path, "missing data_batch_3.bin, test_batch.bin",
            "data_batch_1.bin", "data_batch_5.bin", "cifar-10-batches-bin", "--data-dir",
        ])
    }

    @Test("no directory given")
    func noDirectory() {
        let error = loadingError(nil, kind: .cifar10)
        expectMessage(error, contains: ["CIFAR-10", "--data-dir", "data_batch_1.bin", "data_batch_5.bin", "test_batch.bin"])
    }

    @Test("a batch that is not a whole number of 3073-byte records", arguments: [3073 * 2 + 100, 0])
    func partialRecord(size: Int) throws {
        let written = try writeBatches()
        defer { written.directory.remove() }
        try written.directory.write([UInt8](repeating: 1, count: size), to: "data_batch_4.bin")
        let error = loadingError(written.directory.path, kind: .cifar10)
        expectMessage(error, contains: [written.directory.file("data_batch_4.bin"), "3073-byte records", "size \(size) bytes"])
    }

    @Test("a label of 10 or more: index and value")
    func labelOutOfRange() throws {
        let written = try writeBatches()
        defer { written.directory.remove() }
        var records = Fixtures.cifarRecords(count: 3, salt: 9).bytes
        records[2 * 3073] = 200
        try written.directory.write(records, to: "test_batch.bin")
        let error = loadingError(written.directory.path, kind: .cifar10, trainLimit: 1, testLimit: 1)
        expectMessage(error, contains: [written.directory.file("test_batch.bin"), "sample 2", "label 200", "0..<10"])
    }
}
