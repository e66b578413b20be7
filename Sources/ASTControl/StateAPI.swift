import CASTControl
import PIControl

// Checkpoints and error messages. See include/ast_control.h for the contract.

/// Writes the state JSON into the caller's buffer.
/// - Parameters:
///   - handle: The controller.
///   - buffer: The caller's buffer (may be NULL to ask for the length).
///   - capacity: Its size in bytes; must exceed the JSON's length (room for the NUL).
///   - outLength: Receives the JSON's length in bytes, without the NUL.
/// - Returns: `AST_CONTROL_OK`, `AST_CONTROL_ERROR_BUFFER_TOO_SMALL` or another error status.
@_cdecl("ast_control_get_state")
public func astControlGetState(
    _ handle: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int, _ outLength: UnsafeMutablePointer<Int>?
) -> Int32 {
    guard let handle else { return AST_CONTROL_ERROR_NULL_ARGUMENT }
    let control = ControlHandle.from(handle)
    guard let outLength else { return control.fail(.nullArgument("out_length")) }
    let json: String
    do {
        json = try StateDocument(controller: control.controller.state, generator: control.generator).encoded()
    } catch {
        return control.fail(error)
    }
    let length = json.utf8.count
    outLength.pointee = length
    // capacity is a size_t: a negative Int here is a huge value, i.e. big enough.
    guard let buffer, capacity < 0 || capacity > length else {
        return control.fail(BridgeError(status: AST_CONTROL_ERROR_BUFFER_TOO_SMALL,
                                        message: "the state needs \(length + 1) bytes, the buffer has \(buffer == nil ? 0 : capacity)"))
    }
    CText.write(json, to: buffer, capacity: length + 1)
    return AST_CONTROL_OK
}

/// Restores a saved state.
/// - Parameters:
///   - handle: The controller.
///   - stateJSON: NUL-terminated JSON from `ast_control_get_state`.
/// - Returns: `AST_CONTROL_OK` or an error status (the state is then kept).
@_cdecl("ast_control_set_state")
public func astControlSetState(_ handle: OpaquePointer?, _ stateJSON: UnsafePointer<CChar>?) -> Int32 {
    guard let handle else { return AST_CONTROL_ERROR_NULL_ARGUMENT }
    let control = ControlHandle.from(handle)
    do throws(BridgeError) {
        let document = try StateDocument.decode(try CText.read(stateJSON, name: "state_json"))
        control.controller.state = document.controller
        control.generator = document.generator
        return AST_CONTROL_OK
    } catch {
        return control.fail(error)
    }
}

/// Copies the last error message of `handle` into the caller's buffer.
/// - Parameters:
///   - handle: The controller (NULL gives a message saying so).
///   - buffer: The caller's buffer (may be NULL when `capacity` is 0).
///   - capacity: Its size in bytes.
/// - Returns: The message's full length in bytes.
@_cdecl("ast_control_last_error")
public func astControlLastError(_ handle: OpaquePointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ capacity: Int) -> Int {
    let message = handle.map { ControlHandle.from($0).lastError } ?? "argument 'handle' is NULL"
    return CText.write(message, to: buffer, capacity: max(0, capacity))
}
