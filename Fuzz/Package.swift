// swift-tools-version:6.1
// libFuzzer targets for every parser of untrusted input (issue 11). A nested package so that
// `swift build`/`swift test` at the root never builds them. Build and run: `make fuzz` at the
// root (see README.md here). Each target is one executable whose `main.swift` hands its
// one-input function to libFuzzer's driver (linked by `-sanitize=fuzzer`).
import PackageDescription

/// One fuzz target: `Targets/<name>/main.swift`.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(name: name, dependencies: dependencies + ["FuzzSupport"], path: "Targets/\(name)")
}

let simulator: [Target.Dependency] = [.product(name: "ASTSim", package: "AST")]
let trainer: [Target.Dependency] = [.product(name: "ASTTrain", package: "AST")]

let package = Package(
    name: "ASTFuzz",
    dependencies: [
        // The root package; named so that the product references do not depend on the
        // directory the repository was cloned into.
        .package(name: "AST", path: ".."),
    ],
    targets: [
        .target(name: "FuzzSupport", path: "Targets/FuzzSupport"),
        fuzzTarget("FuzzScenarioYAML", simulator),
        fuzzTarget("FuzzGainsJSON", simulator),
        fuzzTarget("FuzzScoreCSV", simulator),
        fuzzTarget("FuzzIDX", trainer),
        fuzzTarget("FuzzCIFAR", trainer),
        fuzzTarget("FuzzCheckpoint", trainer),
    ],
    swiftLanguageModes: [.v6]
)
