import Foundation

/// One axis of a sweep grid, written `LO:HI:N` on the command line.
public struct GridAxis: Sendable, Equatable, Codable {
    public var lower: Double
    public var upper: Double
    public var count: Int
    public var logarithmic: Bool

    /// - Throws: ``InputError`` (field = the option's name) for an empty, reversed or,
    ///   on a log scale, non-positive range.
    /// - Parameters:
    ///   - lower: The first grid value.
    ///   - upper: The last grid value, at least `lower`.
    ///   - count: The number of grid values, at least 1.
    ///   - logarithmic: Space the values evenly in log(value) instead of value; needs `lower > 0`.
    ///   - name: The option's name, used as the error's field (for example `--kp`).
    public init(lower: Double, upper: Double, count: Int, logarithmic: Bool, name: String = "axis") throws(InputError) {
        func fail(_ expected: String, _ actual: String) -> InputError {
            InputError(file: nil, field: name, expected: expected, actual: actual)
        }
        guard lower.isFinite, upper.isFinite else { throw fail("finite bounds", "\(lower):\(upper)") }
        guard count >= 1 else { throw fail("at least 1 point", "\(count) points") }
        guard lower <= upper else { throw fail("LO <= HI", "a reversed range: \(lower) > \(upper)") }
        guard count == 1 || lower < upper else { throw fail("LO < HI for more than 1 point", "the empty range \(lower):\(upper) with \(count) points") }
        if logarithmic {
            guard lower > 0 else { throw fail("positive bounds (a log scale)", "\(lower):\(upper)") }
        }
        self.lower = lower
        self.upper = upper
        self.count = count
        self.logarithmic = logarithmic
    }

    /// Parses `LO:HI:N`.
    /// - Parameters:
    ///   - text: `LO:HI:N`, for example `0.01:10:32`.
    ///   - logarithmic: Space the values on a log scale.
    ///   - name: The option's name, used as the error's field.
    public static func parse(_ text: String, logarithmic: Bool, name: String) throws(InputError) -> GridAxis {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, let lower = Double(parts[0]), let upper = Double(parts[1]), let count = Int(parts[2]) else {
            throw InputError(file: nil, field: name, expected: "LO:HI:N (e.g. 0.01:10:32)", actual: "'\(text)'")
        }
        return try GridAxis(lower: lower, upper: upper, count: count, logarithmic: logarithmic, name: name)
    }

    /// The grid values, evenly spaced (in log space when logarithmic).
    public var values: [Double] { (0..<count).map(value(at:)) }

    /// Grid value `index` (of `0..<count`), computed without building the whole axis.
    public func value(at index: Int) -> Double {
        guard count > 1 else { return lower }
        let fraction = Double(index) / Double(count - 1)
        return logarithmic ? exp(log(lower) + fraction * (log(upper) - log(lower))) : lower + fraction * (upper - lower)
    }

    /// Whether `value` is this axis's grid value `index` (what a merged sweep row must hold).
    /// - Parameters:
    ///   - value: A value read back from a sweep row.
    ///   - index: The grid index the row claims.
    public func holds(_ value: Double, at index: Int) -> Bool {
        value == self.value(at: index)
    }
}
