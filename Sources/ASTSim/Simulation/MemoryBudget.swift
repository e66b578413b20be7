import Foundation

/// The memory a run will need, estimated before anything is allocated, and the limit it is
/// held to: half of this machine's physical memory (`ProcessInfo.physicalMemory / 2`), so a
/// scenario or a flag asking for more is refused with the estimate instead of dying in the
/// allocator (or swapping the machine to a halt).
///
/// The figures are the arrays the simulator really keeps (Double = 8 bytes): each seed's
/// batches twice (generation order and sorted), one ideal threshold per step, and per
/// controller run the trace's series. Arithmetic is in `Double` so that absurd sizes
/// (`steps: 1e12`) cannot overflow.
package struct MemoryEstimate: Sendable, Equatable {
    /// Bytes the run needs at its peak.
    package var bytes: Double
    /// How it was computed, e.g. `2 seeds × 100000000 steps × 256 scores × 16 B`.
    package var formula: String

    package init(bytes: Double, formula: String) {
        self.bytes = bytes
        self.formula = formula
    }

    /// Bytes per score held for a seed: the batch in generation order and sorted.
    package static let bytesPerScore = 16.0
    /// Bytes per step of one controller run: ten series of a trace (eight of 8 bytes, two
    /// flags) and the metrics' temporaries over the rate (about five more series).
    package static let bytesPerTraceStep = 128.0
    /// Bytes per step shared by all seeds: the ideal threshold and the drift series.
    package static let bytesPerSharedStep = 16.0

    /// The limit every estimate is checked against.
    package static var limit: Double { Double(ProcessInfo.processInfo.physicalMemory) / 2 }

    /// Seeds whose batches are alive at once when runs are spread over the cores.
    package static func concurrentSeeds(_ seeds: Int) -> Int {
        max(1, min(seeds, ProcessInfo.processInfo.activeProcessorCount))
    }

    /// A scenario run (`verify`, `simulate`): seeds run in parallel, each holding its batches
    /// and one trace at a time; kept traces add one per controller and seed.
    package static func scenarioRun(steps: Int, batchSize: Int, seeds: Int, controllers: Int, keepTraces: Bool) -> MemoryEstimate {
        let steps = Double(steps), batch = Double(batchSize)
        let alive = Double(concurrentSeeds(seeds))
        let kept = keepTraces ? Double(seeds) * Double(controllers) : 0
        let bytes = steps * bytesPerSharedStep
            + alive * (steps * batch * bytesPerScore + steps * bytesPerTraceStep)
            + kept * steps * bytesPerTraceStep
        var formula = "\(Int(alive)) seed\(alive == 1 ? "" : "s") at once × \(Int(steps)) steps × \(Int(batch)) scores × \(Int(bytesPerScore)) B"
        if kept > 0 { formula += " + \(Int(kept)) kept trace\(kept == 1 ? "" : "s") × \(Int(steps)) steps × \(Int(bytesPerTraceStep)) B" }
        return MemoryEstimate(bytes: bytes, formula: formula)
    }

    /// Batches generated once and kept for every seed of every scenario (`sweep`, `tune`),
    /// plus the grid points' results.
    package static func sharedBatches(steps: [Int], batchSizes: [Int], seeds: Int, gridPoints: Int = 0,
                                     groupSize: Int = 1) -> MemoryEstimate {
        var batchBytes = 0.0, longest = 0.0
        for (steps, batch) in zip(steps, batchSizes) {
            batchBytes += Double(seeds) * Double(steps) * (Double(batch) * bytesPerScore + bytesPerSharedStep)
            longest = max(longest, Double(steps))
        }
        // Each core simulates a group of grid points and keeps their rate series; every point's
        // summary (about 200 bytes with its CSV row) is kept to the end.
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let working = cores * Double(groupSize) * longest * bytesPerTraceStep
        let results = Double(gridPoints) * 200
        var formula = zip(steps, batchSizes).map { "\(seeds) seed\(seeds == 1 ? "" : "s") × \($0) steps × \($1) scores × \(Int(bytesPerScore)) B" }
            .joined(separator: " + ")
        if gridPoints > 0 { formula += " + \(gridPoints) grid points × 200 B" }
        return MemoryEstimate(bytes: batchBytes + working + results, formula: formula)
    }

    /// Bytes in the largest fitting unit, e.g. `1.6 TB`.
    package static func format(_ bytes: Double) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = bytes, unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        return String(format: value < 10 ? "%.2g" : "%.3g", value) + " " + units[unit]
    }
}
