import ASTReport
import ASTSim

/// Builds the rate and threshold panels for traces.
enum TraceCharts {
    static let colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]

    /// Rate (moving average) against the target band, and threshold against the ideal threshold.
    static func panels(traces: [(name: String, trace: Trace)], settings: MetricSettings, title: String) -> [LineChart] {
        var rateSeries: [ChartSeries] = []
        var thresholdSeries: [ChartSeries] = []
        for (index, item) in traces.enumerated() {
            let colour = colours[index % colours.count]
            let steps = (0..<item.trace.count).map(Double.init)
            rateSeries.append(ChartSeries(label: item.name, x: steps,
                                          y: TraceMetrics.movingAverage(item.trace.rate, window: settings.window), color: colour))
            thresholdSeries.append(ChartSeries(label: item.name, x: steps, y: item.trace.threshold, color: colour))
        }
        let hasIdeal = traces.first?.trace.idealThreshold.contains(where: \.isFinite) ?? false
        if let first = traces.first, hasIdeal {
            thresholdSeries.append(ChartSeries(label: "ideal θ*", x: (0..<first.trace.count).map(Double.init),
                                               y: first.trace.idealThreshold, color: "#000000", width: 1.2, dashed: true))
        }
        let band = ChartBand(label: "target ± band", lower: settings.target - settings.band,
                             upper: settings.target + settings.band, color: "#2ca02c")
        return [
            LineChart(title: "\(title): activation rate (\(settings.window)-batch moving average) vs target ± \(settings.band)",
                      xLabel: "batch", yLabel: "rate", series: rateSeries, bands: [band]),
            LineChart(title: "\(title): " + (hasIdeal ? "threshold vs the ideal threshold θ* (dashed)" : "threshold (no ideal threshold for recorded scores)"),
                      xLabel: "batch", yLabel: "threshold",
                      series: thresholdSeries),
        ]
    }

    /// Every seed of every controller: one colour per controller, the first seed bold and in
    /// the legend, the others thin.
    static func panels(outcomes: [ControllerOutcome], settings: MetricSettings, title: String) -> [LineChart] {
        var rateSeries: [ChartSeries] = [], thresholdSeries: [ChartSeries] = []
        for (index, outcome) in outcomes.enumerated() {
            let colour = colours[index % colours.count]
            for (seedIndex, run) in outcome.runs.enumerated() {
                let steps = (0..<run.trace.count).map(Double.init)
                let label = seedIndex == 0 ? outcome.controller.name : ""
                let width = seedIndex == 0 ? 1.6 : 0.7
                rateSeries.append(ChartSeries(label: label, x: steps, y: TraceMetrics.movingAverage(run.trace.rate, window: settings.window),
                                              color: colour, width: width))
                thresholdSeries.append(ChartSeries(label: label, x: steps, y: run.trace.threshold, color: colour, width: width))
            }
        }
        let ideal = outcomes.first?.runs.first?.trace
        let hasIdeal = ideal?.idealThreshold.contains(where: \.isFinite) ?? false
        if let ideal, hasIdeal {
            thresholdSeries.append(ChartSeries(label: "ideal θ*", x: (0..<ideal.count).map(Double.init), y: ideal.idealThreshold,
                                               color: "#000000", width: 1.2, dashed: true))
        }
        let band = ChartBand(label: "target ± band", lower: settings.target - settings.band, upper: settings.target + settings.band, color: "#2ca02c")
        return [
            LineChart(title: "\(title): rate (\(settings.window)-batch moving average) vs target ± \(settings.band)", xLabel: "batch",
                      yLabel: "rate", series: rateSeries, bands: [band]),
            LineChart(title: "\(title): " + (hasIdeal ? "threshold vs the ideal threshold θ* (dashed)" : "threshold"),
                      xLabel: "batch", yLabel: "threshold", series: thresholdSeries),
        ]
    }
}
