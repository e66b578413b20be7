import ASTSim
import Foundation
import FuzzSupport

/// Gains JSON: decode and check; a decoded file must also yield a configuration.
func fuzzGainsJSON(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = fuzzInput(start, count)
    let data = Data(input)
    if let gains = try? GainsFile.decode(data, file: "fuzz.json") {
        _ = try? gains.configuration(target: 0.1)
    }
    return 0
}

/// libFuzzer's own `main` calls this name; SwiftPM's entry point below calls the same function.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt { fuzzGainsJSON(start, count) }

runFuzzer { fuzzGainsJSON($0, $1) }
