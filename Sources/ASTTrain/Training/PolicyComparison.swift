import Foundation

/// A mean over runs with its spread and a 95 % Student-t interval.
public struct Interval: Sendable, Equatable, Codable {
    public var mean: Double
    /// Sample standard deviation (n − 1); 0 for one run.
    public var standardDeviation: Double
    /// `mean ± t(0.975, n − 1)·sd/√n`; equal to the mean for one run (no interval).
    public var lower: Double
    public var upper: Double
    /// Runs.
    public var count: Int

    /// - Parameter values: At least one value.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let n = Double(values.count)
        let average = values.reduce(0, +) / n
        let squares = values.reduce(0) { $0 + ($1 - average) * ($1 - average) }
        let deviation = values.count > 1 ? (squares / (n - 1)).squareRoot() : 0
        let half = values.count > 1 ? StudentT.quantile(0.975, degreesOfFreedom: n - 1) * deviation / n.squareRoot() : 0
        mean = average
        standardDeviation = deviation
        lower = average - half
        upper = average + half
        count = values.count
    }
}

/// One policy trained with one seed.
public struct PolicyRun: Sendable, Equatable, Codable {
    public var policy: SelectionPolicy
    public var seed: UInt64
    public var result: TrainingResult
}

/// One policy over every seed.
public struct PolicySummary: Sendable, Equatable, Codable {
    public var policy: SelectionPolicy
    /// Final test accuracy (the whole test set) and training-loop seconds.
    public var accuracy: Interval
    public var trainSeconds: Interval
    /// Mean per run.
    public var samplesForwarded: Double
    public var samplesBackpropagated: Double
    public var samplesRefreshed: Double
    public var operations: Double
    /// `1 − FLOPs / FLOPs(full training of the same data)`.
    public var computeSaved: Double
    /// Mean phase seconds per run.
    public var seconds: PhaseSeconds
    /// Mean and standard deviation of the per-batch back-propagated share.
    public var activationRateMean: Double
    public var activationRateStandardDeviation: Double
    /// `wall(full)/wall(policy)`, per seed, when `full` ran.
    public var measuredSpeedup: Interval?
    /// The policy's speedup bound over `full`, see ``PolicyComparison``.
    public var bound: Double
    /// How ``bound`` was obtained.
    public var boundNote: String
    /// The mean measured speedup lies above ``bound``.
    public var breachesBound: Bool
    /// For a breach: ``bound`` lies inside the measured speedup's 95 % interval over the seeds,
    /// so the excess is within the seeds' spread (false when there is no breach, or when the
    /// whole interval lies above the bound).
    public var breachIsWithinSpread: Bool
    /// Training seconds to first reach ``ComparisonReport/reachAccuracy`` on the curve, over
    /// the seeds that reached it (``reachedSeeds`` of them).
    public var secondsToReach: Interval?
    public var reachedSeeds: Int
    /// Curve accuracy at ``ComparisonReport/budgetSeconds`` of training.
    public var accuracyAtBudget: Interval?
}

/// The outcome of ``PolicyComparison/run(dataset:options:policies:seeds:reach:progress:)``.
///
/// Curves are linear between their points: the time to reach an accuracy and the accuracy at
/// a time are read off the segments.
public struct ComparisonReport: Sendable, Equatable, Codable {
    public var seeds: [UInt64]
    public var runs: [PolicyRun]
    public var summaries: [PolicySummary]
    /// The curve accuracy that "time to accuracy" means, and where it came from.
    public var reachAccuracy: Double?
    public var reachSource: String
    /// The training seconds at which accuracies are compared (the shortest mean run).
    public var budgetSeconds: Double?
    /// The full runs' backward seconds per row (`Bw`), or `nil` without a full run.
    public var backwardSecondsPerRow: Double?
    /// Every bound breach, explained.
    public var warnings: [String]
}

