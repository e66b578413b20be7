import PIControl

/// The part of a controller configuration that a lane group shares, unpacked once into plain
/// values so the per-lane step switches on small integers instead of copying enums with payloads.
///
/// ``advance(lane:state:counted:)`` is `PIControl.Controller.advanceCounting` followed by
/// `advance(batchRate:)`, operation for operation: every expression below is written in the
/// same order as there (left-associated sums, the same `min`/`max` argument order, the same
/// guards), because a sweep's output must not change by one bit. Change both together.
struct LaneLaw {
    enum Law { case incremental, positional, velocity }
    enum Windup { case none, clamp, decayGatingInside, decayOutputInside, conditional, backCalculation }

    let law: Law
    let reference: Double
    let windup: Windup
    /// The integral bound (clamp, seed decay).
    let bound: Double
    /// The seed decay's factor, or the back-calculation gain.
    let factor: Double
    let band: ThresholdBounds
    let bounds: ThresholdBounds
    let target: Double
    let deadband: Double
    let cumulative: Bool
    let weightedSum: Bool
    let usesIntegral: Bool
    let batchSize: Int
    let batchSizeDouble: Double
    /// `1/B`, and whether `x/B == x·(1/B)` for every count (B a power of two).
    let inverseBatchSize: Double
    let reciprocalIsExact: Bool
    /// `Fallback.minimumActive(batchSize:)`, fixed for a batch size.
    let minimum: Int
    let noneSelectedTrigger: Bool
    let countsFallback: Bool

    /// Whether the controller's guards (a non-finite integral kept at its old value, a NaN
    /// output replaced by the gating threshold) can fire. They cannot when the integral is
    /// bounded (clamp, seed decay: `|I| ≤ bound`) and every term of the output is far from
    /// overflow: `|θ|, |θ_ref| ≤ max bound`, `|e| ≤ 1` (the EMA of rates in [0, 1] minus a target
    /// in (0, 1)), so `|u| ≤ |θ| + 2·|Kp| + |Ki|·bound` stays finite when each term is below
    /// 1e300. Then the guards' selects are the identity and are skipped (about 5 % of the
    /// kernel's instructions).
    let needsGuards: Bool

    /// - Parameters:
    ///   - base: The lanes' shared configuration.
    ///   - gains: The lanes' gains (for ``needsGuards``).
    ///   - batchSize: Samples per batch.
    init(base: ControllerConfiguration, gains: [Simulator.LaneGains], batchSize: Int) {
        let largestKp = gains.map { abs($0.proportionalGain) }.max() ?? 0
        let largestKi = gains.map { abs($0.integralGain) }.max() ?? 0
        let limit = 1e300
        let termsSmall = largestKp < limit && abs(base.thresholdBounds.lower) < limit && abs(base.thresholdBounds.upper) < limit
        switch base.antiWindup {
        case .clamp(let bound), .seedDecay(_, let bound, _, _):
            var referenceSmall = true
            if case .positional(let reference) = base.law { referenceSmall = abs(reference) < limit }
            needsGuards = !(termsSmall && referenceSmall && bound < limit && largestKi * bound < limit)
        case .none, .conditional, .backCalculation:
            needsGuards = true
        }
        switch base.law {
        case .sundewIncremental: law = .incremental; reference = 0
        case .positional(let value): law = .positional; reference = value
        case .velocity: law = .velocity; reference = 0
        }
        usesIntegral = base.law.usesIntegralState
        var band = base.thresholdBounds
        switch base.antiWindup {
        case .none: windup = .none; bound = 0; factor = 0
        case .clamp(let value): windup = .clamp; bound = value; factor = 0
        case .seedDecay(let decay, let value, let decayBand, let condition):
            windup = condition == .gatingThresholdInside ? .decayGatingInside : .decayOutputInside
            bound = value; factor = decay; band = decayBand
        case .conditional: windup = .conditional; bound = 0; factor = 0
        case .backCalculation(let gain): windup = .backCalculation; bound = 0; factor = gain
        }
        self.band = band
        bounds = base.thresholdBounds
        target = base.target
        deadband = base.deadband
        cumulative = base.rateMeasurement == .cumulative
        weightedSum = base.emaForm == .weightedSum
        self.batchSize = batchSize
        batchSizeDouble = Double(batchSize)
        inverseBatchSize = 1 / Double(batchSize)
        reciprocalIsExact = batchSize > 0 && batchSize & (batchSize - 1) == 0
        minimum = base.fallback.minimumActive(batchSize: batchSize)
        noneSelectedTrigger = base.fallback.trigger == .noneSelected
        countsFallback = base.fallback.countsTowardRate
    }

