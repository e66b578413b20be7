import Foundation
import Testing
import ASTSim

/// Metrics on hand-made rate series. Every expected value is worked out by hand in the
/// comments; `window: 1` makes the metrics see the raw per-batch rates.
@Suite struct MetricsTests {
    static func metrics(
        _ rate: [Double], target: Double = 0.1, band: Double = 0.01, window: Int = 1, tail: Double = 0.25,
        saturated: [Bool]? = nil, threshold: [Double]? = nil, ideal: [Double]? = nil, fallback: [Bool] = []
    ) -> RunMetrics {
        TraceMetrics.compute(
            rate: rate, saturated: saturated ?? Array(repeating: false, count: rate.count),
            threshold: threshold ?? Array(repeating: 0, count: rate.count),
            idealThreshold: ideal ?? Array(repeating: .nan, count: rate.count), fallback: fallback,
            settings: MetricSettings(target: target, band: band, window: window, steadyStateFraction: tail))
    }

    // MARK: Settling

    @Test func settlingTimeWhenTheRateEntersTheBandAndStays() {
        // errors: 0.2, 0.1, 0.05, 0.005, 0, -0.005, 0, 0 → out of ±0.01 at 0, 1, 2 only → settles at 3.
        let m = Self.metrics([0.3, 0.2, 0.15, 0.105, 0.1, 0.095, 0.1, 0.1])
        #expect(m.settlingTime == 3)
        #expect(m.settled)
    }

    @Test func settlingTimeCountsFromTheLastExit() {
        // In band at 1, 2, leaves at 3 (error 0.1), back from 4 on → settles at 4, not 1.
        let m = Self.metrics([0.3, 0.1, 0.1, 0.2, 0.1, 0.1])
        #expect(m.settlingTime == 4)
    }

    @Test func settlingTimeIsNilWhenTheLastStepIsOutside() {
        // Enters at 1, but the final step is out again (error 0.2) → never settled.
        #expect(Self.metrics([0.3, 0.1, 0.3]).settlingTime == nil)
        // Never enters at all.
        let never = Self.metrics([0.5, 0.4, 0.3, 0.2])
        #expect(never.settlingTime == nil)
        #expect(!never.settled)
    }

    @Test func runStartingInsideTheBandSettlesAtZero() {
        #expect(Self.metrics([0.1, 0.105, 0.095, 0.1]).settlingTime == 0)
    }

    @Test func settlingUsesTheMovingAverage() {
        // Raw rates alternate 0.05/0.15 (each 5 points off); with window 2 the trailing
        // average from step 1 on is exactly 0.1, step 0 averages only itself (0.05, out).
        let rate = [0.05, 0.15, 0.05, 0.15, 0.05, 0.15]
        #expect(Self.metrics(rate, window: 1).settlingTime == nil)
        #expect(Self.metrics(rate, window: 2).settlingTime == 1)
    }

    // MARK: Rise time and overshoot

    @Test func riseTimeIsTheFirstStepWithNinetyPercentOfTheInitialErrorGone() {
        // e0 = 0.4, so |e| <= max(0.04, 0.01) = 0.04 is needed: errors 0.4, 0.2, 0.1, 0.03 → step 3.
        #expect(Self.metrics([0.5, 0.3, 0.2, 0.13, 0.12, 0.1]).riseTime == 3)
        // Never closer than 0.1 → nil.
        #expect(Self.metrics([0.5, 0.3, 0.2, 0.2]).riseTime == nil)
        // Starting in the band: 0.
        #expect(Self.metrics([0.1, 0.3]).riseTime == 0)
    }

    @Test func overshootWithPositiveInitialError() {
        // errors 0.4, 0.1, -0.05, -0.02, 0 → largest excursion below the target: 0.05.
        let m = Self.metrics([0.5, 0.2, 0.05, 0.08, 0.1])
        #expect(abs(m.overshoot - 0.05) < 1e-12)
    }

    @Test func overshootWithNegativeInitialError() {
        // errors -0.1, -0.05, 0.03, 0.01, 0 → largest excursion above the target: 0.03.
        let m = Self.metrics([0.0, 0.05, 0.13, 0.11, 0.1])
        #expect(abs(m.overshoot - 0.03) < 1e-12)
    }