/// Runs policies on the same data order and initial weights, once per seed, and summarises
/// them honestly.
///
/// - Interleaving: for each seed every policy's trainer is built, then the policies take
///   turns epoch by epoch (epoch 1 of each, then epoch 2 of each, …), each epoch after one
///   untimed warm-up step (``Trainer/warmUp()``). So no policy alone pays for a cold start, and a
///   slow stretch of the shared machine lands on every policy's epochs alike instead of on
///   the policy that happened to run then: run by run, `full` (the denominator of every
///   speedup) cost 3–4 % more per sample than the same work in `infobatch`'s first epoch in
///   both headline runs of 2026-12-01. Each trainer keeps its own data order, weights and
///   random streams, so the results are those of running the policies one after another.
/// - Bound: a policy that forwards a share `f` and back-propagates a share `s` of the epoch's
///   samples can at best be `(F + Bw)/(f·F + s·Bw)` times faster than `full`, with `F` that
///   policy's own measured forward seconds per forwarded sample and `Bw` the full run's backward
///   seconds per row (same seed). For fresh-score policies `f = 1`: `(F + Bw)/(F + s·Bw)`; for
///   `uniform` `f = s`: `1/s`. Selection, scoring and the update are left out, so a measured
///   speedup above the bound is flagged, never shown silently. Without a full run, `F` and `Bw`
///   are counted FLOPs per sample, labelled as an estimate.
public enum PolicyComparison {
    /// - Parameters:
    ///   - dataset: The data.
    ///   - options: Shared options; `policy` and `seed` are replaced by each run's.
    ///   - policies: Distinct policies, in run order.
    ///   - seeds: Seeds; every policy runs with every seed.
    ///   - reach: The curve accuracy for time-to-accuracy, or `nil` for what `uniform` reaches
    ///     at the end (mean over seeds).
    ///   - progress: Called with each run's progress.
    /// - Returns: Every run and a summary per policy.
    /// - Throws: ``TrainingError``, or ``TrainingError/invalidOption(_:)``
    ///   for repeated policies or seeds.
    public static func run(dataset: Dataset, options: TrainingOptions, policies: [SelectionPolicy], seeds: [UInt64],
                           reach: Double? = nil,
                           progress: ((SelectionPolicy, UInt64, TrainingProgress) -> Void)? = nil) throws(TrainingError) -> ComparisonReport {
        try run(dataset: dataset, options: options, policies: policies, seeds: seeds, reach: reach,
                memoryLimit: TrainingMemory.limit, progress: progress)
    }

    /// ``run(dataset:options:policies:seeds:reach:progress:)`` held to `memoryLimit` bytes for
    /// the trainers alive together (one per policy): the buffers the first trainer holds times
    /// the policies, checked before the others are built.
    package static func run(dataset: Dataset, options: TrainingOptions, policies: [SelectionPolicy], seeds: [UInt64],
                            reach: Double?, memoryLimit: Double,
                            progress: ((SelectionPolicy, UInt64, TrainingProgress) -> Void)?) throws(TrainingError) -> ComparisonReport {
        guard !policies.isEmpty, Set(policies).count == policies.count else {
            throw .invalidOption(TrainingOptionError(field: "--policies", expected: "distinct policies", actual: policies.map(\.rawValue).joined(separator: ",")))
        }
        guard !seeds.isEmpty, Set(seeds).count == seeds.count else {
            throw .invalidOption(TrainingOptionError(field: "--seeds", expected: "distinct seeds", actual: seeds.map(String.init).joined(separator: ",")))
        }
        var runs: [PolicyRun] = []
        var fullOperations = 0.0, operationsPerSample = (forward: 0.0, backward: 0.0)
        for seed in seeds {
            var trainers: [(policy: SelectionPolicy, trainer: Trainer)] = []
            for policy in policies {
                var runOptions = options
                runOptions.policy = policy
                runOptions.seed = seed
                let trainer = try Trainer(dataset: dataset, options: runOptions)
                if runs.isEmpty && trainers.isEmpty {
                    let perTrainer = Double(heldBufferBytes(trainer))
                    let needed = perTrainer * Double(policies.count)
                    guard needed <= memoryLimit else {
                        throw .invalidOption(TrainingOptionError(
                            field: "--policies",
                            expected: "trainers within \(TrainingMemory.describe(limit: memoryLimit)), all of a seed's policies "
                                + "alive together: fewer policies or a smaller --batch-size",
                            actual: "\(policies.count) trainers × \(TrainingMemory.gigabytes(perTrainer)) held by the first = "
                                + TrainingMemory.gigabytes(needed)))
                    }
                    let counts = trainer.network.operationCount(batchSize: 1, backwardRows: 1)
                    operationsPerSample = (counts.forward, counts.backward)
                    fullOperations = Double(trainer.trainCount * options.epochs) * (counts.forward + counts.backward)
                        + Double(trainer.batchesPerEpoch * options.epochs) * trainer.engine.optimizer.operationsPerUpdate
                }
                trainers.append((policy, trainer))
            }
            for _ in 0..<options.epochs {
                for (policy, trainer) in trainers {
                    trainer.warmUp()
                    try trainer.trainEpoch { progress?(policy, seed, $0) }
                }
            }
            for (policy, trainer) in trainers {
                runs.append(PolicyRun(policy: policy, seed: seed, result: trainer.result))
            }
        }
        return summarise(runs: runs, policies: policies, seeds: seeds, reach: reach, fullOperations: fullOperations,
                         operationsPerSample: operationsPerSample)
    }

