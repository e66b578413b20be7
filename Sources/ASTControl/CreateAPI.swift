import CASTControl
import PIControl

// Creation, destruction and version. See include/ast_control.h for the contract.

/// The library's version, `MAJOR*10000 + MINOR*100 + PATCH` (matches the header's macros).
@_cdecl("ast_control_version")
public func astControlVersion() -> Int32 {
    AST_CONTROL_VERSION_NUMBER
}

/// Creates a controller from a preset name and target.
/// - Parameters:
///   - preset: NUL-terminated preset name.
///   - target: Target activation rate in (0, 1).
///   - seed: Seed of the handle's random generator.
///   - out: Receives the handle, or NULL on error.
///   - error: Optional buffer for the error message.
///   - errorCapacity: Size of `error` in bytes.
/// - Returns: `AST_CONTROL_OK` or an error status.
@_cdecl("ast_control_create_preset")
public func astControlCreatePreset(
    _ preset: UnsafePointer<CChar>?, _ target: Double, _ seed: UInt64,
    _ out: UnsafeMutablePointer<OpaquePointer?>?, _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int
) -> Int32 {
    create(out: out, errorBuffer: error, errorCapacity: errorCapacity, seed: seed) { () throws(BridgeError) in
        let name = try CText.read(preset, name: "preset")
        let chosen: Preset
        do throws(UnknownPresetError) {
            chosen = try Preset.named(name)
        } catch {
            throw BridgeError(status: AST_CONTROL_ERROR_UNKNOWN_PRESET, message: error.description)
        }
        do throws(ConfigurationError) {
            return try chosen.configuration(target: target)
        } catch {
            throw BridgeError(status: AST_CONTROL_ERROR_INVALID_ARGUMENT, message: error.description)
        }
    }
}

/// Creates a controller from a gains file's JSON text (`ast-gains/1`).
/// - Parameters:
///   - gainsJSON: NUL-terminated JSON text.
///   - target: Replaces the file's target; NaN keeps it.
///   - seed: Seed of the handle's random generator.
///   - out: Receives the handle, or NULL on error.
///   - error: Optional buffer for the error message.
///   - errorCapacity: Size of `error` in bytes.
/// - Returns: `AST_CONTROL_OK` or an error status.
@_cdecl("ast_control_create_gains")
public func astControlCreateGains(
    _ gainsJSON: UnsafePointer<CChar>?, _ target: Double, _ seed: UInt64,
    _ out: UnsafeMutablePointer<OpaquePointer?>?, _ error: UnsafeMutablePointer<CChar>?, _ errorCapacity: Int
) -> Int32 {
    create(out: out, errorBuffer: error, errorCapacity: errorCapacity, seed: seed) { () throws(BridgeError) in
        let json = try CText.read(gainsJSON, name: "gains_json")
        return try GainsDocument.configuration(json: json, target: target)
    }
}

/// Frees a handle made by a create function; NULL is ignored.
/// - Parameter handle: The handle, destroyed once.
@_cdecl("ast_control_destroy")
public func astControlDestroy(_ handle: OpaquePointer?) {
    guard let handle else { return }
    Unmanaged<ControlHandle>.fromOpaque(UnsafeRawPointer(handle)).release()
}

/// The shared tail of the create functions: build, validate, hand out or report.
private func create(
    out: UnsafeMutablePointer<OpaquePointer?>?, errorBuffer: UnsafeMutablePointer<CChar>?, errorCapacity: Int,
    seed: UInt64, configuration: () throws(BridgeError) -> ControllerConfiguration
) -> Int32 {
    // size_t arrives as Int: a "negative" capacity is a huge one, i.e. a caller bug; ignore the buffer.
    let capacity = max(0, errorCapacity)
    guard let out else {
        CText.write("argument 'out' is NULL", to: errorBuffer, capacity: capacity)
        return AST_CONTROL_ERROR_NULL_ARGUMENT
    }
    out.pointee = nil
    do throws(BridgeError) {
        let controller: Controller
        let chosen = try configuration()
        do throws(ConfigurationError) {
            controller = try Controller(configuration: chosen)
        } catch {
            throw BridgeError(status: AST_CONTROL_ERROR_INVALID_CONFIGURATION, message: error.description)
        }
        out.pointee = ControlHandle(controller: controller, seed: seed).retainedPointer()
        CText.write("", to: errorBuffer, capacity: capacity)
        return AST_CONTROL_OK
    } catch {
        CText.write(error.message, to: errorBuffer, capacity: capacity)
        return error.status
    }
}
