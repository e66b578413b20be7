import ArgumentParser
import ASTReport
import ASTSim
import Foundation
import PIControl

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Linearise the loop at every step's operating point: plant-gain envelope, poles, damping, gain and phase margins, a verdict that counts saturation; --response compares the linear prediction with simulation.",
        discussion: """
        Without --step, every step of the scenario (or every --stride-th) is analysed: θ*_k, \
        g_k = −dR/dθ at θ*_k (exact for a hard gate on a GSL distribution, else estimated and \
        labelled), the closed-loop poles at g_k, and the margins at the extremes g_min and g_max. \
        The verdict is "stable over the whole drift with margin ×M" only when every analysed step \
        is stable, θ* stays inside the threshold bounds and the target is reachable.
        """
    )

    @Argument(help: "Scenario YAML file.")
    var scenario: String

    @OptionGroup var controllerOptions: ControllerOptions

    @Option(parsing: .unconditional, help: "Analyse this step only (0 ..< steps) instead of the whole drift.")
    var step: Int?

    @Option(parsing: .unconditional, help: "Analyse every N-th step (default: every step when g is exact, about 50 steps when estimated).")
    var stride: Int?

    @Flag(help: "Analyse every preset (see `ast presets`) instead of the scenario's controllers.")
    var allPresets = false

    @Flag(help: "Print only the summary, as a Markdown table (for the README).")
    var markdown = false

    @Flag(help: "Compare the linear step response with the simulated mean over the scenario's seeds (writes response.svg with --out).")
    var response = false

    @Option(parsing: .unconditional, help: "With --response: the step of the regime shift to study (default: the start-up from θ0).")
    var responseAt: Int?

    @Option(help: "Write analysis.json, envelope.svg, envelope.csv and boundary.svg (and response.svg, response.csv) here.")
    var out: String?

    func validate() throws {
        if let step, step < 0 { throw ValidationError("--step must be >= 0, got \(step)") }
        if let stride, stride < 1 { throw ValidationError("--stride must be >= 1, got \(stride)") }
        if let responseAt, responseAt < 1 { throw ValidationError("--response-at must be >= 1 (a shift needs a step before it), got \(responseAt)") }
        if responseAt != nil && !response { throw ValidationError("--response-at needs --response") }
        if let out, out.isEmpty { throw ValidationError("--out must not be empty") }
        if allPresets && controllerOptions.isGiven { throw ValidationError("give --all-presets or --preset/--gains, not both") }
    }

    func run() throws {
        let loaded = try ScenarioLoader.load(path: scenario)
        if let step, step >= loaded.steps {
            throw ValidationError("--step must lie in 0..<\(loaded.steps) (the scenario's steps), got \(step)")
        }
        if let responseAt, responseAt >= loaded.steps {
            throw ValidationError("--response-at must lie in 1..<\(loaded.steps), got \(responseAt)")
        }
        var controllers = loaded.controllers.map { ($0.name, $0.configuration) }
        if let chosen = try controllerOptions.controller(target: loaded.target) { controllers = [chosen] }
        if allPresets { controllers = try Preset.allCases.map { ($0.rawValue, try $0.configuration(target: loaded.target)) } }

        var analyses: [(name: String, configuration: ControllerConfiguration, robust: RobustAnalysis)] = []
        for (name, configuration) in controllers {
            let robust: RobustAnalysis
            if let step {
                let point = try PlantModel.operatingPoint(scenario: loaded, configuration: configuration, step: step)
                robust = try RobustAnalysis(configuration: configuration, steps: [step], operatingPoints: [point], stride: 1,
                                            file: loaded.file ?? loaded.name)
            } else {
                robust = try RobustAnalysis(scenario: loaded, configuration: configuration, stride: stride)
            }
            analyses.append((name, configuration, robust))
        }
        let scope = step.map { "step \($0)" } ?? "steps 0–\(loaded.steps - 1)"
        if markdown {
            print(AnalysisText.markdown(scenario: loaded.name, scope: scope, analyses.map { ($0.name, $0.robust) }))
            return
        }
        print("scenario \(loaded.name), \(scope), target \(loaded.target)\n")
        print(AnalysisText.summaryTable(analyses.map { ($0.name, $0.robust) }))
        print("\n" + AnalysisText.legend)
        for analysis in analyses {
            print("\n" + AnalysisText.details(name: analysis.name, analysis.robust))
        }

        var comparisons: [(String, ResponseComparison)] = []
        if response {
            print("\nlinear prediction against simulation (\(loaded.seeds.count) seeds" + (responseAt.map { ", regime shift at step \($0)" } ?? ", start-up from θ0") + "):")
            for analysis in analyses {
                let comparison = try ResponseComparison(scenario: loaded, configuration: analysis.configuration, shiftStep: responseAt)
                comparisons.append((analysis.name, comparison))
                print("\n" + AnalysisText.response(name: analysis.name, comparison))
            }
        }

        if let out {
            let robust = analyses.map { AnalysisOutput.Controller(name: $0.name, robust: $0.robust) }
            try AtomicFile.writeJSON(AnalysisOutput(scenario: loaded.name, step: step, controllers: robust,
                                                    responses: comparisons.map { .init(name: $0.0, comparison: $0.1) }),
                                     to: out + "/analysis.json")
            try AtomicFile.write(AnalysisCharts.envelope(scenario: loaded.name, analyses.map { ($0.name, $0.robust) }), to: out + "/envelope.svg")
            try AtomicFile.write(AnalysisCharts.boundary(scenario: loaded.name, analyses.map { ($0.name, $0.configuration, $0.robust) }),
                                 to: out + "/boundary.svg")
            try AtomicFile.write(AnalysisCharts.envelopeCSV(analyses.map { ($0.name, $0.robust) }), to: out + "/envelope.csv")
            var written = ["analysis.json", "envelope.svg", "envelope.csv", "boundary.svg"]
            if !comparisons.isEmpty {
                try AtomicFile.write(AnalysisCharts.response(scenario: loaded.name, comparisons), to: out + "/response.svg")
                try AtomicFile.write(AnalysisCharts.responseCSV(comparisons), to: out + "/response.csv")
                written += ["response.svg", "response.csv"]
            }
            print("\nwrote " + written.map { out + "/" + $0 }.joined(separator: ", "))
        }
    }
}

