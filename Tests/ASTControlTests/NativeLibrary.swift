import CASTControl
import Foundation
import PIControl
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// libASTControl opened with dlopen, its functions looked up by their C names, so these tests
/// exercise the shipped shared library through the ABI of include/ast_control.h (the header's
/// ast_control_step comes from the CASTControl module).
struct NativeLibrary: @unchecked Sendable {
    typealias Create = @convention(c) (
        UnsafePointer<CChar>?, Double, UInt64, UnsafeMutablePointer<OpaquePointer?>?, UnsafeMutablePointer<CChar>?, Int
    ) -> Int32
    typealias Select = @convention(c) (
        OpaquePointer?, UnsafePointer<Double>?, Int64, UnsafeMutablePointer<Int64>?, UnsafeMutablePointer<Int64>?,
        UnsafeMutablePointer<ast_control_step>?
    ) -> Int32
    typealias UpdateRate = @convention(c) (OpaquePointer?, Double, UnsafeMutablePointer<ast_control_step>?) -> Int32
    typealias UpdateCounts = @convention(c) (OpaquePointer?, Int64, Int64, UnsafeMutablePointer<ast_control_step>?) -> Int32
    typealias Threshold = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Double>?) -> Int32
    typealias GetState = @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int, UnsafeMutablePointer<Int>?) -> Int32
    typealias SetState = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32
    typealias LastError = @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int) -> Int
    typealias Destroy = @convention(c) (OpaquePointer?) -> Void
    typealias Version = @convention(c) () -> Int32

    let version: Version
    let createPreset: Create
    let createGains: Create
    let destroy: Destroy
    let select: Select
    let updateRate: UpdateRate
    let updateCounts: UpdateCounts
    let threshold: Threshold
    let getState: GetState
    let setState: SetState
    let lastError: LastError

    /// Opened once per test process.
    static let shared: Result<NativeLibrary, LoadError> = Result { () throws(LoadError) -> NativeLibrary in
        try NativeLibrary(path: locate())
    }

    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    /// `$AST_CONTROL_LIBRARY`, else libASTControl.so beside the test bundle (SwiftPM puts
    /// products and test bundles in one build folder).
    static func locate() -> String {
        if let path = ProcessInfo.processInfo.environment["AST_CONTROL_LIBRARY"] { return path }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // On macOS the bundle is a directory: .build/debug/X.xctest/Contents/MacOS/X.
        while directory.path.contains(".xctest") { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("libASTControl.so").path
    }

    init(path: String) throws(LoadError) {
        guard let library = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown"
            throw LoadError(description: "cannot open \(path) (\(reason)); build it with `swift build --product ASTControl`")
        }
        func symbol<T>(_ name: String, _: T.Type) throws(LoadError) -> T {
            guard let address = dlsym(library, name) else { throw LoadError(description: "\(path) does not export \(name)") }
            return unsafeBitCast(address, to: T.self)
        }
        version = try symbol("ast_control_version", Version.self)
        createPreset = try symbol("ast_control_create_preset", Create.self)
        createGains = try symbol("ast_control_create_gains", Create.self)
        destroy = try symbol("ast_control_destroy", Destroy.self)
        select = try symbol("ast_control_select", Select.self)
        updateRate = try symbol("ast_control_update_rate", UpdateRate.self)
        updateCounts = try symbol("ast_control_update_counts", UpdateCounts.self)
        threshold = try symbol("ast_control_threshold", Threshold.self)
        getState = try symbol("ast_control_get_state", GetState.self)
        setState = try symbol("ast_control_set_state", SetState.self)
        lastError = try symbol("ast_control_last_error", LastError.self)
    }

    /// The library, or the error explaining why it could not be opened.
    static func require() throws -> NativeLibrary {
        try shared.get()
    }
}

/// A status and the message that came with it.
struct NativeFailure: Error, CustomStringConvertible {
    var status: Int32
    var message: String
    var description: String { "status \(status): \(message)" }
}

