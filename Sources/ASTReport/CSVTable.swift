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
