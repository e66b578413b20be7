import ASTReport
import ASTSim
import ASTTrain
import PIControl

/// The demo's HTML report: the seed's claims against what this run measured.
enum DemoReport {
    static func build(into report: inout HTMLReport, verify: [ScenarioResult], gains: GainsFile, analysis: LoopAnalysis,
                      seedAnalysis: LoopAnalysis, comparison: ComparisonReport, seedRun: ComparisonReport, target: Double) {
        let full = comparison.outcomes.first { $0.policy == .full }
        let ast = comparison.outcomes.first { $0.policy == .ast }
        let random = comparison.outcomes.first { $0.policy == .random }
        let seed = seedRun.outcomes.first

        report.heading("The announcement's claims, measured")
        report.paragraph("The seed announcement reports 61.2 % CIFAR-10 accuracy, '89.6 % energy savings' (which is 1 − activation rate, "
                         + "not a measurement of energy) and an '11.5× speedup' (against a hard-coded baseline time). Here, on Fashion-MNIST "
                         + "with FashionNet, every row is measured in this run against a full-training baseline on the same data order and weights.")
        var rows: [[String]] = []
        func row(_ name: String, _ outcome: PolicyOutcome?, _ rate: Double?) {
            guard let outcome else { return }
            let measured = full.map { $0.wallSeconds / max(outcome.wallSeconds, 1e-12) }
            rows.append([
                name, NumberText.fixed(outcome.testAccuracy * 100, 2) + " %",
                NumberText.fixed((rate ?? outcome.activationRateMean) * 100, 2) + " %",
                NumberText.fixed((1 - (rate ?? outcome.activationRateMean)) * 100, 1) + " %",
                NumberText.fixed(outcome.computeSaved * 100, 1) + " %",
                measured.map { NumberText.fixed($0, 2) + "×" } ?? "-",
                NumberText.fixed(outcome.upperBoundSpeedup, 2) + "×",
            ])
        }
        row("full", full, 1)
        row("ast (tuned gains)", ast, nil)
        row("ast (seedCIFAR preset)", seed, nil)
        row("random (same rate)", random, nil)
        row("topk", comparison.outcomes.first { $0.policy == .topk }, nil)
        report.table(header: ["policy", "test accuracy", "activation", "'energy savings' = 1 − activation", "compute saved (FLOPs)",
                              "measured speedup", "upper bound (F+Bw)/(F+s·Bw)"], rows: rows)
        report.paragraph("Compute saved counts the forward pass of every sample, which selection cannot skip; the upper bound is what "
                         + "selection could save at best with the measured forward and backward costs. \(comparison.upperBoundNote).")
        if let ast, let random {
            let difference = (ast.testAccuracy - random.testAccuracy) * 100
            report.paragraph("At the same back-propagation rate, ast (tuned) reached \(NumberText.fixed(ast.testAccuracy * 100, 2)) % and the "
                             + "uniform random subset \(NumberText.fixed(random.testAccuracy * 100, 2)) % (difference \(NumberText.fixed(difference, 2)) points, "
                             + "one seed: not a significance test).")
        }

        report.heading("Training")
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
        report.paragraph("\(checks.filter(\.holds).count) of \(checks.count) expectations hold. Details and plots: verify/report.html.")
        report.table(header: VerifyTables.matrixHeader, rows: verify.flatMap { result in result.outcomes.map { VerifyTables.row(result, $0) } })
    }
}
