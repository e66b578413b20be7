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
        countsDeterministically(base) && batches.allFinite
    }

    /// Runs one controller per lane over the same batches, in lock-step: lanes are packed four
    /// to a `SIMD4<Double>` chunk, state is a struct of arrays of chunks.
    ///
    /// The lanes share `base` and differ only in `Kp`, `Ki` and `α` (a sweep's grid points), so
    /// every choice the configuration makes (law, anti-windup, EMA form, rate measurement,
    /// fallback) is the same for all lanes and its branches are predicted perfectly. Each
    /// lane does exactly the arithmetic of `PIControl.Controller.advance`, in the same order
    /// (`LaneLaw`), so the series equal ``runGroup(configurations:batches:recordsControllerState:)``'s
    /// bit for bit (`LaneKernelTests`). What is faster, measured on the 64 × 64 × 5 × 5,000 sweep
    /// (Benchmarks/README.md):
    /// - the count is a search with no data-dependent branch (7 halvings and one compare for
    ///   `B = 128`) done as vector compares and blends; the hinted scalar search mispredicted on
    ///   most steps, and scalar selects were turned back into branches by LLVM;
    /// - all chunks' searches advance level by level, so their chains of dependent loads
    ///   overlap;
    /// - state lives in raw buffers (no array bounds, uniqueness or exclusivity checks, no
    ///   `Controller` value copied per step), counts are exact doubles (SSE2 has no 64-bit
    ///   integer compares);
    /// - only what the recorder asks for is kept: a sweep folds its metrics into a few numbers
    ///   per lane instead of writing and re-reading megabytes of series.
    /// - Parameters:
    ///   - base: The shared configuration; must satisfy ``lanesApply(base:batches:)``.
    ///   - gains: One entry per lane.
    ///   - batches: The batches (all finite).
    ///   - recorder: Receives every chunk's step, step by step, chunks in order.
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
        guard !gains.isEmpty else { return }
        let state = LaneState(base: base, gains: gains)
        defer { state.deallocate() }
        let law = LaneLaw(base: base, gains: gains, batchSize: batches.batchSize)
        let steps = batches.steps, batchSize = batches.batchSize, chunks = state.chunks
        // The searches of all chunks advance level by level, so a level's chunks are independent
        // and the CPU overlaps their load chains; one chunk's search alone is a chain of 8
        // dependent loads and compares, and left the core waiting on memory latency.
        let low = UnsafeMutablePointer<LaneCounts>.allocate(capacity: chunks)
        defer { low.deallocate() }
        var halves: [Int] = []
        var remaining = batchSize
        while remaining > 1 {
            halves.append(remaining >> 1)
            remaining -= remaining >> 1
        }
        let fullBatch = LaneVector(repeating: Double(batchSize))
        let firstHalf = halves.first ?? 0
        batches.sortedScores.withUnsafeBufferPointer { sorted in
            halves.withUnsafeBufferPointer { halves in
                guard let scores = sorted.baseAddress else { return }
                for step in 0..<steps {
                    let batch = scores + step * batchSize
                    // The first level probes the same score for every lane: no gather.
                    let firstProbe = LaneVector(repeating: batch[firstHalf])
                    for chunk in 0..<chunks {
                        low[chunk] = LaneCounts().replacing(with: LaneCounts(repeating: Int64(firstHalf)),
                                                            where: firstProbe .<= state.threshold[chunk])
                    }
                    for half in halves.dropFirst() {
                        for chunk in 0..<chunks {
                            low[chunk] = searchStep(low[chunk], value: state.threshold[chunk], in: batch, half: half)
                        }
                    }
                    recorder.beginStep(step)
                    for chunk in 0..<chunks {
                        let gating = state.threshold[chunk]
                        let atMost = searchStep(low[chunk], value: gating, in: batch, half: 0, last: true)
                        let passed = fullBatch - exactDouble(atMost)
                        let selected = law.selectedCount(passed: passed)
                        let update = law.advance(chunk: chunk, state: state, counted: law.countsFallback ? selected : passed)
                        recorder.record(chunk: chunk, threshold: gating, passed: passed, selected: selected, update: update)
                    }
                }
            }
        }
    }

    /// One level of a lower-bound search with no data-dependent branch, per lane: the answer
    /// (how many of the sorted batch are `<= value`) lies in `[low, low + remaining]`; the
    /// probe at `low + half` moves `low` up by `half` or not. The caller halves the window
    /// `⌊log₂ B⌋` times whatever the values, then makes the last compare (`last`, which adds
    /// 1), 7 + 1 for `B = 128`. The step is a vector compare and blend: written with scalar
    /// selects, LLVM's x86 cmov converter turned them back into branches, which mispredicted
    /// about every other probe.
    /// - Parameters:
    ///   - low: Each lane's lower end.
    ///   - value: The lanes' thresholds.
    ///   - batch: The sorted batch.
    ///   - half: The level's half window (ignored for `last`).
    ///   - last: Whether this is the final compare at `low` itself.
    @inline(__always)
    static func searchStep(_ low: LaneCounts, value: LaneVector, in batch: UnsafePointer<Double>, half: Int,
                           last: Bool = false) -> LaneCounts {
        let offset = last ? 0 : half
        let probe = LaneVector(batch[Int(low[0]) &+ offset], batch[Int(low[1]) &+ offset],
                               batch[Int(low[2]) &+ offset], batch[Int(low[3]) &+ offset])
        return low.replacing(with: low &+ Int64(last ? 1 : half), where: probe .<= value)
    }

}

