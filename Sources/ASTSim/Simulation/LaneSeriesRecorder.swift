import PIControl

/// Records every series of a lane group's run, as ``Simulator/runGroup(configurations:batches:recordsControllerState:)``
/// returns them: for comparing the lane kernel with the scalar controller, and for callers that
/// want whole traces.
package struct LaneSeriesRecorder: LaneRecorder {
    private let lanes: Int
    private let steps: Int
    private let inverseBatch: Double
    private var step = 0
    private var threshold: [Double]
    private var selected: [Int]
    private var rate: [Double]
    private var ema: [Double]
    private var error: [Double]
    private var integral: [Double]
    private var saturated: [Bool]
    private var fallback: [Bool]

    /// - Parameters:
    ///   - lanes: Lanes in the group.
    ///   - steps: Steps of the run.
    ///   - batchSize: Samples per batch.
    package init(lanes: Int, steps: Int, batchSize: Int) {
        self.lanes = lanes
        self.steps = steps
        inverseBatch = 1 / Double(batchSize)
        let count = lanes * steps
        threshold = Array(repeating: 0, count: count)
        selected = Array(repeating: 0, count: count)
        rate = Array(repeating: 0, count: count)
        ema = Array(repeating: 0, count: count)
        error = Array(repeating: 0, count: count)
        integral = Array(repeating: 0, count: count)
        saturated = Array(repeating: false, count: count)
        fallback = Array(repeating: false, count: count)
    }

    package mutating func beginStep(_ step: Int) { self.step = step }

    package mutating func record(chunk: Int, threshold: LaneVector, passed: LaneVector, selected: LaneVector, update: LaneUpdate) {
        for slot in 0..<laneWidth {
            let lane = chunk * laneWidth + slot
            guard lane < lanes else { break }
            let index = lane * steps + step
            let count = Int(selected[slot])
            self.threshold[index] = threshold[slot]
            self.selected[index] = count
            // As runGroup: the reciprocal, multiplied.
            rate[index] = Double(count) * inverseBatch
            ema[index] = update.ema[slot]
            error[index] = update.error[slot]
            integral[index] = update.integral[slot]
            saturated[index] = update.saturated[slot]
            fallback[index] = selected[slot] > passed[slot]
        }
    }

    /// One series per lane, in lane order.
    package var series: [Simulator.CountingSeries] {
        return (0..<lanes).map { lane in
            let range = (lane * steps)..<((lane + 1) * steps)
            return Simulator.CountingSeries(
                threshold: Array(threshold[range]), selected: Array(selected[range]), rate: Array(rate[range]),
                ema: Array(ema[range]), error: Array(error[range]), integral: Array(integral[range]),
                saturated: Array(saturated[range]), fallback: Array(fallback[range]))
        }
    }
}
