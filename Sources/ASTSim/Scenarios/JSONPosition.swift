import Foundation

/// Locating problems in JSON text: the line and column of a syntax error, the line of a key,
/// and keys that the format does not know.
enum JSONPosition {
    /// Line and column (1-based) of a `JSONSerialization` syntax error, from the character
    /// offset Foundation reports ("… around character 15."); the end of the text when it ran
    /// out; `(0, 0)` when no position is known.
    static func syntaxError(_ error: any Error, in text: String) -> (line: Int, column: Int) {
        let description = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? ""
        let utf8 = Array(text.utf8)
        var offset: Int?
        if let range = description.range(of: "character ") {
            offset = Int(description[range.upperBound...].prefix { $0.isNumber })
        } else if description.contains("end of") || description.contains("nexpected end") {
            offset = utf8.count
        }
        guard let offset else { return (0, 0) }
        var line = 1, column = 1
        for byte in utf8.prefix(max(0, offset)) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    /// The 1-based line where the last component of `path` (e.g. `configuration.deadbnd`)
    /// first appears as a key; 0 when not found.
    static func line(ofKey path: String, in text: String) -> Int {
        guard let key = path.split(separator: ".").last.map({ String($0.split(separator: "[").first ?? "") }), !key.isEmpty else {
            return 0
        }
        let quoted = "\"" + key + "\""
        var searchStart = text.startIndex
        while let range = text.range(of: quoted, range: searchStart..<text.endIndex) {
            let rest = text[range.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
            if rest.first == ":" {
                return text[text.startIndex..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            }
            searchStart = range.upperBound
        }
        return 0
    }

    /// The dotted path of the first key of `tree` that `known` (the same document as this
    /// version writes it) lacks; `null` values are ignored (an absent optional).
    static func firstUnknownKey(in tree: Any, known: Any, path: String = "") -> String? {
        if let object = tree as? [String: Any] {
            guard let knownObject = known as? [String: Any] else { return nil }
            for key in object.keys.sorted() {
                let value = object[key]!
                let childPath = path.isEmpty ? key : path + "." + key
                guard let knownValue = knownObject[key] else {
                    if value is NSNull { continue }
                    return childPath
                }
                if let found = firstUnknownKey(in: value, known: knownValue, path: childPath) { return found }
            }
        } else if let array = tree as? [Any], let knownArray = known as? [Any] {
            for (index, (value, knownValue)) in zip(array, knownArray).enumerated() {
                if let found = firstUnknownKey(in: value, known: knownValue, path: path + "[\(index)]") { return found }
            }
        }
        return nil
    }

    /// The keys `known` has in the object holding `path`'s last component, sorted.
    static func knownKeys(beside path: String, in known: Any) -> [String] {
        var node: Any = known
        for component in path.split(separator: ".").dropLast() {
            var name = Substring(component)
            var indices: [Int] = []
            while let open = name.lastIndex(of: "["), let index = Int(name[name.index(after: open)...].dropLast()) {
                indices.insert(index, at: 0)
                name = name[..<open]
            }
            guard let object = node as? [String: Any], let child = object[String(name)] else { return [] }
            node = child
            for index in indices {
                guard let array = node as? [Any], index < array.count else { return [] }
                node = array[index]
            }
        }
        return ((node as? [String: Any])?.keys.sorted()) ?? []
    }
}