/// analysis.json.
struct AnalysisOutput: Encodable {
    struct Controller: Encodable { var name: String; var robust: RobustAnalysis }
    /// The figures of a comparison; its per-step series are in response.csv.
    struct Response: Encodable {
        var name: String
        var startStep: Int, horizon: Int, idealThreshold: Double, plantGain: Double
        var linearInitialRateError: Double, exactInitialRateError: Double?, dominantPoleSettlingEstimate: Double?
        var linearSettlingTime: Int?, exactDeterministicSettlingTime: Int?, simulatedSettlingTimes: [Int?], simulatedMeanSettlingTime: Int?
        var rateIAE: Double, thresholdIAE: Double, agrees: Bool, reasons: [String]
        var stepInfo: [String: StepInfo]

        init(name: String, comparison c: ResponseComparison) {
            self.name = name
            startStep = c.startStep; horizon = c.horizon; idealThreshold = c.idealThreshold; plantGain = c.plantGain
            linearInitialRateError = c.linearInitialRateError; exactInitialRateError = c.exactInitialRateError
            dominantPoleSettlingEstimate = c.dominantPoleSettlingEstimate
            linearSettlingTime = c.linear.settlingTime; exactDeterministicSettlingTime = c.meanField?.settlingTime
            simulatedSettlingTimes = c.simulatedSettlingTimes; simulatedMeanSettlingTime = c.simulated.settlingTime
            rateIAE = c.rateIAE; thresholdIAE = c.thresholdIAE; agrees = c.agrees; reasons = c.reasons
            var info: [String: StepInfo] = [:]
            for (label, series) in [("linear", c.linear), ("exactDeterministic", c.meanField), ("simulatedMean", c.simulated)] {
                guard let series else { continue }
                if let value = series.thresholdStepInfo { info[label + ".threshold"] = value }
                if let value = series.rateStepInfo { info[label + ".rate"] = value }
            }
            stepInfo = info
        }
    }
    var scenario: String
    var step: Int?
    var controllers: [Controller]
    var responses: [Response]
}
