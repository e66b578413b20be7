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

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound:
            return "missing field '\(field(of: error))'"
        case .typeMismatch(let type, _):
            let field = field(of: error)
            return (field.isEmpty ? "the document" : "field '\(field)'") + ": expected \(kind(type))"
        case .valueNotFound(let type, _):
            return "field '\(field(of: error))': expected \(kind(type)), found null"
        case .dataCorrupted(let context):
            let field = field(of: error)
            // Validation's texts name the field and the range; Foundation's own name Swift types.
            let text: String
            if let configurationError = context.underlyingError as? ConfigurationError {
                text = configurationError.description
            } else if context.debugDescription.contains("number of keys") {
                text = "expected a mapping with exactly one key, the kind's name"
            } else if context.debugDescription.hasPrefix("Cannot initialize") {
                text = "not one of the allowed values"
            } else {
                text = "invalid value"
            }
            return field.isEmpty ? text : "field '\(field)': \(text)"
        @unknown default:
            return "the file cannot be decoded"
        }
    }
}
