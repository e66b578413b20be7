import Foundation
import PIControl
import Yams

/// A YAML node with the file and field path it came from, so every error can say where.
struct YAMLValue {
    let node: Node
    let path: String
    let file: String

    /// Parses `text`; a syntax error names the file and line.
    static func parse(_ text: String, file: String) throws(InputError) -> YAMLValue {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw InputError(file: file, field: "", expected: "a YAML document", actual: "an empty file")
            }
            return YAMLValue(node: node, path: "", file: file)
        } catch let error as InputError {
            throw error
        } catch let error as YamlError {
            throw InputError(file: file, line: Self.line(of: error), field: "", expected: "well-formed YAML",
                             actual: "malformed YAML: \(error)")
        } catch {
            throw InputError(file: file, field: "", expected: "well-formed YAML", actual: "malformed YAML: \(error)")
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line > 0 ? mark.line : nil
        default:
            return nil
        }
    }

    /// The node's 1-based line, or 0 when unknown (as ``Expectation/line`` stores it).
    var line: Int { node.mark?.line ?? 0 }

    /// The node's line for an ``InputError``: `nil` when unknown.
    var errorLine: Int? { line > 0 ? line : nil }

    /// An error at this node: it must be `expected`, and is `actual` (by default, the node as written).
    func error(expected: String, actual: String? = nil) -> InputError {
        InputError(file: file, line: errorLine, field: path, expected: expected, actual: actual ?? written)
    }

    /// `error` (raised without a location) located at this node, its field under this node's path.
    func error(locating error: some FieldError) -> InputError {
        InputError(locating: error, file: file, line: errorLine, field: path)
    }

    /// The node as the file writes it, for ``InputError/actual``: a scalar quoted
    /// (`'abc'`), a list or mapping named.
    var written: String {
        switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .sequence: "a list"
        case .mapping: "a mapping"
        default: "an alias"
        }
    }

    func child(_ node: Node, _ component: String) -> YAMLValue {
        YAMLValue(node: node, path: path.isEmpty ? component : path + "." + component, file: file)
    }

    /// The mapping's entries in file order.
    func entries() throws(InputError) -> [(key: String, value: YAMLValue)] {
        guard case .mapping(let mapping) = node else { throw error(expected: "a mapping") }
        var result: [(key: String, value: YAMLValue)] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else {
                throw InputError(file: file, line: keyNode.mark?.line ?? errorLine, field: path, expected: "a string key",
                                 actual: YAMLValue(node: keyNode, path: path, file: file).written)
            }
            result.append((key, child(valueNode, key)))
        }
        return result
    }

    /// Fails on a key outside `allowed`, listing the allowed ones.
    func rejectUnknownKeys(_ allowed: Set<String>) throws(InputError) {
        for (key, value) in try entries() where !allowed.contains(key) {
            throw InputError(file: file, line: value.errorLine, field: value.path,
                             expected: "a key of " + (path.isEmpty ? "the top level" : "'\(path)'") + ", one of: "
                                 + allowed.sorted().joined(separator: ", "),
                             actual: "the unknown key '\(key)'")
        }
    }

    func optional(_ key: String) throws(InputError) -> YAMLValue? {
        try entries().first { $0.key == key }?.value
    }

    func required(_ key: String) throws(InputError) -> YAMLValue {
        guard let value = try optional(key) else {
            let field = path.isEmpty ? key : path + "." + key
            throw InputError(file: file, line: errorLine, field: field, expected: "the required key '\(key)'",
                             actual: "no such key")
        }
        return value
    }

    func elements() throws(InputError) -> [YAMLValue] {
        guard case .sequence(let sequence) = node else { throw error(expected: "a list") }
        return sequence.enumerated().map { index, node in
            YAMLValue(node: node, path: "\(path)[\(index)]", file: file)
        }
    }

    func string() throws(InputError) -> String {
        guard case .scalar = node, let value = node.string else { throw error(expected: "a string") }
        return value
    }

    func double() throws(InputError) -> Double {
        guard case .scalar(let scalar) = node else { throw error(expected: "a number") }
        guard let value = node.float ?? Double(scalar.string), value.isFinite else {
            throw error(expected: "a finite number")
        }
        return value
    }

    func int() throws(InputError) -> Int {
        guard case .scalar(let scalar) = node, let value = node.int ?? Int(scalar.string) else {
            throw error(expected: "an integer")
        }
        return value
    }

    func positiveInt() throws(InputError) -> Int {
        let value = try int()
        guard value > 0 else { throw error(expected: "a positive integer", actual: "\(value)") }
        return value
    }

    /// The node as nested dictionaries and arrays (scalars as strings, null as `NSNull`): the
    /// shape ``JSONPosition/firstUnknownKey(in:known:path:)`` compares.
    var keyTree: Any { Self.keyTree(node) }

    private static func keyTree(_ node: Node) -> Any {
        switch node {
        case .mapping(let mapping):
            var result: [String: Any] = [:]
            for (key, value) in mapping { result[key.string ?? ""] = keyTree(value) }
            return result
        case .sequence(let sequence):
            return sequence.map(keyTree)
        case .scalar(let scalar):
            return node.null != nil ? NSNull() : scalar.string
        default:
            return ""
        }
    }

    func bool() throws(InputError) -> Bool {
        guard case .scalar = node, let value = node.bool else { throw error(expected: "true or false") }
        return value
    }
}
