import CASTControl

/// An error of the C interface: a status code from ast_control.h and a readable message.
struct BridgeError: Error {
    var status: Int32
    var message: String

    static func nullArgument(_ name: String) -> BridgeError {
        BridgeError(status: AST_CONTROL_ERROR_NULL_ARGUMENT, message: "argument '\(name)' is NULL")
    }

    static func invalidArgument(_ message: String) -> BridgeError {
        BridgeError(status: AST_CONTROL_ERROR_INVALID_ARGUMENT, message: message)
    }

    static func invalidUTF8(_ name: String) -> BridgeError {
        BridgeError(status: AST_CONTROL_ERROR_INVALID_UTF8, message: "argument '\(name)' is not valid UTF-8")
    }
}

/// C strings in and out.
enum CText {
    /// The UTF-8 text of a NUL-terminated argument.
    static func read(_ pointer: UnsafePointer<CChar>?, name: String) throws(BridgeError) -> String {
        guard let pointer else { throw .nullArgument(name) }
        guard let text = String(validatingCString: pointer) else { throw .invalidUTF8(name) }
        return text
    }

    /// Copies `text` into a caller's buffer, NUL-terminated and truncated to `capacity − 1`
    /// bytes (never inside a UTF-8 sequence). Returns the text's full length in bytes.
    @discardableResult
    static func write(_ text: String, to buffer: UnsafeMutablePointer<CChar>?, capacity: Int) -> Int {
        let bytes = Array(text.utf8)
        guard let buffer, capacity > 0 else { return bytes.count }
        var count = min(bytes.count, capacity - 1)
        // Back up over continuation bytes so a truncated message stays valid UTF-8.
        if count < bytes.count { while count > 0 && bytes[count] & 0xC0 == 0x80 { count -= 1 } }
        for offset in 0..<count { buffer[offset] = CChar(bitPattern: bytes[offset]) }
        buffer[count] = 0
        return bytes.count
    }
}
