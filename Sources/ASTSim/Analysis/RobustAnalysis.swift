import Foundation
import PIControl

/// The operating point and the linear loop at one step of a scenario.
public struct EnvelopePoint: Sendable, Equatable, Codable {
    public var step: Int
    /// `θ*_k`.
    public var threshold: Double
    /// `g_k = −dR/dθ` at `θ*_k`.
    public var plantGain: Double
    public var insideBounds: Bool
    /// Largest closed-loop pole modulus at `g_k`.
    public var spectralRadius: Double
}

/// What the robust analysis concludes.
public enum RobustVerdict: Sendable, Equatable, Codable {
    /// Every analysed step is stable and inside the bounds; `margin` is the factor by which
    /// the plant gain may move (grow past `g_max` or shrink below `g_min`) before a pole leaves
    /// the unit circle (`.infinity` if never).
    case stable(margin: Double)
    /// The linear loop is unstable from `firstStep` on (the first analysed step with a pole
    /// outside the unit circle).
    case unstable(firstStep: Int)
    /// `θ*` lies outside the threshold bounds from `firstStep` (at `count` analysed steps):
    /// the threshold saturates and the target is unreachable there.
    case saturates(firstStep: Int, count: Int)
    /// The target cannot be reached at all (an energy cap below it, or a rate that does not respond).
    case unreachable(reason: String)

    public var isStable: Bool { if case .stable = self { return true } else { return false } }
}

/// The linear loop analysed at every step (or every `stride`-th) of a scenario: the
/// operating-point envelope `[g_min, g_max]`, the worst pole, the margins at the extremes,
/// and a verdict that accounts for saturation.
public struct RobustAnalysis: Sendable, Codable {
    public var law: String
    public var proportionalGain: Double
    public var integralGain: Double
    public var emaAlpha: Double
    public var stride: Int
    public var points: [EnvelopePoint]
    /// Whether any `g_k` was estimated from samples; `method` says how.
    public var isEstimate: Bool
    public var method: String
    /// Whether the loop is time-varying (a cumulative rate, analysed frozen-time with `w = 1/k`).
    public var frozenTime: Bool
    public var minimumGain: EnvelopePoint
    public var maximumGain: EnvelopePoint
    /// The analysed step with the largest pole modulus.
    public var worstPole: EnvelopePoint
    /// Margins at the step of `g_min` and at the step of `g_max`.
    public var marginsAtMinimumGain: StabilityMargins
    public var marginsAtMaximumGain: StabilityMargins
    /// The plant-gain interval in which the (time-invariant) loop is stable; `nil` for a frozen-time analysis.
    public var stableGainLower: Double?
    public var stableGainUpper: Double?
    public var verdict: RobustVerdict
    /// The verdict in one sentence.
    public var verdictText: String
    /// What the linear model leaves out or what limits the verdict.
    public var notes: [String]

    /// The steps analysed for a run of `steps` batches at `stride` (the last step always included).
    /// - Parameters:
    ///   - steps: Batches in the run.
    ///   - stride: Steps between analysed steps (values below 1 count as 1).
    public static func analysedSteps(steps: Int, stride: Int) -> [Int] {
        var list = Array(Swift.stride(from: 0, to: steps, by: max(1, stride)))
        if list.last != steps - 1 { list.append(steps - 1) }
        return list
    }

    /// A stride that keeps the analysis quick: every step when the gains are exact, about 50
    /// steps when they are estimated from samples, about 250 for a frozen-time (cumulative) loop.
    /// - Parameters:
    ///   - scenario: The scenario, whose score source says whether the plant gains are exact.
    ///   - configuration: The controller, whose rate measurement says whether the loop is frozen-time.
    public static func defaultStride(scenario: Scenario, configuration: ControllerConfiguration) -> Int {
        var exact = false
        if case .hard = configuration.gate.rule, case .model(let model) = scenario.scores, model.hasExactIdealThreshold { exact = true }
        if !exact { return max(1, scenario.steps / 50) }
        if configuration.rateMeasurement == .cumulative { return max(1, scenario.steps / 250) }
        return 1
    }

