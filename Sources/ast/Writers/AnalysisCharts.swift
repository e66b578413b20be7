import ASTReport
import ASTSim
import Foundation
import PIControl

/// The SVG and CSV files of `ast analyze --out`.
enum AnalysisCharts {
    /// g_k, θ*_k and the largest pole modulus over the steps, one line per controller.
    static func envelope(scenario: String, _ analyses: [(name: String, robust: RobustAnalysis)]) -> String {
        var gains: [ChartSeries] = [], radii: [ChartSeries] = [], thresholds: [ChartSeries] = []
        for (index, item) in analyses.enumerated() {
            let colour = TraceCharts.colours[index % TraceCharts.colours.count]
            let steps = item.robust.points.map { Double($0.step) }
            gains.append(ChartSeries(label: item.name, x: steps, y: item.robust.points.map(\.plantGain), color: colour))
            thresholds.append(ChartSeries(label: item.name, x: steps, y: item.robust.points.map(\.threshold), color: colour))
            radii.append(ChartSeries(label: item.name, x: steps, y: item.robust.points.map(\.spectralRadius), color: colour))
        }
        if let first = analyses.first, let step = first.robust.points.last?.step {
            radii.append(ChartSeries(label: "unit circle", x: [0, Double(step)], y: [1, 1], color: "#000000", width: 1, dashed: true))
        }
        return SVGRenderer.render([
            LineChart(title: "\(scenario): plant gain g = −dR/dθ at θ*", xLabel: "batch", yLabel: "g", series: gains),
            LineChart(title: "operating point θ*", xLabel: "batch", yLabel: "θ*", series: thresholds),
            LineChart(title: "largest closed-loop pole modulus", xLabel: "batch", yLabel: "max |pole|", series: radii),
        ], width: 1000, panelHeight: 280)
    }

    /// The (Kp, Ki) stability boundary at g_min and g_max for each controller, with its gains marked.
    static func boundary(scenario: String, _ analyses: [(name: String, configuration: ControllerConfiguration, robust: RobustAnalysis)]) -> String {
        var charts: [LineChart] = []
        for item in analyses {
            let configuration = item.configuration
            let gMax = item.robust.maximumGain.plantGain, gMin = item.robust.minimumGain.plantGain
            guard gMax > 0 else {
                charts.append(LineChart(title: "\(item.name): the rate does not respond (g = 0), no boundary", xLabel: "log₁₀ Kp",
                                        yLabel: "log₁₀ Ki", series: []))
                continue
            }
            let kpCentre = configuration.proportionalGain > 0 ? configuration.proportionalGain : 1e-2 / gMax
            let kiCentre = configuration.integralGain > 0 ? configuration.integralGain : 1e-3 / gMax
            let kps = (0...60).map { kpCentre * pow(10, -2 + 4 * Double($0) / 60) }
            var series: [ChartSeries] = []
            for (label, gain, colour, dashed) in [("edge at g_max \(AnalysisText.g(gMax))", gMax, "#d62728", false),
                                                  ("edge at g_min \(AnalysisText.g(gMin))", gMin, "#1f77b4", true)] where gain > 0 {
                let points = LoopAnalysis.stabilityBoundary(law: configuration.law, emaAlpha: configuration.emaAlpha, plantGain: gain,
                                                            proportionalGains: kps, integralRange: (kiCentre * 1e-4)...(kiCentre * 1e4),
                                                            resolution: 80)
                // One polyline per crossing order (lower edge, upper edge), joined with NaN breaks into one series.
                var byOrder: [[(Double, Double)]] = []
                for kp in kps {
                    for (order, point) in points.filter({ $0.proportionalGain == kp }).enumerated() {
                        while byOrder.count <= order { byOrder.append([]) }
                        byOrder[order].append((log10(point.proportionalGain), log10(point.integralGain)))
                    }
                }
                let joined = byOrder.enumerated().flatMap { order, line in (order > 0 ? [(Double.nan, Double.nan)] : []) + line }
                series.append(ChartSeries(label: label, x: joined.map(\.0), y: joined.map(\.1), color: colour, width: 2, dashed: dashed))
                if gain == gMin && gMin == gMax { break }
            }
            let x = log10(kpCentre), y = log10(kiCentre)
            series.append(ChartSeries(label: "gains", x: [x - 0.12, x + 0.12, .nan, x, x], y: [y, y, .nan, y - 0.25, y + 0.25],
                                      color: "#000000", width: 3))
            let stableHere = LoopAnalysis.isStable(law: configuration.law, proportionalGain: configuration.proportionalGain,
                                                   integralGain: configuration.integralGain, emaAlpha: configuration.emaAlpha, plantGain: gMax)
            charts.append(LineChart(title: "\(item.name): stability edges",
                                    xLabel: "log₁₀ Kp — \(configuration.law.name), α = \(configuration.emaAlpha)"
                                        + (configuration.rateMeasurement == .cumulative ? ", per-batch-rate model" : "")
                                        + "; + = the gains, \(stableHere ? "stable" : "UNSTABLE") at g_max; the side of an edge that holds stable gains is stable",
                                    yLabel: "log₁₀ Ki", series: series.filter { !$0.x.isEmpty }))
        }
        return SVGRenderer.render(charts, width: 1000, panelHeight: 340)
    }

