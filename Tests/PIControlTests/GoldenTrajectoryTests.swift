import PIControl
import Testing

// Every expected number in this file was computed by the independent Python reference
// implementation `Scripts/golden/controller_reference.py` (written from the equations in
// PIControl.docc/PIControl.md and the doc comments, never from this package's output) and pasted here with full `repr` precision:
//
//     python3 Scripts/golden/controller_reference.py <section>
//
// The section name is given above each table. Tolerance: 1e-12 relative.

@Suite("Golden trajectories from the Python reference")
struct GoldenTrajectoryTests {
    // MARK: textbook laws

    /// Section `positionalPI`: positionalPI(target: 0.1), update(observedRate:).
    @Test func positionalPIPreset() throws {
        let rates = [0.3, 0.05, 0.0, 0.25, 0.1, 0.1, 0.6, 0.02]
        let expected: [GoldenStep] = [
            (1.0, 0.3, 0.2, 0.1, 1.12),
            (1.12, 0.05, 0.125, 0.125, 1.0499999999999998),
            (1.0499999999999998, 0.0, 0.0625, 0.0875, 0.98),
            (0.98, 0.25, 0.15625, 0.14375, 1.085),
            (1.085, 0.1, 0.128125, 0.17187499999999997, 1.0625),
            (1.0625, 0.1, 0.1140625, 0.18593749999999998, 1.05125),
            (1.05125, 0.6, 0.35703124999999997, 0.4429687499999999, 1.3456249999999998),
            (1.3456249999999998, 0.02, 0.188515625, 0.5314843749999999, 1.1948124999999998),
        ]
        try runRateGolden(Preset.positionalPI.configuration(target: 0.1), rates, expected)
    }

    /// Section `positionalConditional`: positional(reference: 1), Kp 0.8, Ki 0.3, α 0.6,
    /// bounds [0.9, 1.3], conditional integration, target 0.1. The integral stays 0 while the
    /// output is pinned at 1.3 with a positive error (steps 0–3), then integrates again.
    @Test func positionalConditionalIntegration() throws {
        let rates = [1.0, 1.0, 1.0, 0.6, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 0.1, 1.0]
        let expected: [GoldenStep] = [
            (1.0, 1.0, 0.64, 0.0, 1.3),
            (1.3, 1.0, 0.856, 0.0, 1.3),
            (1.3, 1.0, 0.9424, 0.0, 1.3),
            (1.3, 0.6, 0.7369600000000001, 0.0, 1.3),
            (1.3, 0.0, 0.29478400000000005, 0.19478400000000004, 1.2142624),
            (1.2142624, 0.0, 0.11791360000000002, 0.21269760000000004, 1.07814016),
            (1.07814016, 0.0, 0.04716544000000001, 0.15986304000000004, 1.005691264),
            (1.005691264, 0.0, 0.018866176000000005, 0.07872921600000005, 0.9587117056000001),
            (0.9587117056000001, 0.0, 0.007546470400000002, -0.013724313599999954, 0.9219198822400001),
            (0.9219198822400001, 0.3, 0.18301858816, 0.06929427456000004, 1.087203152896),
            (1.087203152896, 0.1, 0.133207435264, 0.10250170982400003, 1.0573164611584),
            (1.0573164611584, 1.0, 0.6532829741056, 0.10250170982400003, 1.3),
        ]
        let configuration = try makeConfiguration(
            target: 0.1, law: .positional(reference: 1.0), kp: 0.8, ki: 0.3, alpha: 0.6,
            theta0: 1.0, lower: 0.9, upper: 1.3, antiWindup: .conditional)
        try runRateGolden(configuration, rates, expected)
    }

    /// Section `velocityPI`: velocityPI(target: 0.1), update(observedRate:).
    @Test func velocityPIPreset() throws {
        let rates = [0.3, 0.05, 0.0, 0.25, 0.1, 0.1, 0.6, 0.02]
        let expected: [GoldenStep] = [
            (1.0, 0.3, 0.2, 0.1, 1.1500000000000001),
            (1.1500000000000001, 0.05, 0.125, 0.125, 1.0875000000000001),
            (1.0875000000000001, 0.0, 0.0625, 0.0875, 1.00625),
            (1.00625, 0.25, 0.15625, 0.14375, 1.128125),
            (1.128125, 0.1, 0.128125, 0.17187499999999997, 1.1140625000000002),
            (1.1140625000000002, 0.1, 0.1140625, 0.18593749999999998, 1.1070312500000001),
            (1.1070312500000001, 0.6, 0.35703124999999997, 0.4429687499999999, 1.478515625),
            (1.478515625, 0.02, 0.188515625, 0.5314843749999999, 1.3542578125),
        ]
        try runRateGolden(Preset.velocityPI.configuration(target: 0.1), rates, expected)
    }

