import Foundation
import PIControl
import SignificanceModels

/// Where the loop sits in equilibrium and how strongly the rate reacts to the threshold there.
public struct OperatingPoint: Sendable, Equatable, Codable {
    /// `θ_op`: the threshold at which the expected rate equals the target.
    public var threshold: Double
    /// `g = −dR/dθ` at `θ_op`: rate lost per unit of threshold.
    public var plantGain: Double
    /// Whether `g` (and `θ_op`) come from samples (kernel density / empirical rate) rather than a closed form.
    public var isEstimate: Bool
    /// How `g` was obtained, in words.
    public var method: String
    /// Whether `θ_op` lies inside the controller's threshold bounds (otherwise the loop saturates).
    public var insideBounds: Bool

    /// - Parameters:
    ///   - threshold: `θ_op`.
    ///   - plantGain: `g = −dR/dθ` at `θ_op`.
    ///   - isEstimate: Whether `g` comes from samples.
    ///   - method: How `g` was obtained.
    ///   - insideBounds: Whether `θ_op` lies inside the threshold bounds.
    public init(threshold: Double, plantGain: Double, isEstimate: Bool, method: String, insideBounds: Bool) {
        self.threshold = threshold
        self.plantGain = plantGain
        self.isEstimate = isEstimate
        self.method = method
        self.insideBounds = insideBounds
    }
}

/// The expected gate rate `R(θ)` for a score model, and its operating point.
public enum PlantModel {
    /// Samples drawn when the gain must be estimated.
    public static let sampleSize = 200_000

    /// The operating point of largest plant gain over the run: the most demanding for
    /// stability, since a drifting scenario changes the gain over time. Samples the last step
    /// and about 8 evenly spaced steps before it.
    /// - Parameters:
    ///   - scenario: The scenario.
    ///   - configuration: The controller (its target).
    /// - Throws: ``InputError`` for an invalid model.
    public static func largestPlantGainPoint(scenario: Scenario, configuration: ControllerConfiguration) throws(InputError) -> OperatingPoint {
        var point = try operatingPoint(scenario: scenario, configuration: configuration, step: scenario.steps - 1)
        for step in stride(from: 0, to: scenario.steps - 1, by: max(1, scenario.steps / 8)) {
            let candidate = try operatingPoint(scenario: scenario, configuration: configuration, step: step)
            if candidate.plantGain > point.plantGain { point = candidate }
        }
        return point
    }


    /// The operating point of `configuration` on `scenario` at `step`.
    /// - Parameters:
    ///   - scenario: The scenario (its score model and batch size).
    ///   - configuration: The controller (its gate and target).
    ///   - step: The step whose score distribution is linearised.
    public static func operatingPoint(scenario: Scenario, configuration: ControllerConfiguration, step: Int) throws(InputError) -> OperatingPoint {
        try operatingPoints(scenario: scenario, configuration: configuration, steps: [step])[0]
    }

