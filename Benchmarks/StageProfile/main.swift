// Per-stage wall times of FashionNet's forward and backward at B = 128, and the subset
// backward's per-row cost stage by stage (issue 10's "13 of 128 rows" goal).
//
//   swift run -c release StageProfile [repetitions] [subset rows]      (defaults: 300, 13)
//
// Each repetition runs a forward (timed by stage) then a backward of all rows, and a forward
// then a backward of the subset (rows spread evenly, 0, 10, 20, … for 13 of 128), so the two
// backwards alternate under the same load. Medians and bests over the repetitions; the per-row
// ratio is (subset µs / m) / (full µs / 128) × 100. Compare figures within one run only.
import ASTTrain
import Foundation
import PIControl

let batchSize = 128
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let repetitions = max(1, arguments.first ?? 300)
let subsetCount = min(batchSize, max(1, arguments.dropFirst().first ?? 13))

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
}

let network = FashionNet.make(maximumBatchSize: batchSize, seed: 1)
let sampleSize = network.inputShape.elementCount
let images = UnsafeMutablePointer<Float>.allocate(capacity: batchSize * sampleSize)
let labels = UnsafeMutablePointer<Int32>.allocate(capacity: batchSize)
var generator = SeededGenerator(seed: 9)
for index in 0..<(batchSize * sampleSize) { images[index] = Float(generator.nextUnitInterval() * 2 - 1) }
for index in 0..<batchSize { labels[index] = Int32(generator.next(upperBound: UInt64(10))) }

func spreadRows(_ count: Int) -> RowSelection {
    let rows = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
    for index in 0..<count { rows[index] = index * batchSize / count }
    return RowSelection(rows: UnsafeBufferPointer(rows), batchSize: batchSize)
}
let allRows = spreadRows(batchSize), subsetRows = spreadRows(subsetCount)

/// Seconds per stage name, one entry per repetition, plus the pass's total.
struct Samples {
    var names: [String] = []
    var byStage: [[Double]] = []
    var totals: [Double] = []

    mutating func add(_ timings: [StageTiming]) {
        if names.isEmpty {
            names = timings.map(\.name)
            byStage = Array(repeating: [], count: timings.count)
        }
        for (index, timing) in timings.enumerated() { byStage[index].append(timing.seconds) }
        totals.append(timings.reduce(0) { $0 + $1.seconds })
    }
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
func micro(_ seconds: Double) -> String { String(format: "%9.1f", seconds * 1e6) }

var forward = Samples(), full = Samples(), subset = Samples()
print("load before: \(loadAverage())")
for _ in 0..<repetitions {
    forward.add(network.forwardLogitsTimingStages(images: images, batchSize: batchSize))
    network.loss.forward(logits: network.logits, labels: labels, batchSize: batchSize)
    full.add(network.backwardTimingStages(rows: allRows))
    network.forward(images: images, labels: labels, batchSize: batchSize)
    subset.add(network.backwardTimingStages(rows: subsetRows))
}
print("load after:  \(loadAverage())")
print("\nforward, B = \(batchSize), \(repetitions) repetitions (µs)")
print("stage                median      best")
for (index, name) in forward.names.enumerated() {
    print(name.padding(toLength: 16, withPad: " ", startingAt: 0), micro(median(forward.byStage[index])),
          micro(forward.byStage[index].min()!))
}
print("total           ", micro(median(forward.totals)), micro(forward.totals.min()!))

print("\nbackward, \(subsetCount) against \(batchSize) rows (µs; per-row % = (subset/\(subsetCount)) / (full/\(batchSize)) × 100)")
print("stage            \(subsetCount) median  \(batchSize) median  per-row %    \(subsetCount) best  \(batchSize) best  per-row %")
func ratio(_ part: Double, _ whole: Double) -> String {
    String(format: "%9.0f", 100 * (part / Double(subsetCount)) / (whole / Double(batchSize)))
}
for (index, name) in full.names.enumerated() {
    let a = median(subset.byStage[index]), b = median(full.byStage[index])
    let c = subset.byStage[index].min()!, d = full.byStage[index].min()!
    print(name.padding(toLength: 16, withPad: " ", startingAt: 0), micro(a), "  ", micro(b), ratio(a, b), "  ",
          micro(c), micro(d), ratio(c, d))
}
let a = median(subset.totals), b = median(full.totals), c = subset.totals.min()!, d = full.totals.min()!
print("total           ", micro(a), "  ", micro(b), ratio(a, b), "  ", micro(c), micro(d), ratio(c, d))
