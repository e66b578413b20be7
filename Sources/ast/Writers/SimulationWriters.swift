import ASTReport
import ASTSim
import Foundation
import PIControl

/// Writes a simulation's trace.csv, summary.json and plot.svg.
enum SimulationWriters {
    static func write(_ result: ScenarioResult, to directory: String) throws {
        var table = CSVTable(header: ["controller", "seed", "step", "threshold", "ideal_threshold", "selected", "batch_size",
                                      "rate", "rate_moving_average", "ema", "error", "integral", "saturated", "fallback"])
        var traces: [(name: String, trace: Trace)] = []
        for outcome in result.outcomes {
            for run in outcome.runs {
                let trace = run.trace
                let smoothed = TraceMetrics.movingAverage(trace.rate, window: result.scenario.metrics.window)
                for step in 0..<trace.count {
                    table.append([
                        outcome.controller.name, String(run.seed), String(step), NumberText.format(trace.threshold[step]),
                        NumberText.format(trace.idealThreshold[step]), String(trace.selected[step]), String(trace.batchSize[step]),
                        NumberText.format(trace.rate[step]), NumberText.format(smoothed[step]), NumberText.format(trace.ema[step]),
                        NumberText.format(trace.error[step]), NumberText.format(trace.integral[step]),
                        trace.saturated[step] ? "1" : "0", trace.fallback[step] ? "1" : "0",
                    ])
                }
                traces.append((outcome.controller.name, trace))
            }
        }
        try AtomicFile.write(table.render(), to: directory + "/trace.csv")
        try AtomicFile.writeJSON(SimulationSummary(result), to: directory + "/summary.json")
        let panels = TraceCharts.panels(traces: traces, settings: result.scenario.metrics, title: result.scenario.name)
        try AtomicFile.write(SVGRenderer.render(panels), to: directory + "/plot.svg")
    }
}

/// JSON shape of a scenario result.
struct SimulationSummary: Encodable {
    struct ExpectationSummary: Encodable {
        var metric: String
        var bound: String
        var worst: Double?
        var holds: Bool
    }

    struct ControllerSummary: Encodable {
        var name: String
        var configuration: ControllerConfiguration
        var seeds: [UInt64]
        var metrics: [RunMetrics]
        var expectations: [ExpectationSummary]
        var passed: Bool
    }

    var scenario: String
    var file: String?
    var description: String
    var batchSize: Int
    var steps: Int
    var settings: MetricSettings
    var controllers: [ControllerSummary]
    var passed: Bool

    init(_ result: ScenarioResult) {
        scenario = result.scenario.name
        file = result.scenario.file
        description = result.scenario.summary
        batchSize = result.scenario.batchSize
        steps = result.scenario.steps
        settings = result.scenario.metrics
        controllers = result.outcomes.map { outcome in
            ControllerSummary(
                name: outcome.controller.name, configuration: outcome.controller.configuration,
                seeds: outcome.runs.map(\.seed), metrics: outcome.runs.map(\.metrics),
                expectations: outcome.expectations.map {
                    ExpectationSummary(metric: $0.expectation.metric.rawValue, bound: $0.expectation.boundDescription,
                                       worst: $0.worstValue, holds: $0.holds)
                },
                passed: outcome.passed)
        }
        passed = result.passed
    }
}
