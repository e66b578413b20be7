import Foundation

/// One polyline in a chart.
package struct ChartSeries: Sendable {
    package var label: String
    package var x: [Double]
    package var y: [Double]
    package var color: String
    package var width: Double
    package var dashed: Bool
    /// Draw a dot at every point (a single point is always drawn as a dot).
    package var markers: Bool
    /// Draw the connecting line.
    package var showsLine: Bool

    /// - Parameters:
    ///   - label: Legend text (empty: not in the legend).
    ///   - x: Abscissae.
    ///   - y: Ordinates; non-finite values break the line.
    ///   - color: CSS colour.
    ///   - width: Line width in pixels.
    ///   - dashed: A dashed line.
    ///   - markers: A dot at every point.
    ///   - showsLine: Draw the line (off for a scatter).
    package init(label: String, x: [Double], y: [Double], color: String, width: Double = 1.5, dashed: Bool = false,
                markers: Bool = false, showsLine: Bool = true) {
        self.markers = markers
        self.showsLine = showsLine
        self.label = label
        self.x = x
        self.y = y
        self.color = color
        self.width = width
        self.dashed = dashed
    }
}

/// A shaded horizontal band (e.g. target ± tolerance).
package struct ChartBand: Sendable {
    package var label: String
    package var lower: Double
    package var upper: Double
    package var color: String

    package init(label: String, lower: Double, upper: Double, color: String) {
        self.label = label
        self.lower = lower
        self.upper = upper
        self.color = color
    }
}

/// A line-chart panel: axes with ticks, series, optional bands, a legend.
/// A shaded area between two curves over the same abscissae (a band across seeds).
package struct ChartArea: Sendable {
    package var x: [Double]
    package var lower: [Double]
    package var upper: [Double]
    package var color: String

    /// - Parameters:
    ///   - x: Abscissae.
    ///   - lower: Lower edge, one per abscissa.
    ///   - upper: Upper edge, one per abscissa.
    ///   - color: CSS colour (drawn translucent).
    package init(x: [Double], lower: [Double], upper: [Double], color: String) {
        self.x = x
        self.lower = lower
        self.upper = upper
        self.color = color
    }
}

package struct LineChart: Sendable {
    package var title: String
    package var xLabel: String
    package var yLabel: String
    package var series: [ChartSeries]
    package var bands: [ChartBand]
    /// Fixed y range; computed from the data when `nil`.
    package var yRange: ClosedRange<Double>?
    /// Shaded areas between curves, drawn under the series.
    package var areas: [ChartArea]
    /// Ticks on the x axis at whole numbers only (epochs).
    package var integerXTicks: Bool

    package init(title: String, xLabel: String, yLabel: String, series: [ChartSeries], bands: [ChartBand] = [],
                yRange: ClosedRange<Double>? = nil, areas: [ChartArea] = [], integerXTicks: Bool = false) {
        self.areas = areas
        self.integerXTicks = integerXTicks
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.bands = bands
        self.yRange = yRange
    }
}

