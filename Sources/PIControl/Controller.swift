/// The Sundew threshold controller: gate a batch, measure the rate, smooth it, and move the
/// threshold so that the smoothed rate approaches the target.
///
/// The same value drives the simulator (through ``update(observedRate:)`` or
/// ``update(selectedCount:batchSize:)``) and the trainer (through
/// ``select(scores:into:using:)``).
public struct Controller: Sendable, Equatable {
    public let configuration: ControllerConfiguration
    public var state: ControllerState

    // Scratch space for the fallback; grown once, never shrunk, so steady-state selection
    // does not allocate.
    @usableFromInline var scratchMarks: [Bool] = []
    @usableFromInline var scratchIndices: [Int] = []

    /// - Parameter configuration: A configuration; validated again here.
    /// - Throws: ``ConfigurationError`` naming the invalid field.
    public init(configuration: ControllerConfiguration) throws(ConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
        self.state = ControllerState(configuration: configuration)
    }

    /// Resumes from a saved state (for checkpoints).
    /// - Parameters:
    ///   - configuration: A configuration; validated again here.
    ///   - state: The state to resume from, as saved with the configuration.
    public init(configuration: ControllerConfiguration, state: ControllerState) throws(ConfigurationError) {
        try self.init(configuration: configuration)
        self.state = state
    }

    public static func == (lhs: Controller, rhs: Controller) -> Bool {
        lhs.configuration == rhs.configuration && lhs.state == rhs.state
    }

    /// The threshold that will gate the next batch.
    @inlinable public var threshold: Double { state.threshold }

    /// Feeds an already-measured batch rate (the simulator's entry point).
    ///
    /// Under ``RateMeasurement/cumulative`` the rates are averaged, which equals `Σn/ΣB`
    /// when batches are of equal size. Rates are clamped to [0, 1].
    /// - Parameter observedRate: The batch's activation rate.
    /// - Returns: The update, or `nil` when the rate is not finite (the state is untouched).
    @discardableResult
    public mutating func update(observedRate: Double) -> ControllerStep? {
        guard observedRate.isFinite else { return nil }
        let rate = min(1, max(0, observedRate))
        state.cumulativeSelected += rate
        state.cumulativeSeen += 1
        return advance(batchRate: rate)
    }

    /// Feeds a batch's selected count.
    ///
    /// - Parameters:
    ///   - selectedCount: Samples that count as active.
    ///   - batchSize: Samples in the batch; a non-positive size leaves the state untouched.
    /// - Returns: The update, or `nil` for an empty batch.
    @discardableResult
    public mutating func update(selectedCount: Int, batchSize: Int) -> ControllerStep? {
        guard batchSize > 0 else { return nil }
        let count = min(batchSize, max(0, selectedCount))
        state.cumulativeSelected += Double(count)
        state.cumulativeSeen += Double(batchSize)
        return advance(batchRate: Double(count) / Double(batchSize))
    }

    /// ``update(selectedCount:batchSize:)`` for callers that guarantee `0 ≤ selectedCount ≤ batchSize`
    /// and `batchSize > 0` (the simulator's inner loop).
    /// - Parameters:
    ///   - selectedCount: Samples selected in the batch, in `0...batchSize`.
    ///   - batchSize: Samples in the batch, > 0.
    @inlinable
    public mutating func advanceCounting(selectedCount: Int, batchSize: Int) -> ControllerStep {
        state.cumulativeSelected += Double(selectedCount)
        state.cumulativeSeen += Double(batchSize)
        return advance(batchRate: Double(selectedCount) / Double(batchSize))
    }

    @usableFromInline
    mutating func advance(batchRate: Double) -> ControllerStep {
        let config = configuration
        let gatingThreshold = state.threshold
        let rate: Double
        switch config.rateMeasurement {
        case .perBatch: rate = batchRate
        case .cumulative: rate = state.cumulativeSelected / state.cumulativeSeen
        }
        let ema = config.emaForm.next(previous: state.ema, rate: rate, alpha: config.emaAlpha)
        var error = ema - config.target
        if abs(error) < config.deadband { error = 0 }

        let kp = config.proportionalGain
        let ki = config.integralGain
        let usesIntegral = config.law.usesIntegralState
        // The law's output without the integral term.
        let base: Double
        switch config.law {
        case .sundewIncremental: base = gatingThreshold + kp * error
        case .positional(let reference): base = reference + kp * error
        case .velocity: base = gatingThreshold + kp * (error - state.previousError) + ki * error
        }
        func output(_ integral: Double) -> Double { usesIntegral ? base + ki * integral : base }

        let bounds = config.thresholdBounds
        let integrated = state.integral + error
        var integral: Double
        var unclamped: Double
        switch config.antiWindup {
        case .none:
            integral = integrated
            unclamped = output(integral)
        case .clamp(let bound):
            integral = min(bound, max(-bound, integrated))
            unclamped = output(integral)
        case .seedDecay(let factor, let bound, let band, let condition):
            let clipped = min(bound, max(-bound, integrated))
            switch condition {
            case .gatingThresholdInside:
                integral = band.containsStrictly(gatingThreshold) ? clipped : state.integral * factor
                unclamped = output(integral)
            case .outputInside:
                unclamped = output(state.integral)
                integral = band.containsStrictly(unclamped) ? clipped : state.integral * factor
            }
        case .conditional:
            integral = integrated
            unclamped = output(integral)
            let pushesOut = (unclamped > bounds.upper && error > 0) || (unclamped < bounds.lower && error < 0)
            if pushesOut {
                integral = state.integral
                unclamped = output(integral)
            }
        case .backCalculation(let gain):
            unclamped = output(integrated)
            integral = integrated + gain * (bounds.clamp(unclamped) - unclamped)
        }
        // Finite gains and a rate in [0, 1] keep these finite; this guards the extreme
        // corners (for example an unbounded integral over astronomically many steps).
        if !integral.isFinite { integral = state.integral }
        if unclamped.isNaN { unclamped = gatingThreshold }

        let next = bounds.clamp(unclamped)
        let saturated = unclamped < bounds.lower || unclamped > bounds.upper
        state.ema = ema
        state.integral = integral
        state.previousError = error
        state.threshold = next
        state.step += 1
        state.saturated = saturated
        return ControllerStep(
            gatingThreshold: gatingThreshold, observedRate: rate, ema: ema, error: error,
            integral: integral, nextThreshold: next, saturated: saturated)
    }
}
