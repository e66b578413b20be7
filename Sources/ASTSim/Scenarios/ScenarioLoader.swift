import Foundation
import PIControl
import SignificanceModels
import Yams

/// Reads scenario files (`Scenarios/README.md` documents the format).
public enum ScenarioLoader {
    static let topLevelKeys: Set<String> = [
        "name", "description", "scores", "drift", "batchSize", "steps", "target", "band", "window",
        "steadyStateFraction", "seeds", "controllers",
    ]

    /// Loads one scenario file.
    /// - Parameter path: The YAML file.
    /// - Throws: ``InputError`` naming the file, line and field.
    public static func load(path: String) throws(InputError) -> Scenario {
        let text = try InputFile.text(path, what: "scenario file")
        let directory = (path as NSString).deletingLastPathComponent
        return try parse(text, file: path, directory: directory)
    }

    /// The scenario files named by `paths`: files as given, directories expanded to their
    /// `*.yaml`/`*.yml` files in name order.
    public static func scenarioFiles(in paths: [String]) throws(InputError) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InputError(file: path, field: "", expected: "an existing scenario file or directory",
                                 actual: "no such file or directory")
            }
            if isDirectory.boolValue {
                let entries: [String]
                do {
                    entries = try FileManager.default.contentsOfDirectory(atPath: path)
                } catch {
                    throw InputError(file: path, field: "", expected: "a readable directory of scenario files",
                                     actual: "cannot list the directory: \(error.localizedDescription)")
                }
                let names = entries
                    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                files += names.map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// Parses scenario text.
    /// - Parameters:
    ///   - text: The YAML.
    ///   - file: Its name, for messages.
    ///   - directory: Where relative gains-file paths are resolved.
    public static func parse(_ text: String, file: String, directory: String) throws(InputError) -> Scenario {
        let root = try YAMLValue.parse(text, file: file)
        try root.rejectUnknownKeys(topLevelKeys)
        let nameValue = try root.required("name")
        let name = try nameValue.string()
        // The name becomes a folder under the output directory: it must stay one folder.
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\\"), !name.contains("\0") else {
            throw nameValue.error(expected: "a non-empty name without '/' or '\\' (it names an output folder)", actual: "'\(name)'")
        }
        let summary = try root.optional("description")?.string() ?? ""
        var batchSize = try root.required("batchSize").positiveInt()
        let stepsValue = try root.required("steps")
        var steps = try stepsValue.positiveInt()
        let targetValue = try root.required("target")
        let target = try targetValue.double()
        guard target > 0, target < 1 else { throw targetValue.error(expected: "a rate in (0, 1)", actual: "\(target)") }
        var metrics = MetricSettings(target: target)
        if let band = try root.optional("band") {
            metrics.band = try band.double()
            guard metrics.band > 0, metrics.band < 1 else {
                throw band.error(expected: "a band (half-width around the target rate) in (0, 1)", actual: "\(metrics.band)")
            }
        }
        let windowValue = try root.optional("window")
        if let windowValue { metrics.window = try windowValue.positiveInt() }
        if let fraction = try root.optional("steadyStateFraction") {
            metrics.steadyStateFraction = try fraction.double()
            guard metrics.steadyStateFraction > 0, metrics.steadyStateFraction <= 1 else {
                throw fraction.error(expected: "a fraction in (0, 1]", actual: "\(metrics.steadyStateFraction)")
            }
        }
        var seeds: [UInt64] = [1]
        if let seedList = try root.optional("seeds") {
            seeds = try seedList.elements().map { value throws(InputError) in UInt64(try value.positiveInt()) }
            guard !seeds.isEmpty else { throw seedList.error(expected: "at least one seed", actual: "an empty list") }
        }
        var notes: [String] = []
        let drifts = try root.optional("drift").map(parseDrifts) ?? []
        // Every command builds per-step series (ideal thresholds, each drift's values) before
        // anything else: a step count whose series alone pass the memory limit is refused here.
        let perStep = MemoryEstimate.bytesPerSharedStep + 8 * Double(drifts.count)
        let series = MemoryEstimate(bytes: Double(steps) * perStep,
                                    formula: "\(steps) steps × \(Int(perStep)) B of per-step series")
        if let refusal = series.refusal(of: "this scenario", change: "steps", file: file, line: stepsValue.errorLine, field: "steps") {
            throw refusal
        }
        let scoresValue = try root.required("scores")
        let scores: ScoreSource
        if let traceValue = try scoresValue.optional("trace") {
            try scoresValue.rejectUnknownKeys(["trace", "skip", "count"])
            guard drifts.isEmpty else {
                throw scoresValue.error(expected: "recorded scores without a drift (recorded scores cannot drift)",
                                        actual: "\(drifts.count) drift\(drifts.count == 1 ? "" : "s")")
            }
            let relative = try traceValue.string()
            let path = relative.hasPrefix("/") ? relative : (directory as NSString).appendingPathComponent(relative)
            let trace: ScoreTrace
            do {
                trace = try ScoreTrace.load(path: path)
            } catch {
                throw traceValue.error(expected: "a readable score trace", actual: error.description)
            }
            let skipValue = try scoresValue.optional("skip")
            let skip = try skipValue?.int() ?? 0
            if let skipValue, skip < 0 { throw skipValue.error(expected: "a number of batches >= 0", actual: "\(skip)") }
            let countValue = try scoresValue.optional("count")
            let count = try countValue?.positiveInt()
            let recorded: RecordedScores
            do {
                recorded = try RecordedScores(trace: trace, file: path, skip: skip, count: count)
            } catch {
                // skip and count are this file's fields; anything else is the trace's problem.
                if let value = error.field == "count" ? countValue : error.field == "skip" ? skipValue : nil {
                    throw value.error(expected: error.expected, actual: error.actual + " (score trace \(path))")
                }
                throw traceValue.error(expected: "a score trace with scores", actual: error.description)
            }
            guard recorded.batchSize == batchSize else {
                throw traceValue.error(expected: "a trace whose batches hold batchSize (\(batchSize)) scores",
                                       actual: "batches of \(recorded.batchSize) scores in \(path)")
            }
            steps = min(steps, recorded.steps)
            batchSize = recorded.batchSize
            scores = .recorded(recorded)
            if recorded.droppedBatches > 0 {
                notes.append("\(path): left out \(recorded.droppedBatches) batches whose size differs from \(batchSize) "
                             + "(sizes \(recorded.droppedSizes.map(String.init).joined(separator: ", ")))")
            }
        } else {
            scores = .model(try parseScores(scoresValue, drifts: drifts))
        }
        let controllersValue = try root.required("controllers")
        var controllers: [ScenarioController] = []
        for entry in try controllersValue.elements() {
            controllers.append(try parseController(entry, target: target, directory: directory))
        }
        guard !controllers.isEmpty else { throw controllersValue.error(expected: "at least one controller", actual: "an empty list") }
        if let windowValue, metrics.window > steps {
            throw windowValue.error(expected: "a moving-average window no longer than the run (\(steps) steps)",
                                    actual: "\(metrics.window)")
        }
        var scenario = Scenario(name: name, summary: summary, file: file, scores: scores, batchSize: batchSize,
                                steps: steps, metrics: metrics, seeds: seeds, controllers: controllers)
        scenario.notes = notes
        return scenario
    }

    // MARK: Scores

    static func parseScores(_ value: YAMLValue, drifts: [ParameterDrift]) throws(InputError) -> ScoreModel {
        if let formula = try value.optional("formula") {
            switch try formula.string() {
            case "seedNormalised":
                try value.rejectUnknownKeys(["formula", "loss", "intensity"])
                return .seedNormalised(loss: try parseDistribution(value.required("loss")),
                                       intensity: try parseDistribution(value.required("intensity")), drifts: drifts)
            case "lossEntropy":
                try value.rejectUnknownKeys(["formula", "loss", "entropy"])
                return .lossEntropy(loss: try parseDistribution(value.required("loss")),
                                    entropy: try parseDistribution(value.required("entropy")), drifts: drifts)
            case let other:
                throw formula.error(expected: "a formula, one of: seedNormalised, lossEntropy", actual: "the unknown formula '\(other)'")
            }
        }
        return .distribution(try parseDistribution(value), drifts: drifts)
    }

    static func parseDistribution(_ value: YAMLValue) throws(InputError) -> Distribution {
        let kindValue = try value.required("distribution")
        let kind = try kindValue.string()
        if kind == "mixture" {
            try value.rejectUnknownKeys(["distribution", "components"])
            let componentsValue = try value.required("components")
            var components: [MixtureComponent] = []
            for component in try componentsValue.elements() {
                let weight = try component.required("weight").double()
                let distribution = try parseDistribution(component, excluding: ["weight"])
                components.append(MixtureComponent(weight: weight, distribution: distribution))
            }
            let mixture = Distribution.mixture(components)
            do { try mixture.validate() } catch { throw componentsValue.error(expected: error.expected, actual: error.actual) }
            return mixture
        }
        return try parseDistribution(value, excluding: [])
    }

    static func parseDistribution(_ value: YAMLValue, excluding: Set<String>) throws(InputError) -> Distribution {
        let kindValue = try value.required("distribution")
        let kind = try kindValue.string()
        var parameters: [String: Double] = [:]
        for (key, entry) in try value.entries() where key != "distribution" && !excluding.contains(key) {
            parameters[key] = try entry.double()
        }
        do {
            return try Distribution.make(kind: kind, parameters: parameters)
        } catch {
            // The model names a parameter `<kind>.<name>`; the file has it as the key `<name>` here.
            let prefix = kind + "."
            guard error.field.hasPrefix(prefix) else { throw kindValue.error(expected: error.expected, actual: error.actual) }
            let name = String(error.field.dropFirst(prefix.count))
            let entry = try value.optional(name)
            throw InputError(file: value.file, line: entry?.errorLine ?? value.errorLine,
                             field: value.path.isEmpty ? name : value.path + "." + name, expected: error.expected, actual: error.actual)
        }
    }

    static func parseDrifts(_ value: YAMLValue) throws(InputError) -> [ParameterDrift] {
        var drifts: [ParameterDrift] = []
        for entry in try value.elements() {
            let parameter = try entry.required("parameter").string()
            let kindValue = try entry.required("kind")
            let drift: Drift
            switch try kindValue.string() {
            case "constant":
                try entry.rejectUnknownKeys(["parameter", "kind"])
                drift = .constant
            case "ramp":
                try entry.rejectUnknownKeys(["parameter", "kind", "to", "start", "end"])
                let start = try entry.required("start").int()
                let endValue = try entry.required("end")
                let end = try endValue.int()
                guard end > start, start >= 0 else { throw endValue.error(expected: "0 <= start < end", actual: "start \(start), end \(end)") }
                drift = .ramp(to: try entry.required("to").double(), startStep: start, endStep: end)
            case "step":
                try entry.rejectUnknownKeys(["parameter", "kind", "to", "at"])
                drift = .step(to: try entry.required("to").double(), atStep: try entry.required("at").int())
            case "pulse":
                try entry.rejectUnknownKeys(["parameter", "kind", "to", "start", "end"])
                let start = try entry.required("start").int()
                let endValue = try entry.required("end")
                let end = try endValue.int()
                guard end > start, start >= 0 else { throw endValue.error(expected: "0 <= start < end", actual: "start \(start), end \(end)") }
                drift = .pulse(to: try entry.required("to").double(), startStep: start, endStep: end)
            case "sinusoid":
                try entry.rejectUnknownKeys(["parameter", "kind", "amplitude", "period", "phase"])
                let periodValue = try entry.required("period")
                let period = try periodValue.double()
                guard period > 0 else { throw periodValue.error(expected: "a positive period", actual: "\(period)") }
                drift = .sinusoid(amplitude: try entry.required("amplitude").double(), period: period,
                                  phase: try entry.optional("phase")?.double() ?? 0)
            case "randomWalk":
                try entry.rejectUnknownKeys(["parameter", "kind", "sigma", "seed"])
                let sigmaValue = try entry.required("sigma")
                let sigma = try sigmaValue.double()
                guard sigma >= 0 else { throw sigmaValue.error(expected: "sigma >= 0", actual: "\(sigma)") }
                drift = .randomWalk(stepSigma: sigma, seed: UInt64(try entry.optional("seed")?.positiveInt() ?? 1))
            case "exponentialDecay":
                try entry.rejectUnknownKeys(["parameter", "kind", "to", "rate"])
                let rateValue = try entry.required("rate")
                let rate = try rateValue.double()
                guard rate >= 0 else { throw rateValue.error(expected: "rate >= 0", actual: "\(rate)") }
                drift = .exponentialDecay(to: try entry.required("to").double(), rate: rate)
            case let other:
                throw kindValue.error(expected: "a drift kind, one of: constant, ramp, step, pulse, sinusoid, randomWalk, exponentialDecay",
                                      actual: "the unknown drift '\(other)'")
            }
            drifts.append(ParameterDrift(parameter: parameter, drift: drift))
        }
        return drifts
    }

    // MARK: Controllers

    static let overrideKeys: Set<String> = [
        "proportionalGain", "integralGain", "emaAlpha", "deadband", "initialThreshold", "thresholdBounds", "reference",
    ]

    static func parseController(_ value: YAMLValue, target: Double, directory: String) throws(InputError) -> ScenarioController {
        try value.rejectUnknownKeys(["preset", "gains", "config", "name", "set", "expect"])
        var configuration: ControllerConfiguration
        var name: String
        if let presetValue = try value.optional("preset") {
            let presetName = try presetValue.string()
            do {
                configuration = try Preset.named(presetName).configuration(target: target)
            } catch let error as UnknownPresetError {
                throw presetValue.error(expected: "a preset, one of: " + Preset.allCases.map(\.rawValue).joined(separator: ", "),
                                        actual: "the unknown preset '\(presetName)'" + (error.suggestion.map { " (did you mean '\($0)'?)" } ?? ""))
            } catch let error as ConfigurationError {
                throw value.error(locating: error)
            } catch {
                throw presetValue.error(expected: "a preset usable at target \(target)", actual: "\(error)")
            }
            name = presetName
        } else if let gainsValue = try value.optional("gains") {
            let relative = try gainsValue.string()
            let path = relative.hasPrefix("/") ? relative : (directory as NSString).appendingPathComponent(relative)
            do {
                configuration = try GainsFile.load(path: path).configuration(target: target)
            } catch {
                // Locate the problem in the scenario, and keep the gains file's own words.
                throw gainsValue.error(expected: "a usable gains file", actual: error.description)
            }
            name = ((relative as NSString).lastPathComponent as NSString).deletingPathExtension
        } else if let configValue = try value.optional("config") {
            do {
                configuration = try YAMLDecoder().decode(ControllerConfiguration.self, from: configValue.node)
            } catch let error as DecodingError {
                throw DecodingErrorText.inputError(error, file: configValue.file, line: configValue.errorLine, prefix: configValue.path)
            } catch {
                throw configValue.error(expected: "a controller configuration", actual: "\(error)")
            }
            // Typos are errors here too: every key must be one the configuration writes back.
            if let written = try? JSONSerialization.jsonObject(with: JSONEncoder().encode(configuration)),
               let unknown = JSONPosition.firstUnknownKey(in: configValue.keyTree, known: written) {
                let key = unknown.split(separator: ".").last.map(String.init) ?? unknown
                throw InputError(file: configValue.file, line: configValue.errorLine, field: configValue.path + "." + unknown,
                                 expected: "a configuration key, one of: "
                                     + JSONPosition.knownKeys(beside: unknown, in: written).joined(separator: ", "),
                                 actual: "the unknown key '\(key)'")
            }
            configuration.target = target
            name = "config"
        } else {
            throw value.error(expected: "a controller with one of: preset, gains, config",
                              actual: "keys " + (try value.entries()).map { "'\($0.key)'" }.joined(separator: ", "))
        }
        if let label = try value.optional("name") { name = try label.string() }
        if let overrides = try value.optional("set") {
            configuration = try applyOverrides(overrides, to: configuration)
        }
        let expectations = try value.optional("expect").map(parseExpectations) ?? []
        return ScenarioController(name: name, configuration: configuration, expectations: expectations)
    }

    static func applyOverrides(_ value: YAMLValue, to base: ControllerConfiguration) throws(InputError) -> ControllerConfiguration {
        try value.rejectUnknownKeys(overrideKeys)
        var configuration = base
        for (key, entry) in try value.entries() {
            switch key {
            case "proportionalGain": configuration.proportionalGain = try nonNegativeGain(entry)
            case "integralGain": configuration.integralGain = try nonNegativeGain(entry)
            case "emaAlpha": configuration.emaAlpha = try entry.double()
            case "deadband": configuration.deadband = try entry.double()
            case "initialThreshold": configuration.initialThreshold = try entry.double()
            case "reference":
                guard case .positional = configuration.law else {
                    throw entry.error(expected: "no reference (only the positional law has one)",
                                      actual: "a reference for the \(configuration.law.name) law")
                }
                configuration.law = .positional(reference: try entry.double())
            case "thresholdBounds":
                let bounds = try entry.elements()
                guard bounds.count == 2 else { throw entry.error(expected: "[lower, upper]", actual: "a list of \(bounds.count)") }
                configuration.thresholdBounds.lower = try bounds[0].double()
                configuration.thresholdBounds.upper = try bounds[1].double()
            default: break
            }
        }
        do {
            try configuration.validate()
        } catch {
            throw value.error(locating: error)
        }
        return configuration
    }

    /// A gain: a negative one turns the feedback around (the threshold falls when too many pass).
    static func nonNegativeGain(_ entry: YAMLValue) throws(InputError) -> Double {
        let gain = try entry.double()
        guard gain >= 0 else { throw entry.error(expected: "a gain >= 0 (a negative gain reverses the feedback)", actual: "\(gain)") }
        return gain
    }

    static func parseExpectations(_ value: YAMLValue) throws(InputError) -> [Expectation] {
        var expectations: [Expectation] = []
        for (key, entry) in try value.entries() {
            guard let metric = MetricName(rawValue: key) else {
                throw entry.error(expected: "a metric, one of: " + MetricName.allCases.map(\.rawValue).joined(separator: ", "),
                                  actual: "the unknown metric '\(key)'")
            }
            if metric == .settled {
                expectations.append(Expectation(metric: metric, bound: .equals(try entry.bool()), line: entry.line))
                continue
            }
            try entry.rejectUnknownKeys(["max", "min", "maxAbs"])
            var lowest: Double?, highest: Double?
            for (boundKey, boundValue) in try entry.entries() {
                let limit = try boundValue.double()
                if boundKey == "maxAbs", limit < 0 { throw boundValue.error(expected: "a bound >= 0 (of |x| <= bound)", actual: "\(limit)") }
                if boundKey == "min" { lowest = limit }
                if boundKey == "max" { highest = limit }
                if let lowest, let highest, lowest > highest {
                    throw boundValue.error(expected: "min <= max (else no value can satisfy both)",
                                           actual: "min \(lowest) is above max \(highest)")
                }
                let bound: Expectation.Bound = switch boundKey {
                case "max": .atMost(limit)
                case "min": .atLeast(limit)
                default: .absoluteAtMost(limit)
                }
                expectations.append(Expectation(metric: metric, bound: bound, line: boundValue.line))
            }
        }
        return expectations
    }
}