    /// Whether a policy's measured speedup breaks its bound, and the warning that says so.
    struct BoundCheck: Equatable {
        let breaches: Bool
        let withinSpread: Bool
        let warning: String?
    }

    /// A breach is a mean speedup above the bound; it is within the seeds' spread when the
    /// bound lies inside the speedup's 95 % interval (so timing noise between runs explains it).
    /// - Parameters:
    ///   - policy: The policy (not `full`).
    ///   - speedup: Its speedup per seed over `full`'s run of the same seed, `nil` without one.
    ///   - bound: Its bound.
    static func boundCheck(policy: SelectionPolicy, speedup: Interval?, bound: Double) -> BoundCheck {
        guard let speedup, speedup.mean > bound else { return BoundCheck(breaches: false, withinSpread: false, warning: nil) }
        let withinSpread = speedup.count > 1 && speedup.lower <= bound
        let excess = String(format: "%.1f", 100 * (speedup.mean / bound - 1))
        var warning = "\(policy.rawValue): measured speedup \(String(format: "%.2f", speedup.mean))×"
        if speedup.count > 1 { warning += " [\(String(format: "%.2f", speedup.lower)), \(String(format: "%.2f", speedup.upper))]" }
        warning += " lies above its bound \(String(format: "%.2f", bound))×, by \(excess) %. "
        warning += withinSpread
            ? "The bound lies inside the speedup's 95 % interval over the seeds: the excess is within their spread (timing noise between runs). "
            : (speedup.count > 1 ? "The whole 95 % interval over the seeds lies above the bound: the excess is not the seeds' spread. "
                                 : "One seed: no interval to judge the noise by. ")
        warning += "The bound prices a forwarded sample at this policy's own forward cost and a back-propagated row at the full run's cost per row; "
            + "a speedup above it means that some work ran cheaper here than priced (timing noise between runs, warmer caches, "
            + "or steps that skip the update), not that selection beat the bound."
        return BoundCheck(breaches: true, withinSpread: withinSpread, warning: warning)
    }

