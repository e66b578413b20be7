import Foundation
import Testing
import ASTSim
import PIControl

/// ``Confirmation`` on hand-made runs with known per-epoch statistics.
@Suite struct ConfirmationTests {
    @Test func perEpochStatisticsAndGaps() throws {
        // Two epochs of 4 batches. Closed loop: rates 0.1, 0.3, 0.1, 0.3 | 0.2 × 4; replay: 0.1 × 4 | 0.1 × 4.
        let closed = LoopRun(threshold: [1, 1, 1, 1, 2, 2, 2, 2], rate: [0.1, 0.3, 0.1, 0.3, 0.2, 0.2, 0.2, 0.2], epochLengths: [4, 4])
        let replay = LoopRun(threshold: [1, 1, 1, 1, 1, 1, 1, 10], rate: Array(repeating: 0.1, count: 8), epochLengths: [4, 4])
        let confirmation = Confirmation(closed: [closed], replay: [replay],
                                        settings: MetricSettings(target: 0.1, band: 0.01, window: 1, steadyStateFraction: 0.5),
                                        bounds: try ThresholdBounds(lower: 0, upper: 10),
                                        closedScores: [[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [11, 12, 13, 14, 15, 16, 17, 18, 19, 20]]],
                                        recordingScores: [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]])
        #expect(confirmation.epochs.count == 2)
        let first = confirmation.epochs[0], second = confirmation.epochs[1]
        #expect(abs(first.closedRateMean.mean - 0.2) < 1e-12)
        // sd of (0.1, 0.3, 0.1, 0.3) with n − 1: √(4·0.01/3).
        #expect(abs(first.closedRateSD.mean - (0.04 / 3).squareRoot()) < 1e-12)
        #expect(abs(second.replayThresholdMean.mean - 13.0 / 4) < 1e-12)
        // Mean |closed − replay| over epochs: (0.1 + 0.1)/2.
        #expect(abs(confirmation.meanRateGap - 0.1) < 1e-12)
        // θ* at 10 %: the sample at rank ⌈0.9·10⌉ = 9: 9 and 19 against 9 and 9 → shift (0 + 10)/2 = 5.
        #expect(first.recordingIdealThreshold == 9)
        #expect(second.closedIdealThreshold?.mean == 19)
        #expect(confirmation.idealThresholdShift == 5)
        // Saturation: the replay's last threshold sits at the upper bound, 1 of 8 batches.
        #expect(abs(confirmation.replaySaturation.mean - 0.125) < 1e-12)
        #expect(confirmation.closedSaturation.mean == 0)
        // The replay sits on the target from the start; the closed loop never inside ±1 pt.
        #expect(confirmation.replaySettlingTimes == [0])
        #expect(confirmation.closedSettlingTimes == [nil])
        #expect(confirmation.findings.contains { $0.contains("changes the score distribution") })
    }

    @Test func seedIntervalSkipsNonFiniteValues() {
        let interval = SeedInterval([1, .nan, 3])
        #expect(interval.mean == 2 && interval.low == 1 && interval.high == 3)
    }
}
