import ASTReport
import ASTSim
import Foundation

/// The terminal text of `ast analyze`.
enum AnalysisText {
    static func g(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value.isInfinite { return "∞" }
        return String(format: "%.4g", value)
    }

    static func factor(_ value: Double?) -> String {
        guard let value else { return "-" }
        return value.isInfinite ? "∞" : "×" + String(format: "%.3g", value)
    }

    static func degrees(_ margins: StabilityMargins) -> String {
        margins.phaseMargin.map { String(format: "%.1f°", $0) } ?? "none"
    }

    static func summaryTable(_ analyses: [(name: String, robust: RobustAnalysis)]) -> String {
        let rows = analyses.map { name, robust -> [String] in
            let thresholds = robust.points.map(\.threshold)
            return [
                name, robust.law,
                g(thresholds.min()) + "…" + g(thresholds.max()),
                g(robust.minimumGain.plantGain) + " @" + String(robust.minimumGain.step) + (robust.isEstimate ? " est." : ""),
                g(robust.maximumGain.plantGain) + " @" + String(robust.maximumGain.step),
                String(format: "%.5f", robust.worstPole.spectralRadius) + " @" + String(robust.worstPole.step),
                factor(robust.marginsAtMaximumGain.gainMarginUp), factor(robust.marginsAtMinimumGain.gainMarginDown),
                degrees(robust.marginsAtMinimumGain) + " / " + degrees(robust.marginsAtMaximumGain),
                shortVerdict(robust.verdict),
            ]
        }
        return TextTable(header: ["controller", "law", "θ* range", "g_min @step", "g_max @step", "max |pole| @step",
                                  "GM up (g_max)", "GM down (g_min)", "PM g_min / g_max", "verdict"], rows: rows).render()
    }

