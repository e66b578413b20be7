import PIControl

extension Simulator {
    /// The gains that differ between the lanes of a lane group (everything else is the base
    /// configuration's).
    package struct LaneGains: Sendable, Equatable {
        package var proportionalGain: Double
        package var integralGain: Double
        package var emaAlpha: Double

        /// - Parameters:
        ///   - proportionalGain: `Kp`.
        ///   - integralGain: `Ki`.
        ///   - emaAlpha: `α`.
        package init(proportionalGain: Double, integralGain: Double, emaAlpha: Double) {
            self.proportionalGain = proportionalGain
            self.integralGain = integralGain
            self.emaAlpha = emaAlpha
        }
    }

    /// Whether ``runLanes(base:gains:batches:recorder:)`` can run `base` over `batches`: a
    /// deterministic gate (the count is a search in the sorted batch) and finite scores.
    package static func lanesApply(base: ControllerConfiguration, batches: BatchSet) -> Bool {
        countsDeterministically(base) && batches.allFinite && batches.batchSize <= Int(Int32.max)
    }

    /// Runs one controller per lane over the same batches, in lock-step, as a struct of arrays.
    ///
    /// The lanes share `base` and differ only in `Kp`, `Ki` and `α` (a sweep's grid points), so
    /// every choice the configuration makes (law, anti-windup, EMA form, rate measurement,
    /// fallback) is the same for all lanes and its branches are predicted perfectly. Each
    /// step does exactly the arithmetic of `PIControl.Controller.advance`, in the same order,
    /// so the series equal ``runGroup(configurations:batches:recordsControllerState:)``'s bit
    /// for bit (`LaneKernelTests`). What is faster:
    /// - the count is a branch-free search with a trip count that depends only on `B` (7
    ///   halvings and one compare for `B = 128`), so lanes never mispredict and the CPU overlaps
    ///   the lanes' searches; the hinted search mispredicted on most steps;
    /// - state lives in raw buffers (no array bounds, uniqueness or exclusivity checks, no
    ///   `Controller` value copied per step);
    /// - only what the recorder asks for is kept: a sweep folds its metrics into a few numbers
    ///   per lane instead of writing and re-reading megabytes of series.
    /// - Parameters:
    ///   - base: The shared configuration; must satisfy ``lanesApply(base:batches:)``.
    ///   - gains: One entry per lane.
    ///   - batches: The batches (all finite).
    ///   - recorder: Receives every lane's step, step by step, lanes in order.
    /// - Throws: ``ConfigurationError`` when a lane's configuration is invalid.
    package static func runLanes<Recorder: LaneRecorder>(
        base: ControllerConfiguration, gains: [LaneGains], batches: BatchSet, recorder: inout Recorder
    ) throws(ConfigurationError) {
        precondition(lanesApply(base: base, batches: batches), "runLanes needs deterministic gates and finite scores")
        for lane in gains {
            // The same validation that `Controller.init` would do for each lane.
            var configuration = base
            configuration.proportionalGain = lane.proportionalGain
            configuration.integralGain = lane.integralGain
            configuration.emaAlpha = lane.emaAlpha
            try configuration.validate()
        }
        let lanes = gains.count
        guard lanes > 0 else { return }
        let state = LaneState(base: base, gains: gains)
        defer { state.deallocate() }
        let law = LaneLaw(base: base, batchSize: batches.batchSize)
        let steps = batches.steps, batchSize = batches.batchSize
        batches.sortedScores.withUnsafeBufferPointer { sorted in
            guard let scores = sorted.baseAddress else { return }
            for step in 0..<steps {
                let batch = scores + step * batchSize
                recorder.beginStep(step)
                for lane in 0..<lanes {
                    let gating = state.threshold[lane]
                    let passed = batchSize - countAtMostBranchFree(gating, in: batch, count: batchSize)
                    let selected = law.selectedCount(passed: passed)
                    let update = law.advance(lane: lane, state: state, counted: law.countsFallback ? selected : passed)
                    recorder.record(lane: lane, threshold: gating, passed: passed, selected: selected, update: update)
                }
            }
        }
    }

