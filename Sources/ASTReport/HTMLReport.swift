/// A self-contained HTML page: headings, paragraphs, tables and inline SVG figures.
package struct HTMLReport: Sendable {
    package enum Block: Sendable {
        case heading(String)
        case paragraph(String)
        case table(header: [String], rows: [[String]])
        case figure(svg: String, caption: String)
        case preformatted(String)
        /// Links to sub-reports, one line: `(text, relative href)`.
        case links([Link])
        /// A flagged finding (a measured value beyond its bound), set apart in red.
        case warning(String)
    }

    /// A link to another file of the report.
    package struct Link: Sendable {
        package var text: String
        package var href: String

        /// - Parameters:
        ///   - text: What the reader sees.
        ///   - href: A relative path.
        package init(text: String, href: String) {
            self.text = text
            self.href = href
        }
    }

    package var title: String
    package var blocks: [Block] = []

    package init(title: String) { self.title = title }

    package mutating func heading(_ text: String) { blocks.append(.heading(text)) }
    package mutating func paragraph(_ text: String) { blocks.append(.paragraph(text)) }
    package mutating func table(header: [String], rows: [[String]]) { blocks.append(.table(header: header, rows: rows)) }
    package mutating func figure(svg: String, caption: String) { blocks.append(.figure(svg: svg, caption: caption)) }
    package mutating func preformatted(_ text: String) { blocks.append(.preformatted(text)) }
    package mutating func links(_ links: [Link]) { blocks.append(.links(links)) }

    /// The id a heading gets, for `#` links: lower-case letters, digits and dashes.
    /// - Parameter text: The heading.
    package static func anchor(_ text: String) -> String {
        String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }
    package mutating func warning(_ text: String) { blocks.append(.warning(text)) }

    package func render() -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(SVGRenderer.escape(title))</title>
        <style>
        body { font-family: sans-serif; max-width: 1000px; margin: 2em auto; color: #222; line-height: 1.4; }
        table { border-collapse: collapse; margin: 1em 0; font-size: 13px; }
        th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
        th { background: #f2f2f2; } td:first-child, th:first-child { text-align: left; }
        figure { margin: 1em 0; } figcaption { font-size: 13px; color: #555; }
        pre { background: #f7f7f7; padding: 0.6em; overflow-x: auto; font-size: 12px; }
        .pass { color: #1a7f37; font-weight: bold; } .fail { color: #c62828; font-weight: bold; }
        .warning { color: #8a1c1c; background: #fdecea; border-left: 4px solid #c62828; padding: 0.4em 0.8em; }
        </style></head><body>
        <h1>\(SVGRenderer.escape(title))</h1>

        """
        for block in blocks {
            switch block {
            case .heading(let text):
                html += "<h2 id=\"\(Self.anchor(text))\">\(SVGRenderer.escape(text))</h2>\n"
            case .paragraph(let text):
                html += "<p>\(SVGRenderer.escape(text))</p>\n"
            case .table(let header, let rows):
                html += "<table><tr>" + header.map { "<th>\(SVGRenderer.escape($0))</th>" }.joined() + "</tr>\n"
                for row in rows {
                    html += "<tr>" + row.map { cell in
                        let escaped = SVGRenderer.escape(cell)
                        if cell == "PASS" { return "<td class=\"pass\">PASS</td>" }
                        if cell == "FAIL" { return "<td class=\"fail\">FAIL</td>" }
                        return "<td>\(escaped)</td>"
                    }.joined() + "</tr>\n"
                }
                html += "</table>\n"
            case .figure(let svg, let caption):
                html += "<figure>\(svg)<figcaption>\(SVGRenderer.escape(caption))</figcaption></figure>\n"
            case .preformatted(let text):
                html += "<pre>\(SVGRenderer.escape(text))</pre>\n"
            case .links(let links):
                html += "<p>" + links.map { "<a href=\"\(SVGRenderer.escape($0.href))\">\(SVGRenderer.escape($0.text))</a>" }
                    .joined(separator: " · ") + "</p>\n"
            case .warning(let text):
                html += "<p class=\"warning\">\(SVGRenderer.escape(text))</p>\n"
            }
        }
        return html + "</body></html>\n"
    }
}
