import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ASTReport

/// Parses XML and collects every element with its attributes.
final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var text = ""

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append((elementName, attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    var failed = false
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { failed = true }

    /// Parses `xml`; `nil` when it is not well-formed (with the parser's error in `error`).
    static func parse(_ xml: String) -> ElementCollector? {
        let collector = ElementCollector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        // On Linux (swift-corelibs-foundation) `parse()` can return true after a fatal error
        // (e.g. "<a></b>"), so also check the error it records.
        let succeeded = parser.parse()
        return succeeded && parser.parserError == nil && !collector.failed ? collector : nil
    }

    func count(_ name: String) -> Int { elements.filter { $0.name == name }.count }
}

@Suite struct ChartTests {
    static func series(_ label: String, _ ys: [Double], color: String = "#1f77b4") -> ChartSeries {
        ChartSeries(label: label, x: ys.indices.map(Double.init), y: ys, color: color)
    }

    @Test func theXMLCheckRejectsMalformedInput() {
        #expect(ElementCollector.parse("<svg><a></svg>") == nil)
        #expect(ElementCollector.parse("<svg><t>a & b</t></svg>") == nil)
        #expect(ElementCollector.parse("<svg><t>a &amp; b</t></svg>") != nil)
    }

    @Test func lineChartIsWellFormedWithOnePolylinePerFiniteSeries() throws {
        let top = LineChart(title: "rate <& \"quoted\">", xLabel: "step", yLabel: "rate",
                            series: [Self.series("a < b", [0.1, 0.2, 0.15, 0.1]), Self.series("b & c", [0.3, 0.2, 0.1, 0.1])],
                            bands: [ChartBand(label: "band", lower: 0.09, upper: 0.11, color: "#ccc")])
        let bottom = LineChart(title: "threshold", xLabel: "step", yLabel: "θ",
                               series: [Self.series("θ", [1, 2, 3, 3.5]), Self.series("all NaN", [.nan, .nan])])
        let svg = SVGRenderer.render([top, bottom])
        let parsed = try #require(ElementCollector.parse(svg), "SVG is not well-formed XML")
        #expect(parsed.elements.first?.name == "svg")
        // Three series have finite points; the all-NaN one draws nothing.
        #expect(parsed.count("polyline") == 3)
        #expect(parsed.text.contains("rate <& \"quoted\">"))   // escaped in the file, intact once parsed
        #expect(parsed.text.contains("a < b"))
        #expect(!svg.contains("<&"))
        // Every polyline point is a finite pair inside the document.
        for element in parsed.elements where element.name == "polyline" {
            let points = (element.attributes["points"] ?? "").split(separator: " ")
            #expect(!points.isEmpty)
            for point in points {
                let xy = point.split(separator: ",").compactMap { Double($0) }
                #expect(xy.count == 2 && xy.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 900 })
            }
        }
    }

    @Test func aGapSplitsASeriesIntoTwoPolylines() throws {
        let chart = LineChart(title: "gap", xLabel: "x", yLabel: "y", series: [Self.series("g", [1, 2, .nan, 4, 5])])
        let parsed = try #require(ElementCollector.parse(SVGRenderer.render([chart])))
        #expect(parsed.count("polyline") == 2)
    }

    @Test func heatmapDrawsNaNCellsGrey() throws {
        let map = Heatmap(title: "settling", xLabel: "Kp", yLabel: "Ki", x: [0.1, 1, 10], y: [0.01, 0.1],
                          values: [[1, .nan, 3], [4, 5, .nan]], logX: true, logY: true, valueLabel: "steps",
                          overlays: [ChartSeries(label: "boundary", x: [0.1, 10], y: [0.01, 0.1], color: "black")],
                          markers: [(row: 1, column: 0, label: "best")])
        let parsed = try #require(ElementCollector.parse(map.render()), "heatmap SVG is not well-formed")
        // Cells are the rects with a <title> tooltip: 6 of them, 2 grey.
        let grey = parsed.elements.filter { $0.name == "rect" && $0.attributes["fill"] == "#bdbdbd" }
        #expect(grey.count == 2)
        let cells = parsed.elements.filter { $0.name == "rect" && ($0.attributes["fill"] ?? "").hasPrefix("#") && $0.attributes["width"] != "16" }
        #expect(cells.count == 6)
        #expect(parsed.count("polyline") == 1)
        #expect(parsed.text.contains("best"))
    }

    @Test func heatmapWithMarkupInItsAxisLabelsIsWellFormed() throws {
        // Regression: the cell tooltips once interpolated the labels without escaping.
        let map = Heatmap(title: "t", xLabel: "Kp & Ki", yLabel: "<y>", x: [1, 2], y: [1], values: [[1, 2]],
                          logX: false, logY: false, valueLabel: "steps")
        #expect(ElementCollector.parse(map.render()) != nil)
    }

    @Test func htmlReportEscapesText() {
        var report = HTMLReport(title: "AST <report>")
        report.heading("a < b")
        report.paragraph("x & y <script>alert(1)</script>")
        report.table(header: ["<h>"], rows: [["<td>", "PASS", "FAIL"]])
        report.preformatted("if a < b {}")
        report.links([HTMLReport.Link(text: "<x>", href: "a\"b.html")])
        report.warning("over <bound>")
        report.figure(svg: "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>", caption: "fig <1>")
        let html = report.render()
        #expect(html.contains("<title>AST &lt;report&gt;</title>"))
        #expect(html.contains("<h2 id=\"a---b\">a &lt; b</h2>"))
        #expect(html.contains("x &amp; y &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("<a href=\"a&quot;b.html\">&lt;x&gt;</a>"))
        #expect(html.contains("<p class=\"warning\">over &lt;bound&gt;</p>"))
        #expect(html.contains("<th>&lt;h&gt;</th>"))
        #expect(html.contains("<td>&lt;td&gt;</td>"))
        #expect(html.contains("<td class=\"pass\">PASS</td>"))
        #expect(html.contains("<td class=\"fail\">FAIL</td>"))
        #expect(html.contains("<pre>if a &lt; b {}</pre>"))
        // Figures are inline SVG: inserted as markup, the caption escaped.
        #expect(html.contains("<figure><svg xmlns=\"http://www.w3.org/2000/svg\"></svg><figcaption>fig &lt;1&gt;</figcaption></figure>"))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</body></html>\n"))
    }
}
