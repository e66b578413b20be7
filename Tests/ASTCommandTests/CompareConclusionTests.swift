import ASTTrain
import Testing
@testable import ast

/// `ast compare`'s one-line conclusion: the fastest policy among those that reached the target
/// with every seed, and `uniform` beside it, including when `uniform` reached it with some seeds
/// only (the headline of 2026-12-01: its time then covers 2 of 3 seeds and must say so).
@Suite struct CompareConclusionTests {
    static func time(_ policy: SelectionPolicy, _ values: [Double]?, reached: Int) -> CompareRun.ReachTime {
        CompareRun.ReachTime(policy: policy, seconds: values.flatMap(Interval.init), reachedSeeds: reached)
    }

    @Test func uniformFastest() {
        let text = CompareRun.conclusion(target: "80 %", seedCount: 2, times: [
            Self.time(.full, [3, 3.2], reached: 2), Self.time(.uniform, [2, 2.2], reached: 2), Self.time(.ast, nil, reached: 0),
        ])
        #expect(text.contains("uniform is the fastest with every seed"))
        #expect(text.contains("no score-based policy beats uniform"))
    }

    @Test func uniformReachedWithSomeSeedsOnly() {
        let text = CompareRun.conclusion(target: "82.80 %", seedCount: 3, times: [
            Self.time(.full, [3.0, 3.1, 3.2], reached: 3), Self.time(.uniform, [2.5, 2.9], reached: 2),
            Self.time(.infobatch, [2.8, 3.0, 3.2], reached: 3),
        ])
        #expect(text.contains("infobatch is the fastest with every seed: 3.0"))
        #expect(text.contains("uniform reached it with 2 of 3 seeds only"))
        #expect(!text.contains("against uniform's"))
    }

    /// Two seeds each: equal times give a zero-width interval; 1.0 and 1.4 s one of about ±2.5 s.
    @Test(arguments: [([1.0, 1.0], false), ([1.0, 1.4], true)])
    func againstUniform(infobatchSeconds: [Double], overlaps: Bool) {
        let text = CompareRun.conclusion(target: "80 %", seedCount: 2, times: [
            Self.time(.infobatch, infobatchSeconds, reached: 2), Self.time(.uniform, [2.0, 2.0], reached: 2),
        ])
        #expect(text.contains("infobatch is the fastest with every seed"))
        #expect(text.contains("against uniform's 2.0"))
        #expect(text.contains("not a clear win") == overlaps)
    }

    @Test func uniformNeverReached() {
        let text = CompareRun.conclusion(target: "90 %", seedCount: 2, times: [
            Self.time(.full, [3, 3.2], reached: 2), Self.time(.uniform, nil, reached: 0),
        ])
        #expect(text.contains("full is the fastest with every seed"))
        #expect(text.contains("uniform never reached it"))
    }

    @Test func nobodyReached() {
        let text = CompareRun.conclusion(target: "99 %", seedCount: 2, times: [Self.time(.full, [3], reached: 1)])
        #expect(text == "conclusion: no policy reached 99 % with every seed")
    }
}