    /// Rate and θ: linear prediction over the simulated mean with the seeds' range, per controller;
    /// a third panel zooms on target ± 5 bands. Drawn up to 1.5× the latest settling time (or the whole event).
    static func response(scenario: String, _ comparisons: [(String, ResponseComparison)]) -> String {
        var charts: [LineChart] = []
        for (name, comparison) in comparisons {
            let settlings = ([comparison.linear.settlingTime, comparison.meanField?.settlingTime] + comparison.simulatedSettlingTimes).compactMap { $0 }
            let unsettled = comparison.simulatedSettlingTimes.contains { $0 == nil } || comparison.linear.settlingTime == nil
            let shown = unsettled ? comparison.horizon
                : min(comparison.horizon, max(200, Int(1.5 * Double(settlings.max() ?? comparison.horizon))))
            func cut(_ values: [Double]) -> [Double] { Array(values.prefix(shown)) }
            let steps = (0..<shown).map { Double(comparison.startStep + $0) }
            func lines(low: [Double], high: [Double], mean: [Double], exact: [Double]?, linear: [Double]) -> [ChartSeries] {
                var series = [
                    ChartSeries(label: "seeds' min", x: steps, y: cut(low), color: "#9e9e9e", width: 1),
                    ChartSeries(label: "seeds' max", x: steps, y: cut(high), color: "#bdbdbd", width: 1),
                    ChartSeries(label: "simulated mean", x: steps, y: cut(mean), color: "#000000", width: 1.8),
                ]
                if let exact { series.append(ChartSeries(label: "exact, no noise", x: steps, y: cut(exact), color: "#1f77b4", width: 1.6)) }
                series.append(ChartSeries(label: "linear", x: steps, y: cut(linear), color: "#d62728", width: 2, dashed: true))
                return series
            }
            let rate = lines(low: comparison.simulatedRateLow, high: comparison.simulatedRateHigh, mean: comparison.simulated.smoothedRate,
                             exact: comparison.meanField?.smoothedRate, linear: comparison.linear.smoothedRate)
            var theta = lines(low: comparison.simulatedThresholdLow, high: comparison.simulatedThresholdHigh, mean: comparison.simulated.threshold,
                              exact: comparison.meanField?.threshold, linear: comparison.linear.threshold)
            theta.append(ChartSeries(label: "θ*", x: [steps.first ?? 0, steps.last ?? 0], y: [comparison.idealThreshold, comparison.idealThreshold],
                                     color: "#2ca02c", width: 1.2, dashed: true))
            let target = comparison.target, band = comparison.settlingBand
            let targetBand = ChartBand(label: "target ± band", lower: target - band, upper: target + band, color: "#2ca02c")
            charts.append(LineChart(title: "\(name): rate, \(comparison.startStep == 0 ? "start-up" : "shift at \(comparison.startStep)") (moving average)",
                                    xLabel: "batch", yLabel: "rate", series: rate, bands: [targetBand]))
            charts.append(LineChart(title: "\(name): rate near the target (±5 bands)", xLabel: "batch", yLabel: "rate", series: rate,
                                    bands: [targetBand], yRange: (target - 5 * band)...(target + 5 * band)))
            charts.append(LineChart(title: "\(name): threshold", xLabel: "batch", yLabel: "θ", series: theta))
        }
        return SVGRenderer.render(charts, width: 1000, panelHeight: 260)
    }

    /// The data of envelope.svg.
    static func envelopeCSV(_ analyses: [(name: String, robust: RobustAnalysis)]) -> String {
        var table = CSVTable(header: ["controller", "step", "ideal_threshold", "plant_gain", "inside_bounds", "max_pole_modulus"])
        for (name, robust) in analyses {
            for point in robust.points {
                table.append([name, String(point.step), NumberText.format(point.threshold), NumberText.format(point.plantGain),
                              point.insideBounds ? "1" : "0", NumberText.format(point.spectralRadius)])
            }
        }
        return table.render()
    }

    static func responseCSV(_ comparisons: [(String, ResponseComparison)]) -> String {
        var table = CSVTable(header: ["controller", "step", "linear_rate", "linear_rate_ma", "exact_rate_ma", "sim_rate_ma", "sim_rate_ma_low",
                                      "sim_rate_ma_high", "linear_theta", "exact_theta", "sim_theta", "sim_theta_low", "sim_theta_high"])
        for (name, comparison) in comparisons {
            for k in 0..<comparison.horizon {
                table.append([name, String(comparison.startStep + k), NumberText.format(comparison.linear.rate[k]),
                              NumberText.format(comparison.linear.smoothedRate[k]), NumberText.format(comparison.meanField?.smoothedRate[k]),
                              NumberText.format(comparison.simulated.smoothedRate[k]), NumberText.format(comparison.simulatedRateLow[k]),
                              NumberText.format(comparison.simulatedRateHigh[k]), NumberText.format(comparison.linear.threshold[k]),
                              NumberText.format(comparison.meanField?.threshold[k]), NumberText.format(comparison.simulated.threshold[k]),
                              NumberText.format(comparison.simulatedThresholdLow[k]), NumberText.format(comparison.simulatedThresholdHigh[k])])
            }
        }
        return table.render()
    }
}