/// Renders charts to standalone SVG.
package enum SVGRenderer {
    /// Stacks panels vertically into one SVG document.
    /// - Parameters:
    ///   - charts: The panels, top to bottom.
    ///   - width: Document width in pixels.
    ///   - panelHeight: Height of each panel in pixels.
    package static func render(_ charts: [LineChart], width: Double = 900, panelHeight: Double = 300) -> String {
        let height = panelHeight * Double(charts.count)
        var svg = header(width: width, height: height)
        for (index, chart) in charts.enumerated() {
            svg += panel(chart, x: 0, y: Double(index) * panelHeight, width: width, height: panelHeight)
        }
        return svg + "</svg>\n"
    }

    static func header(width: Double, height: Double) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" \
        viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>

        """
    }

    static func panel(_ chart: LineChart, x originX: Double, y originY: Double, width: Double, height: Double) -> String {
        let left = originX + 70, right = originX + width - 20
        // The title on the first row, the legend on its own row below it: they never overlap.
        let top = originY + 46, bottom = originY + height - 45
        let xs = chart.series.flatMap(\.x).filter(\.isFinite) + chart.areas.flatMap(\.x).filter(\.isFinite)
        var ys = chart.series.flatMap(\.y).filter(\.isFinite)
        ys += chart.bands.flatMap { [$0.lower, $0.upper] }
        ys += chart.areas.flatMap { $0.lower + $0.upper }.filter(\.isFinite)
        let xRange = Scale.niceRange(xs.min() ?? 0, xs.max() ?? 1)
        let yRange = chart.yRange ?? Scale.niceRange(ys.min() ?? 0, ys.max() ?? 1)
        func px(_ value: Double) -> Double { left + (value - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * (right - left) }
        func py(_ value: Double) -> Double {
            let clamped = min(yRange.upperBound, max(yRange.lowerBound, value))
            return bottom - (clamped - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound) * (bottom - top)
        }
        var svg = "<g>\n"
        svg += "<text x=\"\(f(left))\" y=\"\(f(originY + 18))\" font-weight=\"bold\">\(escape(chart.title))</text>\n"
        for band in chart.bands {
            svg += "<rect x=\"\(f(left))\" y=\"\(f(py(band.upper)))\" width=\"\(f(right - left))\" "
                + "height=\"\(f(max(0.5, py(band.lower) - py(band.upper))))\" fill=\"\(band.color)\" opacity=\"0.25\"/>\n"
        }
        for tick in Scale.ticks(yRange) {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(right))\" y1=\"\(f(py(tick)))\" y2=\"\(f(py(tick)))\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py(tick) + 4))\" text-anchor=\"end\">\(Scale.label(tick))</text>\n"
        }
        for area in chart.areas {
            let count = min(area.x.count, area.lower.count, area.upper.count)
            let indices = (0..<count).filter { area.x[$0].isFinite && area.lower[$0].isFinite && area.upper[$0].isFinite }
            guard !indices.isEmpty else { continue }
            let points = indices.map { "\(f(px(area.x[$0]))),\(f(py(area.upper[$0])))" }
                + indices.reversed().map { "\(f(px(area.x[$0]))),\(f(py(area.lower[$0])))" }
            svg += "<polygon points=\"\(points.joined(separator: " "))\" fill=\"\(area.color)\" opacity=\"0.18\" stroke=\"none\"/>\n"
        }
        for tick in Scale.ticks(xRange) where !chart.integerXTicks || tick == tick.rounded() {
            svg += "<line x1=\"\(f(px(tick)))\" x2=\"\(f(px(tick)))\" y1=\"\(f(bottom))\" y2=\"\(f(bottom + 4))\" stroke=\"#333\"/>\n"
            svg += "<text x=\"\(f(px(tick)))\" y=\"\(f(bottom + 17))\" text-anchor=\"middle\">\(Scale.label(tick))</text>\n"
        }
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(right - left))\" height=\"\(f(bottom - top))\" fill=\"none\" stroke=\"#333\"/>\n"
        svg += "<text x=\"\(f((left + right) / 2))\" y=\"\(f(bottom + 34))\" text-anchor=\"middle\">\(escape(chart.xLabel))</text>\n"
        svg += "<text transform=\"translate(\(f(originX + 16)),\(f((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(chart.yLabel))</text>\n"
        for series in chart.series {
            if series.showsLine { svg += polyline(series, px: px, py: py, pixelWidth: right - left) }
            let finite = (0..<min(series.x.count, series.y.count)).filter { series.x[$0].isFinite && series.y[$0].isFinite }
            if series.markers || finite.count == 1 || !series.showsLine {
                let radius = series.showsLine ? 3.0 : 1.6
                for index in finite {
                    svg += "<circle cx=\"\(f(px(series.x[index])))\" cy=\"\(f(py(series.y[index])))\" r=\"\(f(radius))\" fill=\"\(series.color)\"\(series.showsLine ? "" : " opacity=\"0.45\"")/>\n"
                }
            }
        }
        var legendX = left
        for item in chart.series where !item.label.isEmpty {
            let textWidth = Double(item.label.count) * 6.5 + 30
            if legendX + textWidth > right { break }
            svg += "<line x1=\"\(f(legendX))\" x2=\"\(f(legendX + 18))\" y1=\"\(f(originY + 32))\" y2=\"\(f(originY + 32))\" "
                + "stroke=\"\(item.color)\" stroke-width=\"2\"\(item.dashed ? " stroke-dasharray=\"5,3\"" : "")/>\n"
            svg += "<text x=\"\(f(legendX + 22))\" y=\"\(f(originY + 36))\">\(escape(item.label))</text>\n"
            legendX += textWidth
        }
        return svg + "</g>\n"
    }

    /// A polyline, thinned to about two points per pixel column so long traces stay small.
    static func polyline(_ series: ChartSeries, px: (Double) -> Double, py: (Double) -> Double, pixelWidth: Double) -> String {
        let count = min(series.x.count, series.y.count)
        guard count > 0 else { return "" }
        // One point per pixel column is all a screen shows; integer pixels keep the file small.
        let stride = max(1, count / Int(max(1, pixelWidth)))
        var indices = Array(Swift.stride(from: 0, to: count, by: stride))
        if indices.last != count - 1 { indices.append(count - 1) }
        // Integer pixels; the middle points of a horizontal run (a saturated threshold, a rate
        // in its band) are dropped, since a line through its ends draws the same.
        var segments: [[(Int, Int)]] = []
        var current: [(Int, Int)] = []
        for index in indices {
            let x = series.x[index], y = series.y[index]
            if x.isFinite && y.isFinite {
                let point = (Int(px(x).rounded()), Int(py(y).rounded()))
                if let last = current.last, last == point { continue }
                if current.count >= 2, current[current.count - 1].1 == point.1, current[current.count - 2].1 == point.1 {
                    current[current.count - 1] = point
                } else {
                    current.append(point)
                }
            } else if !current.isEmpty {
                segments.append(current)
                current = []
            }
        }
        if !current.isEmpty { segments.append(current) }
        let dash = series.dashed ? " stroke-dasharray=\"5,3\"" : ""
        return segments.map { segment in
            let points = segment.map { "\($0.0),\($0.1)" }.joined(separator: " ")
            return "<polyline fill=\"none\" stroke=\"\(series.color)\" stroke-width=\"\(series.width)\"\(dash) points=\"\(points)\"/>\n"
        }.joined()
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// Axis ranges and ticks at 1-2-5 steps.
enum Scale {
    static func step(_ span: Double) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / 5
        let magnitude = pow(10, floor(log10(raw)))
        let normalised = raw / magnitude
        return (normalised < 1.5 ? 1 : normalised < 3.5 ? 2 : normalised < 7.5 ? 5 : 10) * magnitude
    }

    static func niceRange(_ low: Double, _ high: Double) -> ClosedRange<Double> {
        var low = low, high = high
        if !(high > low) { low -= 0.5; high += 0.5 }
        let unit = step(high - low)
        return (floor(low / unit) * unit)...(ceil(high / unit) * unit)
    }

    static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        let unit = step(range.upperBound - range.lowerBound)
        var ticks: [Double] = []
        var value = ceil(range.lowerBound / unit) * unit
        while value <= range.upperBound + unit * 1e-9 && ticks.count < 20 {
            ticks.append(abs(value) < unit * 1e-9 ? 0 : value)
            value += unit
        }
        return ticks
    }

    static func label(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e7 { return String(Int(value)) }
        let text = String(format: "%.4g", value)
        return text
    }
}
