import Foundation
import PIControl

/// The per-batch threshold and rate of one run of the loop (trained in closed loop, or an
/// open-loop replay of recorded scores), split into epochs.
public struct LoopRun: Sendable, Equatable {
    public var threshold: [Double]
    public var rate: [Double]
    /// Batches per epoch, in order; they sum to `rate.count`.
    public var epochLengths: [Int]

    /// - Parameters:
    ///   - threshold: `θ_k` per batch.
    ///   - rate: The realised rate per batch.
    ///   - epochLengths: Batches per epoch.
    public init(threshold: [Double], rate: [Double], epochLengths: [Int]) {
        self.threshold = threshold
        self.rate = rate
        self.epochLengths = epochLengths
    }
}

/// A value over seeds: the mean and the range.
public struct SeedInterval: Sendable, Equatable, Codable {
    public var mean: Double
    public var low: Double
    public var high: Double

    /// - Parameter values: One value per seed (non-empty; non-finite values are skipped).
    public init(_ values: [Double]) {
        let finite = values.filter(\.isFinite)
        mean = finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
        low = finite.min() ?? .nan
        high = finite.max() ?? .nan
    }
}

/// One epoch: the closed loop against the open-loop replay.
public struct EpochConfirmation: Sendable, Equatable, Codable {
    public var epoch: Int
    public var closedRateMean: SeedInterval
    public var closedRateSD: SeedInterval
    public var replayRateMean: SeedInterval
    public var replayRateSD: SeedInterval
    public var closedThresholdMean: SeedInterval
    public var replayThresholdMean: SeedInterval
    /// The empirical `θ*` (upper `target` quantile) of the closed loop's own scores, and of the recording's.
    public var closedIdealThreshold: SeedInterval?
    public var recordingIdealThreshold: Double?
}

/// Simulated (open-loop replay of an independent recording) against trained (closed loop):
/// what a user needs before trusting gains tuned on recorded scores.
public struct Confirmation: Sendable, Equatable, Codable {
    public var epochs: [EpochConfirmation]
    /// Whole-run metrics (on the scenario rules: moving average, band held to the end), over seeds.
    public var closedSettlingTimes: [Int?]
    public var replaySettlingTimes: [Int?]
    public var closedSteadyStateError: SeedInterval
    public var replaySteadyStateError: SeedInterval
    public var closedRMSError: SeedInterval
    public var replayRMSError: SeedInterval
    /// Share of batches whose threshold sits at a bound.
    public var closedSaturation: SeedInterval
    public var replaySaturation: SeedInterval
    /// Mean over epochs of `|mean rate closed − mean rate replay|`, in rate units.
    public var meanRateGap: Double
    /// Mean over epochs of the closed loop's `θ*` minus the recording's: how far training moved
    /// the score distribution in response to the selection (`nil` without scores).
    public var idealThresholdShift: Double?
    /// Plain sentences.
    public var findings: [String]

