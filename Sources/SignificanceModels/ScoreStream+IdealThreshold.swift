/// Ideal thresholds of a stream.
///
/// For ``ScoreModel/distribution(_:drifts:)`` the ideal threshold is exact:
/// ``Distribution/upperQuantile(_:)`` of the step's distribution.
///
/// For the formula models the score of a sample depends on its batch (through batch means), so
/// the threshold is estimated by simulation, as the type-7 empirical quantile
/// (``EmpiricalQuantile``) of `n` scores drawn in whole batches of ``ScoreStream/batchSize`` at
/// the step's parameters, from a generator seeded with ``ScoreStream/estimateSeed``.
///
/// Cost control:
/// - Estimates are memoised by (step's parameters, target), so a stream without drifts costs one
///   estimate for all its steps.
/// - With drifts, estimates are made only at *knot* steps and linearly interpolated in between.
///   Knots: the first and last step, every ⌈(steps − 1)/64⌉-th step, both sides of every jump or
///   bend of a drift (ramp ends, regime shift), and more wherever linear interpolation of a
///   drifted parameter between knots would be off by more than 10⁻³ of that parameter's
///   magnitude (so a sinusoid gets a few knots per period, a random walk nearly every step).
/// - `n = clamp(2²² / D, 2¹², 2¹⁸)`, rounded up to whole batches, where D is the number of
///   distinct parameter sets among the knots. Without drifts n = 262,144; a ramp over steps
///   1,000…4,000 of 5,000 has 67 knots with 40 distinct parameter sets, so n = 104,960; a random
///   walk, which needs a knot at nearly every one of 5,000 steps, gets n = 4,096. Measured in a
///   release build (2 cores, batch 128, seed formula): all 5,000 thresholds cost 0.04 s without
///   drifts, 0.5 s for that ramp, 1.5 s for the random walk.
///
/// Accuracy: the estimate is the threshold at which the fraction of scores above it is the
/// target, up to a sampling error with standard deviation ≈ √(p(1 − p)/n) in exceedance
/// probability (p the target; for i.i.d. scores; batch-normalised scores are nearly so):
/// for p = 0.1, 5.9·10⁻⁴ at n = 262,144, 9.3·10⁻⁴ at 104,960 and 4.7·10⁻³ at 4,096. In
/// threshold units divide by the score density at the threshold. Linear interpolation between
/// knots adds an error that is small where parameters move smoothly. Every estimate restarts the
/// same generator (common random numbers), so the errors of neighbouring steps are strongly
/// correlated and the estimated path is smooth where the parameters are.
extension ScoreStream {
    /// The fixed seed of the simulations behind estimated ideal thresholds.
    public static let estimateSeed: UInt64 = 0x5EED_0F_1DEA_7410

    static let estimateBudget = 1 << 22
    static let minimumEstimateSample = 1 << 12
    static let maximumEstimateSample = 1 << 18
    static let regularKnotCount = 64
    static let knotTolerance = 1e-3

    /// The ideal threshold at `step` for a target pass fraction: exact for
    /// ``ScoreModel/distribution(_:drifts:)``, estimated (`isEstimate`) for the formula models
    /// (see the extension's documentation for the sample size and its standard error).
    /// - Parameters:
    ///   - step: In 0..<``steps``.
    ///   - target: The fraction of scores that should pass, in (0, 1).
    /// - Throws: `ModelError` with field `"step"` or `"target"` for arguments out of range, or
    ///   when no finite threshold exists.
    public func idealThreshold(step: Int, target: Double) throws(ModelError) -> IdealThreshold {
        guard step >= 0, step < steps else { throw ModelError(field: "step", expected: "a step in 0..<\(steps)", actual: "\(step)") }
        try DomainCheck.openUnitInterval(target, "target")
        if model.hasExactIdealThreshold {
            do {
                return IdealThreshold(value: try input(0, atStep: step).validatedUpperQuantile(target), isEstimate: false)
            } catch {
                var located = error
                located.step = step
                throw located
            }
        }
        let knots = thresholdKnots()
        let position = lowerBound(of: step, in: knots)
        if knots[position] == step {
            return IdealThreshold(value: try estimatedThreshold(atStep: step, target: target), isEstimate: true)
        }
        let before = knots[position - 1], after = knots[position]
        let low = try estimatedThreshold(atStep: before, target: target)
        let high = try estimatedThreshold(atStep: after, target: target)
        let fraction = Double(step - before) / Double(after - before)
        return IdealThreshold(value: low + (high - low) * fraction, isEstimate: true)
    }