    @Test func noOvershootWhenTheTargetIsApproachedFromOneSide() {
        #expect(Self.metrics([0.5, 0.3, 0.15, 0.11]).overshoot == 0)
    }

    // MARK: Steady state, IAE, ITAE

    @Test func steadyStateMeanAndRMSOverTheTail() {
        // 8 steps, tail fraction 0.25 → steps 6 and 7: rates 0.12, 0.06.
        // mean error = (0.12 + 0.06)/2 − 0.1 = −0.01; RMS = √((0.02² + 0.04²)/2) = √0.001.
        let m = Self.metrics([0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.12, 0.06])
        #expect(abs(m.steadyStateMeanError - (-0.01)) < 1e-12)
        #expect(abs(m.steadyStateRMSError - 0.001.squareRoot()) < 1e-12)
    }

    @Test func steadyStateRMSUsesTheAverageWhileTheMeanUsesRawRates() {
        // Window 2: averages at 6 and 7 are (0.1+0.14)/2 = 0.12 and (0.14+0.06)/2 = 0.10 →
        // RMS = √(0.02²/2) = 0.0141421…; the raw tail mean is (0.14+0.06)/2 = 0.1 → mean error 0.
        let m = Self.metrics([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.14, 0.06], window: 2)
        #expect(abs(m.steadyStateMeanError) < 1e-12)
        #expect(abs(m.steadyStateRMSError - (0.0002).squareRoot()) < 1e-12)
    }

    @Test func iaeAndItaeOnAShortSeries() {
        // errors 0.2, −0.1, 0.05, 0 → IAE 0.35; ITAE 0·0.2 + 1·0.1 + 2·0.05 + 3·0 = 0.2.
        let m = Self.metrics([0.3, 0.0, 0.15, 0.1])
        #expect(abs(m.iae - 0.35) < 1e-12)
        #expect(abs(m.itae - 0.2) < 1e-12)
    }

    @Test func meanRateIsOverTheWholeRun() {
        #expect(abs(Self.metrics([0.3, 0.0, 0.15, 0.15]).meanRate - 0.15) < 1e-12)
    }

    // MARK: Oscillation

    @Test func signChangesWithHysteresis() {
        // With hysteresis 0.005 the classes are +, 0, 0, −, +, 0, − → changes + → − → + → − = 3.
        let values = [0.01, -0.002, 0.003, -0.01, 0.01, 0.0, -0.006]
        #expect(TraceMetrics.signChanges(values, hysteresis: 0.005) == 3)
        // Without hysteresis the small wiggles count: +, −, +, −, +, (0 skipped), − = 5.
        #expect(TraceMetrics.signChanges(values, hysteresis: 0) == 5)
    }

    @Test func signChangesInMetricsUseHalfTheBand() {
        // band 0.01 → hysteresis 0.005. errors: 0.02, −0.004, 0.004, −0.02, 0.02 → +, 0, 0, −, + → 2.
        let m = Self.metrics([0.12, 0.096, 0.104, 0.08, 0.12])
        #expect(m.signChanges == 2)
    }

    @Test func dominantPeriodOfACleanSinusoid() throws {
        let values = (0..<400).map { 0.01 * sin(2 * Double.pi * Double($0) / 40) }
        let period = try #require(TraceMetrics.dominantPeriod(values))
        #expect(abs(period - 40) <= 1)
    }

    @Test func dominantPeriodThroughMetricsUsesTheTail() throws {
        // 800 steps, tail 0.5 → the last 400 steps hold the period-40 oscillation.
        let rate = (0..<800).map { 0.1 + 0.02 * sin(2 * Double.pi * Double($0) / 40) }
        let m = Self.metrics(rate, tail: 0.5)
        let period = try #require(m.dominantPeriod)
        #expect(abs(period - 40) <= 1)
    }

    @Test func noDominantPeriodWithoutOscillation() {
        // Constant: zero variance. Ramp: its autocorrelation falls and stays negative to n/2.
        #expect(TraceMetrics.dominantPeriod(Array(repeating: 0.3, count: 100)) == nil)
        #expect(TraceMetrics.dominantPeriod((0..<100).map(Double.init)) == nil)
        // Too short to analyse.
        #expect(TraceMetrics.dominantPeriod([1, -1, 1, -1]) == nil)
    }

    // MARK: Saturation and windup

