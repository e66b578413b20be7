import PIControl
import Testing

// Every expected number in this file was computed by the independent Python reference
// implementation `Scripts/golden/controller_reference.py` (written from DESIGN.md §1 and the
// doc comments, never from this package's output) and pasted here with full `repr` precision:
//
//     python3 Scripts/golden/controller_reference.py <section>
//
// The section name is given above each table. Tolerance: 1e-12 relative.

@Suite("Golden trajectories from the Python reference")
struct GoldenTrajectoryTests {
    // MARK: seedPackage

    /// Section `seedPackage`: seedPackage(target: 0.1) from its initial state, driven by
    /// update(selectedCount:batchSize: 50).
    @Test func seedPackageFromInitialState() throws {
        let counts = [5, 20, 50, 35, 0, 0, 3, 12, 50, 48, 1, 9, 26, 4]
        let expected: [GoldenStep] = [
            (3.0, 0.1, 0.1, 0.0, 3.0),
            (3.0, 0.4, 0.13, 0.03, 3.000153),
            (3.000153, 1.0, 0.21700000000000003, 0.14700000000000002, 3.0007527),
            (3.0007527, 0.7, 0.26530000000000004, 0.3123, 3.00161043),
            (3.00161043, 0.0, 0.23877000000000004, 0.4510700000000001, 3.002349387),
            (3.002349387, 0.0, 0.21489300000000003, 0.5659630000000001, 3.0029804483),
            (3.0029804483, 0.06, 0.19940370000000004, 0.6653667000000001, 3.00354400347),
            (3.00354400347, 0.24, 0.20346333000000003, 0.7688300300000002, 3.004138203123),
            (3.004138203123, 1.0, 0.28311699700000004, 0.9519470270000002, 3.0051489828107),
            (3.0051489828107, 0.96, 0.3508052973000001, 1.2027523243000005, 3.00652328452963),
            (3.00652328452963, 0.02, 0.3177247675700001, 1.4204770918700005, 3.0077539560766673),
            (3.0077539560766673, 0.18, 0.3039522908130001, 1.6244293826830005, 3.0089361604690006),
            (3.0089361604690006, 0.52, 0.3255570617317001, 1.8499864444147007, 3.0102489444221003),
            (3.0102489444221003, 0.08, 0.30100135555853014, 2.050987799973231, 3.0114590499798903),
        ]
        var controller = try Controller(configuration: Preset.seedPackage.configuration(target: 0.1))
        for (k, count) in counts.enumerated() {
            let step = controller.update(selectedCount: count, batchSize: 50)
            expectStep(step, expected[k], "step \(k)")
            #expect(step?.saturated == false)
        }
        expectClose(controller.threshold, expected.last!.next, "final threshold")
        #expect(controller.state.step == counts.count)
    }