    static func summarise(runs: [PolicyRun], policies: [SelectionPolicy], seeds: [UInt64], reach: Double?,
                          fullOperations: Double, operationsPerSample: (forward: Double, backward: Double)) -> ComparisonReport {
        func runsOf(_ policy: SelectionPolicy) -> [PolicyRun] { runs.filter { $0.policy == policy } }
        let fullRuns = runsOf(.full)
        let fullBySeed = Dictionary(uniqueKeysWithValues: fullRuns.map { ($0.seed, $0.result) })
        let backwardPerRow: Double? = fullRuns.isEmpty ? nil : Interval(fullRuns.map {
            $0.result.epochs.reduce(0) { $0 + $1.seconds.backward } / Double(max(1, $0.result.samplesBackpropagated))
        })!.mean
        let uniformFinal = Interval(runsOf(.uniform).compactMap { $0.result.epochs.last?.curve.last?.accuracy })
        let reachAccuracy = reach ?? uniformFinal?.mean
        let reachSource = reach != nil ? "given (--reach)" : (uniformFinal != nil ? "what uniform reaches at the end (mean over seeds)" : "none: no --reach and no uniform run")
        let budget = policies.compactMap { policy in Interval(runsOf(policy).map(\.result.wallSeconds))?.mean }.min()
        var warnings: [String] = []
        var summaries: [PolicySummary] = []
        for policy in policies {
            let mine = runsOf(policy)
            let results = mine.map(\.result)
            let rates = results.flatMap { $0.epochs.flatMap { $0.batches.filter { $0.kind == .train }.map(\.rate) } }
            let rateMean = rates.reduce(0, +) / Double(max(1, rates.count))
            let rateSD = rates.count > 1
                ? (rates.reduce(0) { $0 + ($1 - rateMean) * ($1 - rateMean) } / Double(rates.count - 1)).squareRoot() : 0
            var seconds = PhaseSeconds()
            for result in results {
                for epoch in result.epochs {
                    seconds.forward += epoch.seconds.forward / Double(results.count)
                    seconds.select += epoch.seconds.select / Double(results.count)
                    seconds.backward += epoch.seconds.backward / Double(results.count)
                    seconds.update += epoch.seconds.update / Double(results.count)
                    seconds.total += epoch.seconds.total / Double(results.count)
                }
            }
            // Shares of the epoch's samples forwarded (f) and back-propagated (s), per run.
            let bounds: [Double] = mine.map { run in
                let total = Double(max(1, fullSamples(run.result)))
                let f = Double(run.result.samplesForwarded) / total
                let s = Double(run.result.samplesBackpropagated) / total
                if let backwardPerRow {
                    let forwardTime = run.result.epochs.reduce(0) { $0 + $1.seconds.forward }
                    let forward = forwardTime / Double(max(1, run.result.samplesForwarded))
                    return (forward + backwardPerRow) / (f * forward + s * backwardPerRow)
                }
                return (operationsPerSample.forward + operationsPerSample.backward)
                    / (f * operationsPerSample.forward + s * operationsPerSample.backward)
            }
            let bound = Interval(bounds)?.mean ?? 1
            let boundNote = backwardPerRow != nil
                ? "(F + Bw)/(f·F + s·Bw): F = this policy's forward s/sample, Bw = full's backward s/row, f and s the shares forwarded and back-propagated"
                : "ESTIMATE (no full run): (F + Bw)/(f·F + s·Bw) with F, Bw the counted FLOPs per sample (\(operationsPerSample.forward), \(operationsPerSample.backward))"
            let speedups = mine.compactMap { run in fullBySeed[run.seed].map { $0.wallSeconds / max(run.result.wallSeconds, 1e-12) } }
            let speedup = Interval(speedups)
            let check = policy == .full ? BoundCheck(breaches: false, withinSpread: false, warning: nil)
                : boundCheck(policy: policy, speedup: speedup, bound: bound)
            if let warning = check.warning { warnings.append(warning) }
            let reachTimes: [Double] = reachAccuracy.map { target in
                mine.compactMap { secondsToReach(target, on: $0.result.epochs.flatMap(\.curve)) }
            } ?? []
            let atBudget: [Double] = budget.map { budget in
                mine.compactMap { accuracy(at: budget, on: $0.result.epochs.flatMap(\.curve)) }
            } ?? []
            let meanOperations = results.reduce(0) { $0 + $1.operations } / Double(max(1, results.count))
            summaries.append(PolicySummary(
                policy: policy,
                accuracy: Interval(results.map { $0.finalTestAccuracy ?? 0 })!,
                trainSeconds: Interval(results.map(\.wallSeconds))!,
                samplesForwarded: mean(results.map { Double($0.samplesForwarded) }),
                samplesBackpropagated: mean(results.map { Double($0.samplesBackpropagated) }),
                samplesRefreshed: mean(results.map { Double($0.epochs.reduce(0) { $0 + $1.samplesRefreshed }) }),
                operations: meanOperations, computeSaved: 1 - meanOperations / fullOperations, seconds: seconds,
                activationRateMean: rateMean, activationRateStandardDeviation: rateSD,
                measuredSpeedup: speedup, bound: bound, boundNote: boundNote, breachesBound: check.breaches,
                breachIsWithinSpread: check.withinSpread,
                secondsToReach: Interval(reachTimes), reachedSeeds: reachTimes.count,
                accuracyAtBudget: Interval(atBudget)))
        }
        return ComparisonReport(seeds: seeds, runs: runs, summaries: summaries, reachAccuracy: reachAccuracy,
                                reachSource: reachSource, budgetSeconds: budget, backwardSecondsPerRow: backwardPerRow,
                                warnings: warnings)
    }

    /// Training seconds at which the curve first reaches `target`, linear between points.
    /// - Parameters:
    ///   - target: The accuracy.
    ///   - curve: Points in increasing time.
    static func secondsToReach(_ target: Double, on curve: [CurvePoint]) -> Double? {
        guard let index = curve.firstIndex(where: { $0.accuracy >= target }) else { return nil }
        guard index > 0 else { return curve[index].trainSeconds }
        let before = curve[index - 1], after = curve[index]
        let fraction = (target - before.accuracy) / (after.accuracy - before.accuracy)
        return before.trainSeconds + fraction * (after.trainSeconds - before.trainSeconds)
    }

    /// The curve's accuracy at `seconds`, linear between points; `nil` past its end.
    /// - Parameters:
    ///   - seconds: Training seconds.
    ///   - curve: Points in increasing time.
    static func accuracy(at seconds: Double, on curve: [CurvePoint]) -> Double? {
        guard let last = curve.last, seconds <= last.trainSeconds + 1e-9 else { return nil }
        guard let index = curve.firstIndex(where: { $0.trainSeconds >= seconds }) else { return last.accuracy }
        guard index > 0 else { return curve[index].accuracy }
        let before = curve[index - 1], after = curve[index]
        let span = after.trainSeconds - before.trainSeconds
        guard span > 0 else { return after.accuracy }
        return before.accuracy + (seconds - before.trainSeconds) / span * (after.accuracy - before.accuracy)
    }

    /// Samples a full run over the same data forwards: epochs × N.
    static func fullSamples(_ result: TrainingResult) -> Int { result.epochs.count * result.trainCount }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(1, values.count)) }
}
