import Foundation
import PIControl
import SignificanceModels

/// A rate and threshold response over the steps of an event.
public struct ResponseSeries: Sendable, Equatable, Codable {
    /// Rate per batch.
    public var rate: [Double]
    /// Trailing moving average of `rate` over the scenario's metric window (what settling is measured on).
    public var smoothedRate: [Double]
    /// `θ_k`.
    public var threshold: [Double]
    /// Settling time of `smoothedRate` by the scenario's rule (band held to the end), `nil` if never.
    public var settlingTime: Int?
    /// python-control's `step_info` of `θ` from its first value to `θ*`.
    public var thresholdStepInfo: StepInfo?
    /// python-control's `step_info` of the smoothed rate from its first value to the target.
    public var rateStepInfo: StepInfo?
}

/// The linear model's response to a start-up or a regime shift, against the deterministic
/// nonlinear loop and the simulated mean over seeds, with the reasons they differ.
///
/// Three predictions, from least to most complete:
/// 1. **linear**: the loop linearised at `θ*` after the event (``LoopMatrix`` equations, plant
///    `r − target = −g·(θ − θ*)`), no bounds, no noise;
/// 2. **mean-field** (hard gate on a GSL distribution only): the real controller fed the exact
///    expected rate `R_k(θ_k)` — bounds, anti-windup and the plant's curvature, but no sampling noise;
/// 3. **simulated**: the scenario's seeds through the simulator.
/// Linear against mean-field isolates nonlinearity and saturation; mean-field against simulated
/// isolates noise (binomial sampling, small-batch quantisation, the fallback).
public struct ResponseComparison: Sendable, Codable {
    /// First step of the event (0 for the start-up, else the regime shift).
    public var startStep: Int
    /// Steps compared (until `θ*` next changes by more than 1 %, or the end of the run).
    public var horizon: Int
    public var idealThreshold: Double
    public var plantGain: Double
    /// The target rate and the settling band half-width used.
    public var target: Double
    public var settlingBand: Double
    /// Initial rate error predicted by the linear model, `−g·(θ_start − θ*)`.
    public var linearInitialRateError: Double
    /// The exact initial rate error `R(θ_start) − target` (hard gate on a distribution), else `nil`.
    public var exactInitialRateError: Double?
    /// The dominant-pole estimate `τ·ln(|e₀|/band)` that earlier versions printed.
    public var dominantPoleSettlingEstimate: Double?
    public var linear: ResponseSeries
    public var meanField: ResponseSeries?
    /// Mean over seeds.
    public var simulated: ResponseSeries
    /// Per step, the least and largest smoothed rate and threshold over the seeds.
    public var simulatedRateLow: [Double]
    public var simulatedRateHigh: [Double]
    public var simulatedThresholdLow: [Double]
    public var simulatedThresholdHigh: [Double]
    /// Settling time measured on each seed.
    public var simulatedSettlingTimes: [Int?]
    /// `Σ_k |r̄_lin − r̄_sim|` over the horizon (smoothed rates), and the same per step in points.
    public var rateIAE: Double
    public var rateMeanAbsoluteDifferencePoints: Double
    /// `Σ_k |θ_lin − θ_sim|`.
    public var thresholdIAE: Double
    /// Whether predicted and measured settling agree (within 25 % or one window).
    public var agrees: Bool
    /// The reasons for the differences that were found, in words.
    public var reasons: [String]

