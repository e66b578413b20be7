import Foundation

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
