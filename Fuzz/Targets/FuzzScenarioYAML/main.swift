import ASTSim
import Foundation
import FuzzSupport

/// Scenario YAML: parse and validate (no run). Relative trace and gains paths resolve in an
/// empty directory, so only absolute paths the input names are read.
func fuzzScenarioYAML(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = fuzzInput(start, count)
    let text = String(decoding: input, as: UTF8.self)
    _ = try? ScenarioLoader.parse(text, file: "fuzz.yaml", directory: "/nonexistent-fuzz-directory")
    return 0
}

/// libFuzzer's own `main` calls this name; SwiftPM's entry point below calls the same function.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt { fuzzScenarioYAML(start, count) }

runFuzzer { fuzzScenarioYAML($0, $1) }
