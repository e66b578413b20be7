// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "AST",
    products: [
        .executable(name: "ast", targets: ["ast"]),
        .library(name: "PIControl", targets: ["PIControl"]),
        .library(name: "SignificanceModels", targets: ["SignificanceModels"]),
        .library(name: "ASTSim", targets: ["ASTSim"]),
        .library(name: "ASTTrain", targets: ["ASTTrain"]),
        // The C ABI over PIControl (header: include/ast_control.h), for trainers in other languages.
        .library(name: "ASTControl", type: .dynamic, targets: ["ASTControl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // GSL and OpenBLAS in one module so that OpenBLAS's cblas.h wins over gsl_cblas.h
        // and libopenblas is linked directly (see docs/ARCHITECTURE.md, "Linking GSL and OpenBLAS").
        .systemLibrary(
            name: "CNumerics",
            path: "Sources/CNumerics",
            pkgConfig: "openblas",
            providers: [.apt(["libgsl-dev", "libopenblas-dev"])]
        ),
        // OpenBLAS alone, for the trainer: ASTTrain links no GSL.
        .systemLibrary(
            name: "COpenBLAS",
            path: "Sources/COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "PIControl"),
        // PIControl only (plus Foundation's JSON): no GSL, OpenBLAS or Yams in the C library.
        .systemLibrary(name: "CASTControl", path: "include"),
        .target(name: "ASTControl", dependencies: ["PIControl", "CASTControl"]),
        .target(name: "SignificanceModels", dependencies: ["PIControl", "CNumerics"]),
        .target(
            name: "ASTSim",
            dependencies: ["PIControl", "SignificanceModels", "CNumerics", .product(name: "Yams", package: "Yams")]
        ),
        // Writers: CSV, JSON, SVG and HTML, all written atomically. Computation lives elsewhere.
        .target(name: "ASTReport"),
        .target(name: "ASTTrain", dependencies: ["PIControl", "COpenBLAS", "CZlib"]),
        .executableTarget(
            name: "ast",
            dependencies: [
                "PIControl", "ASTSim", "ASTTrain", "ASTReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "PIControlTests",
            dependencies: ["PIControl", .product(name: "PropertyBased", package: "swift-property-based")]
        ),
        .testTarget(name: "SignificanceModelsTests", dependencies: ["SignificanceModels"]),
        .testTarget(name: "ASTSimTests", dependencies: ["ASTSim", "PIControl", "SignificanceModels"]),
        .testTarget(name: "ASTReportTests", dependencies: ["ASTReport"]),
        .testTarget(name: "ASTCommandTests", dependencies: ["ast"]),
        // CNumerics only as the oracle for the trainer's own Student-t quantile (gsl_cdf_tdist_Pinv).
        .testTarget(name: "ASTTrainTests", dependencies: ["ASTTrain", "PIControl", "CNumerics"]),
        // Loads the built libASTControl with dlopen and calls it through its C symbols.
        .testTarget(name: "ASTControlTests", dependencies: ["PIControl", "CASTControl"]),
    ],
    swiftLanguageModes: [.v6]
)
