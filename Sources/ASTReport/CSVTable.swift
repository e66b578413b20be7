import Foundation

/// A CSV document built column-first: a header and rows of already-formatted cells.
package struct CSVTable: Sendable {
    package var header: [String]
    package private(set) var rows: [[String]] = []

    package init(header: [String]) { self.header = header }

    /// Appends a row; it must have one cell per header column.
    package mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "CSV row has \(row.count) cells, header has \(header.count)")
        rows.append(row)
    }

    /// RFC 4180 text: cells with commas, quotes or newlines are quoted.
    package func render() -> String {
        var text = header.map(Self.escape).joined(separator: ",") + "\n"
        text.reserveCapacity(rows.count * header.count * 10)
        for row in rows { text += row.map(Self.escape).joined(separator: ",") + "\n" }
        return text
    }

    static func escape(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Number formatting for outputs: shortest round-trip text, `nan`/`inf` spelled out.
package enum NumberText {
    package static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return "\(value)"
    }

    package static func format(_ value: Double?) -> String { value.map(format) ?? "" }

    /// Fixed decimals for tables meant for people.
    package static func fixed(_ value: Double?, _ decimals: Int) -> String {
        guard let value else { return "-" }
        if !value.isFinite { return format(value) }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = "\(rounded)"
        if let dot = text.firstIndex(of: "."), !text.contains("e") {
            let fraction = text.distance(from: dot, to: text.endIndex) - 1
            if fraction < decimals { text += String(repeating: "0", count: decimals - fraction) }
            if decimals == 0 { text = String(text[..<dot]) }
        }
        return text
    }
}
