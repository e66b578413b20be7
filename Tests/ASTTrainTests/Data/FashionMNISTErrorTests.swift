import Testing
import Foundation
@testable import ASTTrain

@Suite("Fashion-MNIST errors name the file and the problem")
struct FashionMNISTErrorTests {
    let small = Fixtures.SmallFashion()

    /// Writes the small set with one file replaced, and returns the error of loading it.
    func error(replacing name: String, with bytes: [UInt8], gzip: Bool = false) throws -> (DatasetError?, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        try small.write(to: directory, gzip: gzip, replacing: [name: bytes])
        return (loadingError(directory.path), directory)
    }

    @Test("missing files: lists them and says how to install or where to point")
    func missingFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.writeGzip(small.files["train-labels-idx1-ubyte"]!, to: "train-labels-idx1-ubyte.gz")
        let error = loadingError(directory.path)
        expectMessage(error, contains: [
            directory.path, "train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
            "dataset-fashion-mnist", "apt-get install dataset-fashion-mnist", "--data-dir",
        ])
        if case let .missingFiles(kind, missing, _) = error?.problem {
            #expect(kind == .fashionMNIST)
            #expect(missing == ["train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"])
        } else {
            Issue.record("wrong problem \(String(describing: error))")
        }
        expectMessage(loadingError(directory.path + "/does-not-exist"), contains: ["does-not-exist", "--data-dir"])
    }

    @Test("wrong magic: expected and found in hex")
    func wrongMagic() throws {
        // A label file where the image file should be.
        let (error, directory) = try error(replacing: "train-images-idx3-ubyte", with: Fixtures.idxLabels([1, 2, 3]))
        defer { directory.remove() }
        expectMessage(error, contains: [directory.file("train-images-idx3-ubyte"), "magic", "0x00000803", "0x00000801"])
        #expect(error?.problem == .wrongMagic(expected: 0x803, found: 0x801))
    }

    @Test("wrong magic inside a gzip file")
    func wrongMagicCompressed() throws {
        let images = Fixtures.idxImages([0], count: 1, rows: 1, columns: 1, magic: 0x0803_0000)
        let (error, directory) = try error(replacing: "t10k-images-idx3-ubyte", with: images, gzip: true)
        defer { directory.remove() }
        expectMessage(error, contains: [directory.file("t10k-images-idx3-ubyte.gz"), "0x00000803", "0x08030000"])
    }

    @Test("truncated image file: expected and actual byte counts")
    func truncatedImages() throws {
        let full = small.files["train-images-idx3-ubyte"]!
        let (error, directory) = try error(replacing: "train-images-idx3-ubyte", with: Array(full.dropLast(5)))
        defer { directory.remove() }
        expectMessage(error, contains: [directory.file("train-images-idx3-ubyte"), "truncated", "expected \(full.count) bytes", "found \(full.count - 5)"])
    }

    @Test("truncated file inside intact gzip: says after decompression")
    func truncatedAfterDecompression() throws {
        let full = small.files["train-labels-idx1-ubyte"]!
        let (error, directory) = try error(replacing: "train-labels-idx1-ubyte", with: Array(full.dropLast(1)), gzip: true)
        defer { directory.remove() }
        expectMessage(error, contains: [directory.file("train-labels-idx1-ubyte.gz"), "truncated", "\(full.count)", "\(full.count - 1)", "after decompression"])
    }

    @Test("header cut short")
    func truncatedHeader() throws {
        let (error, directory) = try error(replacing: "t10k-images-idx3-ubyte", with: Fixtures.bigEndian(0x803) + [0, 0])
        defer { directory.remove() }
        expectMessage(error, contains: [directory.file("t10k-images-idx3-ubyte"), "truncated", "expected 16 bytes", "found 6"])
        let (empty, other) = try self.error(replacing: "t10k-labels-idx1-ubyte", with: [])
        defer { other.remove() }
        expectMessage(empty, contains: [other.file("t10k-labels-idx1-ubyte"), "truncated", "expected 8 bytes", "found 0"])
    }

    @Test("trailing bytes after the data")
    func trailingBytes() throws {
        let full = small.files["t10k-labels-idx1-ubyte"]!
        let (error, directory) = try error(replacing: "t10k-labels-idx1-ubyte", with: full + [7, 7])
        defer { directory.remove() }
        expectMessage(error, contains: [directory.file("t10k-labels-idx1-ubyte"), "trailing", "expected \(full.count)", "found \(full.count + 2)"])
    }

    @Test("a .gz file that is not gzip")
    func notGzip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try small.write(to: directory, gzip: true)
        try directory.write(small.files["train-images-idx3-ubyte"]!, to: "train-images-idx3-ubyte.gz")
        let error = loadingError(directory.path)
        expectMessage(error, contains: [directory.file("train-images-idx3-ubyte.gz"), "not gzip", "1f 8b", "00 00"])
    }

    @Test("truncated gzip stream")
    func truncatedGzip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try small.write(to: directory, gzip: true)
        let compressed = try directory.read("train-images-idx3-ubyte.gz")
        for cut in [compressed.count / 2, compressed.count - 3, 11] {
            try directory.write(Array(compressed.prefix(cut)), to: "train-images-idx3-ubyte.gz")
            let error = loadingError(directory.path)
            expectMessage(error, contains: [directory.file("train-images-idx3-ubyte.gz"), "damaged gzip"])
        }
    }

    @Test("corrupt gzip data or checksum")
    func corruptGzip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try small.write(to: directory, gzip: true)
        let compressed = try directory.read("t10k-labels-idx1-ubyte.gz")
        // Flip a byte of the deflate data, and separately a byte of the CRC-32 trailer.
        for position in [12, compressed.count - 6] {
            var damaged = compressed
            damaged[position] ^= 0x5a
            try directory.write(damaged, to: "t10k-labels-idx1-ubyte.gz")
            let error = loadingError(directory.path)
            expectMessage(error, contains: [directory.file("t10k-labels-idx1-ubyte.gz"), "damaged gzip"])
        }
        // Garbage after the gzip member.
        try directory.write(compressed + [1, 2, 3], to: "t10k-labels-idx1-ubyte.gz")
        expectMessage(loadingError(directory.path), contains: [directory.file("t10k-labels-idx1-ubyte.gz"), "trailing bytes"])
    }

    @Test("concatenated gzip members decode like gunzip")
    func concatenatedMembers() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try small.write(to: directory, gzip: true)
        let labels = small.files["train-labels-idx1-ubyte"]!
        try directory.writeGzip(Array(labels.prefix(5)), to: "part1.gz")
        try directory.writeGzip(Array(labels.dropFirst(5)), to: "part2.gz")
        try directory.write(try directory.read("part1.gz") + directory.read("part2.gz"), to: "train-labels-idx1-ubyte.gz")
        let dataset = try DatasetLoader.load(.fashionMNIST, directory: directory.path, trainLimit: nil, testLimit: nil)
        #expect(dataset.train.labels == small.trainLabels.map(Int32.init))
    }

    @Test("image and label counts disagree")
    func countMismatch() throws {
        let (error, directory) = try error(replacing: "train-labels-idx1-ubyte", with: Fixtures.idxLabels(Fixtures.labels(count: 5)))
        defer { directory.remove() }
        expectMessage(error, contains: [
            directory.file("train-images-idx3-ubyte"), directory.file("train-labels-idx1-ubyte"), "6 images", "5 labels",
        ])
    }

    @Test("label out of range: index and value")
    func labelOutOfRange() throws {
        var labels = small.trainLabels
        labels[4] = 10
        let (error, directory) = try error(replacing: "train-labels-idx1-ubyte", with: Fixtures.idxLabels(labels), gzip: true)
        defer { directory.remove() }
        expectMessage(error, contains: [directory.file("train-labels-idx1-ubyte.gz"), "sample 4", "label 10", "0..<10"])
        // Checked across the whole file even when a limit keeps fewer samples.
        let limited = loadingError(directory.path, trainLimit: 2)
        #expect(limited == error)
    }

    @Test("training and test images of different shapes")
    func shapeMismatch() throws {
        let images = Fixtures.idxImages(Fixtures.greyPixels(count: 3, rows: 3, columns: 4), count: 3, rows: 3, columns: 4)
        let (error, directory) = try error(replacing: "t10k-images-idx3-ubyte", with: images)
        defer { directory.remove() }
        expectMessage(error, contains: [directory.file("t10k-images-idx3-ubyte"), directory.file("train-images-idx3-ubyte"), "3×4", "4×3"])
    }

    @Test("zero dimensions and absurd sizes")
    func invalidDimensions() throws {
        let (zero, directory) = try error(replacing: "train-images-idx3-ubyte", with: Fixtures.idxImages([], count: 6, rows: 0, columns: 3))
        defer { directory.remove() }
        expectMessage(zero, contains: [directory.file("train-images-idx3-ubyte"), "dimension 1", "zero"])

        let huge = Fixtures.idxImages([1, 2, 3], count: 0xffff_ffff, rows: 0xffff_ffff, columns: 0xffff_ffff)
        let (tooLarge, other) = try error(replacing: "train-images-idx3-ubyte", with: huge)
        defer { other.remove() }
        expectMessage(tooLarge, contains: [other.file("train-images-idx3-ubyte"), "too large"])
    }

    @Test("a directory where a file should be")
    func notRegularFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try small.write(to: directory, gzip: false)
        try FileManager.default.createDirectory(atPath: directory.file("train-images-idx3-ubyte.gz"), withIntermediateDirectories: false)
        expectMessage(loadingError(directory.path), contains: [directory.file("train-images-idx3-ubyte.gz"), "not a regular file"])
    }

    @Test("a FIFO where a file should be gives an error, not a hang")
    func fifo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try small.write(to: directory, gzip: false)
        try FileManager.default.removeItem(atPath: directory.file("t10k-labels-idx1-ubyte"))
        #expect(mkfifo(directory.file("t10k-labels-idx1-ubyte"), 0o600) == 0)
        expectMessage(loadingError(directory.path), contains: [directory.file("t10k-labels-idx1-ubyte"), "not a regular file"])
    }

    @Test("gzip data under an uncompressed name: wrong magic, with a hint")
    func gzipUnderPlainName() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try small.write(to: directory, gzip: false)
        try directory.writeGzip(small.files["train-labels-idx1-ubyte"]!, to: "compressed.gz")
        try directory.write(try directory.read("compressed.gz"), to: "train-labels-idx1-ubyte")
        expectMessage(loadingError(directory.path), contains: [
            directory.file("train-labels-idx1-ubyte"), "expected 0x00000801", "found 0x1f8b", "looks like gzip",
        ])
    }

    @Test("limits below 1 are rejected", arguments: [(0, nil), (nil, 0), (-3, 5)] as [(Int?, Int?)])
    func invalidLimits(trainLimit: Int?, testLimit: Int?) {
        let error = loadingError("/nonexistent", trainLimit: trainLimit, testLimit: testLimit)
        expectMessage(error, contains: ["limit", "at least 1"])
    }
}