    /// The operating points of `configuration` at each of `steps` (one score stream for all).
    /// - Parameters:
    ///   - scenario: The scenario (its score model and batch size).
    ///   - configuration: The controller (its gate and target).
    ///   - steps: Steps in `0..<scenario.steps`.
    ///   - sampleSize: Samples drawn per step when the gain must be estimated.
    /// - Throws: ``InputError`` naming field `step` for a step outside the run, or `scores` for an invalid model.
    public static func operatingPoints(scenario: Scenario, configuration: ControllerConfiguration, steps: [Int],
                                       sampleSize: Int = PlantModel.sampleSize) throws(InputError) -> [OperatingPoint] {
        let bounds = configuration.thresholdBounds
        if let bad = steps.first(where: { $0 < 0 || $0 >= scenario.steps }) {
            throw InputError(file: nil, field: "--step", expected: "a step in 0..<\(scenario.steps) (the scenario's steps)", actual: "\(bad)")
        }
        if case .recorded(let recorded) = scenario.scores {
            // Pool a window of recorded batches around the step (the KDE needs more than one batch).
            return steps.map { step in
                operatingPoint(samples: recorded.pooled(step: min(step, recorded.steps - 1), halfWidth: 100), configuration: configuration)
            }
        }
        let stream = try ScenarioRunner.makeStream(scenario, seed: 7919)
        var result: [OperatingPoint] = []
        result.reserveCapacity(steps.count)
        var samples: [Double] = []
        // A stream's batch k depends only on (seed, k): distinct samples need one stream per batch.
        var samplers: [ScoreStream] = []
        let batches = max(1, sampleSize / scenario.batchSize)
        for step in steps {
            if case .hard = configuration.gate.rule, case .distribution(let distribution, _) = stream.parameters(atStep: step) {
                do {
                    let threshold = try distribution.upperQuantile(configuration.target)
                    result.append(OperatingPoint(threshold: threshold, plantGain: distribution.density(threshold), isEstimate: false,
                                                 method: "exact: g = pdf(θ*) with θ* = Q⁻¹(target)",
                                                 insideBounds: threshold >= bounds.lower && threshold <= bounds.upper))
                    continue
                } catch {
                    throw InputError(model: error, in: scenario)
                }
            }
            // Sample the step's distribution, one batch per stream.
            if samplers.isEmpty {
                samplers.append(stream)
                for index in 1..<batches { samplers.append(try ScenarioRunner.makeStream(scenario, seed: 7919 + UInt64(index))) }
            }
            if samples.count != batches * scenario.batchSize { samples = [Double](repeating: 0, count: batches * scenario.batchSize) }
            samples.withUnsafeMutableBufferPointer { buffer in
                for batch in 0..<batches {
                    let slice = UnsafeMutableBufferPointer(rebasing: buffer[(batch * scenario.batchSize)..<((batch + 1) * scenario.batchSize)])
                    samplers[batch].fill(step: step, into: slice)
                }
            }
            result.append(operatingPoint(samples: samples, configuration: configuration))
        }
        return result
    }

    /// The operating point estimated from score samples (recorded traces, formula models).
    /// - Parameters:
    ///   - unsorted: Score samples (non-finite ones are dropped).
    ///   - configuration: The controller whose target rate fixes the operating point.
    public static func operatingPoint(samples unsorted: [Double], configuration: ControllerConfiguration) -> OperatingPoint {
        let samples = unsorted.filter(\.isFinite).sorted()
        let target = configuration.target
        let bounds = configuration.thresholdBounds
        let bandwidth = KernelDensity.silvermanBandwidth(sortedSamples: samples)
        switch configuration.gate.rule {
        case .hard:
            let threshold = KernelDensity.upperQuantile(sortedSamples: samples, probability: target)
            let gain = KernelDensity.density(at: threshold, sortedSamples: samples, bandwidth: bandwidth)
            return OperatingPoint(threshold: threshold, plantGain: gain, isEstimate: true,
                                  method: "estimate: empirical quantile and Gaussian KDE (Silverman bandwidth \(bandwidth)) over \(samples.count) samples",
                                  insideBounds: threshold >= bounds.lower && threshold <= bounds.upper)
        case .sigmoid(let temperature, let scope):
            func rate(_ theta: Double) -> Double {
                var sum = 0.0
                for score in samples where scope == .everywhere || score > theta {
                    sum += 1 / (1 + exp(-(score - theta) / temperature))
                }
                return sum / Double(samples.count)
            }
            // R is decreasing in θ: bisect R(θ) = target over a bracket around the data.
            var low = (samples.first ?? 0) - 20 * temperature, high = (samples.last ?? 1) + 20 * temperature
            for _ in 0..<80 {
                let middle = 0.5 * (low + high)
                if rate(middle) > target { low = middle } else { high = middle }
            }
            let threshold = 0.5 * (low + high)
            var gain = 0.0
            for score in samples where scope == .everywhere || score > threshold {
                let sigma = 1 / (1 + exp(-(score - threshold) / temperature))
                gain += sigma * (1 - sigma) / temperature
            }
            gain /= Double(samples.count)
            if scope == .aboveThreshold {
                // The seed variant also loses the jump σ(0)·f(θ) at s = θ.
                gain += 0.5 * KernelDensity.density(at: threshold, sortedSamples: samples, bandwidth: bandwidth)
            }
            return OperatingPoint(threshold: threshold, plantGain: gain, isEstimate: true,
                                  method: "estimate: expected sigmoid-gate rate over \(samples.count) samples, analytic derivative"
                                      + (scope == .aboveThreshold ? " plus KDE jump term" : ""),
                                  insideBounds: threshold >= bounds.lower && threshold <= bounds.upper)
        }
    }
}