    /// - Parameters:
    ///   - closed: One closed-loop run per training seed.
    ///   - replay: One replay per seed (same seeds), split like the recording's epochs.
    ///   - settings: Target, band and window for the whole-run metrics.
    ///   - bounds: The controller's threshold bounds (saturation = θ at a bound).
    ///   - closedScores: Per seed, per epoch, the closed loop's scores (for its `θ*`), or `nil`.
    ///   - recordingScores: Per epoch, the recording's scores, or `nil`.
    public init(closed: [LoopRun], replay: [LoopRun], settings: MetricSettings, bounds: ThresholdBounds,
                closedScores: [[[Double]]]? = nil, recordingScores: [[Double]]? = nil) {
        func split(_ run: LoopRun, _ values: [Double]) -> [[Double]] {
            var parts: [[Double]] = [], start = 0
            for length in run.epochLengths {
                let end = min(values.count, start + length)
                parts.append(Array(values[start..<end]))
                start = end
            }
            return parts
        }
        func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
        func sd(_ values: [Double]) -> Double {
            guard values.count > 1 else { return .nan }
            let m = mean(values)
            return (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
        }
        func ideal(_ scores: [Double]) -> Double {
            KernelDensity.upperQuantile(sortedSamples: scores.filter(\.isFinite).sorted(), probability: settings.target)
        }
        let epochCount = min(closed.map(\.epochLengths.count).min() ?? 0, replay.map(\.epochLengths.count).min() ?? 0)
        let closedRates = closed.map { split($0, $0.rate) }, replayRates = replay.map { split($0, $0.rate) }
        let closedThresholds = closed.map { split($0, $0.threshold) }, replayThresholds = replay.map { split($0, $0.threshold) }
        var epochs: [EpochConfirmation] = []
        for epoch in 0..<epochCount {
            epochs.append(EpochConfirmation(
                epoch: epoch + 1,
                closedRateMean: SeedInterval(closedRates.map { mean($0[epoch]) }),
                closedRateSD: SeedInterval(closedRates.map { sd($0[epoch]) }),
                replayRateMean: SeedInterval(replayRates.map { mean($0[epoch]) }),
                replayRateSD: SeedInterval(replayRates.map { sd($0[epoch]) }),
                closedThresholdMean: SeedInterval(closedThresholds.map { mean($0[epoch]) }),
                replayThresholdMean: SeedInterval(replayThresholds.map { mean($0[epoch]) }),
                closedIdealThreshold: closedScores.map { seeds in SeedInterval(seeds.compactMap { $0.indices.contains(epoch) ? ideal($0[epoch]) : nil }) },
                recordingIdealThreshold: recordingScores.flatMap { $0.indices.contains(epoch) ? ideal($0[epoch]) : nil }))
        }
        self.epochs = epochs

        func metrics(_ run: LoopRun) -> RunMetrics {
            let saturated = run.threshold.map { $0 <= bounds.lower || $0 >= bounds.upper }
            return TraceMetrics.compute(rate: run.rate, saturated: saturated, threshold: run.threshold,
                                        idealThreshold: [], settings: settings, includeOscillationPeriod: false)
        }
        let closedMetrics = closed.map(metrics), replayMetrics = replay.map(metrics)
        closedSettlingTimes = closedMetrics.map(\.settlingTime)
        replaySettlingTimes = replayMetrics.map(\.settlingTime)
        closedSteadyStateError = SeedInterval(closedMetrics.map(\.steadyStateMeanError))
        replaySteadyStateError = SeedInterval(replayMetrics.map(\.steadyStateMeanError))
        closedRMSError = SeedInterval(closedMetrics.map(\.steadyStateRMSError))
        replayRMSError = SeedInterval(replayMetrics.map(\.steadyStateRMSError))
        closedSaturation = SeedInterval(closedMetrics.map(\.fractionSaturated))
        replaySaturation = SeedInterval(replayMetrics.map(\.fractionSaturated))
        meanRateGap = mean(epochs.map { abs($0.closedRateMean.mean - $0.replayRateMean.mean) })
        let shifts = epochs.compactMap { epoch -> Double? in
            guard let closedIdeal = epoch.closedIdealThreshold?.mean, let recorded = epoch.recordingIdealThreshold else { return nil }
            return closedIdeal - recorded
        }
        idealThresholdShift = shifts.isEmpty ? nil : mean(shifts)

        var findings: [String] = []
        let points = { (value: Double) in String(format: "%.2f pt", value * 100) }
        findings.append("mean rate per epoch: closed loop and replay differ by \(points(meanRateGap)) on average over \(epochCount) epochs")
        if let shift = idealThresholdShift, let first = epochs.first?.recordingIdealThreshold {
            findings.append("training in closed loop moved the scores' θ* by \(String(format: "%+.4g", shift)) on average "
                            + "(recording's epoch-1 θ* \(String(format: "%.4g", first))): "
                            + (abs(shift) > 0.05 * max(abs(first), 1e-9) ? "the selection changes the score distribution, so a replay is only an approximation"
                                : "the selection barely changes the score distribution"))
        }
        let closedSat = closedSaturation.mean, replaySat = replaySaturation.mean
        if abs(closedSat - replaySat) > 0.05 {
            findings.append("saturation: \(String(format: "%.1f", closedSat * 100)) % of batches at a bound in closed loop against \(String(format: "%.1f", replaySat * 100)) % in the replay")
        }
        self.findings = findings
    }
}
