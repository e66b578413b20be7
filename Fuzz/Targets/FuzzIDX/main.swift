@testable import ASTTrain
import Foundation
import FuzzSupport

/// IDX header and body: the input is checked as an image file and as a label file (gzip first
/// when it starts with the gzip magic); what passes is decoded as the loader does.
func fuzzIDX(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = fuzzInput(start, count)
    var bytes = Array(input)
    var compressed = false
    if bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b {
        guard let inflated = try? GzipInflater.inflate(bytes, path: "fuzz.gz") else { return 0 }
        bytes = inflated
        compressed = true
    }
    if let labels = try? IDXFile(path: "fuzz", bytes: bytes, expectedMagic: IDXFile.labelMagic, decompressed: compressed) {
        _ = try? LabelDecoding.labels(in: labels.bytes, firstLabelOffset: labels.headerSize, stride: 1,
                                      count: labels.dimensions[0], keep: labels.dimensions[0], classCount: 10, path: "fuzz")
    }
    if let images = try? IDXFile(path: "fuzz", bytes: bytes, expectedMagic: IDXFile.imageMagic, decompressed: compressed) {
        let planeSize = images.dimensions[1] * images.dimensions[2]
        let layout = PixelLayout(firstPixelOffset: images.headerSize, sampleStride: planeSize, channels: 1, planeSize: planeSize)
        let statistics = ChannelStatistics(of: images.bytes, layout: layout, sampleCount: images.dimensions[0])
        _ = statistics.normalise(images.bytes, layout: layout, sampleCount: images.dimensions[0])
    }
    return 0
}

/// libFuzzer's own `main` calls this name; SwiftPM's entry point below calls the same function.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt { fuzzIDX(start, count) }

runFuzzer { fuzzIDX($0, $1) }
