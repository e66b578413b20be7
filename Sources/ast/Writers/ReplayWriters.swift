import ASTReport
import ASTSim
import Foundation

/// Writes a replay's trace.csv (header exactly `step,threshold,selected,rate,ema,error,integral`),
/// summary.json and plot.svg.
enum ReplayWriters {
    static func write(trace: Trace, metrics: RunMetrics, controller: String, target: Double, scores: ScoreTrace,
                      to directory: String) throws {
        var table = CSVTable(header: ["step", "threshold", "selected", "rate", "ema", "error", "integral"])
        for step in 0..<trace.count {
            table.append([
                String(step), NumberText.format(trace.threshold[step]), String(trace.selected[step]),
                NumberText.format(trace.rate[step]), NumberText.format(trace.ema[step]),
                NumberText.format(trace.error[step]), NumberText.format(trace.integral[step]),
            ])
        }
        try AtomicFile.write(table.render(), to: directory + "/trace.csv")
        struct Summary: Encodable {
            var controller: String
            var target: Double
            var batches: Int
            var samples: Int
            /// Scores the gate rejected as not finite.
            var nanScores: Int
            var infiniteScores: Int
            var metrics: RunMetrics
        }
        let (nan, infinite) = scores.nonFiniteCounts
        try AtomicFile.writeJSON(Summary(controller: controller, target: target, batches: trace.count, samples: scores.sampleCount,
                                         nanScores: nan, infiniteScores: infinite, metrics: metrics),
                                 to: directory + "/summary.json")
        let panels = TraceCharts.panels(traces: [(controller, trace)], settings: MetricSettings(target: target), title: "replay")
        try AtomicFile.write(SVGRenderer.render(panels), to: directory + "/plot.svg")
    }
}
