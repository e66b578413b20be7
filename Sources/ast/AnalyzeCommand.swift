import ArgumentParser
import ASTReport
import ASTSim
import Foundation
import PIControl

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Linearise the loop at the operating point: poles, stability, predicted settling, (Kp, Ki) stability boundary."
    )

    @Argument(help: "Scenario YAML file.")
    var scenario: String

    @OptionGroup var controllerOptions: ControllerOptions

    @Option(help: "Step whose score distribution is linearised (default: the last).")
    var step: Int?

    @Option(help: "Write analysis.json and boundary.svg here.")
    var out: String?

    func run() throws {
        let loaded = try ScenarioLoader.load(path: scenario)
        var controllers = loaded.controllers.map { ($0.name, $0.configuration) }
        if let chosen = try controllerOptions.controller(target: loaded.target) { controllers = [chosen] }
        let analysedStep = min(max(0, step ?? loaded.steps - 1), loaded.steps - 1)
        var analyses: [(String, LoopAnalysis)] = []
        for (name, configuration) in controllers {
            let point = try PlantModel.operatingPoint(scenario: loaded, configuration: configuration, step: analysedStep)
            analyses.append((name, try LoopAnalysis(configuration: configuration, point: point, band: loaded.metrics.band)))
        }
        print("scenario \(loaded.name), step \(analysedStep), target \(loaded.target)\n")
        var rows: [[String]] = []
        for (name, analysis) in analyses {
            let poles = analysis.poles.map { pole in
                pole.imaginary == 0 ? NumberText.fixed(pole.real, 5) : "\(NumberText.fixed(pole.real, 5))\(pole.imaginary < 0 ? "-" : "+")\(NumberText.fixed(abs(pole.imaginary), 5))i"
            }.joined(separator: ", ")
            rows.append([
                name, analysis.law, NumberText.fixed(analysis.operatingPoint.threshold, 4),
                String(format: "%.4g", analysis.operatingPoint.plantGain) + (analysis.operatingPoint.isEstimate ? " (est.)" : ""),
                poles, NumberText.fixed(analysis.spectralRadius, 5), analysis.stable ? "stable" : "UNSTABLE",
                analysis.timeConstant.map { NumberText.fixed($0, 1) } ?? "-",
                analysis.predictedSettlingTime.map { "≈" + NumberText.fixed($0, 0) } ?? "-",
            ])
        }
        print(TextTable(header: ["controller", "law", "θ_op", "g = −dR/dθ", "poles", "max |pole|", "verdict", "τ (steps)", "settling est."],
                        rows: rows).render())
        print("\nτ = −1/ln max|pole|; settling est. = τ·ln(|e₀|/band), an estimate from the dominant pole.")
        for (name, analysis) in analyses {
            print("\n\(name): \(analysis.operatingPoint.method)")
            for caveat in analysis.caveats { print("  note: \(caveat)") }
            print("  stability boundary (α = \(analysis.emaAlpha), g = \(String(format: "%.4g", analysis.operatingPoint.plantGain))):")
            for line in boundaryLines(analysis, law: controllers.first { $0.0 == name }!.1.law) { print("    " + line) }
        }
        if let out {
            struct Output: Encodable { var scenario: String; var step: Int; var controllers: [String: LoopAnalysis] }
            try AtomicFile.writeJSON(Output(scenario: loaded.name, step: analysedStep,
                                            controllers: Dictionary(analyses, uniquingKeysWith: { first, _ in first })),
                                     to: out + "/analysis.json")
            print("\nwrote \(out)/analysis.json")
        }
    }

    /// The largest stable Ki for a few Kp values around the controller's, as text.
    func boundaryLines(_ analysis: LoopAnalysis, law: ControlLaw) -> [String] {
        let g = analysis.operatingPoint.plantGain
        guard g > 0 else { return ["plant gain is zero: the rate does not respond to the threshold here"] }
        let kpCenter = max(analysis.proportionalGain, 1e-3 / g)
        let kps = [0.01, 0.1, 1, 10, 100].map { kpCenter * $0 }
        let points = LoopAnalysis.stabilityBoundary(law: law, emaAlpha: analysis.emaAlpha, plantGain: g, proportionalGains: kps,
                                                    integralRange: (1e-6 / g)...(1e3 / g))
        return kps.map { kp in
            let crossings = points.filter { $0.proportionalGain == kp }.map { String(format: "%.4g", $0.integralGain) }
            return "Kp = \(String(format: "%.4g", kp)): Ki stability changes at " + (crossings.isEmpty ? "none in range" : crossings.joined(separator: ", "))
                + (LoopAnalysis.isStable(law: law, proportionalGain: kp, integralGain: 1e-6 / g, emaAlpha: analysis.emaAlpha, plantGain: g)
                    ? " (stable below)" : " (unstable below)")
        }
    }
}
