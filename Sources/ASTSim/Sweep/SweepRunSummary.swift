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
    private let steps: Int
    private let width: Int
    private let target: Double
    private let band: Double
    private let tailStart: Int
    private let inverseBatch: Double
    private var step = 0
    private var slot = 0
    private var divisor = 1.0
    /// `ring[lane · width + k]`: the rate of the most recent step ≡ k (mod width).
    private let ring: UnsafeMutablePointer<Double>
    private let sum: UnsafeMutablePointer<Double>
    private let direction: UnsafeMutablePointer<Double>
    private let initialError: UnsafeMutablePointer<Double>
    private let overshoot: UnsafeMutablePointer<Double>
    private let tailRateSum: UnsafeMutablePointer<Double>
    private let lastOutOfBand: UnsafeMutablePointer<Int>
    private let saturatedCount: UnsafeMutablePointer<Int>

    /// - Parameters:
    ///   - lanes: Lanes in the group.
    ///   - steps: Steps of the run, at least 1.
    ///   - batchSize: Samples per batch.
    ///   - settings: How the rate is judged.
    init(lanes: Int, steps: Int, batchSize: Int, settings: MetricSettings) {
        precondition(steps > 0, "a sweep run has at least one step")
        self.lanes = lanes
        self.steps = steps
        width = max(1, settings.window)
        target = settings.target
        band = settings.band
        tailStart = min(steps - 1, Int(Double(steps) * (1 - settings.steadyStateFraction)))
        inverseBatch = 1 / Double(batchSize)
        ring = .allocate(capacity: lanes * width)
        ring.initialize(repeating: 0, count: lanes * width)
        sum = .allocate(capacity: lanes); sum.initialize(repeating: 0, count: lanes)
        direction = .allocate(capacity: lanes); direction.initialize(repeating: 1, count: lanes)
        initialError = .allocate(capacity: lanes); initialError.initialize(repeating: 0, count: lanes)
        overshoot = .allocate(capacity: lanes); overshoot.initialize(repeating: 0, count: lanes)
        tailRateSum = .allocate(capacity: lanes); tailRateSum.initialize(repeating: 0, count: lanes)
        lastOutOfBand = .allocate(capacity: lanes); lastOutOfBand.initialize(repeating: -1, count: lanes)
        saturatedCount = .allocate(capacity: lanes); saturatedCount.initialize(repeating: 0, count: lanes)
    }

    /// Frees the buffers; the recorder must not be used afterwards.
    func deallocate() {
        for buffer in [ring, sum, direction, initialError, overshoot, tailRateSum] { buffer.deallocate() }
        lastOutOfBand.deallocate()
        saturatedCount.deallocate()
    }

    mutating func beginStep(_ step: Int) {
        self.step = step
        slot = step % width
        divisor = Double(min(step + 1, width))
    }

    @inline(__always)
    mutating func record(lane: Int, threshold: Double, passed: Int, selected: Int, update: LaneUpdate) {
        // As runGroup records the rate: the reciprocal, multiplied.
        let rate = Double(selected) * inverseBatch
        // TraceMetrics.movingAverage: add the new value, then drop the one `width` steps back.
        let cell = ring + (lane * width + slot)
        var running = sum[lane] + rate
        if step >= width { running -= cell.pointee }
        cell.pointee = rate
        sum[lane] = running
        let error = running / divisor - target
        if !(abs(error) <= band) { lastOutOfBand[lane] = step }
        if step == 0 {
            initialError[lane] = error
            direction[lane] = error >= 0 ? 1 : -1
        }
        overshoot[lane] = max(overshoot[lane], -direction[lane] * error)
        if step >= tailStart { tailRateSum[lane] += rate }
        if update.saturated { saturatedCount[lane] += 1 }
    }

    /// Each lane's summary once every step has been recorded.
    var summaries: [SweepRunSummary] {
        (0..<lanes).map { lane in
            let lastOut = lastOutOfBand[lane]
            let settling: Int? = lastOut < 0 ? 0 : (lastOut + 1 < steps ? lastOut + 1 : nil)
            return SweepRunSummary(
                settlingTime: settling,
                steadyStateMeanError: tailRateSum[lane] / Double(steps - tailStart) - target,
                overshoot: abs(initialError[lane]) <= band ? 0 : overshoot[lane],
                fractionSaturated: Double(saturatedCount[lane]) / Double(steps))
        }
    }
}
