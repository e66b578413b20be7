import ASTSim
import Foundation
import FuzzSupport

/// Score trace CSV: parse, then batch it as a recorded-trace scenario would (all batches, then
/// with the skip and count taken from the input's first bytes).
func fuzzScoreCSV(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = fuzzInput(start, count)
    let bytes = input
    guard let trace = try? ScoreTrace.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.csv") else { return 0 }
    if let recorded = try? RecordedScores(trace: trace, file: "fuzz.csv") {
        _ = recorded.idealThreshold(step: 0, target: 0.1)
    }
    let skip = count > 0 ? Int(bytes[0] % 8) : 0
    let batches = count > 1 ? Int(bytes[1] % 8) + 1 : 1
    _ = try? RecordedScores(trace: trace, file: "fuzz.csv", skip: skip, count: batches)
    return 0
}

/// libFuzzer's own `main` calls this name; SwiftPM's entry point below calls the same function.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt { fuzzScoreCSV(start, count) }

runFuzzer { fuzzScoreCSV($0, $1) }