    @Test func fractionSaturated() {
        let m = Self.metrics([0.1, 0.1, 0.1, 0.1], saturated: [true, false, false, true])
        #expect(m.fractionSaturated == 0.5)
    }

    @Test func windupRecoveryAfterAnEpisode() {
        // Saturated at 1…3; the first unsaturated step is 4; the rate re-enters the band at 7 → 3 steps.
        let rate = [0.1, 0.0, 0.0, 0.0, 0.0, 0.05, 0.08, 0.1, 0.1, 0.1]
        let saturated = [false, true, true, true, false, false, false, false, false, false]
        let m = Self.metrics(rate, saturated: saturated)
        #expect(m.windupRecoveryTime == 3)
        #expect(m.unrecoveredEpisodes == 0)
    }

    @Test func windupWorstOfTwoEpisodesAndAnUnrecoveredOne() {
        // Episode A at 1: ends at 2, in band at 2 → 0 steps.
        // Episode B at 4…5: ends at 6, rate 0.0 at 6–7, in band at 8 → 2 steps.
        // Episode C at 10: ends at 11, rate 0.3 to the end → unrecovered.
        let rate = [0.1, 0.0, 0.1, 0.1, 0.0, 0.0, 0.0, 0.0, 0.1, 0.1, 0.3, 0.3, 0.3]
        var saturated = Array(repeating: false, count: rate.count)
        for index in [1, 4, 5, 10] { saturated[index] = true }
        let m = Self.metrics(rate, saturated: saturated)
        #expect(m.windupRecoveryTime == 2)
        #expect(m.unrecoveredEpisodes == 1)
    }

    @Test func noSaturationMeansNoRecoveryTime() {
        let m = Self.metrics([0.3, 0.2, 0.1])
        #expect(m.windupRecoveryTime == nil)
        #expect(m.unrecoveredEpisodes == 0)
        #expect(m.fractionSaturated == 0)
    }

    // MARK: Tracking, fallback, moving average

    @Test func thresholdTrackingRMSOverTheTail() throws {
        // Tail = steps 6, 7: θ − θ* = −0.5, +0.5 → RMS 0.5. Earlier steps (large errors) are ignored.
        let threshold = [9.0, 9, 9, 9, 9, 9, 3.0, 4.0]
        let ideal = Array(repeating: 3.5, count: 8)
        let m = Self.metrics(Array(repeating: 0.1, count: 8), threshold: threshold, ideal: ideal)
        let rms = try #require(m.thresholdTrackingRMS)
        #expect(abs(rms - 0.5) < 1e-12)
    }

    @Test func thresholdTrackingSkipsUnknownIdealAndIsNilWhenAllUnknown() throws {
        // Tail steps 6, 7; θ* unknown at 6 → only step 7 counts: |4 − 3| = 1.
        let ideal = [3.0, 3, 3, 3, 3, 3, .nan, 3.0]
        let m = Self.metrics(Array(repeating: 0.1, count: 8), threshold: Array(repeating: 4, count: 8), ideal: ideal)
        #expect(try #require(m.thresholdTrackingRMS) == 1)
        #expect(Self.metrics(Array(repeating: 0.1, count: 8)).thresholdTrackingRMS == nil)
    }

    @Test func fractionFallback() {
        #expect(Self.metrics([0.1, 0.1, 0.1, 0.1], fallback: [true, false, true, true]).fractionFallback == 0.75)
        #expect(Self.metrics([0.1, 0.1]).fractionFallback == 0)
    }

    @Test func movingAverageIsTrailingAndAveragesWhatExistsAtTheStart() {
        // Window 3 over 1…5: 1, (1+2)/2, (1+2+3)/3, (2+3+4)/3, (3+4+5)/3.
        #expect(TraceMetrics.movingAverage([1, 2, 3, 4, 5], window: 3) == [1, 1.5, 2, 3, 4])
        // Window 1 (and a nonsensical 0) leave the series alone.
        #expect(TraceMetrics.movingAverage([1, 5, 2], window: 1) == [1, 5, 2])
        #expect(TraceMetrics.movingAverage([1, 5, 2], window: 0) == [1, 5, 2])
        #expect(TraceMetrics.movingAverage([], window: 4) == [])
    }

    @Test func emptySeriesGivesEmptyMetrics() {
        let m = Self.metrics([])
        #expect(m.settlingTime == nil)
        #expect(m.iae == 0)
    }
}