    /// `Fallback.selectedCount(passed:batchSize:)` with the minimum precomputed (a disabled
    /// fallback has minimum 0, which leaves `passed` unchanged under either trigger).
    @inline(__always)
    func selectedCount(passed: LaneVector) -> LaneVector {
        // A disabled fallback (the common case) leaves the count alone under either trigger.
        if self.minimum == 0 { return passed }
        // Whole numbers as doubles compare and take maxima exactly as the integers would.
        let minimum = LaneVector(repeating: Double(self.minimum))
        return noneSelectedTrigger
            ? passed.replacing(with: minimum, where: passed .== 0)
            : passed.replacing(with: minimum, where: minimum .> passed)
    }

    /// A chunk's update for a batch in which `counted` samples count toward the rate.
    ///
    /// Each lane does the scalar controller's operations; a data-dependent `if` becomes a
    /// blend under the same condition, and `min`/`max` keep the standard library's tie and
    /// NaN rules (`max(x, y)` is `y >= x ? y : x`, `min(x, y)` is `y < x ? y : x`).
    @_transparent
    func advance(chunk: Int, state: LaneState, counted countedDouble: LaneVector) -> LaneUpdate {
        // advanceCounting(selectedCount:batchSize:), with the count already a double.
        let rate: LaneVector
        if cumulative {
            state.cumulativeSelected[chunk] += countedDouble
            state.cumulativeSeen[chunk] += LaneVector(repeating: batchSizeDouble)
            rate = state.cumulativeSelected[chunk] / state.cumulativeSeen[chunk]
        } else {
            // The cumulative sums feed nothing else, so the per-batch rate skips them. Dividing
            // by a power of two is multiplying by its exact reciprocal (the same double), and a
            // vector division costs as much as the rest of the update.
            rate = reciprocalIsExact ? countedDouble * inverseBatchSize : countedDouble / LaneVector(repeating: batchSizeDouble)
        }
        // advance(batchRate:)
        let gatingThreshold = state.threshold[chunk]
        let alpha = state.emaAlpha[chunk]
        let previousEMA = state.ema[chunk]
        let ema = weightedSum ? alpha * rate + (1 - alpha) * previousEMA : previousEMA + alpha * (rate - previousEMA)
        var error = ema - target
        // `abs(e) < deadband`, which never holds for a zero deadband (the common case).
        if deadband > 0 { error.replace(with: LaneVector(), where: Self.magnitude(error) .< deadband) }

        let kp = state.proportionalGain[chunk]
        let ki = state.integralGain[chunk]
        let base: LaneVector
        switch law {
        case .incremental: base = gatingThreshold + kp * error
        case .positional: base = reference + kp * error
        case .velocity: base = gatingThreshold + kp * (error - state.previousError[chunk]) + ki * error
        }
        let usesIntegral = self.usesIntegral
        @inline(__always) func output(_ integral: LaneVector) -> LaneVector { usesIntegral ? base + ki * integral : base }

        let previousIntegral = state.integral[chunk]
        let integrated = previousIntegral + error
        var integral: LaneVector
        var unclamped: LaneVector
        switch windup {
        case .none:
            integral = integrated
            unclamped = output(integral)
        case .clamp:
            integral = Self.min(bound, Self.max(-bound, integrated))
            unclamped = output(integral)
        case .decayGatingInside:
            let clipped = Self.min(bound, Self.max(-bound, integrated))
            integral = (previousIntegral * factor).replacing(with: clipped, where: Self.strictlyInside(gatingThreshold, band))
            unclamped = output(integral)
        case .decayOutputInside:
            let clipped = Self.min(bound, Self.max(-bound, integrated))
            unclamped = output(previousIntegral)
            integral = (previousIntegral * factor).replacing(with: clipped, where: Self.strictlyInside(unclamped, band))
        case .conditional:
            integral = integrated
            unclamped = output(integral)
            let pushesOut = (unclamped .> bounds.upper .& error .> 0) .| (unclamped .< bounds.lower .& error .< 0)
            integral.replace(with: previousIntegral, where: pushesOut)
            unclamped.replace(with: output(previousIntegral), where: pushesOut)
        case .backCalculation:
            unclamped = output(integrated)
            integral = integrated + factor * (Self.clamp(unclamped, bounds) - unclamped)
        }
        if needsGuards {
            // `!isFinite`: x − x is 0 exactly when x is finite (NaN for ±∞ and NaN, and NaN != 0).
            integral.replace(with: previousIntegral, where: integral - integral .!= 0)
            unclamped.replace(with: gatingThreshold, where: unclamped .!= unclamped)
        }

        // `ThresholdBounds.clamp` for an input known not to be NaN (replaced just above): two
        // selects that lower to `maxpd`/`minpd` with the same results, zeros' signs included.
        let lower = LaneVector(repeating: bounds.lower), upper = LaneVector(repeating: bounds.upper)
        let raised = unclamped.replacing(with: lower, where: unclamped .< lower)
        let next = raised.replacing(with: upper, where: raised .> upper)
        let saturated = unclamped .< bounds.lower .| unclamped .> bounds.upper
        state.ema[chunk] = ema
        state.integral[chunk] = integral
        state.previousError[chunk] = error
        state.threshold[chunk] = next
        return LaneUpdate(ema: ema, error: error, integral: integral, saturated: saturated)
    }