    /// - Parameters:
    ///   - scenario: The scenario; its seeds, band and window are used.
    ///   - configuration: The controller.
    ///   - shiftStep: The first step after a regime shift; `nil` for the start-up from `θ0`.
    /// - Throws: ``InputError`` for an invalid scenario or a step outside the run.
    public init(scenario: Scenario, configuration: ControllerConfiguration, shiftStep: Int?) throws(InputError) {
        let start = shiftStep ?? 0
        guard start >= 0, start < scenario.steps, shiftStep.map({ $0 >= 1 }) ?? true else {
            throw InputError(file: nil, field: "--response-at", expected: "a step in 1..<\(scenario.steps) (the scenario's steps)", actual: "\(start)")
        }
        let ideal = try ScenarioRunner.idealThresholds(for: scenario)
        let after = ideal[start]
        var end = start + 1
        while end < ideal.count && abs(ideal[end] - after) <= 0.01 * abs(after) { end += 1 }
        let length = end - start
        horizon = length
        startStep = start
        idealThreshold = after
        let point = try PlantModel.operatingPoint(scenario: scenario, configuration: configuration, step: start)
        plantGain = point.plantGain
        let g = point.plantGain
        let settings = scenario.metrics
        let target = configuration.target
        self.target = target
        settlingBand = settings.band

        // Simulation: this controller alone on every seed.
        var single = scenario
        single.controllers = [ScenarioController(name: "analysed", configuration: configuration)]
        let result = try ScenarioRunner.run(single, keepTraces: true)
        let traces = result.outcomes[0].runs.map(\.trace)
        let window = start..<end
        let smoothedSeeds = traces.map { TraceMetrics.movingAverage(Array($0.rate[window]), window: settings.window) }
        let thresholdSeeds = traces.map { Array($0.threshold[window]) }
        let seedCount = Double(traces.count)
        func meanOver(_ series: [[Double]]) -> [Double] {
            (0..<length).map { k in series.reduce(0) { $0 + $1[k] } / seedCount }
        }
        let meanRate = meanOver(traces.map { Array($0.rate[window]) })
        let meanThreshold = meanOver(thresholdSeeds)
        simulatedRateLow = (0..<length).map { k in smoothedSeeds.map { $0[k] }.min() ?? .nan }
        simulatedRateHigh = (0..<length).map { k in smoothedSeeds.map { $0[k] }.max() ?? .nan }
        simulatedThresholdLow = (0..<length).map { k in thresholdSeeds.map { $0[k] }.min() ?? .nan }
        simulatedThresholdHigh = (0..<length).map { k in thresholdSeeds.map { $0[k] }.max() ?? .nan }
        simulatedSettlingTimes = traces.map { trace in
            Self.settling(TraceMetrics.movingAverage(Array(trace.rate[window]), window: settings.window), settings: settings)
        }

        // Where the event starts: θ0 at start-up; after a shift, the threshold the seeds held just before it.
        let thetaStart = shiftStep == nil ? configuration.initialThreshold
            : traces.reduce(0) { $0 + $1.threshold[start] } / seedCount
        let x0 = thetaStart - after
        linearInitialRateError = -g * x0
        var exact: Double? = nil
        var distributionAt: ((Int) -> Distribution)? = nil
        if case .hard = configuration.gate.rule, configuration.gate.energyBudget == nil, case .model(let model) = scenario.scores,
           case .distribution(let base, _) = model {
            let stream = try ScenarioRunner.makeStream(scenario, seed: 1)
            distributionAt = { step in
                if case .distribution(let distribution, _) = stream.parameters(atStep: step) { return distribution }
                return base
            }
            exact = distributionAt!(start).exceedance(thetaStart) - target
        }
        exactInitialRateError = exact

        // 1. Linear.
        let linearSeries = Self.linearResponse(configuration: configuration, plantGain: g, idealThreshold: after, x0: x0,
                                               startStep: start, horizon: length)
        linear = Self.series(rate: linearSeries.rate, threshold: linearSeries.threshold, ideal: after, settings: settings)
        // 2. Mean-field.
        var meanFieldSaturated = 0.0
        if let distributionAt, var controller = try? Controller(configuration: configuration) {
            if shiftStep != nil {
                // Settle it on the pre-shift distribution first, as the seeds were.
                for step in 0..<start {
                    controller.update(observedRate: Self.expectedRate(passProbability: distributionAt(step).exceedance(controller.threshold),
                                                                      batchSize: scenario.batchSize, fallback: configuration.fallback))
                }
            }
            var rates: [Double] = [], thresholds: [Double] = []
            var saturatedCount = 0
            for step in start..<end {
                let theta = controller.threshold
                let rate = Self.expectedRate(passProbability: distributionAt(step).exceedance(theta), batchSize: scenario.batchSize,
                                             fallback: configuration.fallback)
                rates.append(rate)
                thresholds.append(theta)
                if controller.update(observedRate: rate)?.saturated == true { saturatedCount += 1 }
            }
            meanFieldSaturated = Double(saturatedCount) / Double(length)
            meanField = Self.series(rate: rates, threshold: thresholds, ideal: after, settings: settings)
        } else {
            meanField = nil
        }
        // 3. Simulated mean.
        simulated = Self.series(rate: meanRate, threshold: meanThreshold, ideal: after, settings: settings)
        simulated.smoothedRate = meanOver(smoothedSeeds)
        let measured = simulatedSettlingTimes.compactMap { $0 }
        simulated.settlingTime = measured.count == simulatedSettlingTimes.count && !measured.isEmpty
            ? Int((Double(measured.reduce(0, +)) / Double(measured.count)).rounded()) : nil

        var rateDifference = 0.0, thresholdDifference = 0.0
        for k in 0..<length {
            rateDifference += abs(linear.smoothedRate[k] - simulated.smoothedRate[k])
            thresholdDifference += abs(linear.threshold[k] - simulated.threshold[k])
        }
        rateIAE = rateDifference
        rateMeanAbsoluteDifferencePoints = 100 * rateDifference / Double(length)
        thresholdIAE = thresholdDifference

        let loopAnalysis = try? LoopAnalysis(configuration: configuration, point: point, band: settings.band)
        if let tau = loopAnalysis?.timeConstant {
            let e0 = abs(linearInitialRateError)
            dominantPoleSettlingEstimate = e0 > settings.band ? tau * log(e0 / settings.band) : 0
        } else {
            dominantPoleSettlingEstimate = nil
        }

        // Agreement and reasons.
        let predicted = self.linear.settlingTime, observed = self.simulated.settlingTime
        if let predicted, let observed {
            agrees = abs(Double(predicted - observed)) <= max(0.25 * Double(observed), Double(settings.window))
        } else {
            agrees = predicted == nil && observed == nil
        }
        var reasons: [String] = []
        let saturatedShare = traces.reduce(0.0) { sum, trace in
            sum + Double(trace.saturated[window].filter { $0 }.count) / Double(length)
        } / seedCount
        let fallbackShare = traces.reduce(0.0) { sum, trace in
            sum + Double(trace.fallback[window].filter { $0 }.count) / Double(length)
        } / seedCount
        if !point.insideBounds {
            reasons.append("saturation: θ* = \(Self.number(after)) lies outside the bounds [\(Self.number(configuration.thresholdBounds.lower)), "
                           + "\(Self.number(configuration.thresholdBounds.upper))], so the loop cannot reach the target; the linear model has no bounds")
        }
        if saturatedShare > 0.005 {
            reasons.append("saturation: the threshold was clipped at a bound in \(Self.percent(saturatedShare)) of the simulated batches"
                           + (self.meanField != nil ? " (\(Self.percent(meanFieldSaturated)) without noise)" : ""))
        }
        if let budget = configuration.gate.energyBudget, budget.sustainableRate < target {
            reasons.append("energy cap: the budget sustains at most \(Self.percent(budget.sustainableRate)) < target")
        }
        if let exact, abs(exact - linearInitialRateError) > 0.2 * max(abs(exact), settings.band) {
            reasons.append("plant nonlinearity: at θ = \(Self.number(thetaStart)) the exact rate error is \(Self.points(exact)) "
                           + "but the linear plant gives \(Self.points(linearInitialRateError)) (R(θ) is curved over the excursion"
                           + (target + linearInitialRateError < 0 || target + linearInitialRateError > 1 ? ", and the linear rate leaves [0, 1]" : "") + ")")
        }
        if let meanField = self.meanField {
            switch (meanField.settlingTime, observed) {
            case let (deterministic?, noisy?) where noisy > deterministic + max(settings.window, deterministic / 4):
                let tail = Self.tailSpread(smoothedSeeds, settings: settings)
                let sorted = measured.sorted()
                let median = sorted[sorted.count / 2]
                let latest = zip(scenario.seeds, simulatedSettlingTimes).max { ($0.1 ?? 0) < ($1.1 ?? 0) }
                reasons.append("noise: without sampling noise the loop settles at \(deterministic) batches, the seeds at "
                               + simulatedSettlingTimes.map { $0.map(String.init) ?? "-" }.joined(separator: " / ")
                               + " (median \(median), mean \(noisy)); settling is the last exit from the band, held to the end, so one late "
                               + "excursion of the \(settings.window)-batch moving average sets it"
                               + (latest.map { " (seed \($0.0) at \($0.1 ?? 0))" } ?? "")
                               + "; at steady state that average has sd \(Self.points(tail.sd)) against a ±\(Self.points(settings.band)) band "
                               + "(\(Self.percent(tail.outside)) of the tail outside)")
            default: break
            }
        } else if let observed, let predicted, observed > predicted + settings.window {
            let tail = Self.tailSpread(smoothedSeeds, settings: settings)
            reasons.append("noise: the \(settings.window)-batch moving average has sd \(Self.points(tail.sd)) at steady state against a ±\(Self.points(settings.band)) band; "
                           + "settling is the last exit from the band, held to the end")
        }
        if 1 / Double(scenario.batchSize) > settings.band {
            reasons.append("quantisation: one sample of a \(scenario.batchSize)-sample batch is \(Self.points(1 / Double(scenario.batchSize))), wider than the ±\(Self.points(settings.band)) band")
        }
        if fallbackShare > 0.01 {
            reasons.append("fallback: the floor added samples in \(Self.percent(fallbackShare)) of batches (left out of the linear model; the exact deterministic model includes its expected floor)")
        }
        if configuration.rateMeasurement == .cumulative {
            reasons.append("cumulative rate: the measurement's weight falls as 1/k; the linear model follows it step by step but the loop slows over the run")
        }
        if case .sigmoid = configuration.gate.rule {
            reasons.append("sigmoid gate: the rate is random even at a fixed threshold; g is an estimate")
        }
        if predicted == nil, observed != nil {
            reasons.append("the linear loop does not settle within the \(length) batches"
                           + (dominantPoleSettlingEstimate.map { " (dominant-pole estimate ≈ \(Int($0)) batches)" } ?? "")
                           + " but the simulation does: something outside the linear model holds the rate (see above)")
        }
        if observed == nil && !measured.isEmpty {
            reasons.append("only \(measured.count) of \(simulatedSettlingTimes.count) seeds settled within the \(length) batches")
        }
        if let detLinear = predicted, let meanField, let detMeanField = meanField.settlingTime,
           abs(Double(detLinear - detMeanField)) > max(Double(settings.window), 0.25 * Double(detMeanField)),
           !reasons.contains(where: { $0.hasPrefix("plant nonlinearity") || $0.hasPrefix("saturation") }) {
            reasons.append("nonlinearity: the linear model settles at \(detLinear), the exact deterministic loop at \(detMeanField) batches")
        }
        self.reasons = reasons
    }

