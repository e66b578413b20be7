@testable import ASTTrain
import Foundation
import FuzzSupport

/// CIFAR-10 binary records: the batch check (whole records, labels below 10), then the decode.
func fuzzCIFAR(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = fuzzInput(start, count)
    let bytes = Array(input)
    guard let records = try? CIFAR10Loader.checkBatch(bytes, path: "fuzz.bin") else { return 0 }
    let kept = records.count / CIFAR10Loader.recordSize
    let statistics = ChannelStatistics(of: records, layout: CIFAR10Loader.layout, sampleCount: kept)
    _ = statistics.normalise(records, layout: CIFAR10Loader.layout, sampleCount: kept)
    return 0
}

/// libFuzzer's own `main` calls this name; SwiftPM's entry point below calls the same function.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt { fuzzCIFAR(start, count) }

runFuzzer { fuzzCIFAR($0, $1) }
