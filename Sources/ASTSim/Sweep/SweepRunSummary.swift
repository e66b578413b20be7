/// The four metrics of one run that a sweep point summarises (``Sweep/summarise(index:gains:summaries:predictedStable:)``).
package struct SweepRunSummary: Sendable, Equatable {
    package var settlingTime: Int?
    package var steadyStateMeanError: Double
    package var overshoot: Double
    package var fractionSaturated: Double

    /// - Parameters:
    ///   - settlingTime: ``RunMetrics/settlingTime``.
    ///   - steadyStateMeanError: ``RunMetrics/steadyStateMeanError``.
    ///   - overshoot: ``RunMetrics/overshoot``.
    ///   - fractionSaturated: ``RunMetrics/fractionSaturated``.
    package init(settlingTime: Int?, steadyStateMeanError: Double, overshoot: Double, fractionSaturated: Double) {
        self.settlingTime = settlingTime
        self.steadyStateMeanError = steadyStateMeanError
        self.overshoot = overshoot
        self.fractionSaturated = fractionSaturated
    }

    /// The same fields of full metrics.
    /// - Parameter metrics: A run's metrics.
    package init(_ metrics: RunMetrics) {
        self.init(settlingTime: metrics.settlingTime, steadyStateMeanError: metrics.steadyStateMeanError,
                  overshoot: metrics.overshoot, fractionSaturated: metrics.fractionSaturated)
    }
}

/// Folds a lane group's run into each lane's ``SweepRunSummary`` as it goes, without keeping
/// any series: the moving average of the rate is a running sum over a ring of the last
/// `window` rates.
///
/// Each quantity is formed with the same operations in the same order as
/// ``TraceMetrics/compute(rate:saturated:threshold:idealThreshold:fallback:settings:includeOscillationPeriod:)``
/// (its moving average, `errors`, `inBand`, the overshoot's running `max`, the tail's sum),
/// so the summaries equal that function's fields bit for bit (`LaneKernelTests`). Change both together.
struct SweepMetricsRecorder: LaneRecorder {
    private let lanes: Int
    private let chunks: Int
    private let steps: Int
    private let width: Int
    private let target: Double
    private let band: Double
    private let tailStart: Int
    private let inverseBatch: Double
    private var step = 0
    private var slot = 0
    private var divisor = 1.0
    private var stepDouble = 0.0
    /// `ring[chunk · width + k]`: the chunk's rates of the most recent step ≡ k (mod width).
    private let ring: UnsafeMutablePointer<LaneVector>
    private let sum: UnsafeMutablePointer<LaneVector>
    private let direction: UnsafeMutablePointer<LaneVector>
    private let initialError: UnsafeMutablePointer<LaneVector>
    private let overshoot: UnsafeMutablePointer<LaneVector>
    private let tailRateSum: UnsafeMutablePointer<LaneVector>
    /// The last step out of the band, −1 for none. Steps and counts are kept as (exact)
    /// doubles so that every blend stays in one register type: with 64-bit integer lanes,
    /// SSE2 code moved each mask lane through a general register.
    private let lastOutOfBand: UnsafeMutablePointer<LaneVector>
    private let saturatedCount: UnsafeMutablePointer<LaneVector>
    private let storage: UnsafeMutablePointer<LaneVector>

    /// - Parameters:
    ///   - lanes: Lanes in the group.
    ///   - steps: Steps of the run, at least 1.
    ///   - batchSize: Samples per batch.
    ///   - settings: How the rate is judged.
    init(lanes: Int, steps: Int, batchSize: Int, settings: MetricSettings) {
        precondition(steps > 0, "a sweep run has at least one step")
        self.lanes = lanes
        chunks = (lanes + laneWidth - 1) / laneWidth
        self.steps = steps
        width = max(1, settings.window)
        target = settings.target
        band = settings.band
        tailStart = min(steps - 1, Int(Double(steps) * (1 - settings.steadyStateFraction)))
        inverseBatch = 1 / Double(batchSize)
        storage = .allocate(capacity: chunks * (width + 7))
        storage.initialize(repeating: LaneVector(), count: chunks * (width + 7))
        ring = storage
        sum = storage + chunks * width
        direction = sum + chunks
        initialError = direction + chunks
        overshoot = initialError + chunks
        tailRateSum = overshoot + chunks
        lastOutOfBand = tailRateSum + chunks
        lastOutOfBand.update(repeating: LaneVector(repeating: -1), count: chunks)
        saturatedCount = lastOutOfBand + chunks
    }

    /// Frees the buffers; the recorder must not be used afterwards.
    func deallocate() {
        storage.deallocate()
    }

    mutating func beginStep(_ step: Int) {
        self.step = step
        slot = step % width
        divisor = Double(min(step + 1, width))
        stepDouble = Double(step)
    }

    @inline(__always)
    mutating func record(chunk: Int, threshold: LaneVector, passed: LaneVector, selected: LaneVector, update: LaneUpdate) {
        // As runGroup records the rate: the reciprocal, multiplied.
        let rate = selected * inverseBatch
        // TraceMetrics.movingAverage: add the new value, then drop the one `width` steps back.
        let cell = ring + (chunk &* width &+ slot)
        var running = sum[chunk] + rate
        if step >= width { running -= cell.pointee }
        cell.pointee = rate
        sum[chunk] = running
        let error = running / divisor - target
        // inBand is |e| <= band; a NaN error is out of band, hence the negated test.
        // Out of band: !(|e| <= band), which is |e| > band since the error is never NaN (a
        // rate is a count over B). SIMDMask's `.!` and the scalar `replace` overload compiled
        // to a branch per lane.
        let lastOut = lastOutOfBand[chunk]
        lastOutOfBand[chunk] = lastOut.replacing(with: LaneVector(repeating: stepDouble), where: LaneLaw.magnitude(error) .> band)
        if step == 0 {
            initialError[chunk] = error
            direction[chunk] = LaneVector(repeating: -1).replacing(with: LaneVector(repeating: 1), where: error .>= 0)
        }
        // overshoot = max(overshoot, −direction·e), as Swift.max: `y >= x ? y : x`.
        let candidate = -direction[chunk] * error
        let largest = overshoot[chunk]
        overshoot[chunk] = largest.replacing(with: candidate, where: candidate .>= largest)
        if step >= tailStart { tailRateSum[chunk] += rate }
        saturatedCount[chunk] += LaneVector().replacing(with: LaneVector(repeating: 1), where: update.saturated)
    }

    /// Each lane's summary once every step has been recorded.
    var summaries: [SweepRunSummary] {
        (0..<lanes).map { lane in
            let chunk = lane / laneWidth, slot = lane % laneWidth
            let lastOut = Int(lastOutOfBand[chunk][slot])
            let settling: Int? = lastOut < 0 ? 0 : (lastOut + 1 < steps ? lastOut + 1 : nil)
            return SweepRunSummary(
                settlingTime: settling,
                steadyStateMeanError: tailRateSum[chunk][slot] / Double(steps - tailStart) - target,
                overshoot: abs(initialError[chunk][slot]) <= band ? 0 : overshoot[chunk][slot],
                fractionSaturated: Double(saturatedCount[chunk][slot]) / Double(steps))
        }
    }
}
