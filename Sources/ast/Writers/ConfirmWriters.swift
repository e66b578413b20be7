import ASTReport
import ASTSim
import Foundation

/// Text, CSV, JSON and SVG of `ast confirm`.
enum ConfirmWriters {
    static func interval(_ value: SeedInterval, scale: Double = 100, decimals: Int = 2) -> String {
        let format = "%.\(decimals)f"
        return String(format: format, value.mean * scale) + " [" + String(format: format, value.low * scale) + ", "
            + String(format: format, value.high * scale) + "]"
    }

    static func text(_ confirmation: Confirmation, controller: String, seeds: Int) -> String {
        var rows: [[String]] = []
        for epoch in confirmation.epochs {
            rows.append([String(epoch.epoch), interval(epoch.closedRateMean), interval(epoch.replayRateMean),
                         interval(epoch.closedRateSD), interval(epoch.replayRateSD),
                         interval(epoch.closedThresholdMean, scale: 1, decimals: 4), interval(epoch.replayThresholdMean, scale: 1, decimals: 4),
                         epoch.closedIdealThreshold.map { interval($0, scale: 1, decimals: 4) } ?? "-",
                         epoch.recordingIdealThreshold.map { String(format: "%.4f", $0) } ?? "-"])
        }
        var lines = ["\(controller): closed loop (trained, \(seeds) seed(s)) against the open-loop replay of the recording; "
                     + "rates in points, mean [min, max] over seeds (the replay varies over seeds only through a stochastic gate "
                     + "or fallback; with a hard gate its seeds coincide)"]
        lines.append(TextTable(header: ["epoch", "rate closed", "rate replay", "sd closed", "sd replay", "θ closed", "θ replay",
                                        "θ* closed scores", "θ* recording"], rows: rows).render())
        func settling(_ values: [Int?]) -> String { values.map { $0.map(String.init) ?? "never" }.joined(separator: " / ") }
        lines.append("settling (batches): closed " + settling(confirmation.closedSettlingTimes) + "; replay " + settling(confirmation.replaySettlingTimes))
        lines.append("steady-state error (pt): closed " + interval(confirmation.closedSteadyStateError) + "; replay " + interval(confirmation.replaySteadyStateError))
        lines.append("steady-state RMS error (pt): closed " + interval(confirmation.closedRMSError) + "; replay " + interval(confirmation.replayRMSError))
        lines.append("saturation share (%): closed " + interval(confirmation.closedSaturation, decimals: 1) + "; replay "
                     + interval(confirmation.replaySaturation, decimals: 1))
        for finding in confirmation.findings { lines.append("- " + finding) }
        return lines.joined(separator: "\n")
    }

    static func write(_ confirmation: Confirmation, closed: [LoopRun], replay: [LoopRun], controller: String, to directory: String) throws {
        try AtomicFile.writeJSON(confirmation, to: directory + "/confirm.json")
        var table = CSVTable(header: ["run", "seed_index", "batch", "threshold", "rate"])
        for (label, runs) in [("closed", closed), ("replay", replay)] {
            for (index, run) in runs.enumerated() {
                for batch in run.rate.indices {
                    table.append([label, String(index), String(batch), NumberText.format(run.threshold[batch]), NumberText.format(run.rate[batch])])
                }
            }
        }
        try AtomicFile.write(table.render(), to: directory + "/confirm.csv")
        var rate: [ChartSeries] = [], theta: [ChartSeries] = []
        for (label, runs, colour) in [("closed loop", closed, "#d62728"), ("replay", replay, "#1f77b4")] {
            for (index, run) in runs.enumerated() {
                let x = run.rate.indices.map(Double.init)
                let name = runs.count > 1 ? "\(label) \(index + 1)" : label
                rate.append(ChartSeries(label: name, x: x, y: TraceMetrics.movingAverage(run.rate, window: 50), color: colour,
                                        width: 1.2, dashed: index > 0))
                theta.append(ChartSeries(label: name, x: x, y: run.threshold, color: colour, width: 1.2, dashed: index > 0))
            }
        }
        let svg = SVGRenderer.render([
            LineChart(title: "\(controller): rate (50-batch moving average)", xLabel: "batch", yLabel: "rate", series: rate),
            LineChart(title: "threshold", xLabel: "batch", yLabel: "θ", series: theta),
        ], width: 1000, panelHeight: 300)
        try AtomicFile.write(svg, to: directory + "/confirm.svg")
    }
}
