import ASTReport
import ASTSim
import ASTTrain
import PIControl

/// The demo's HTML report: the seed's claims against what this run measured.
enum DemoReport {
    static func build(into report: inout HTMLReport, configuration: [(String, String)], verify: [ScenarioResult], gains: GainsFile,
                      analysis: LoopAnalysis, seedAnalysis: LoopAnalysis, comparison: ComparisonReport, seedRun: ComparisonReport,
                      target: Double) {
        func summary(_ policy: SelectionPolicy) -> PolicySummary? { comparison.summaries.first { $0.policy == policy } }
        let full = summary(.full), ast = summary(.ast), uniform = summary(.uniform)
        let seed = seedRun.summaries.first

        report.heading("Run configuration")
        report.table(header: ["setting", "value"], rows: configuration.map { [$0.0, $0.1] })

        report.heading("The announcement's claims, measured")
        report.paragraph("The seed announcement (CIFAR-10, its own code) claims the left column. The right column is what this run measured "
                         + "on Fashion-MNIST with FashionNet, every policy against full training on the same data order and weights. "
                         + "Reproduce: `ast demo` (or `make demo`).")
        func percent(_ value: Double?) -> String { value.map { NumberText.fixed($0 * 100, 1) + " %" } ?? "-" }
        var claims: [[String]] = []
        claims.append(["61.2 % CIFAR-10 validation accuracy", "not measurable here (CIFAR-10 is not in Debian; pass --data cifar10 --data-dir to train on it). "
                       + "Fashion-MNIST: full \(CompareRun.percent(full?.accuracy)), ast (tuned) \(CompareRun.percent(ast?.accuracy)), "
                       + "seed's seedCIFAR preset \(CompareRun.percent(seed?.accuracy))", "ast demo"])
        claims.append(["10.4 % activation", "ast (tuned): \(percent(ast?.activationRateMean)) per batch (sd \(NumberText.fixed((ast?.activationRateStandardDeviation ?? 0) * 100, 1)) pt); "
                       + "seedCIFAR preset: \(percent(seed?.activationRateMean))", "ast demo"])
        claims.append(["89.6 % energy savings", "that figure is 1 − activation, not energy. FLOPs saved by ast (tuned): \(percent(ast?.computeSaved)); "
                       + "training time saved: \(percent(ast?.measuredSpeedup.map { 1 - 1 / $0.mean }))", "ast demo"])
        claims.append(["11.5× speedup", "ast (tuned) \(ast?.measuredSpeedup.map { NumberText.fixed($0.mean, 2) + "×" } ?? "-") against its bound "
                       + "\(ast.map { NumberText.fixed($0.bound, 2) + "×" } ?? "-"); uniform \(uniform?.measuredSpeedup.map { NumberText.fixed($0.mean, 2) + "×" } ?? "-")", "ast demo"])
        claims.append(["better accuracy than training on everything / than random", "ast (tuned) \(CompareRun.percent(ast?.accuracy)) vs full \(CompareRun.percent(full?.accuracy)) "
                       + "vs uniform (a random subset, never scored) \(CompareRun.percent(uniform?.accuracy)). " + CompareRun.conclusion(comparison), "ast demo"])
        report.table(header: ["claimed", "measured in this run", "reproducing command"], rows: claims)

        report.heading("Training: every policy")
        CompareRun.section(comparison, into: &report)

        report.heading("Tuned gains")
        let config = gains.configuration
        report.table(header: ["law", "Kp", "Ki", "α", "bounds", "cost before", "cost after", "tuned on", "held out"], rows: [[
            config.law.name, String(format: "%.5g", config.proportionalGain), String(format: "%.5g", config.integralGain),
            String(format: "%.4g", config.emaAlpha), "[\(config.thresholdBounds.lower), \(config.thresholdBounds.upper)]",
            NumberText.fixed(gains.tuning?.costBefore, 3), NumberText.fixed(gains.tuning?.costAfter, 3),
            gains.tuning?.scenarios.joined(separator: ", ") ?? "-", gains.tuning?.heldOut.joined(separator: ", ") ?? "-",
        ]])
        report.paragraph("Cost: \(TuningCost.formula).")
        func poles(_ item: LoopAnalysis) -> String {
            item.poles.map { String(format: "%.4f%+.4fi", $0.real, $0.imaginary) }.joined(separator: ", ")
        }
        report.table(header: ["controller", "θ_op", "g (estimate)", "poles", "max |pole|", "verdict", "τ (steps)"], rows: [
            ["tuned", NumberText.fixed(analysis.operatingPoint.threshold, 4), String(format: "%.4g", analysis.operatingPoint.plantGain),
             poles(analysis), NumberText.fixed(analysis.spectralRadius, 5), analysis.stable ? "stable" : "unstable",
             NumberText.fixed(analysis.timeConstant, 1)],
            ["seedCIFAR", NumberText.fixed(seedAnalysis.operatingPoint.threshold, 4), String(format: "%.4g", seedAnalysis.operatingPoint.plantGain),
             poles(seedAnalysis), NumberText.fixed(seedAnalysis.spectralRadius, 5), seedAnalysis.stable ? "stable" : "unstable",
             NumberText.fixed(seedAnalysis.timeConstant, 1)],
        ])
        report.paragraph("Linearised at the operating point of the recorded scores (plant gain from a kernel density estimate). τ = −1/ln max|pole| "
                         + "is the number of batches for the slowest mode to shrink by e.")

        report.heading("Controller verification (Scenarios/)")
        let checks = verify.flatMap(\.outcomes).flatMap(\.expectations)
        report.paragraph("\(checks.filter(\.holds).count) of \(checks.count) expectations hold.")
        report.links([HTMLReport.Link(text: "verify report with a plot per scenario", href: "verify/report.html"),
                      HTMLReport.Link(text: "comparison report", href: "compare/report.html"),
                      HTMLReport.Link(text: "seedCIFAR run", href: "compare-seedCIFAR/report.html"),
                      HTMLReport.Link(text: "summary.json", href: "summary.json")])
        report.table(header: VerifyTables.matrixHeader, rows: verify.flatMap { result in result.outcomes.map { VerifyTables.row(result, $0) } })
    }
}
