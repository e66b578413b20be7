@testable import ASTTrain
import Testing

/// The comparison's statistics against hand computations.
@Suite struct ComparisonMathTests {
    /// [1, 2, 3]: mean 2, sd 1 (n − 1), t(0.975, 2) = 4.302652729911275 (tables; scipy.stats.t.ppf),
    /// so the half-width is 4.302652729911275/√3.
    @Test func studentTIntervalOfThreeValues() throws {
        let interval = try #require(Interval([1, 2, 3]))
        #expect(interval.mean == 2 && interval.standardDeviation == 1 && interval.count == 3)
        let half = 4.302652729911275 / 3.0.squareRoot()
        #expect(abs(interval.upper - (2 + half)) < 1e-9 && abs(interval.lower - (2 - half)) < 1e-9)
        let single = try #require(Interval([5]))
        #expect(single.lower == 5 && single.upper == 5 && single.standardDeviation == 0)
        #expect(Interval([]) == nil)
    }

    func curve(_ points: [(Double, Double)]) -> [CurvePoint] {
        points.map { CurvePoint(trainSeconds: $0.0, epoch: 0, accuracy: $0.1, loss: 0) }
    }

    /// Linear between points: from (2 s, 0.5) to (4 s, 0.7), 0.6 is reached at 3 s.
    @Test func timeToReachInterpolates() {
        let points = curve([(0, 0.1), (2, 0.5), (4, 0.7), (6, 0.65)])
        #expect(abs(PolicyComparison.secondsToReach(0.6, on: points)! - 3) < 1e-12)
        #expect(PolicyComparison.secondsToReach(0.05, on: points) == 0)
        #expect(PolicyComparison.secondsToReach(0.8, on: points) == nil)
    }

    /// At 1 s between (0 s, 0.1) and (2 s, 0.5): 0.3; past the end: nil.
    @Test func accuracyAtATimeInterpolates() {
        let points = curve([(0, 0.1), (2, 0.5), (4, 0.7)])
        #expect(abs(PolicyComparison.accuracy(at: 1, on: points)! - 0.3) < 1e-12)
        #expect(PolicyComparison.accuracy(at: 4, on: points) == 0.7)
        #expect(PolicyComparison.accuracy(at: 5, on: points) == nil)
    }

    /// A mean speedup above the bound is a breach; within the seeds' spread when the bound lies
    /// inside the 95 % interval ([9.9, 10.3, 10.7]: mean 10.3, half-width 4.30·0.4/√3 ≈ 0.99).
    @Test func boundCheckSeparatesSpreadFromExcess() throws {
        let noisy = try #require(Interval([9.9, 10.3, 10.7]))
        let within = PolicyComparison.boundCheck(policy: .uniform, speedup: noisy, bound: 10)
        #expect(within.breaches && within.withinSpread)
        #expect(within.warning?.contains("uniform: measured speedup 10.30× [9.31, 11.29] lies above its bound 10.00×, by 3.0 %") == true)
        #expect(within.warning?.contains("within their spread") == true)

        let tight = try #require(Interval([10.5, 10.6, 10.7]))
        let outside = PolicyComparison.boundCheck(policy: .infobatch, speedup: tight, bound: 10)
        #expect(outside.breaches && !outside.withinSpread)
        #expect(outside.warning?.contains("The whole 95 % interval over the seeds lies above the bound") == true)

        let single = PolicyComparison.boundCheck(policy: .ast, speedup: Interval([2.5]), bound: 2.4)
        #expect(single.breaches && !single.withinSpread && single.warning?.contains("One seed") == true)

        #expect(PolicyComparison.boundCheck(policy: .topk, speedup: noisy, bound: 10.5)
            == .init(breaches: false, withinSpread: false, warning: nil))
        #expect(PolicyComparison.boundCheck(policy: .topk, speedup: nil, bound: 2).breaches == false)
    }
}
