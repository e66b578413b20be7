// swift-tools-version:6.1
// The performance benchmarks (docs/ARCHITECTURE.md, "Performance rules"), a nested package
// so that `swift test` at the root never builds them. Run: `cd Benchmarks && swift package benchmark` (see README.md).
import PackageDescription

let benchmarkDependency: Target.Dependency = .product(name: "Benchmark", package: "benchmark")
let benchmarkPlugin: Target.PluginUsage = .plugin(name: "BenchmarkPlugin", package: "benchmark")

let package = Package(
    name: "ASTBenchmarks",
    dependencies: [
        // The root package; named so the product references below do not depend on the
        // directory the repository was cloned into.
        .package(name: "AST", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // OpenBLAS's CBLAS, for the reference sgemm (the root's CNumerics is not a product).
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .executableTarget(
            name: "ControllerBenchmarks",
            dependencies: [
                benchmarkDependency,
                .product(name: "PIControl", package: "AST"),
                .product(name: "SignificanceModels", package: "AST"),
                .product(name: "ASTSim", package: "AST"),
            ],
            path: "Benchmarks/ControllerBenchmarks",
            plugins: [benchmarkPlugin]
        ),
        // Per-stage times of the forward and of the 13- and 128-row backwards (not a benchmark
        // target: `swift run -c release StageProfile`, see README.md).
        .executableTarget(
            name: "StageProfile",
            dependencies: [.product(name: "PIControl", package: "AST"), .product(name: "ASTTrain", package: "AST")],
            path: "StageProfile"
        ),
        .executableTarget(
            name: "TrainingBenchmarks",
            dependencies: [
                benchmarkDependency,
                "CBLAS",
                .product(name: "PIControl", package: "AST"),
                .product(name: "ASTTrain", package: "AST"),
            ],
            path: "Benchmarks/TrainingBenchmarks",
            plugins: [benchmarkPlugin]
        ),
    ],
    swiftLanguageModes: [.v6]
)