    /// The linear loop from deviation `x0`, equilibrium EMA and integral (``LoopMatrix`` equations;
    /// a cumulative rate is followed with its weight `1/(k+1)` at absolute step `k`).
    package static func linearResponse(configuration: ControllerConfiguration, plantGain g: Double, idealThreshold: Double, x0: Double,
                               startStep: Int, horizon: Int) -> (rate: [Double], threshold: [Double]) {
        let alpha = configuration.emaAlpha, kp = configuration.proportionalGain, ki = configuration.integralGain
        let target = configuration.target
        var x = x0, previousError = 0.0, cumulative = 0.0
        // Positional: before the event, x0 = Ki·I (the integral held the old equilibrium).
        var integral = 0.0
        if case .positional = configuration.law, ki != 0 { integral = x0 / ki }
        var rates: [Double] = [], thresholds: [Double] = []
        rates.reserveCapacity(horizon)
        thresholds.reserveCapacity(horizon)
        for k in 0..<horizon {
            thresholds.append(idealThreshold + x)
            let deviation = -g * x
            rates.append(target + deviation)
            var measured = deviation
            if configuration.rateMeasurement == .cumulative {
                cumulative += (deviation - cumulative) / Double(startStep + k + 1)
                measured = cumulative
            }
            let error = alpha * measured + (1 - alpha) * previousError
            switch configuration.law {
            case .sundewIncremental:
                integral += error
                x = x + kp * error + ki * integral
            case .positional:
                integral += error
                x = kp * error + ki * integral
            case .velocity:
                x = x + kp * (error - previousError) + ki * error
            }
            previousError = error
        }
        return (rates, thresholds)
    }

