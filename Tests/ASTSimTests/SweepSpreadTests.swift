import Testing
@testable import ASTSim

/// The spread columns of a sweep are sample standard deviations (divisor n − 1), checked
/// against values computed by hand (issue 11: a divisor of n went unnoticed).
@Suite("Sweep spread")
struct SweepSpreadTests {
    static func metrics(settlingTime: Int?, steadyStateMeanError: Double) -> RunMetrics {
        RunMetrics(riseTime: nil, settlingTime: settlingTime, overshoot: 0, steadyStateMeanError: steadyStateMeanError,
                   steadyStateRMSError: 0, iae: 0, itae: 0, signChanges: 0, dominantPeriod: nil, fractionSaturated: 0,
                   windupRecoveryTime: nil, unrecoveredEpisodes: 0, thresholdTrackingRMS: nil, fractionFallback: 0, meanRate: 0)
    }

    static let gains = (proportionalGain: 1.0, integralGain: 0.5, emaAlpha: 0.25)

    @Test func settlingTimeAndErrorSpreadUseNMinusOne() {
        // Settling times 10, 20, 40: mean 70/3, squared deviations (1600 + 100 + 2500)/9 = 4200/9,
        // sample variance (4200/9)/2 = 2100/9, std √(2100/9) = 15.275252316519467.
        // Errors 0.5, −0.25, 0.125: mean 0.125, squared deviations 0.140625 + 0.140625 + 0 = 0.28125,
        // sample variance 0.140625, std 0.375 (exact in binary).
        let runs = [Self.metrics(settlingTime: 10, steadyStateMeanError: 0.5),
                    Self.metrics(settlingTime: 20, steadyStateMeanError: -0.25),
                    Self.metrics(settlingTime: 40, steadyStateMeanError: 0.125)]
        let point = Sweep.summarise(index: 0, gains: Self.gains, metrics: runs, predictedStable: nil)
        #expect(point.settlingTimeMean.map { abs($0 - 70.0 / 3) < 1e-12 } == true)
        #expect(point.settlingTimeStd.map { abs($0 - 15.275252316519467) < 1e-12 } == true)
        #expect(point.steadyStateErrorMean == 0.125)
        #expect(point.steadyStateErrorStd == 0.375)
        #expect(point.settledSeeds == 3 && point.seeds == 3)
    }

    @Test func onlySettledSeedsEnterTheSettlingSpread() {
        // Seeds settling at 100 and 104 (the third never settles): std √(((−2)² + 2²)/1) = √8.
        let runs = [Self.metrics(settlingTime: 100, steadyStateMeanError: 0),
                    Self.metrics(settlingTime: nil, steadyStateMeanError: 0),
                    Self.metrics(settlingTime: 104, steadyStateMeanError: 0)]
        let point = Sweep.summarise(index: 0, gains: Self.gains, metrics: runs, predictedStable: nil)
        #expect(point.settlingTimeMean == 102)
        #expect(point.settlingTimeStd == 8.0.squareRoot())
        #expect(point.settledSeeds == 2 && !point.settledAll)
    }

    @Test func oneSeedHasNoSpread() {
        let point = Sweep.summarise(index: 0, gains: Self.gains, metrics: [Self.metrics(settlingTime: 7, steadyStateMeanError: 0.5)],
                                    predictedStable: nil)
        #expect(point.settlingTimeStd == 0)
        #expect(point.steadyStateErrorStd == 0)
    }
}