    /// - Parameters:
    ///   - scenario: The scenario (score model, steps, batch size).
    ///   - configuration: The controller.
    ///   - stride: Analyse every `stride`-th step (`nil`: ``defaultStride(scenario:configuration:)``).
    /// - Throws: ``InputError`` for an invalid score model; GSL failures as ``InputError`` too.
    public init(scenario: Scenario, configuration: ControllerConfiguration, stride: Int? = nil) throws(InputError) {
        let stride = stride ?? Self.defaultStride(scenario: scenario, configuration: configuration)
        let steps = Self.analysedSteps(steps: scenario.steps, stride: stride)
        let sampleSize = configuration.gate.rule == .hard ? PlantModel.sampleSize : 50_000
        let operatingPoints = try PlantModel.operatingPoints(scenario: scenario, configuration: configuration, steps: steps,
                                                             sampleSize: sampleSize)
        try self.init(configuration: configuration, steps: steps, operatingPoints: operatingPoints, stride: stride,
                      batchSize: scenario.batchSize, band: scenario.metrics.band, file: scenario.file ?? scenario.name)
    }

    /// The analysis over given operating points (tests build these by hand).
    /// - Parameters:
    ///   - configuration: The controller.
    ///   - steps: The step of each operating point.
    ///   - operatingPoints: `θ*_k`, `g_k` per analysed step.
    ///   - stride: The stride they were taken at (reported only).
    ///   - batchSize: The batch size, for the fallback floor `minimumActive(B)/B` (`nil`: not checked).
    ///   - band: The settling band, to note a floor within it of the target.
    ///   - file: Names the source in errors.
    public init(configuration: ControllerConfiguration, steps: [Int], operatingPoints: [OperatingPoint], stride: Int,
                batchSize: Int? = nil, band: Double = 0, file: String = "") throws(InputError) {
        law = configuration.law.name
        proportionalGain = configuration.proportionalGain
        integralGain = configuration.integralGain
        emaAlpha = configuration.emaAlpha
        self.stride = stride
        isEstimate = operatingPoints.contains(where: \.isEstimate)
        method = operatingPoints.first(where: \.isEstimate)?.method ?? operatingPoints.first?.method ?? "-"
        let frozen = configuration.rateMeasurement == .cumulative
        frozenTime = frozen
        func fail(_ error: Eigenvalues.Failure) -> InputError {
            InputError(file: file, field: "controller", expected: "a controller whose loop's poles can be computed", actual: error.description)
        }
        let fixedLoop = LoopTransferFunction(configuration: configuration)
        func loop(at step: Int) -> LoopTransferFunction {
            frozen ? LoopTransferFunction(configuration: configuration, cumulativeWeight: 1 / Double(step + 1)) : fixedLoop
        }
        var envelope: [EnvelopePoint] = []
        for (step, point) in zip(steps, operatingPoints) {
            envelope.append(EnvelopePoint(step: step, threshold: point.threshold, plantGain: point.plantGain,
                                          insideBounds: point.insideBounds,
                                          spectralRadius: loop(at: step).spectralRadius(plantGain: point.plantGain)))
        }
        points = envelope
        guard let first = envelope.first else {
            throw InputError(file: file, field: "steps", expected: "at least one step to analyse", actual: "none")
        }
        minimumGain = envelope.min { $0.plantGain < $1.plantGain } ?? first
        maximumGain = envelope.max { $0.plantGain < $1.plantGain } ?? first
        worstPole = envelope.max { $0.spectralRadius < $1.spectralRadius } ?? first
        do {
            marginsAtMinimumGain = try StabilityMargins(loop: loop(at: minimumGain.step), plantGain: minimumGain.plantGain)
            marginsAtMaximumGain = try StabilityMargins(loop: loop(at: maximumGain.step), plantGain: maximumGain.plantGain)
        } catch { throw fail(error) }
        if frozen {
            stableGainLower = nil
            stableGainUpper = nil
        } else {
            // Critical gains do not depend on g: the interval around g_max bounds the whole envelope
            // if it also contains g_min.
            stableGainLower = marginsAtMaximumGain.stableGainLower
            stableGainUpper = marginsAtMaximumGain.stableGainUpper
        }

        var notes: [String] = []
        let bounds = configuration.thresholdBounds
        let outside = envelope.filter { !$0.insideBounds }
        let firstUnstable = envelope.first { !($0.spectralRadius < 1) }
        let noResponse = envelope.first { !($0.plantGain > 0) }
        var verdict: RobustVerdict
        if let budget = configuration.gate.energyBudget, budget.sustainableRate < configuration.target {
            verdict = .unreachable(reason: "the energy budget sustains at most \(Self.percent(budget.sustainableRate)) < target \(Self.percent(configuration.target))")
        } else if let floor = Self.fallbackFloor(configuration, batchSize: batchSize), floor > configuration.target {
            verdict = .unreachable(reason: "the fallback tops every batch up to \(Self.percent(floor)) > target \(Self.percent(configuration.target)), "
                                   + "so the observed rate cannot fall to the target")
        } else if let noResponse {
            verdict = .unreachable(reason: "the rate does not respond to the threshold at step \(noResponse.step) (g = 0)")
        } else if let firstOutside = outside.first {
            verdict = .saturates(firstStep: firstOutside.step, count: outside.count)
        } else if let firstUnstable {
            verdict = .unstable(firstStep: firstUnstable.step)
        } else if frozen {
            // Time-varying: the margin is the worst per-step margin among the analysed steps.
            var worst = Double.infinity
            for point in envelope {
                guard let margins = try? StabilityMargins(loop: loop(at: point.step), plantGain: point.plantGain) else { continue }
                worst = min(worst, margins.gainMarginUp ?? 0, margins.gainMarginDown ?? 0)
            }
            verdict = worst > 1 ? .stable(margin: worst) : .unstable(firstStep: worstPole.step)
        } else {
            let lower = stableGainLower ?? 0, upper = stableGainUpper ?? .infinity
            if minimumGain.plantGain > lower && maximumGain.plantGain < upper {
                verdict = .stable(margin: min(upper / maximumGain.plantGain, lower > 0 ? minimumGain.plantGain / lower : .infinity))
            } else {
                verdict = .unstable(firstStep: (envelope.first { !($0.plantGain > lower && $0.plantGain < upper) } ?? worstPole).step)
            }
        }
        // Positional law with a bounded integral: θ = θ_ref + Ki·I can only reach θ_ref ± Ki·bound.
        if case .positional(let reference) = configuration.law, let bound = configuration.antiWindup.integralBound, verdict.isStable {
            let reach = abs(configuration.integralGain) * bound
            if let beyond = envelope.first(where: { abs($0.threshold - reference) > reach }) {
                verdict = .saturates(firstStep: beyond.step, count: envelope.filter { abs($0.threshold - reference) > reach }.count)
                notes.append("the integral bound \(bound) lets θ_ref + Ki·I reach only \(reference) ± \(Self.number(reach))")
            }
        }
        // Headroom: an operating point close to a bound saturates on a modest overshoot.
        if verdict.isStable {
            var closest: (step: Int, headroom: Double, bound: Double)? = nil
            for point in envelope {
                for bound in [bounds.lower, bounds.upper] {
                    let headroom = abs(point.threshold - bound)
                    if closest == nil || headroom < closest!.headroom { closest = (point.step, headroom, bound) }
                }
            }
            if let closest, closest.headroom < 0.1 * max(abs(closest.bound), 1e-12) {
                notes.append("θ* comes within \(Self.number(closest.headroom)) of the bound \(Self.number(closest.bound)) at step \(closest.step): "
                             + "an excursion larger than that saturates the threshold")
            }
        }
        if frozen {
            notes.append("cumulative rate Σn/ΣB: its weight on the newest batch is 1/k, so the loop is time-varying; "
                         + "analysed frozen-time at each step with the filter w z/(z − 1 + w), w = 1/k")
        }
        if let floor = Self.fallbackFloor(configuration, batchSize: batchSize), floor <= configuration.target,
           floor >= configuration.target - band {
            notes.append("the fallback floor \(Self.percent(floor)) lies within the ±" + String(format: "%.2f pt", band * 100) + " band below the target: "
                         + "the rate can look settled while the floor, not the threshold, holds it")
        } else if configuration.fallback.minimumCount > 0 || configuration.fallback.minimumFraction > 0 {
            notes.append("fallback: nonlinear, left out of the linear model")
        }
        if case .sigmoid = configuration.gate.rule {
            notes.append("sigmoid gate: R(θ) is the expected pass rate, its noise is left out")
        }
        self.verdict = verdict
        self.notes = notes
        let gMin = minimumGain, gMax = maximumGain
        switch verdict {
        case .stable(let margin):
            verdictText = "stable over the whole drift with margin ×" + (margin.isFinite ? Self.number(margin) : "∞")
                + (gMin.plantGain == gMax.plantGain ? " (g = \(Self.number(gMax.plantGain)) at every step"
                    : " (g ∈ [\(Self.number(gMin.plantGain)) at step \(gMin.step), \(Self.number(gMax.plantGain)) at step \(gMax.step)]")
                + (frozenTime ? ", frozen-time" : ", stable for g ∈ (\(Self.number(stableGainLower ?? 0)), \(stableGainUpper.map(Self.number) ?? "∞"))") + ")"
            let phase = [marginsAtMinimumGain.phaseMargin, marginsAtMaximumGain.phaseMargin].compactMap { $0 }.min()
            if let phase, phase < 30 {
                let zeta = (marginsAtMinimumGain.poles + marginsAtMaximumGain.poles).compactMap(\.dampingRatio).min() ?? .nan
                verdictText += ", but lightly damped: phase margin " + String(format: "%.1f°", phase) + ", ζ ≥ " + String(format: "%.3g", zeta)
            }
        case .unstable(let step):
            let point = envelope.first { $0.step == step } ?? worstPole
            verdictText = "UNSTABLE from step \(step): g = \(Self.number(point.plantGain)), max |pole| = \(Self.number(point.spectralRadius))"
        case .saturates(let step, let count):
            let point = envelope.first { $0.step == step } ?? first
            verdictText = "NOT STABLE — saturates from step \(step): θ* = \(Self.number(point.threshold)) lies outside the bounds "
                + "[\(Self.number(bounds.lower)), \(Self.number(bounds.upper))] at \(count) of \(envelope.count) analysed steps; the target is unreachable there"
        case .unreachable(let reason):
            verdictText = "NOT STABLE — target unreachable: " + reason
        }
    }

    /// The least observed rate the fallback allows, `minimumActive(B)/B`, when it tops up every
    /// batch (trigger `belowMinimum`) and its picks count; `nil` otherwise.
    static func fallbackFloor(_ configuration: ControllerConfiguration, batchSize: Int?) -> Double? {
        let fallback = configuration.fallback
        guard let batchSize, batchSize > 0, fallback.trigger == .belowMinimum, fallback.countsTowardRate else { return nil }
        let minimum = fallback.minimumActive(batchSize: batchSize)
        return minimum > 0 ? Double(minimum) / Double(batchSize) : nil
    }

    static func number(_ value: Double) -> String { String(format: "%.4g", value) }
    static func percent(_ value: Double) -> String { String(format: "%.3g %%", value * 100) }
}