    /// The summary as a Markdown table under a heading naming the scenario.
    static func markdown(scenario: String, scope: String, _ analyses: [(name: String, robust: RobustAnalysis)]) -> String {
        var lines = ["**\(scenario)** (\(scope))", "",
                     "| controller | θ* range | g range | max \\|pole\\| (step) | GM up | GM down | PM at g_min / g_max | verdict |",
                     "|---|---|---|---|---|---|---|---|"]
        for (name, robust) in analyses {
            let thresholds = robust.points.map(\.threshold)
            lines.append("| " + [
                name, g(thresholds.min()) + "–" + g(thresholds.max()),
                g(robust.minimumGain.plantGain) + "–" + g(robust.maximumGain.plantGain) + (robust.isEstimate ? " (est.)" : ""),
                String(format: "%.5f", robust.worstPole.spectralRadius) + " (\(robust.worstPole.step))",
                factor(robust.marginsAtMaximumGain.gainMarginUp), factor(robust.marginsAtMinimumGain.gainMarginDown),
                degrees(robust.marginsAtMinimumGain) + " / " + degrees(robust.marginsAtMaximumGain),
                (robust.verdictText + robust.notes.filter { $0.hasPrefix("θ* comes within") || $0.hasPrefix("the fallback floor ") }.map { "; " + $0 }.joined())
                    .replacingOccurrences(of: "|", with: "\\|"),
            ].joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func shortVerdict(_ verdict: RobustVerdict) -> String {
        switch verdict {
        case .stable(let margin): "stable, margin " + factor(margin)
        case .unstable(let step): "UNSTABLE from step \(step)"
        case .saturates(let step, _): "NOT STABLE: saturates from step \(step)"
        case .unreachable: "NOT STABLE: target unreachable"
        }
    }

    static let legend = """
        g = −dR/dθ at θ*_k (exact = pdf at the exact quantile; est. = from samples). GM up: factor by which g may grow past \
        g_max before a pole leaves the unit circle; GM down: factor by which it may shrink below g_min (∞: any). \
        PM: phase margin at the gain crossover |L| = 1. Margin ×M in the verdict = the smaller of the two GMs. \
        Poles are per batch: ζ damping ratio, ωn natural frequency (rad/batch), τ = −1/ln|z| (batches), T period (batches).
        """

    static func pole(_ damping: PoleDamping) -> String {
        let p = damping.pole
        var text = p.imaginary == 0 ? String(format: "%.6g", p.real)
            : String(format: "%.6g", p.real) + (p.imaginary < 0 ? "−" : "+") + String(format: "%.4g", abs(p.imaginary)) + "i"
        text += " (|z| " + String(format: "%.6g", p.modulus)
        if let zeta = damping.dampingRatio { text += ", ζ " + String(format: "%.3g", zeta) }
        if let omega = damping.naturalFrequency { text += ", ωn " + String(format: "%.3g", omega) }
        if let tau = damping.timeConstant { text += ", τ " + String(format: "%.3g", tau) }
        if let period = damping.period { text += ", T " + String(format: "%.3g", period) }
        if damping.pole.modulus == 0 { text += ", dead-beat" }
        return text + ")"
    }

    static func margins(_ label: String, _ point: EnvelopePoint, _ margins: StabilityMargins) -> String {
        var lines = ["  at \(label) = \(g(point.plantGain)) (step \(point.step), θ* = \(g(point.threshold))):"]
        lines.append("    poles: " + margins.poles.map(pole).joined(separator: "; "))
        if margins.stable {
            lines.append("    gain margin: g may grow " + factor(margins.gainMarginUp) + ", shrink " + factor(margins.gainMarginDown)
                         + " (stable for g ∈ (" + g(margins.stableGainLower) + ", " + g(margins.stableGainUpper) + "))")
        } else {
            lines.append("    unstable at this g (max |pole| \(String(format: "%.5f", margins.spectralRadius)))")
        }
        if let pm = margins.phaseMargin, let omega = margins.gainCrossoverFrequency {
            lines.append("    phase margin: " + String(format: "%.2f° at ω_c = %.4g rad/batch", pm, omega))
        } else if let note = margins.phaseMarginNote {
            lines.append("    phase margin: " + note)
        }
        if !margins.phaseCrossovers.isEmpty {
            lines.append("    phase crossovers: " + margins.phaseCrossovers.map {
                "ω = " + String(format: "%.4g", $0.frequency) + ($0.frequency == Double.pi ? " (Nyquist, z = −1)" : "") + " → g = " + g($0.value)
            }.joined(separator: "; "))
        }
        lines.append("    stability margin min|1 + L| = " + String(format: "%.4g", margins.stabilityMargin))
        return lines.joined(separator: "\n")
    }

    static func details(name: String, _ robust: RobustAnalysis) -> String {
        var lines = ["\(name) (\(robust.law), Kp \(g(robust.proportionalGain)), Ki \(g(robust.integralGain)), α \(g(robust.emaAlpha))); "
                     + "\(robust.points.count) steps analysed (stride \(robust.stride))" + (robust.frozenTime ? ", frozen-time" : "")]
        lines.append("  verdict: " + robust.verdictText)
        lines.append("  plant gain: " + robust.method)
        lines.append(margins("g_min", robust.minimumGain, robust.marginsAtMinimumGain))
        if robust.maximumGain.step != robust.minimumGain.step {
            lines.append(margins("g_max", robust.maximumGain, robust.marginsAtMaximumGain))
        }
        for note in robust.notes { lines.append("  note: " + note) }
        return lines.joined(separator: "\n")
    }

    static func response(name: String, _ comparison: ResponseComparison) -> String {
        let steps = comparison.startStep..<(comparison.startStep + comparison.horizon)
        var lines = ["\(name): steps \(steps.lowerBound)–\(steps.upperBound - 1), θ* = \(g(comparison.idealThreshold)), g = \(g(comparison.plantGain)); "
                     + "initial rate error: linear " + points(comparison.linearInitialRateError)
                     + (comparison.exactInitialRateError.map { ", exact " + points($0) } ?? "")]
        func settling(_ value: Int?) -> String { value.map(String.init) ?? "not settled" }
        lines.append("  settling (batches, on the moving-average rate, band held to the end): linear " + settling(comparison.linear.settlingTime)
                     + (comparison.meanField.map { ", exact deterministic " + settling($0.settlingTime) } ?? "")
                     + ", simulated " + comparison.simulatedSettlingTimes.map(settling).joined(separator: " / ")
                     + " (mean " + settling(comparison.simulated.settlingTime) + ")"
                     + (comparison.dominantPoleSettlingEstimate.map { "; dominant-pole estimate τ·ln(|e₀|/band) ≈ " + String(format: "%.0f", $0) } ?? ""))
        lines.append("  difference linear − simulated mean: IAE " + String(format: "%.4g", comparison.rateIAE) + " (rate·batches, "
                     + String(format: "%.3f", comparison.rateMeanAbsoluteDifferencePoints) + " pt per batch), θ IAE "
                     + String(format: "%.4g", comparison.thresholdIAE))
        let neither = comparison.linear.settlingTime == nil && comparison.simulated.settlingTime == nil
        lines.append("  " + (neither ? "neither the prediction nor the simulation settles" : comparison.agrees ? "prediction and measurement agree"
                             : "prediction and measurement DISAGREE")
                     + (comparison.reasons.isEmpty ? "" : "; reasons:"))
        for reason in comparison.reasons { lines.append("    - " + reason) }
        var table: [[String]] = []
        func row(_ label: String, _ info: StepInfo?) {
            guard let info else { table.append([label, "no change to measure"]); return }
            table.append([label, g(info.riseTime), g(info.settlingTime), g(info.settlingMin), g(info.settlingMax),
                          String(format: "%.2f", info.overshoot), String(format: "%.2f", info.undershoot), g(info.peak), g(info.peakTime)])
        }
        row("θ linear", comparison.linear.thresholdStepInfo)
        if let meanField = comparison.meanField { row("θ exact deterministic", meanField.thresholdStepInfo) }
        row("θ simulated mean", comparison.simulated.thresholdStepInfo)
        row("rate linear", comparison.linear.rateStepInfo)
        if let meanField = comparison.meanField { row("rate exact deterministic", meanField.rateStepInfo) }
        row("rate simulated mean", comparison.simulated.rateStepInfo)
        lines.append("  step_info (python-control's definitions, 2 % settling, 10–90 % rise; times in batches; rate = moving average):")
        lines.append(TextTable(header: ["response", "rise", "settling", "settling min", "settling max", "overshoot %", "undershoot %",
                                        "peak", "peak time"], rows: table).render().split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        return lines.joined(separator: "\n")
    }

    static func points(_ value: Double) -> String { String(format: "%+.2f pt", value * 100) }
}
