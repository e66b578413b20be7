import ASTReport
import ASTSim

/// Terminal tables for simulation and verification results.
enum SimulationTables {
    static let metricHeader = ["controller", "seed", "settled", "settling", "rise", "overshoot", "ss error", "ss RMS",
                               "saturated", "fallback", "windup rec.", "θ track RMS", "mean rate"]

    static func summary(_ result: ScenarioResult) -> TextTable {
        var rows: [[String]] = []
        for outcome in result.outcomes {
            for run in outcome.runs {
                rows.append([outcome.controller.name, String(run.seed)] + cells(run.metrics))
            }
        }
        return TextTable(header: metricHeader, rows: rows)
    }

    static func cells(_ metrics: RunMetrics) -> [String] {
        [
            metrics.settled ? "yes" : "no",
            metrics.settlingTime.map(String.init) ?? "never",
            metrics.riseTime.map(String.init) ?? "never",
            NumberText.fixed(metrics.overshoot * 100, 2) + " pt",
            NumberText.fixed(metrics.steadyStateMeanError * 100, 2) + " pt",
            NumberText.fixed(metrics.steadyStateRMSError * 100, 2) + " pt",
            NumberText.fixed(metrics.fractionSaturated * 100, 1) + " %",
            NumberText.fixed(metrics.fractionFallback * 100, 1) + " %",
            metrics.windupRecoveryTime.map(String.init) ?? (metrics.unrecoveredEpisodes > 0 ? "never" : "-"),
            NumberText.fixed(metrics.thresholdTrackingRMS, 4),
            NumberText.fixed(metrics.meanRate, 4),
        ]
    }
}

enum VerifyTables {
    /// Scenario × controller: settled seeds, mean settling time, mean steady-state error, verdict.
    static func matrix(_ results: [ScenarioResult]) -> TextTable {
        var rows: [[String]] = []
        for result in results {
            for outcome in result.outcomes {
                rows.append(row(result, outcome))
            }
        }
        return TextTable(header: matrixHeader, rows: rows)
    }

    static let matrixHeader = ["scenario", "controller", "law", "settled", "settling (mean)", "ss error (mean)",
                               "ss RMS (mean)", "saturated", "fallback", "θ track RMS", "expectations"]

    static func row(_ result: ScenarioResult, _ outcome: ControllerOutcome) -> [String] {
        let passed = outcome.expectations.filter(\.holds).count
        return [
            result.scenario.name, outcome.controller.name, outcome.controller.configuration.law.name,
            "\(outcome.settledCount)/\(outcome.runs.count)",
            outcome.mean(.settlingTime).map { NumberText.fixed($0, 0) } ?? "never",
            outcome.mean(.steadyStateMeanError).map { NumberText.fixed($0 * 100, 2) + " pt" } ?? "-",
            outcome.mean(.steadyStateRMSError).map { NumberText.fixed($0 * 100, 2) + " pt" } ?? "-",
            outcome.mean(.fractionSaturated).map { NumberText.fixed($0 * 100, 1) + " %" } ?? "-",
            outcome.mean(.fractionFallback).map { NumberText.fixed($0 * 100, 1) + " %" } ?? "-",
            outcome.mean(.thresholdTrackingRMS).map { NumberText.fixed($0, 3) } ?? "-",
            outcome.expectations.isEmpty ? "none" : (passed == outcome.expectations.count ? "PASS" : "FAIL")
                + " \(passed)/\(outcome.expectations.count)",
        ]
    }

    static func expectations(_ results: [ScenarioResult], onlyFailures: Bool) -> TextTable {
        var rows: [[String]] = []
        for result in results {
            for outcome in result.outcomes {
                for check in outcome.expectations where !onlyFailures || !check.holds {
                    let expectation = check.expectation
                    let location = (result.scenario.file ?? result.scenario.name) + (expectation.line > 0 ? ":\(expectation.line)" : "")
                    rows.append([
                        check.holds ? "PASS" : "FAIL", location, outcome.controller.name, expectation.metric.rawValue,
                        boundText(expectation), check.worstValue.map { valueText($0, expectation.metric) } ?? "undefined",
                        check.holds ? "" : excessText(check),
                    ])
                }
            }
        }
        return TextTable(header: ["result", "where", "controller", "metric", "bound", "worst seed", "missed by"], rows: rows)
    }

    static func excessText(_ check: ExpectationResult) -> String {
        if case .equals = check.expectation.bound { return "flag differs" }
        guard let excess = check.expectation.excess(for: check.worstValue) else { return "undefined on some seed" }
        return valueText(excess, check.expectation.metric)
    }

    /// Rate errors in points, as the matrix shows them; shares in %; times in batches.
    static func valueText(_ value: Double, _ metric: MetricName) -> String {
        switch metric {
        case .steadyStateMeanError, .steadyStateRMSError, .overshoot: NumberText.fixed(value * 100, 2) + " pt"
        case .fractionSaturated, .fractionFallback, .meanRate: NumberText.fixed(value * 100, 1) + " %"
        case .riseTime, .settlingTime, .windupRecoveryTime, .dominantPeriod: NumberText.fixed(value, 0) + " batches"
        default: NumberText.fixed(value, 4)
        }
    }

    static func boundText(_ expectation: Expectation) -> String {
        switch expectation.bound {
        case .atMost(let limit): "<= " + valueText(limit, expectation.metric)
        case .atLeast(let limit): ">= " + valueText(limit, expectation.metric)
        case .absoluteAtMost(let limit): "|x| <= " + valueText(limit, expectation.metric)
        case .equals(let flag): "== \(flag)"
        }
    }
}
