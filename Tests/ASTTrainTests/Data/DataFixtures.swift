import CZlib
import Foundation

/// A fresh directory under the system's temporary directory, removed by ``remove()``.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "ast-data-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ bytes: [UInt8], to name: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
    }

    /// Writes `bytes` gzip-compressed with zlib's own gzip writer.
    func writeGzip(_ bytes: [UInt8], to name: String) throws {
        guard let handle = gzopen(file(name), "wb") else { throw FixtureError.gzip(name) }
        let written = bytes.withUnsafeBytes { gzwrite(handle, $0.baseAddress, UInt32($0.count)) }
        guard gzclose(handle) == Z_OK, written == Int32(bytes.count) else { throw FixtureError.gzip(name) }
    }

    func read(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: file(name))))
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

enum FixtureError: Error {
    case gzip(String)
}

/// Builders for small IDX and CIFAR-10 files with known content.
enum Fixtures {
    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    /// A deterministic pixel value for sample `sample`, channel `channel`, position `position`.
    /// Channel `c` spans `0 ... 255 * (4 - c) / 4`, so channel statistics differ.
    static func pixel(_ sample: Int, _ channel: Int, _ position: Int, salt: Int = 0) -> UInt8 {
        let spread = (sample * 37 + channel * 101 + position * 11 + salt * 53 + (position * position) % 7) % 256
        return UInt8(spread * (4 - channel) / 4)
    }

    /// The pixels of an IDX image file body: `count` grey `rows`×`columns` images.
    static func greyPixels(count: Int, rows: Int, columns: Int, salt: Int = 0) -> [UInt8] {
        (0 ..< count).flatMap { sample in (0 ..< rows * columns).map { pixel(sample, 0, $0, salt: salt) } }
    }

    static func idxImages(_ pixels: [UInt8], count: Int, rows: Int, columns: Int, magic: UInt32 = 0x0000_0803) -> [UInt8] {
        bigEndian(magic) + bigEndian(UInt32(count)) + bigEndian(UInt32(rows)) + bigEndian(UInt32(columns)) + pixels
    }

    static func idxLabels(_ labels: [UInt8], magic: UInt32 = 0x0000_0801) -> [UInt8] {
        bigEndian(magic) + bigEndian(UInt32(labels.count)) + labels
    }

    static func labels(count: Int, salt: Int = 0) -> [UInt8] {
        (0 ..< count).map { UInt8(($0 * 3 + salt) % 10) }
    }

    /// A small consistent Fashion-MNIST-style set: train 6 images of 4×3, test 3 images.
    struct SmallFashion {
        var rows = 4, columns = 3
        var trainCount = 6, testCount = 3
        var trainPixels: [UInt8] { greyPixels(count: trainCount, rows: rows, columns: columns) }
        var testPixels: [UInt8] { greyPixels(count: testCount, rows: rows, columns: columns, salt: 1) }
        var trainLabels: [UInt8] { labels(count: trainCount) }
        var testLabels: [UInt8] { labels(count: testCount, salt: 1) }

        /// The four files' contents, keyed by base name.
        var files: [String: [UInt8]] {
            [
                "train-images-idx3-ubyte": idxImages(trainPixels, count: trainCount, rows: rows, columns: columns),
                "train-labels-idx1-ubyte": idxLabels(trainLabels),
                "t10k-images-idx3-ubyte": idxImages(testPixels, count: testCount, rows: rows, columns: columns),
                "t10k-labels-idx1-ubyte": idxLabels(testLabels),
            ]
        }

        /// Writes all four files, gzip-compressed (`.gz`) or raw, with optional replacements.
        func write(to directory: TemporaryDirectory, gzip: Bool, replacing replacements: [String: [UInt8]] = [:]) throws {
            for (name, bytes) in files {
                let content = replacements[name] ?? bytes
                if gzip {
                    try directory.writeGzip(content, to: name + ".gz")
                } else {
                    try directory.write(content, to: name)
                }
            }
        }
    }

    /// CIFAR-10 records: label byte then 3×32×32 pixels, R plane, G plane, B plane.
    static func cifarRecords(count: Int, salt: Int) -> (bytes: [UInt8], labels: [UInt8], pixels: [UInt8]) {
        var bytes = [UInt8](), labels = [UInt8](), pixels = [UInt8]()
        for sample in 0 ..< count {
            let label = UInt8((sample + salt) % 10)
            let image = (0 ..< 3).flatMap { channel in (0 ..< 1024).map { pixel(sample, channel, $0, salt: salt) } }
            labels.append(label)
            pixels += image
            bytes += [label] + image
        }
        return (bytes, labels, pixels)
    }

    /// Independent reference: per-channel mean and population standard deviation of x/255.
    static func statistics(_ pixels: [UInt8], channels: Int, planeSize: Int) -> (mean: [Double], std: [Double]) {
        var mean = [Double](), std = [Double]()
        for channel in 0 ..< channels {
            var values = [Double]()
            var index = channel * planeSize
            while index < pixels.count {
                values += pixels[index ..< index + planeSize].map { Double($0) / 255 }
                index += channels * planeSize
            }
            let m = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count)
            mean.append(m)
            std.append(variance.squareRoot())
        }
        return (mean, std)
    }
}
