import ASTTrain
import Foundation

/// A minimal Fashion-MNIST reader for the real-data tests until the data branch's loader is
/// merged (then switch to it): `gzip -dc`, IDX magic and size checks, normalisation with the
/// usual mean 0.2860 and standard deviation 0.3530.
enum FashionMNISTStandIn {
    static let directory = "/usr/share/datasets/fashion-mnist"
    static var isAvailable: Bool { FileManager.default.fileExists(atPath: directory + "/train-images-idx3-ubyte.gz") }

    static func gunzip(_ path: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }

    static func bigEndian(_ bytes: [UInt8], _ offset: Int) -> Int {
        (0..<4).reduce(0) { $0 << 8 | Int(bytes[offset + $1]) }
    }

    struct FormatError: Error { var message: String }

    static func load(_ prefix: String, limit: Int) throws -> LabeledImages {
        let images = try gunzip("\(directory)/\(prefix)-images-idx3-ubyte.gz")
        let labels = try gunzip("\(directory)/\(prefix)-labels-idx1-ubyte.gz")
        guard bigEndian(images, 0) == 0x803, bigEndian(labels, 0) == 0x801 else { throw FormatError(message: "bad IDX magic") }
        let count = min(limit, bigEndian(images, 4))
        guard bigEndian(images, 8) == 28, bigEndian(images, 12) == 28, images.count >= 16 + count * 784, labels.count >= 8 + count else {
            throw FormatError(message: "bad IDX sizes")
        }
        let pixels = (0..<(count * 784)).map { (Float(images[16 + $0]) / 255 - 0.2860) / 0.3530 }
        let classes = (0..<count).map { Int32(labels[8 + $0]) }
        return LabeledImages(images: pixels, labels: classes, count: count, channels: 1, height: 28, width: 28, classCount: 10)
    }

    static func dataset(trainLimit: Int, testLimit: Int) throws -> Dataset {
        Dataset(name: "fashion-mnist", train: try load("train", limit: trainLimit), test: try load("t10k", limit: testLimit),
                channelMean: [0.2860], channelStd: [0.3530])
    }
}
