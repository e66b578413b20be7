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
    /// `Fallback.minimumActive(batchSize:)`, fixed for a batch size.
    let minimum: Int
    let noneSelectedTrigger: Bool
    let countsFallback: Bool

    init(base: ControllerConfiguration, batchSize: Int) {
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
        minimum = base.fallback.minimumActive(batchSize: batchSize)
        noneSelectedTrigger = base.fallback.trigger == .noneSelected
        countsFallback = base.fallback.countsTowardRate
    }

    /// `Fallback.selectedCount(passed:batchSize:)` with the minimum precomputed (a disabled
    /// fallback has minimum 0, which leaves `passed` unchanged under either trigger).
    @inline(__always)
    func selectedCount(passed: Int) -> Int {
        noneSelectedTrigger ? (passed == 0 ? minimum : passed) : max(passed, minimum)
    }

    /// One lane's update for a batch in which `counted` samples count toward the rate.
    @inline(__always)
    func advance(lane: Int, state: LaneState, counted: Int) -> LaneUpdate {
        // advanceCounting(selectedCount:batchSize:)
        let rate: Double
        if cumulative {
            state.cumulativeSelected[lane] += Double(counted)
            state.cumulativeSeen[lane] += batchSizeDouble
            rate = state.cumulativeSelected[lane] / state.cumulativeSeen[lane]
        } else {
            // The cumulative sums feed nothing else, so the per-batch rate skips them.
            rate = Double(counted) / batchSizeDouble
        }
        // advance(batchRate:)
        let gatingThreshold = state.threshold[lane]
        let alpha = state.emaAlpha[lane]
        let previousEMA = state.ema[lane]
        let ema = weightedSum ? alpha * rate + (1 - alpha) * previousEMA : previousEMA + alpha * (rate - previousEMA)
        var error = ema - target
        if abs(error) < deadband { error = 0 }

        let kp = state.proportionalGain[lane]
        let ki = state.integralGain[lane]
        let base: Double
        switch law {
        case .incremental: base = gatingThreshold + kp * error
        case .positional: base = reference + kp * error
        case .velocity: base = gatingThreshold + kp * (error - state.previousError[lane]) + ki * error
        }
        let usesIntegral = self.usesIntegral
        func output(_ integral: Double) -> Double { usesIntegral ? base + ki * integral : base }

        let previousIntegral = state.integral[lane]
        let integrated = previousIntegral + error
        var integral: Double
        var unclamped: Double
        switch windup {
        case .none:
            integral = integrated
            unclamped = output(integral)
        case .clamp:
            integral = min(bound, max(-bound, integrated))
            unclamped = output(integral)
        case .decayGatingInside:
            let clipped = min(bound, max(-bound, integrated))
            integral = band.containsStrictly(gatingThreshold) ? clipped : previousIntegral * factor
            unclamped = output(integral)
        case .decayOutputInside:
            let clipped = min(bound, max(-bound, integrated))
            unclamped = output(previousIntegral)
            integral = band.containsStrictly(unclamped) ? clipped : previousIntegral * factor
        case .conditional:
            integral = integrated
            unclamped = output(integral)
            let pushesOut = (unclamped > bounds.upper && error > 0) || (unclamped < bounds.lower && error < 0)
            if pushesOut {
                integral = previousIntegral
                unclamped = output(integral)
            }
        case .backCalculation:
            unclamped = output(integrated)
            integral = integrated + factor * (bounds.clamp(unclamped) - unclamped)
        }
        if !integral.isFinite { integral = previousIntegral }
        if unclamped.isNaN { unclamped = gatingThreshold }

        let next = bounds.clamp(unclamped)
        let saturated = unclamped < bounds.lower || unclamped > bounds.upper
        state.ema[lane] = ema
        state.integral[lane] = integral
        state.previousError[lane] = error
        state.threshold[lane] = next
        return LaneUpdate(ema: ema, error: error, integral: integral, saturated: saturated)
    }
}