    /// `|x|` per lane with the sign bit cleared, for comparisons (a select on `x < 0` cost
    /// three SSE2 instructions per half vector; this costs one).
    @inline(__always)
    static func magnitude(_ x: LaneVector) -> LaneVector {
        unsafeBitCast(unsafeBitCast(x, to: SIMD4<UInt64>.self) & 0x7FFF_FFFF_FFFF_FFFF, to: LaneVector.self)
    }

    /// `Swift.max(x, y)` per lane: `y >= x ? y : x`.
    @inline(__always)
    static func max(_ x: Double, _ y: LaneVector) -> LaneVector {
        LaneVector(repeating: x).replacing(with: y, where: y .>= x)
    }

    /// `Swift.min(x, y)` per lane: `y < x ? y : x`.
    @inline(__always)
    static func min(_ x: Double, _ y: LaneVector) -> LaneVector {
        LaneVector(repeating: x).replacing(with: y, where: y .< x)
    }

    /// `ThresholdBounds.clamp` per lane: above `upper` → `upper`, at least `lower` → the value,
    /// else (below, or NaN) `lower`.
    @inline(__always)
    static func clamp(_ value: LaneVector, _ bounds: ThresholdBounds) -> LaneVector {
        let lower = LaneVector(repeating: bounds.lower), upper = LaneVector(repeating: bounds.upper)
        return lower.replacing(with: value, where: value .>= lower).replacing(with: upper, where: value .> upper)
    }

    /// `ThresholdBounds.containsStrictly` per lane.
    @inline(__always)
    static func strictlyInside(_ value: LaneVector, _ band: ThresholdBounds) -> LaneMask {
        value .> band.lower .& value .< band.upper
    }
}
