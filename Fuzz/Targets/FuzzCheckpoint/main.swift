import ASTTrain
import Foundation
import FuzzSupport

/// Checkpoint files: magic, version, header length, JSON header, tensor sizes, CRC.
func fuzzCheckpoint(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = fuzzInput(start, count)
    _ = try? Trainer.parseCheckpoint(Array(input), path: "fuzz.ckpt")
    return 0
}

/// libFuzzer's own `main` calls this name; SwiftPM's entry point below calls the same function.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt { fuzzCheckpoint(start, count) }

runFuzzer { fuzzCheckpoint($0, $1) }
