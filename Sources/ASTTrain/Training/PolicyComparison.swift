import Foundation

/// One policy's line in a comparison.
public struct PolicyOutcome: Sendable, Equatable, Codable {
    public var policy: SelectionPolicy
    public var testAccuracy: Double
    /// Training-loop wall-clock seconds (evaluation excluded).
    public var wallSeconds: Double
    public var samplesForwarded: Int
    public var samplesBackpropagated: Int
    public var operations: Double
    /// `1 − operations / operations(full)`; operations(full) counted for the same data.
    public var computeSaved: Double
    /// Mean and standard deviation of the per-batch activation rate.
    public var activationRateMean: Double
    public var activationRateStandardDeviation: Double
    /// `wall(full) / wall(policy)`, only when `full` ran in the same comparison.
    public var measuredSpeedup: Double?
    /// `(F + Bw) / (F + s·Bw)` at this policy's activation rate `s`.
    public var upperBoundSpeedup: Double
    /// The full result, for files.
    public var result: TrainingResult
}

/// The outcome of ``PolicyComparison/run(dataset:options:policies:progress:)``.
public struct ComparisonReport: Sendable, Equatable, Codable {
    public var outcomes: [PolicyOutcome]
    /// Seconds per sample of the forward (`F`) and backward (`Bw`) passes used for the bound.
    public var forwardSecondsPerSample: Double
    public var backwardSecondsPerSample: Double
    /// Whether `F` and `Bw` are measured (from the `full` run) or estimated.
    public var upperBoundIsEstimate: Bool
    /// How the bound was obtained, in words and formula.
    public var upperBoundNote: String
}

/// Runs several policies on the same data order and the same initial weights (same seed).
public enum PolicyComparison {
    /// - Parameters:
    ///   - dataset: The data.
    ///   - options: Shared options; `policy` is replaced by each entry of `policies`.
    ///   - policies: Policies to run, in order (put `full` first for measured figures).
    ///   - progress: Called with each policy's progress.
    /// - Returns: One outcome per policy.
    /// - Throws: The first policy's ``TrainingError``.
    public static func run(dataset: Dataset, options: TrainingOptions, policies: [SelectionPolicy],
                           progress: ((SelectionPolicy, TrainingProgress) -> Void)? = nil) throws(TrainingError) -> ComparisonReport {
        var results: [TrainingResult] = []
        var fullOperations = 0.0
        var forwardPerSampleOperations = 0.0, backwardPerSampleOperations = 0.0
        for policy in policies {
            var policyOptions = options
            policyOptions.policy = policy
            let trainer = try Trainer(dataset: dataset, options: policyOptions)
            if results.isEmpty {
                // Full training of the same data: every row forwarded and back-propagated, one update per batch.
                let counts = trainer.network.operationCount(batchSize: 1, backwardRows: 1)
                forwardPerSampleOperations = counts.forward
                backwardPerSampleOperations = counts.backward
                let samples = Double(trainer.trainCount * options.epochs)
                fullOperations = samples * (counts.forward + counts.backward)
                    + Double(trainer.batchesPerEpoch * options.epochs) * trainer.engine.optimizer.operationsPerUpdate
            }
            results.append(try trainer.run { progress?(policy, $0) })
        }
        let fullResult = results.first { $0.options.policy == .full }
        let forwardSeconds: Double, backwardSeconds: Double, isEstimate: Bool, note: String
        if let fullResult {
            let forwardTime = fullResult.epochs.reduce(0) { $0 + $1.seconds.forward }
            let backwardTime = fullResult.epochs.reduce(0) { $0 + $1.seconds.backward }
            forwardSeconds = forwardTime / Double(max(1, fullResult.samplesForwarded))
            backwardSeconds = backwardTime / Double(max(1, fullResult.samplesBackpropagated))
            isEstimate = false
            note = "measured: F and Bw are the full run's forward and backward seconds per sample; bound = (F + Bw)/(F + s·Bw)"
        } else {
            forwardSeconds = forwardPerSampleOperations
            backwardSeconds = backwardPerSampleOperations
            isEstimate = true
            note = "ESTIMATE (no full run): F and Bw are counted FLOPs per sample (forward \(forwardPerSampleOperations), backward \(backwardPerSampleOperations)); bound = (F + Bw)/(F + s·Bw)"
        }
        let outcomes = results.map { result -> PolicyOutcome in
            let rates = result.epochs.flatMap { $0.batches.map(\.rate) }
            let mean = rates.reduce(0, +) / Double(max(1, rates.count))
            let variance = rates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, rates.count))
            let rate = Double(result.samplesBackpropagated) / Double(max(1, result.samplesForwarded))
            let measured = fullResult.map { $0.wallSeconds / max(result.wallSeconds, 1e-12) }
            return PolicyOutcome(
                policy: result.options.policy, testAccuracy: result.finalTestAccuracy ?? 0, wallSeconds: result.wallSeconds,
                samplesForwarded: result.samplesForwarded, samplesBackpropagated: result.samplesBackpropagated,
                operations: result.operations, computeSaved: 1 - result.operations / fullOperations,
                activationRateMean: mean, activationRateStandardDeviation: variance.squareRoot(),
                measuredSpeedup: measured,
                upperBoundSpeedup: (forwardSeconds + backwardSeconds) / (forwardSeconds + rate * backwardSeconds),
                result: result)
        }
        return ComparisonReport(outcomes: outcomes, forwardSecondsPerSample: isEstimate ? 0 : forwardSeconds,
                                backwardSecondsPerSample: isEstimate ? 0 : backwardSeconds,
                                upperBoundIsEstimate: isEstimate, upperBoundNote: note)
    }
}