    /// Section `seedPackageBound`: seedPackage(target: 0.1) resumed from θ = 9.998, m = 0.3,
    /// I = 20 (batch 50). The threshold hits the upper bound 10 on the first step, the
    /// integral decays by 0.9 per step while u ≥ 10 (steps 0–21), and on step 22 the
    /// threshold leaves the bound and the integral integrates again.
    @Test func seedPackageHitsUpperBoundAndDecays() throws {
        let counts = [50, 50, 40] + Array(repeating: 0, count: 21)
        let expected: [GoldenStep] = [
            (9.998, 1.0, 0.37, 18.0, 10.0),
            (10.0, 1.0, 0.43300000000000005, 16.2, 10.0),
            (10.0, 0.8, 0.46970000000000006, 14.58, 10.0),
            (10.0, 0.0, 0.42273000000000005, 13.122, 10.0),
            (10.0, 0.0, 0.38045700000000005, 11.809800000000001, 10.0),
            (10.0, 0.0, 0.34241130000000003, 10.628820000000001, 10.0),
            (10.0, 0.0, 0.30817017, 9.565938000000001, 10.0),
            (10.0, 0.0, 0.277353153, 8.6093442, 10.0),
            (10.0, 0.0, 0.2496178377, 7.748409780000001, 10.0),
            (10.0, 0.0, 0.22465605393000002, 6.973568802000001, 10.0),
            (10.0, 0.0, 0.20219044853700002, 6.276211921800001, 10.0),
            (10.0, 0.0, 0.18197140368330003, 5.64859072962, 10.0),
            (10.0, 0.0, 0.16377426331497003, 5.083731656658, 10.0),
            (10.0, 0.0, 0.14739683698347303, 4.5753584909922, 10.0),
            (10.0, 0.0, 0.13265715328512573, 4.11782264189298, 10.0),
            (10.0, 0.0, 0.11939143795661315, 3.706040377703682, 10.0),
            (10.0, 0.0, 0.10745229416095184, 3.3354363399333136, 10.0),
            (10.0, 0.0, 0.09670706474485666, 3.0018927059399823, 10.0),
            (10.0, 0.0, 0.087036358270371, 2.701703435345984, 10.0),
            (10.0, 0.0, 0.0783327224433339, 2.4315330918113855, 10.0),
            (10.0, 0.0, 0.07049945019900052, 2.188379782630247, 10.0),
            (10.0, 0.0, 0.06344950517910046, 1.9695418043672224, 10.0),
            (10.0, 0.0, 0.05710455466119042, 1.9266463590284129, 9.999978187409209),
            (9.999978187409209, 0.0, 0.051394099195071374, 1.8780404582234842, 9.999922961951006),
        ]
        let configuration = try Preset.seedPackage.configuration(target: 0.1)
        var state = ControllerState(configuration: configuration)
        state.threshold = 9.998
        state.ema = 0.3
        state.integral = 20
        var controller = try Controller(configuration: configuration, state: state)
        for (k, count) in counts.enumerated() {
            let step = controller.update(selectedCount: count, batchSize: 50)
            expectStep(step, expected[k], "step \(k)")
            #expect(step?.saturated == (k <= 21), "step \(k) saturation")
        }
    }

    // MARK: seedCIFAR

    /// The stub's words (printed by section `seedCIFAR`); uniform u = (w >> 11)·2⁻⁵³.
    static let cifarWords: [UInt64] = [
        0x1EB8_51EB_851E_BAA5, 0xEE14_7AE1_47AE_1ACA, 0x7851_EB85_1EB8_52EF, 0x0CCC_CCCC_CCCC_CB14,
        0xCF5C_28F5_C28F_6339, 0xA8F5_C28F_5C28_FB5E, 0x4A3D_70A3_D70A_3B83, 0xFEB8_51EB_851E_BBA8,
        0x947A_E147_AE14_7BCD, 0x5EB8_51EB_851E_BBF2, 0xBD70_A3D7_0A3D_7417, 0x051E_B851_EB85_1C3C,
        0xE147_AE14_7AE1_4C61, 0x68F5_C28F_5C28_F486, 0xA147_AE14_7AE1_4CAB, 0x2B85_1EB8_51EB_84D0,
        0x851E_B851_EB85_24F5, 0xF851_EB85_1EB8_551A, 0x547A_E147_AE14_7D3F, 0xB333_3333_3333_3564,
        0x147A_E147_AE14_7D89, 0xE8F5_C28F_5C28_FDAE, 0x4000_0000_0000_05D3,
    ]

    static let cifarBatches: [[Double]] = [
        [0.9, 0.4, 0.75, 0.55, 0.2, 0.62],
        [0.7, 0.8, 0.51, 0.95, 0.3, 0.66],
        [0.85, .nan, 0.6, 0.9, 0.58, 0.77],
        [0.1, 0.2, 0.3, 0.15, 0.45, 0.05],  // nothing above θ: random fallback
        [0.99, 0.92, 0.88, 0.71, 0.64, 0.83],
        [0.6, 0.7, 0.8, 0.9, 1.0, 0.56],
        [0.49, 0.35, 0.25, 0.05, 0.15, 0.4],  // nothing above θ again
        [0.95, 0.93, 0.91, 0.89, 0.87, 0.85],
        [0.52, 0.68, .infinity, 0.74, 0.81, 0.3],
        [0.9, 0.9, 0.9, 0.9, 0.9, 0.9],
        [0.2, 0.98, 0.6, 0.7, 0.1, 0.85],
        [0.75, 0.65, 0.55, 0.45, 0.35, 0.97],
        [0.8, 0.86, 0.92, 0.61, 0.57, 0.99],
    ]

