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
}