    /// ``idealThreshold(step:target:)`` for every step. The ideal thresholds do not depend on
    /// ``seed``: compute them once per model, steps and batch size.
    /// - Parameters:
    ///   - target: The fraction of scores that should pass, in (0, 1).
    public func idealThresholds(target: Double) throws(ModelError) -> [IdealThreshold] {
        var thresholds: [IdealThreshold] = []
        thresholds.reserveCapacity(steps)
        for step in 0..<steps { thresholds.append(try idealThreshold(step: step, target: target)) }
        return thresholds
    }

    /// Scores simulated per estimate of the ideal threshold; `nil` when it is exact.
    public var idealThresholdSampleSize: Int? {
        model.hasExactIdealThreshold ? nil : estimateSampleSize()
    }

    /// The memoised simulation estimate at a knot step.
    private func estimatedThreshold(atStep step: Int, target: Double) throws(ModelError) -> Double {
        let snapshot = parameters(atStep: step)
        let key = EstimatedThresholds.Key(model: snapshot, target: target)
        if let known = estimates.values[key] { return known }
        let sampleSize = estimateSampleSize()
        let first = input(0, atStep: step), second = input(1, atStep: step)
        let random = GSLRandom(seed: Self.estimateSeed)
        let sample = UnsafeMutableBufferPointer<Double>.allocate(capacity: sampleSize)
        defer { sample.deallocate() }
        var start = 0
        while start < sampleSize {
            let batch = UnsafeMutableBufferPointer(rebasing: sample[start..<(start + batchSize)])
            scratch.drawBatch(of: model, first: first, second: second, into: batch, using: random)
            start += batchSize
        }
        var finite = 0
        for index in sample.indices where !sample[index].isNaN {
            sample[finite] = sample[index]
            finite += 1
        }
        let value = EmpiricalQuantile.upperQuantile(reordering: UnsafeMutableBufferPointer(rebasing: sample[0..<finite]), probability: target)
        estimates.estimateCount += 1
        guard value.isFinite else {
            throw ModelError(field: "target", expected: "a target at which the simulated scores have a finite upper quantile",
                             actual: "\(target), giving \(value) at step \(step)", step: step)
        }
        estimates.values[key] = value
        return value
    }

    /// Scores per estimate: `clamp(2²² / distinct knot parameter sets, 2¹², 2¹⁸)` in whole batches.
    private func estimateSampleSize() -> Int {
        if let known = estimates.sampleSize { return known }
        let distinct = Set(thresholdKnots().map { parameters(atStep: $0) }).count
        let wanted = min(Self.maximumEstimateSample, max(Self.minimumEstimateSample, Self.estimateBudget / distinct))
        let size = (wanted + batchSize - 1) / batchSize * batchSize
        estimates.sampleSize = size
        return size
    }

    /// The sorted knot steps (see the extension's documentation).
    func thresholdKnots() -> [Int] {
        if let known = estimates.knots { return known }
        var isKnot = [Bool](repeating: false, count: steps)
        isKnot[0] = true
        isKnot[steps - 1] = true
        let spacing = max(1, (steps - 1 + Self.regularKnotCount - 1) / Self.regularKnotCount)
        for step in stride(from: 0, to: steps, by: spacing) { isKnot[step] = true }
        for parameterDrift in model.drifts {
            for step in parameterDrift.drift.breakpoints(steps: steps) { isKnot[step] = true }
        }
        let tolerances = driftValues.map { path in
            let magnitude = path.reduce(0.0) { max($0, abs($1)) }
            let range = (path.max() ?? 0) - (path.min() ?? 0)
            return Self.knotTolerance * max(range, magnitude)
        }
        var pending: [(Int, Int)] = []
        var previous = 0
        for step in 1..<max(1, steps) where isKnot[step] {
            pending.append((previous, step))
            previous = step
        }
        while let (start, end) = pending.popLast() {
            guard end - start > 1, !interpolatesWell(from: start, to: end, tolerances: tolerances) else { continue }
            let middle = (start + end) / 2
            isKnot[middle] = true
            pending.append((start, middle))
            pending.append((middle, end))
        }
        let knots = isKnot.indices.filter { isKnot[$0] }
        estimates.knots = knots
        return knots
    }

    /// Whether every drifted parameter is within its tolerance of the straight line between
    /// its values at `start` and `end`.
    private func interpolatesWell(from start: Int, to end: Int, tolerances: [Double]) -> Bool {
        for (path, tolerance) in zip(driftValues, tolerances) {
            let low = path[start], high = path[end]
            for step in (start + 1)..<end {
                let line = low + (high - low) * Double(step - start) / Double(end - start)
                if !(abs(path[step] - line) <= tolerance) { return false }
            }
        }
        return true
    }

    /// The first index in sorted `values` whose element is ≥ `value`.
    private func lowerBound(of value: Int, in values: [Int]) -> Int {
        var low = 0, high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
