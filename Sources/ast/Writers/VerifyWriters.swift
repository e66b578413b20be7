import ASTReport
import ASTSim
import Foundation

/// Writes verify.csv, verify.json, errors.csv (the scenario files that could not be run) and
/// report.html (each scenario's rows, expectations and a plot of every seed together).
enum VerifyWriters {
    static func write(_ results: [ScenarioResult], errors: [InputError] = [], to directory: String) throws {
        var csv = CSVTable(header: ["scenario", "controller", "law", "seed", "settled", "settling_time", "rise_time", "overshoot",
                                    "steady_state_mean_error", "steady_state_rms_error", "iae", "itae", "sign_changes",
                                    "dominant_period", "fraction_saturated", "windup_recovery_time", "unrecovered_episodes",
                                    "threshold_tracking_rms", "fraction_fallback", "mean_rate", "expectations_passed"])
        for result in results {
            for outcome in result.outcomes {
                for run in outcome.runs {
                    let metrics = run.metrics
                    csv.append([
                        result.scenario.name, outcome.controller.name, outcome.controller.configuration.law.name,
                        String(run.seed), metrics.settled ? "1" : "0", metrics.settlingTime.map(String.init) ?? "",
                        metrics.riseTime.map(String.init) ?? "", NumberText.format(metrics.overshoot),
                        NumberText.format(metrics.steadyStateMeanError), NumberText.format(metrics.steadyStateRMSError),
                        NumberText.format(metrics.iae), NumberText.format(metrics.itae), String(metrics.signChanges),
                        NumberText.format(metrics.dominantPeriod), NumberText.format(metrics.fractionSaturated),
                        metrics.windupRecoveryTime.map(String.init) ?? "", String(metrics.unrecoveredEpisodes),
                        NumberText.format(metrics.thresholdTrackingRMS), NumberText.format(metrics.fractionFallback),
                        NumberText.format(metrics.meanRate),
                        outcome.passed ? "1" : "0",
                    ])
                }
            }
        }
        try AtomicFile.write(csv.render(), to: directory + "/verify.csv")
        try AtomicFile.writeJSON(results.map(SimulationSummary.init), to: directory + "/verify.json")
        var errorTable = CSVTable(header: ["file", "line", "field", "expected", "actual"])
        for error in errors { errorTable.append([error.file ?? "", error.line.map(String.init) ?? "", error.field, error.expected, error.actual]) }
        try AtomicFile.write(errorTable.render(), to: directory + "/errors.csv")
        try AtomicFile.write(report(results, errors: errors).render(), to: directory + "/report.html")
    }

    static func report(_ results: [ScenarioResult], errors: [InputError] = []) -> HTMLReport {
        var report = HTMLReport(title: "ast verify")
        if !errors.isEmpty {
            report.heading("Scenario files that could not be run")
            report.table(header: ["file", "line", "field", "expected", "actual"],
                         rows: errors.map { [$0.file ?? "", $0.line.map(String.init) ?? "", $0.field, $0.expected, $0.actual] })
        }
        let checked = results.flatMap(\.outcomes).flatMap(\.expectations)
        let failed = checked.filter { !$0.holds }.count
        let seeds = Set(results.flatMap(\.scenario.seeds)).sorted()
        report.heading("Run configuration")
        report.table(header: ["setting", "value"], rows: [
            ["scenarios", results.map { $0.scenario.file ?? $0.scenario.name }.joined(separator: ", ")],
            ["random seeds", seeds.map(String.init).joined(separator: ", ")],
            ["controllers", Set(results.flatMap { $0.outcomes.map(\.controller.name) }).sorted().joined(separator: ", ")],
            ["CPU", RunConfiguration.machineDescription()],
            ["git commit", RunConfiguration.gitCommit()],
            ["date", ISO8601DateFormatter().string(from: Date())],
        ])
        report.paragraph("\(results.count) scenarios, \(checked.count - failed) expectations passed, \(failed) failed. "
                         + "Rate metrics use the moving average of the per-batch rate; settling = inside target ± band to the end, in batches; "
                         + "errors in points (pt) of the rate.")
        report.links([HTMLReport.Link(text: "verify.csv (every seed's metrics)", href: "verify.csv"),
                      HTMLReport.Link(text: "verify.json", href: "verify.json"),
                      HTMLReport.Link(text: "errors.csv (files that could not be run)", href: "errors.csv")]
                     + results.map { HTMLReport.Link(text: $0.scenario.name, href: "#" + HTMLReport.anchor($0.scenario.name)) })
        report.table(header: VerifyTables.matrixHeader, rows: results.flatMap { result in result.outcomes.map { VerifyTables.row(result, $0) } })
        for result in results {
            // Each scenario's rows, its expectations and its plot together.
            report.heading("\(result.scenario.name)")
            if !result.scenario.summary.isEmpty { report.paragraph(result.scenario.summary) }
            report.table(header: VerifyTables.matrixHeader, rows: result.outcomes.map { VerifyTables.row(result, $0) })
            let table = VerifyTables.expectations([result], onlyFailures: false)
            if !table.rows.isEmpty { report.table(header: table.header, rows: table.rows) }
            guard result.outcomes.allSatisfy({ $0.runs.allSatisfy { $0.trace.count > 0 } }) else { continue }
            let panels = TraceCharts.panels(outcomes: result.outcomes, settings: result.scenario.metrics, title: result.scenario.name)
            report.figure(svg: SVGRenderer.render(panels, width: 900, panelHeight: 260),
                          caption: "Every random seed (\(result.scenario.seeds.map(String.init).joined(separator: ", "))): one colour per controller, "
                          + "the first seed bold. Top: rate (\(result.scenario.metrics.window)-batch moving average) against target ± band. "
                          + "Bottom: threshold, and the ideal threshold θ* of the first seed (dashed) where one exists.")
        }
        return report
    }
}