    /// The expected observed rate of a batch of `B` scores that each pass with probability `p`,
    /// with the fallback's floor: `E[selected(N)]/B`, `N ~ Binomial(B, p)` (exact sum).
    /// - Parameters:
    ///   - p: Pass probability `R(θ)`.
    ///   - batchSize: `B`.
    ///   - fallback: The fallback; its picks count only when `countsTowardRate`.
    public static func expectedRate(passProbability p: Double, batchSize: Int, fallback: Fallback) -> Double {
        let minimum = fallback.minimumActive(batchSize: batchSize)
        guard minimum > 0, fallback.countsTowardRate, batchSize > 0, p > 0, p < 1 else {
            return minimum > 0 && fallback.countsTowardRate && p <= 0 ? Double(fallback.selectedCount(passed: 0, batchSize: batchSize)) / Double(batchSize) : p
        }
        let b = Double(batchSize)
        var expectation = 0.0
        for n in 0...batchSize {
            let k = Double(n)
            let logPMF = lgamma(b + 1) - lgamma(k + 1) - lgamma(b - k + 1) + k * log(p) + (b - k) * log1p(-p)
            expectation += exp(logPMF) * Double(fallback.selectedCount(passed: n, batchSize: batchSize))
        }
        return expectation / b
    }

    static func series(rate: [Double], threshold: [Double], ideal: Double, settings: MetricSettings) -> ResponseSeries {
        let smoothed = TraceMetrics.movingAverage(rate, window: settings.window)
        return ResponseSeries(rate: rate, smoothedRate: smoothed, threshold: threshold, settlingTime: settling(smoothed, settings: settings),
                              thresholdStepInfo: StepInfo.compute(threshold, final: ideal),
                              rateStepInfo: StepInfo.compute(smoothed, final: settings.target))
    }

    /// The scenario's settling rule on an already smoothed rate: the step after the last one outside the band.
    static func settling(_ smoothed: [Double], settings: MetricSettings) -> Int? {
        guard let lastOut = smoothed.lastIndex(where: { abs($0 - settings.target) > settings.band }) else { return 0 }
        return lastOut + 1 < smoothed.count ? lastOut + 1 : nil
    }

    /// The sd of the smoothed rate over the steady-state tail, and the share of tail steps outside the band.
    static func tailSpread(_ seeds: [[Double]], settings: MetricSettings) -> (sd: Double, outside: Double) {
        var values: [Double] = []
        for series in seeds {
            let from = min(series.count - 1, Int(Double(series.count) * (1 - settings.steadyStateFraction)))
            values += series[from...]
        }
        guard values.count > 1 else { return (0, 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        let outside = Double(values.filter { abs($0 - settings.target) > settings.band }.count) / Double(values.count)
        return (variance.squareRoot(), outside)
    }

    static func number(_ value: Double) -> String { String(format: "%.4g", value) }
    static func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }
    static func points(_ value: Double) -> String { String(format: "%.2f pt", value * 100) }
}
