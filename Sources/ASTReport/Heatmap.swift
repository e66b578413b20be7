import Foundation

/// A grid of values over two axes, with optional overlay curves (e.g. a stability boundary).
package struct Heatmap: Sendable {
    package var title: String
    package var xLabel: String
    package var yLabel: String
    /// Column centres (ascending).
    package var x: [Double]
    /// Row centres (ascending).
    package var y: [Double]
    /// `values[row][column]`; NaN cells are drawn hatched grey (e.g. "did not settle").
    package var values: [[Double]]
    package var logX: Bool
    package var logY: Bool
    /// What a colour means, e.g. "settling time (steps)".
    package var valueLabel: String
    /// Curves drawn over the grid in data coordinates.
    package var overlays: [ChartSeries]
    /// Cells to outline (row, column), e.g. the tuned optimum.
    package var markers: [(row: Int, column: Int, label: String)]

    package init(title: String, xLabel: String, yLabel: String, x: [Double], y: [Double], values: [[Double]],
                logX: Bool, logY: Bool, valueLabel: String, overlays: [ChartSeries] = [],
                markers: [(row: Int, column: Int, label: String)] = []) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
        self.y = y
        self.values = values
        self.logX = logX
        self.logY = logY
        self.valueLabel = valueLabel
        self.overlays = overlays
        self.markers = markers
    }

    /// Standalone SVG.
    package func render(width: Double = 760, height: Double = 620) -> String {
        let left = 80.0, right = width - 110, top = 40.0, bottom = height - 60
        let columns = x.count, rows = y.count
        guard columns > 0, rows > 0 else { return SVGRenderer.header(width: width, height: height) + "</svg>\n" }
        let cellWidth = (right - left) / Double(columns)
        let cellHeight = (bottom - top) / Double(rows)
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 1
        func colour(_ value: Double) -> String {
            guard value.isFinite else { return "#bdbdbd" }
            let t = high > low ? (value - low) / (high - low) : 0.5
            return Palette.viridis(t)
        }
        // Data → pixel for overlays: axes are indexed by cell, interpolated in (log) value.
        func axisPosition(_ value: Double, _ centres: [Double], _ log: Bool) -> Double? {
            let transform: (Double) -> Double = log ? { Foundation.log10($0) } : { $0 }
            guard value.isFinite, !log || value > 0, centres.count > 1 else { return centres.count == 1 ? 0.5 : nil }
            let v = transform(value)
            let first = transform(centres[0]), last = transform(centres[centres.count - 1])
            return (v - first) / (last - first) * Double(centres.count - 1) + 0.5
        }
        var svg = SVGRenderer.header(width: width, height: height)
        svg += "<text x=\"\(left)\" y=\"24\" font-weight=\"bold\">\(SVGRenderer.escape(title))</text>\n"
        for row in 0..<rows {
            for column in 0..<columns {
                let value = values[row][column]
                let cx = left + Double(column) * cellWidth
                let cy = bottom - Double(row + 1) * cellHeight
                svg += "<rect x=\"\(SVGRenderer.f(cx))\" y=\"\(SVGRenderer.f(cy))\" width=\"\(SVGRenderer.f(cellWidth + 0.3))\" "
                    + "height=\"\(SVGRenderer.f(cellHeight + 0.3))\" fill=\"\(colour(value))\"><title>"
                    + SVGRenderer.escape("\(xLabel)=\(x[column]) \(yLabel)=\(y[row]) \(valueLabel)=\(NumberText.format(value))")
                    + "</title></rect>\n"
            }
        }
        for overlay in overlays {
            var points = ""
            for (xv, yv) in zip(overlay.x, overlay.y) {
                guard let ix = axisPosition(xv, x, logX), let iy = axisPosition(yv, y, logY) else { continue }
                guard ix >= 0, ix <= Double(columns), iy >= 0, iy <= Double(rows) else { continue }
                points += "\(SVGRenderer.f(left + ix * cellWidth)),\(SVGRenderer.f(bottom - iy * cellHeight)) "
            }
            if !points.isEmpty {
                svg += "<polyline fill=\"none\" stroke=\"\(overlay.color)\" stroke-width=\"\(overlay.width)\""
                    + (overlay.dashed ? " stroke-dasharray=\"6,3\"" : "") + " points=\"\(points)\"/>\n"
            }
        }
        for marker in markers {
            let cx = left + Double(marker.column) * cellWidth
            let cy = bottom - Double(marker.row + 1) * cellHeight
            svg += "<rect x=\"\(SVGRenderer.f(cx))\" y=\"\(SVGRenderer.f(cy))\" width=\"\(SVGRenderer.f(cellWidth))\" "
                + "height=\"\(SVGRenderer.f(cellHeight))\" fill=\"none\" stroke=\"red\" stroke-width=\"2\"/>\n"
            svg += "<text x=\"\(SVGRenderer.f(cx + cellWidth + 3))\" y=\"\(SVGRenderer.f(cy + cellHeight / 2 + 4))\" fill=\"red\">\(SVGRenderer.escape(marker.label))</text>\n"
        }
        svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(right - left)\" height=\"\(bottom - top)\" fill=\"none\" stroke=\"#333\"/>\n"
        let labelEvery = max(1, columns / 8)
        for column in Swift.stride(from: 0, to: columns, by: labelEvery) {
            let cx = left + (Double(column) + 0.5) * cellWidth
            svg += "<text x=\"\(SVGRenderer.f(cx))\" y=\"\(bottom + 16)\" text-anchor=\"middle\" font-size=\"10\">\(String(format: "%.3g", x[column]))</text>\n"
        }
        let labelEveryRow = max(1, rows / 8)
        for row in Swift.stride(from: 0, to: rows, by: labelEveryRow) {
            let cy = bottom - (Double(row) + 0.5) * cellHeight
            svg += "<text x=\"\(left - 6)\" y=\"\(SVGRenderer.f(cy + 4))\" text-anchor=\"end\" font-size=\"10\">\(String(format: "%.3g", y[row]))</text>\n"
        }
        svg += "<text x=\"\((left + right) / 2)\" y=\"\(bottom + 38)\" text-anchor=\"middle\">\(SVGRenderer.escape(xLabel))\(logX ? " (log)" : "")</text>\n"
        svg += "<text transform=\"translate(18,\((top + bottom) / 2)) rotate(-90)\" text-anchor=\"middle\">\(SVGRenderer.escape(yLabel))\(logY ? " (log)" : "")</text>\n"
        // Colour bar.
        let barLeft = right + 20
        for index in 0..<50 {
            let t = Double(index) / 49
            let cy = bottom - t * (bottom - top)
            svg += "<rect x=\"\(barLeft)\" y=\"\(SVGRenderer.f(cy - (bottom - top) / 50))\" width=\"16\" height=\"\(SVGRenderer.f((bottom - top) / 50 + 0.5))\" fill=\"\(Palette.viridis(t))\"/>\n"
        }
        // Five ticks from low to high, each at its colour.
        for tick in 0...4 {
            let t = Double(tick) / 4
            let value = low + t * (high - low)
            let cy = bottom - t * (bottom - top)
            svg += "<line x1=\"\(barLeft + 16)\" x2=\"\(barLeft + 20)\" y1=\"\(SVGRenderer.f(cy))\" y2=\"\(SVGRenderer.f(cy))\" stroke=\"#333\"/>\n"
            svg += "<text x=\"\(barLeft + 22)\" y=\"\(SVGRenderer.f(cy + 4))\" font-size=\"10\">\(String(format: "%.3g", value))</text>\n"
        }
        svg += "<text transform=\"translate(\(barLeft + 60),\((top + bottom) / 2)) rotate(90)\" text-anchor=\"middle\" font-size=\"11\">\(SVGRenderer.escape(valueLabel)); grey = n/a</text>\n"
        return svg + "</svg>\n"
    }
}

/// A perceptually even colour ramp (viridis, by linear interpolation of a few anchors).
enum Palette {
    static let anchors: [(Double, Double, Double)] = [
        (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
    ]

    static func viridis(_ t: Double) -> String {
        let clamped = min(1, max(0, t.isFinite ? t : 0))
        let position = clamped * Double(anchors.count - 1)
        let index = min(anchors.count - 2, Int(position))
        let fraction = position - Double(index)
        let a = anchors[index], b = anchors[index + 1]
        func mix(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * fraction).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}