    /// Section `seedCIFAR`: seedCIFAR(target: 0.1) through select(scores:into:using:) with the
    /// stub words. Over these batches the reference saw 43 sigmoid draws pass and 13 fail
    /// (for scores above θ), 18 activations refused by the energy bucket, and two batches in
    /// which nothing passed so the 2-sample random fallback fired (no Lemire rejection; the
    /// smallest |U − σ| margin is 0.003, so `exp` rounding cannot flip a decision).
    @Test func seedCIFARSelectWithStubWords() throws {
        typealias Row = (step: GoldenStep, selected: [Int], passed: Int, energy: Double, consumed: Int)
        let expected: [Row] = [
            ((0.5, 0.5, 0.21999999999999997, 0.11999999999999997, 0.5001859999999999), [0, 2, 3], 3, 82.04999999999998, 12),
            ((0.5001859999999999, 0.5, 0.30399999999999994, 0.3239999999999999, 0.5005082), [1, 3, 5], 3, 64.60999999999997, 24),
            ((0.5005082, 0.5294117647058824, 0.37162352941176463, 0.5956235294117644, 0.5009454164705882), [2, 3, 5], 3, 45.38999999999996, 34),
            ((0.5009454164705882, 0.4782608695652174, 0.40361473145780047, 0.8992382608695649, 0.5014458004808184), [0, 5], 0, 56.769999999999946, 48),
            ((0.5014458004808184, 0.5517241379310345, 0.44804755339977065, 1.2472858142693357, 0.5020302361016316), [0, 1, 2, 3, 5], 5, 17.779999999999948, 60),
            ((0.5020302361016316, 0.5142857142857142, 0.46791900166555367, 1.6152048159348893, 0.5026628748449267), [0, 2], 2, 10.459999999999948, 72),
            ((0.5026628748449267, 0.4878048780487805, 0.47388476458052164, 1.989089580515411, 0.5033231564708233), [1, 3], 0, 24.31999999999995, 86),
            ((0.5033231564708233, 0.48936170212765956, 0.478527845844663, 2.367617426360074, 0.5040093291109082), [1, 2, 4], 3, 4.91999999999995, 98),
            ((0.5040093291109082, 0.46153846153846156, 0.47343103055280256, 2.7410484569128766, 0.5047065280795832), [4], 1, 3.8499999999999495, 108),
            ((0.5047065280795832, 0.43103448275862066, 0.46071206621454797, 3.1017605231274246, 0.5054026842050614), [3], 1, 7.80999999999995, 120),
            ((0.5054026842050614, 0.40625, 0.44437344635018355, 3.446133969477608, 0.5060915510730606), [2], 1, 11.08999999999995, 132),
            ((0.5060915510730606, 0.38571428571428573, 0.4267756981594142, 3.7729096676370224, 0.5067703601036815), [1], 1, 11.68999999999995, 144),
            ((0.5067703601036815, 0.3815789473684211, 0.41321667292211617, 4.086126340559138, 0.5074444914300926), [0, 5], 2, 3.559999999999951, 156),
        ]
        var controller = try Controller(configuration: Preset.seedCIFAR.configuration(target: 0.1))
        var generator = StubWordGenerator(words: Self.cifarWords)
        var indices: [Int] = []
        for (k, batch) in Self.cifarBatches.enumerated() {
            let selection = controller.select(scores: batch, into: &indices, using: &generator)
            let row = expected[k]
            expectStep(selection.step, row.step, "batch \(k)")
            #expect(indices == row.selected, "batch \(k) indices")
            #expect(selection.selectedCount == row.selected.count, "batch \(k) selectedCount")
            #expect(selection.passedCount == row.passed, "batch \(k) passedCount")
            #expect(selection.usedFallback == (row.passed < row.selected.count), "batch \(k) usedFallback")
            #expect(selection.rejectedNonFiniteCount == batch.filter { !$0.isFinite }.count, "batch \(k) rejected")
            expectClose(controller.state.energy, row.energy, "batch \(k) energy")
            #expect(generator.consumed == row.consumed, "batch \(k) words consumed")
        }
    }

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
