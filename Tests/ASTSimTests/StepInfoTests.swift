import Foundation
import Testing
import ASTSim

/// ``StepInfo`` against python-control's `step_info`.
///
/// Reference values: `python3 Scripts/reference/loop_margins.py` (python-control 0.10.2,
/// `step_info(y, T, yfinal=1.0)` on the step responses below, T = 0…59; output in
/// Scripts/reference/loop_margins.out). Both traces start at 0 with final value 1, where the
/// conventions agree.
@Suite struct StepInfoTests {
    /// Step response of (b1 z + b2)/(z² + a1 z + a2) from rest: y_k = −a1 y_{k−1} − a2 y_{k−2} + b1 + b2·[k ≥ 2].
    static func stepResponse(b1: Double, b2: Double, a1: Double, a2: Double, count: Int = 60) -> [Double] {
        var y = [Double](repeating: 0, count: count)
        for k in 1..<count {
            let previous = y[k - 1], older = k >= 2 ? y[k - 2] : 0
            y[k] = -a1 * previous - a2 * older + b1 + (k >= 2 ? b2 : 0)
        }
        return y
    }

    @Test func overshootingResponse() throws {
        let y = Self.stepResponse(b1: 0.2, b2: 0.1, a1: -1.1, a2: 0.4)
        // python-control: y[0:8] = [0, 0.2, 0.52, 0.792, 0.9632000000000002, 1.04272, 1.0617120000000002, 1.0507952000000005]
        #expect(abs(y[4] - 0.9632000000000002) < 1e-14 && abs(y[6] - 1.0617120000000002) < 1e-14)
        let info = try #require(StepInfo.compute(y, final: 1))
        #expect(info.riseTime == 3)
        #expect(info.settlingTime == 9)
        #expect(abs(info.settlingMin! - 0.9632000000000002) < 1e-12)
        #expect(abs(info.settlingMax! - 1.0617120000000002) < 1e-12)
        #expect(abs(info.overshoot - 6.171200000000021) < 1e-9)
        #expect(info.undershoot == 0)
        #expect(abs(info.peak - 1.0617120000000002) < 1e-12)
        #expect(info.peakTime == 6)
        #expect(info.steadyStateValue == 1)
    }

    @Test func responseWithUndershoot() throws {
        let y = Self.stepResponse(b1: -0.3, b2: 0.5, a1: -1.2, a2: 0.4)
        let info = try #require(StepInfo.compute(y, final: 1))
        #expect(info.riseTime == 4)
        #expect(info.settlingTime == 9)
        #expect(abs(info.settlingMin! - 0.9154687999999997) < 1e-12)
        #expect(abs(info.settlingMax! - 1.0147492044799997) < 1e-12)
        #expect(abs(info.overshoot - 1.4749204479999722) < 1e-9)
        #expect(abs(info.undershoot - 30.0) < 1e-9)
        #expect(abs(info.peak - 1.0147492044799997) < 1e-12)
        #expect(info.peakTime == 11)
    }

    /// Our convention measures the change from `y_start`: a response mirrored and shifted
    /// (5 − y, from 5 down to 4) has the same times and percentages, and its peak mirrored.
    @Test func mirroredAndShiftedResponseHasTheSameShape() throws {
        let y = Self.stepResponse(b1: 0.2, b2: 0.1, a1: -1.1, a2: 0.4)
        let original = try #require(StepInfo.compute(y, final: 1))
        let mirrored = try #require(StepInfo.compute(y.map { 5 - $0 }, final: 4))
        #expect(mirrored.riseTime == original.riseTime)
        #expect(mirrored.settlingTime == original.settlingTime)
        #expect(abs(mirrored.overshoot - original.overshoot) < 1e-9)
        #expect(abs(mirrored.peak - (5 - original.peak)) < 1e-12)
        #expect(mirrored.peakTime == original.peakTime)
        #expect(abs(mirrored.settlingMin! - (5 - original.settlingMax!)) < 1e-12)
    }

    @Test func responsesWithoutAChange() {
        #expect(StepInfo.compute([]) == nil)
        #expect(StepInfo.compute([2, 2, 2]) == nil)
        // Never reaching 90 %: no rise time, no settling.
        let info = StepInfo.compute([0, 0.1, 0.2, 0.3], final: 1)
        #expect(info?.riseTime == nil)
        #expect(info?.settlingTime == nil)
    }
}
