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
}

/// The expected gate rate `R(θ)` for a score model, and its operating point.
public enum PlantModel {
    /// Samples drawn when the gain must be estimated.
    public static let sampleSize = 200_000

    /// The operating point of `configuration` on `scenario` at `step`.
    /// - Parameters:
    ///   - scenario: The scenario (its score model and batch size).
    ///   - configuration: The controller (its gate and target).
    ///   - step: The step whose score distribution is linearised.
    public static func operatingPoint(scenario: Scenario, configuration: ControllerConfiguration, step: Int) throws(InputError) -> OperatingPoint {
        let target = configuration.target
        let bounds = configuration.thresholdBounds
        if case .recorded(let recorded) = scenario.scores {
            // Pool a window of recorded batches around the step (the KDE needs more than one batch).
            let step = min(step, recorded.steps - 1)
            return operatingPoint(samples: recorded.pooled(step: step, halfWidth: 100), configuration: configuration)
        }
        var stream = try ScenarioRunner.makeStream(scenario, seed: 7919)
        if case .hard = configuration.gate.rule, case .distribution(let distribution, _) = stream.parameters(atStep: step) {
            do {
                let threshold = try distribution.upperQuantile(target)
                return OperatingPoint(threshold: threshold, plantGain: distribution.density(threshold), isEstimate: false,
                                      method: "exact: g = pdf(θ*) with θ* = Q⁻¹(target)",
                                      insideBounds: threshold >= bounds.lower && threshold <= bounds.upper)
            } catch {
                throw InputError(file: scenario.file ?? scenario.name, line: 0, field: "scores", message: error.description)
            }
        }
        // Sample the step's distribution.
        let batches = max(1, sampleSize / scenario.batchSize)
        var samples = [Double](repeating: 0, count: batches * scenario.batchSize)
        samples.withUnsafeMutableBufferPointer { buffer in
            for batch in 0..<batches {
                let slice = UnsafeMutableBufferPointer(rebasing: buffer[(batch * scenario.batchSize)..<((batch + 1) * scenario.batchSize)])
                stream.fill(step: step, into: slice)
            }
        }
        return operatingPoint(samples: samples, configuration: configuration)
    }

    /// The operating point estimated from score samples (recorded traces, formula models).
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
