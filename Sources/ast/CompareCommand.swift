import ArgumentParser
import ASTReport
import ASTTrain
import Foundation

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train several policies on the same data order and initial weights; report accuracy, time, measured speedup and the bound."
    )

    @OptionGroup var training: TrainingArguments

    @Option(help: "Comma-separated policies (put full first for measured speedups).")
    var policies: String = "full,ast,random"

    @Option(help: "Output directory.")
    var out: String = "out/compare"

    func validate() throws {
        for name in policyNames where SelectionPolicy(rawValue: name) == nil {
            throw ValidationError("unknown policy '\(name)'; expected one of: " + SelectionPolicy.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard !policyNames.isEmpty else { throw ValidationError("--policies is empty") }
    }

    var policyNames: [String] { policies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }

    func run() throws {
        let dataset = try training.loadDataset()
        let report = try CompareRun.run(training: training, dataset: dataset, policies: policyNames.compactMap(SelectionPolicy.init))
        print("")
        print(CompareRun.table(report).render())
        print("\nupper bound: \(report.upperBoundNote)")
        try CompareRun.write(report, controllerName: try? training.controller().name, to: out)
        print("wrote \(out)/compare.csv, compare.json, report.html, and one folder per policy")
    }
}

/// Shared by `compare` and `demo`.
enum CompareRun {
    static func run(training: TrainingArguments, dataset: Dataset, policies: [SelectionPolicy]) throws -> ComparisonReport {
        let options = try training.options(policy: .full)
        print("\(dataset.name): policies \(policies.map(\.rawValue).joined(separator: ", ")), target \(options.targetRate), "
              + "\(options.epochs) epochs, batch \(options.batchSize), same seed (\(options.seed)) for data order and initial weights")
        var printers: [SelectionPolicy: TrainingProgressPrinter] = [:]
        return try PolicyComparison.run(dataset: dataset, options: options, policies: policies) { policy, event in
            let printer = printers[policy] ?? TrainingProgressPrinter(label: policy.rawValue)
            printers[policy] = printer
            printer.handle(event)
        }
    }

    static let header = ["policy", "test acc", "wall s", "measured speedup", "bound (F+Bw)/(F+s·Bw)", "back-propagated",
                         "compute saved", "activation mean", "activation sd"]

    static func rows(_ report: ComparisonReport) -> [[String]] {
        report.outcomes.map { outcome in
            [
                outcome.policy.rawValue, NumberText.fixed(outcome.testAccuracy * 100, 2) + " %", NumberText.fixed(outcome.wallSeconds, 1),
                outcome.measuredSpeedup.map { NumberText.fixed($0, 2) + "×" } ?? "n/a (no full run)",
                NumberText.fixed(outcome.upperBoundSpeedup, 2) + "×" + (report.upperBoundIsEstimate ? " (estimate)" : ""),
                "\(outcome.samplesBackpropagated)/\(outcome.samplesForwarded)",
                NumberText.fixed(outcome.computeSaved * 100, 1) + " %",
                NumberText.fixed(outcome.activationRateMean * 100, 2) + " %",
                NumberText.fixed(outcome.activationRateStandardDeviation * 100, 2) + " pt",
            ]
        }
    }

    static func table(_ report: ComparisonReport) -> TextTable { TextTable(header: header, rows: rows(report)) }

    static func write(_ report: ComparisonReport, controllerName: String?, to directory: String) throws {
        var csv = CSVTable(header: ["policy", "test_accuracy", "wall_seconds", "measured_speedup", "upper_bound_speedup",
                                    "upper_bound_is_estimate", "samples_forwarded", "samples_backpropagated", "flops",
                                    "compute_saved", "activation_rate_mean", "activation_rate_sd"])
        for outcome in report.outcomes {
            csv.append([
                outcome.policy.rawValue, NumberText.format(outcome.testAccuracy), NumberText.format(outcome.wallSeconds),
                NumberText.format(outcome.measuredSpeedup), NumberText.format(outcome.upperBoundSpeedup),
                report.upperBoundIsEstimate ? "1" : "0", String(outcome.samplesForwarded), String(outcome.samplesBackpropagated),
                NumberText.format(outcome.operations), NumberText.format(outcome.computeSaved),
                NumberText.format(outcome.activationRateMean), NumberText.format(outcome.activationRateStandardDeviation),
            ])
            try TrainingWriters.write(epochs: outcome.result.epochs, options: outcome.result.options,
                                      controllerName: outcome.policy == .ast ? controllerName : nil, status: "completed",
                                      to: directory + "/" + outcome.policy.rawValue)
        }
        try AtomicFile.write(csv.render(), to: directory + "/compare.csv")
        try AtomicFile.writeJSON(report, to: directory + "/compare.json")
        var html = HTMLReport(title: "ast compare")
        section(report, into: &html)
        try AtomicFile.write(html.render(), to: directory + "/report.html")
    }

    /// The comparison as report blocks (also used by `demo`).
    static func section(_ report: ComparisonReport, into html: inout HTMLReport) {
        html.table(header: header, rows: rows(report))
        html.paragraph("Upper bound: \(report.upperBoundNote). Compute saved = 1 − FLOPs done / FLOPs of full training over the same data; "
                       + "measured speedup = wall-clock of full / wall-clock of the policy, both measured in this run (training loop only, evaluation excluded).")
        let target = report.outcomes.first?.result.options.targetRate ?? 0.1
        let charts = TrainingWriters.charts(runs: report.outcomes.map { ($0.policy.rawValue, $0.result.epochs) }, target: target)
        html.figure(svg: SVGRenderer.render(charts, width: 900, panelHeight: 260),
                    caption: "Test accuracy per epoch; activation rate per batch; the ast threshold per batch.")
    }
}
