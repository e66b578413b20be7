import PIControl

/// Renders a `DecodingError` as a sentence naming the field, in the file's words (a string,
/// a number, a mapping), never a Swift type name.
enum DecodingErrorText {
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }

    /// The dotted path of the field the error is about ("" for the document itself).
    static func field(of error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context): path(context.codingPath + [key])
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path(context.codingPath)
        @unknown default: ""
        }
    }

    /// What a value of `type` is called in a scenario or gains file.
    static func kind(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt.Type, is UInt32.Type, is UInt64.Type: return "an integer"
        default:
            let name = "\(type)"
            if name.hasPrefix("Dictionary") || name.hasPrefix("[String") { return "a mapping (object)" }
            if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
            return "a value of another kind"
        }
    }

    /// The error as an ``InputError`` at `file` and `line`, its field under `prefix` (the
    /// path of the value that was decoded; empty for the document), saying what the field
    /// must be and what it was in the file's words.
    /// - Parameters:
    ///   - error: The decoder's error.
    ///   - file: The file decoded, or `nil`.
    ///   - line: The 1-based line of the field, or `nil`.
    ///   - prefix: The path of the decoded value in the file.
    static func inputError(_ error: DecodingError, file: String?, line: Int?, prefix: String = "") -> InputError {
        let inner = field(of: error)
        let field = inner.isEmpty ? prefix : prefix.isEmpty ? inner : prefix + "." + inner
        func located(_ expected: String, _ actual: String) -> InputError {
            InputError(file: file, line: line, field: field, expected: expected, actual: actual)
        }
        switch error {
        case .keyNotFound(let key, _):
            return located("the required field '\(key.stringValue)'", "no such field")
        case .typeMismatch(let type, _):
            return located(kind(type), "a value of another kind")
        case .valueNotFound(let type, _):
            return located(kind(type), "null")
        case .dataCorrupted(let context):
            // Validation's errors name the field and the range; Foundation's own texts name Swift types.
            if let invalid = context.underlyingError as? ConfigurationError {
                return InputError(locating: invalid, file: file, line: line, field: field)
            }
            if context.debugDescription.contains("number of keys") {
                return located("a mapping with exactly one key, the kind's name", "a mapping with another number of keys")
            }
            if context.debugDescription.hasPrefix("Cannot initialize"), let range = context.debugDescription.range(of: " value ") {
                return located("one of the allowed values", "'\(context.debugDescription[range.upperBound...])'")
            }
            return located("a valid value", "an invalid value")
        @unknown default:
            return located("a decodable document", "one that cannot be decoded")
        }
    }
}