    /// How many of `batch[0 ..< count]` (sorted ascending, `count > 0`) are `<= value`.
    ///
    /// A lower-bound search with no data-dependent branch: the window halves `⌈log₂ count⌉`
    /// times whatever the value, and each halving is a conditional move. For a batch in L1 the
    /// cost is the chain of dependent loads, which the lanes of a group overlap.
    /// - Parameters:
    ///   - value: The threshold.
    ///   - batch: The sorted batch.
    ///   - count: Its size, at least 1.
    @inline(__always)
    package static func countAtMostBranchFree(_ value: Double, in batch: UnsafePointer<Double>, count: Int) -> Int {
        // Invariant: the answer lies in [low, low + remaining].
        var low = 0
        var remaining = count
        while remaining > 1 {
            let half = remaining >> 1
            low = batch[low &+ half] <= value ? low &+ half : low
            remaining &-= half
        }
        return low &+ (batch[low] <= value ? 1 : 0)
    }
}

/// Receives a lane group's steps from ``Simulator/runLanes(base:gains:batches:recorder:)``.
package protocol LaneRecorder {
    /// Called once per step before its lanes.
    /// - Parameter step: The step about to be recorded.
    mutating func beginStep(_ step: Int)
    /// One lane's step.
    /// - Parameters:
    ///   - lane: The lane.
    ///   - threshold: `θ_k`, the threshold that gated the batch.
    ///   - passed: Scores above `θ_k`.
    ///   - selected: Samples selected once the fallback has acted.
    ///   - update: The controller update.
    mutating func record(lane: Int, threshold: Double, passed: Int, selected: Int, update: LaneUpdate)
}

/// What a lane's controller update produced (the fields of `ControllerStep` a trace records).
package struct LaneUpdate {
    package var ema: Double
    package var error: Double
    package var integral: Double
    package var saturated: Bool
}

/// The lanes' evolving controller state, one raw buffer per field (`ControllerState`'s fields
/// that a counting run uses) plus the lanes' gains.
struct LaneState {
    let threshold: UnsafeMutablePointer<Double>
    let ema: UnsafeMutablePointer<Double>
    let integral: UnsafeMutablePointer<Double>
    let previousError: UnsafeMutablePointer<Double>
    let cumulativeSelected: UnsafeMutablePointer<Double>
    let cumulativeSeen: UnsafeMutablePointer<Double>
    let proportionalGain: UnsafeMutablePointer<Double>
    let integralGain: UnsafeMutablePointer<Double>
    let emaAlpha: UnsafeMutablePointer<Double>
    private let storage: UnsafeMutablePointer<Double>

    init(base: ControllerConfiguration, gains: [Simulator.LaneGains]) {
        let lanes = gains.count
        storage = .allocate(capacity: 9 * lanes)
        threshold = storage
        ema = storage + lanes
        integral = storage + 2 * lanes
        previousError = storage + 3 * lanes
        cumulativeSelected = storage + 4 * lanes
        cumulativeSeen = storage + 5 * lanes
        proportionalGain = storage + 6 * lanes
        integralGain = storage + 7 * lanes
        emaAlpha = storage + 8 * lanes
        // As `ControllerState(configuration:)`.
        let initial = ControllerState(configuration: base)
        for (lane, gain) in gains.enumerated() {
            threshold[lane] = initial.threshold
            ema[lane] = initial.ema
            integral[lane] = initial.integral
            previousError[lane] = initial.previousError
            cumulativeSelected[lane] = initial.cumulativeSelected
            cumulativeSeen[lane] = initial.cumulativeSeen
            proportionalGain[lane] = gain.proportionalGain
            integralGain[lane] = gain.integralGain
            emaAlpha[lane] = gain.emaAlpha
        }
    }

    func deallocate() { storage.deallocate() }
}