/// Small non-negative integers (below 2⁵²) as doubles, exactly: `n + 2⁵²` has `n` in its low
/// mantissa bits. SSE2 has no vector conversion from 64-bit integers, and the scalarised
/// conversion cost a dozen instructions per chunk.
@inline(__always)
func exactDouble(_ counts: LaneCounts) -> LaneVector {
    let magic = LaneCounts(repeating: 0x4330_0000_0000_0000)
    return unsafeBitCast(counts &+ magic, to: LaneVector.self) - 0x1p52
}

/// Lanes per vector in the lane kernel.
package let laneWidth = 4
/// One value per lane of a chunk.
package typealias LaneVector = SIMD4<Double>
/// One count per lane of a chunk (the mask type of ``LaneVector``'s comparisons).
package typealias LaneCounts = SIMD4<Int64>
/// One flag per lane of a chunk.
package typealias LaneMask = SIMDMask<LaneCounts>

/// Receives a lane group's steps from ``Simulator/runLanes(base:gains:batches:recorder:)``,
/// one chunk of ``laneWidth`` lanes at a time. The last chunk is padded with copies of the
/// last lane; a recorder ignores lanes at or past the group's size.
package protocol LaneRecorder {
    /// Called once per step before its chunks.
    /// - Parameter step: The step about to be recorded.
    mutating func beginStep(_ step: Int)
    /// One chunk's step.
    /// - Parameters:
    ///   - chunk: The chunk: lanes `chunk·laneWidth ..< (chunk+1)·laneWidth`.
    ///   - threshold: `θ_k`, the threshold that gated the batch.
    ///   - passed: Scores above `θ_k` (whole numbers, as doubles: the law needs them so).
    ///   - selected: Samples selected once the fallback has acted (whole numbers).
    ///   - update: The controller update.
    mutating func record(chunk: Int, threshold: LaneVector, passed: LaneVector, selected: LaneVector, update: LaneUpdate)
}

/// What a chunk's controller update produced (the fields of `ControllerStep` a trace records).
package struct LaneUpdate {
    package var ema: LaneVector
    package var error: LaneVector
    package var integral: LaneVector
    package var saturated: LaneMask
}

/// The lanes' evolving controller state, one raw buffer of chunks per field (`ControllerState`'s
/// fields that a counting run uses) plus the lanes' gains. Lanes past the group's size copy
/// the last lane, so they compute valid (unused) values.
struct LaneState {
    let chunks: Int
    let threshold: UnsafeMutablePointer<LaneVector>
    let ema: UnsafeMutablePointer<LaneVector>
    let integral: UnsafeMutablePointer<LaneVector>
    let previousError: UnsafeMutablePointer<LaneVector>
    let cumulativeSelected: UnsafeMutablePointer<LaneVector>
    let cumulativeSeen: UnsafeMutablePointer<LaneVector>
    let proportionalGain: UnsafeMutablePointer<LaneVector>
    let integralGain: UnsafeMutablePointer<LaneVector>
    let emaAlpha: UnsafeMutablePointer<LaneVector>
    private let storage: UnsafeMutablePointer<LaneVector>

    init(base: ControllerConfiguration, gains: [Simulator.LaneGains]) {
        let chunks = (gains.count + laneWidth - 1) / laneWidth
        self.chunks = chunks
        storage = .allocate(capacity: 9 * chunks)
        storage.initialize(repeating: LaneVector(), count: 9 * chunks)
        threshold = storage
        ema = storage + chunks
        integral = storage + 2 * chunks
        previousError = storage + 3 * chunks
        cumulativeSelected = storage + 4 * chunks
        cumulativeSeen = storage + 5 * chunks
        proportionalGain = storage + 6 * chunks
        integralGain = storage + 7 * chunks
        emaAlpha = storage + 8 * chunks
        // As `ControllerState(configuration:)`.
        let initial = ControllerState(configuration: base)
        for chunk in 0..<chunks {
            threshold[chunk] = LaneVector(repeating: initial.threshold)
            ema[chunk] = LaneVector(repeating: initial.ema)
            integral[chunk] = LaneVector(repeating: initial.integral)
            previousError[chunk] = LaneVector(repeating: initial.previousError)
            cumulativeSelected[chunk] = LaneVector(repeating: initial.cumulativeSelected)
            cumulativeSeen[chunk] = LaneVector(repeating: initial.cumulativeSeen)
            for slot in 0..<laneWidth {
                let gain = gains[min(chunk * laneWidth + slot, gains.count - 1)]
                proportionalGain[chunk][slot] = gain.proportionalGain
                integralGain[chunk][slot] = gain.integralGain
                emaAlpha[chunk][slot] = gain.emaAlpha
            }
        }
    }

    func deallocate() { storage.deallocate() }
}