/// One handle of the C library, for tests.
final class NativeController {
    let library: NativeLibrary
    let handle: OpaquePointer

    private init(library: NativeLibrary, handle: OpaquePointer) {
        self.library = library
        self.handle = handle
    }

    deinit { library.destroy(handle) }

    static func preset(_ name: String, target: Double, seed: UInt64) throws -> NativeController {
        let library = try NativeLibrary.require()
        return try make(library) { out, error, capacity in library.createPreset(name, target, seed, out, error, capacity) }
    }

    static func gains(json: String, target: Double = .nan, seed: UInt64) throws -> NativeController {
        let library = try NativeLibrary.require()
        return try make(library) { out, error, capacity in library.createGains(json, target, seed, out, error, capacity) }
    }

    /// A gains file's text for `configuration`, in the `ast-gains/1` layout that `ast tune` writes.
    static func gainsJSON(_ configuration: ControllerConfiguration) throws -> String {
        let body = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
        return #"{"format": "ast-gains/1", "law": "\#(configuration.law.name)", "configuration": \#(body)}"#
    }

    private static func make(
        _ library: NativeLibrary,
        _ create: (UnsafeMutablePointer<OpaquePointer?>, UnsafeMutablePointer<CChar>, Int) -> Int32
    ) throws -> NativeController {
        var handle: OpaquePointer?
        var message = [CChar](repeating: 0, count: 1024)
        let status = message.withUnsafeMutableBufferPointer { create(&handle, $0.baseAddress!, $0.count) }
        guard status == AST_CONTROL_OK, let handle else {
            throw NativeFailure(status: status, message: cText(message))
        }
        return NativeController(library: library, handle: handle)
    }

    /// ast_control_select; returns the indices and the step record.
    func select(_ scores: [Double]) throws -> (indices: [Int], step: ast_control_step) {
        var indices = [Int64](repeating: -1, count: scores.count)
        var count: Int64 = -1
        var step = ast_control_step()
        let status = scores.withUnsafeBufferPointer { scores in
            indices.withUnsafeMutableBufferPointer { indices in
                library.select(handle, scores.baseAddress, Int64(scores.count), indices.baseAddress, &count, &step)
            }
        }
        try check(status)
        return (indices.prefix(Int(count)).map { Int($0) }, step)
    }

    func update(rate: Double) throws -> ast_control_step {
        var step = ast_control_step()
        try check(library.updateRate(handle, rate, &step))
        return step
    }

    func update(selected: Int, batchSize: Int) throws -> ast_control_step {
        var step = ast_control_step()
        try check(library.updateCounts(handle, Int64(selected), Int64(batchSize), &step))
        return step
    }

    var threshold: Double {
        get throws {
            var value = Double.nan
            try check(library.threshold(handle, &value))
            return value
        }
    }

    func stateJSON() throws -> String {
        var length = 0
        let probe = library.getState(handle, nil, 0, &length)
        #expect(probe == AST_CONTROL_ERROR_BUFFER_TOO_SMALL)
        var buffer = [CChar](repeating: 0, count: length + 1)
        try check(buffer.withUnsafeMutableBufferPointer { library.getState(handle, $0.baseAddress, $0.count, &length) })
        return cText(buffer)
    }

    func setState(_ json: String) throws {
        try check(library.setState(handle, json))
    }

    var lastError: String {
        let length = library.lastError(handle, nil, 0)
        var buffer = [CChar](repeating: 0, count: length + 1)
        _ = buffer.withUnsafeMutableBufferPointer { library.lastError(handle, $0.baseAddress, $0.count) }
        return cText(buffer)
    }

    func check(_ status: Int32) throws {
        guard status == AST_CONTROL_OK else { throw NativeFailure(status: status, message: lastError) }
    }
}

/// The text before the first NUL of a C buffer.
func cText(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
