import ASTReport
import ASTSim

/// Builds the rate and threshold panels for traces.
enum TraceCharts {
    static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    /// One trace drawn in both panels.
    struct Line {
        var label: String
        var trace: Trace
        var colour: String
        var width: Double
    }

    /// One line per trace, a colour each.
    static func panels(traces: [(name: String, trace: Trace)], settings: MetricSettings, title: String) -> [LineChart] {
        panels(lines: traces.enumerated().map { index, item in
            Line(label: item.name, trace: item.trace, colour: colours[index % colours.count], width: 1.5)
        }, settings: settings, title: title)
    }

    /// Every seed of every controller: one colour per controller, the first seed bold and in
    /// the legend, the others thin.
    static func panels(outcomes: [ControllerOutcome], settings: MetricSettings, title: String) -> [LineChart] {
        panels(lines: outcomes.enumerated().flatMap { index, outcome in
            outcome.runs.enumerated().map { seedIndex, run in
                Line(label: seedIndex == 0 ? outcome.controller.name : "", trace: run.trace,
                     colour: colours[index % colours.count], width: seedIndex == 0 ? 1.6 : 0.7)
            }
        }, settings: settings, title: title)
    }

    /// Rate (moving average) against the target band, and threshold against the first line's
    /// ideal threshold where it has one.
    static func panels(lines: [Line], settings: MetricSettings, title: String) -> [LineChart] {
        var rateSeries: [ChartSeries] = [], thresholdSeries: [ChartSeries] = []
        for line in lines {
            let steps = (0..<line.trace.count).map(Double.init)
            rateSeries.append(ChartSeries(label: line.label, x: steps, y: TraceMetrics.movingAverage(line.trace.rate, window: settings.window),
                                          color: line.colour, width: line.width))
            thresholdSeries.append(ChartSeries(label: line.label, x: steps, y: line.trace.threshold, color: line.colour, width: line.width))
        }
        let ideal = lines.first?.trace
        let hasIdeal = ideal?.idealThreshold.contains(where: \.isFinite) ?? false
        if let ideal, hasIdeal {
            thresholdSeries.append(ChartSeries(label: "ideal θ*", x: (0..<ideal.count).map(Double.init), y: ideal.idealThreshold,
                                               color: "#000000", width: 1.2, dashed: true))
        }
        let band = ChartBand(label: "target ± band", lower: settings.target - settings.band, upper: settings.target + settings.band, color: "#2ca02c")
        return [
            LineChart(title: "\(title): activation rate (\(settings.window)-batch moving average) vs target ± \(settings.band)",
                      xLabel: "batch", yLabel: "rate", series: rateSeries, bands: [band]),
            LineChart(title: "\(title): " + (hasIdeal ? "threshold vs the ideal threshold θ* (dashed)" : "threshold (no ideal threshold known)"),
                      xLabel: "batch", yLabel: "threshold", series: thresholdSeries),
        ]
    }
}