    /// Section `velocityClamped`: velocity, Kp 2, Ki 1.5, α 0.7, θ0 1, bounds [0.5, 1.6],
    /// anti-windup none, target 0.2. The threshold saturates at both bounds and leaves each
    /// as soon as the error's direction allows (no windup in the velocity form).
    @Test func velocityClampedAtBothBounds() throws {
        let rates = [1.0, 1.0, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 0.1]
        let expected: [GoldenStep] = [
            (1.0, 1.0, 0.76, 0.56, 1.6),
            (1.6, 1.0, 0.9279999999999999, 1.288, 1.6),
            (1.6, 0.9, 0.9084000000000001, 1.9964000000000002, 1.6),
            (1.6, 0.0, 0.2725200000000001, 2.0689200000000003, 0.5),
            (0.5, 0.0, 0.08175600000000004, 1.9506760000000003, 0.5),
            (0.5, 0.0, 0.024526800000000015, 1.7752028000000002, 0.5),
            (0.5, 0.0, 0.007358040000000006, 1.5825608400000002, 0.5),
            (0.5, 0.0, 0.002207412000000002, 1.3847682520000002, 0.5),
            (0.5, 0.2, 0.1406622236, 1.3254304756000002, 0.6879029586),
            (0.6879029586, 0.1, 0.11219866708000001, 1.2376291426800001, 0.5),
        ]
        let configuration = try makeConfiguration(
            target: 0.2, law: .velocity, kp: 2.0, ki: 1.5, alpha: 0.7, theta0: 1.0,
            lower: 0.5, upper: 1.6, antiWindup: .none)
        try runRateGolden(configuration, rates, expected)
    }

    /// Section `backCalculation`: sundewIncremental, Kp 0.5, Ki 0.25, α 0.5, deadband 0.03,
    /// bounds [0.5, 1.5], backCalculation(gain: 2), target 0.1.
    @Test func incrementalBackCalculationWithDeadband() throws {
        let rates = [0.9, 0.9, 0.9, 0.9, 0.12, 0.08, 0.0, 0.0, 0.0, 0.14, 0.5, 0.1]
        let expected: [GoldenStep] = [
            (1.0, 0.9, 0.5, 0.4, 1.3),
            (1.3, 0.9, 0.7, 0.2999999999999998, 1.5),
            (1.5, 0.9, 0.8, -0.2000000000000003, 1.5),
            (1.5, 0.9, 0.8500000000000001, -0.47500000000000053, 1.5),
            (1.5, 0.12, 0.48500000000000004, -0.42999999999999994, 1.5),
            (1.5, 0.08, 0.28250000000000003, -0.30625000000000024, 1.5),
            (1.5, 0.0, 0.14125000000000001, -0.26500000000000024, 1.4543749999999998),
            (1.4543749999999998, 0.0, 0.07062500000000001, -0.26500000000000024, 1.3881249999999996),
            (1.3881249999999996, 0.0, 0.035312500000000004, -0.32968750000000024, 1.2733593749999996),
            (1.2733593749999996, 0.14, 0.08765625, -0.32968750000000024, 1.1909374999999995),
            (1.1909374999999995, 0.5, 0.293828125, -0.13585937500000025, 1.2538867187499996),
            (1.2538867187499996, 0.1, 0.1969140625, -0.03894531250000027, 1.2926074218749994),
        ]
        let configuration = try makeConfiguration(
            target: 0.1, law: .sundewIncremental, kp: 0.5, ki: 0.25, alpha: 0.5, deadband: 0.03,
            theta0: 1.0, lower: 0.5, upper: 1.5, antiWindup: .backCalculation(gain: 2.0))
        try runRateGolden(configuration, rates, expected)
    }

    private func runRateGolden(
        _ configuration: ControllerConfiguration, _ rates: [Double], _ expected: [GoldenStep],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try #require(rates.count == expected.count)
        var controller = try Controller(configuration: configuration)
        for (k, rate) in rates.enumerated() {
            expectStep(controller.update(observedRate: rate), expected[k], "step \(k)", sourceLocation: sourceLocation)
        }
    }

    // MARK: SeededGenerator

    /// Section `xoshiro`: the first words of xoshiro256** seeded through SplitMix64.
    @Test(arguments: [
        (UInt64(0), [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0, 0x6AA5_94F1_262D_2D2C, 0xBBA5_AD4A_1F84_2E59] as [UInt64]),
        (UInt64(42), [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1, 0xECB8_AD47_03B3_60A1, 0xFDE6_DC7F_E2EC_5E64]),
        (UInt64(0xDEAD_BEEF), [0xC555_5444_A74D_7E83, 0x65C3_0D37_B4B1_6E38, 0x54F7_7320_0A4E_FA23, 0x429A_ED75_FB95_8AF7, 0xFB0E_1DD6_9C25_5B2E]),
    ])
    func seededGeneratorMatchesReference(seed: UInt64, words: [UInt64]) {
        var generator = SeededGenerator(seed: seed)
        let produced = (0..<words.count).map { _ in generator.next() }
        #expect(produced == words)
    }

    /// nextUnitInterval maps a word to (w >> 11)·2⁻⁵³, independent of the low 11 bits.
    @Test func unitIntervalUsesTopFiftyThreeBits() {
        var stub = StubWordGenerator(words: [0, 0x7FF, 0x8000_0000_0000_0000, 0x8000_0000_0000_07FF, .max, 0x800])
        #expect(stub.nextUnitInterval() == 0)
        #expect(stub.nextUnitInterval() == 0)
        #expect(stub.nextUnitInterval() == 0.5)
        #expect(stub.nextUnitInterval() == 0.5)
        #expect(stub.nextUnitInterval() == 1 - 0x1p-53)
        #expect(stub.nextUnitInterval() == 0x1p-53)
    }
}
