/// A problem in a scenario, gains or trace file, located by file, line and field.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line, or 0 when the problem is not tied to a line.
    public var line: Int
    /// The field's path, e.g. `controllers[1].expect.settlingTime.max`.
    public var field: String
    public var message: String

    public init(file: String, line: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        let location = line > 0 ? "\(file):\(line)" : file
        return field.isEmpty ? "\(location): \(message)" : "\(location): field '\(field)': \(message)"
    }
}
