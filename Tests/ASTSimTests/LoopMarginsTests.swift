import Foundation
import Testing
import ASTSim
import PIControl

/// Margins, poles and damping of the loop transfer function against hand derivations and
/// python-control.
///
/// python-control values come from `python3 Scripts/reference/loop_margins.py` (python-control
/// 0.10.2, numpy; output kept in Scripts/reference/loop_margins.out). python-control's
/// `stability_margins` leaves out the phase crossover at the Nyquist frequency (z = −1), where
/// every loop here has its only one, so the gain margins are checked against the hand formula
/// GM = −1/L(−1) and against the script's check that `feedback(GM·L)` has its largest pole on
/// the unit circle.
@Suite struct LoopMarginsTests {
    static func margins(_ law: ControlLaw, kp: Double, ki: Double, alpha: Double, g: Double, w: Double? = nil) throws -> StabilityMargins {
        let loop = LoopTransferFunction(law: law, proportionalGain: kp, integralGain: ki, emaAlpha: alpha, cumulativeWeight: w)
        return try StabilityMargins(loop: loop, plantGain: g)
    }

    static func close(_ a: Double?, _ b: Double, _ tolerance: Double) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance * max(1, abs(b))
    }

    // MARK: Hand derivations

    /// Velocity law, α = 1, Kp = 0: L(z) = Ki·g/(z − 1). The closed-loop pole is 1 − Ki·g; it
    /// reaches −1 when g grows by 2/(Ki·g); |L(e^{jω})| = Ki·g/(2 sin(ω/2)) = 1 at
    /// ω_c = 2·asin(Ki·g/2), where arg L = −(π/2 + ω_c/2), so PM = 90° − ω_c/2 (in degrees).
    @Test(arguments: [(0.5, 0.8), (10.0, 0.05), (1.0, 0.5), (30.0, 0.05), (0.25, 2.0)])
    func velocityWithoutProportional(ki: Double, g: Double) throws {
        let margins = try Self.margins(.velocity, kp: 0, ki: ki, alpha: 1, g: g)
        let expectedPole = 1 - ki * g
        #expect(margins.poles.contains { abs($0.pole.real - expectedPole) < 1e-12 && abs($0.pole.imaginary) < 1e-12 })
        #expect(margins.stable == (abs(expectedPole) < 1))
        if margins.stable {
            #expect(Self.close(margins.gainMarginUp, 2 / (ki * g), 1e-9))
            #expect(margins.gainMarginDown == .infinity)
            #expect(Self.close(margins.stableGainUpper, 2 / ki, 1e-9))
            let crossover = 2 * asin(ki * g / 2)
            #expect(Self.close(margins.gainCrossoverFrequency, crossover, 1e-9))
            #expect(Self.close(margins.phaseMargin, 90 - crossover / 2 * 180 / Double.pi, 1e-9))
        } else {
            #expect(margins.gainMarginUp == nil)
        }
    }

    /// Velocity/positional PI: L(−1) = −g·α·(2Kp + Ki)/(2(1 + β)), so GM = 2(1 + β)/(g·α·(2Kp + Ki)).
    /// sundewIncremental: L(−1) = −g·α·(2Kp + Ki)/(4(1 + β)), GM = 4(1 + β)/(g·α·(2Kp + Ki)).
    @Test(arguments: [
        (ControlLaw.velocity, 1.0, 0.5, 0.5, 0.05, 48.0),            // velocityPI; python-control: |pole| = 1.0000000000000004 at 48
        (ControlLaw.velocity, 1.0, 0.5, 0.5, 0.5, 4.8),              // python-control: 0.9999999999999999
        (ControlLaw.positional(reference: 1), 2.0, 0.2, 0.5, 0.8, 1.7857142857142856),  // python-control: 1.0
        (ControlLaw.sundewIncremental, 0.05, 0.002, 0.3, 0.05, 4444.444444444444),      // incrementalClamped; 0.9999999999999962
        (ControlLaw.sundewIncremental, 0.005, 0.0001, 0.1, 0.05, 150495.04950495064),   // seedPackage; 1.0000000000000064
    ])
    func gainMarginAtNyquist(law: ControlLaw, kp: Double, ki: Double, alpha: Double, g: Double, expected: Double) throws {
        let beta = 1 - alpha
        let factor: Double = law == .sundewIncremental ? 4 : 2
        #expect(Self.close(expected, factor * (1 + beta) / (g * alpha * (2 * kp + ki)), 1e-12))
        let margins = try Self.margins(law, kp: kp, ki: ki, alpha: alpha, g: g)
        #expect(margins.stable)
        #expect(Self.close(margins.gainMarginUp, expected, 1e-9))
        #expect(margins.gainMarginDown == .infinity)
        #expect(margins.phaseCrossovers.last?.frequency == Double.pi)
        // Just past the margin the loop is unstable, just below it stable.
        let loop = LoopTransferFunction(law: law, proportionalGain: kp, integralGain: ki, emaAlpha: alpha)
        #expect(loop.spectralRadius(plantGain: g * expected * (1 + 1e-6)) > 1)
        #expect(loop.spectralRadius(plantGain: g * expected * (1 - 1e-6)) < 1)
    }

    // MARK: python-control

    struct Reference: Sendable, CustomTestStringConvertible {
        var name: String
        var law: ControlLaw
        var kp, ki, alpha, g: Double
        var w: Double?
        var phaseMargin, crossover, stabilityMargin: Double
        /// (real, |imag|, ωn, ζ) largest modulus first.
        var poles: [(Double, Double, Double, Double)]
        var testDescription: String { name }
    }

    // Values printed by Scripts/reference/loop_margins.py (pm, w of pm, sm from the numpy dense
    // grid, and python-control's `damp` on `feedback(L, 1)`).
    static let references: [Reference] = [
        Reference(name: "velocityPI g=0.05", law: .velocity, kp: 1, ki: 0.5, alpha: 0.5, g: 0.05,
                  phaseMargin: 90.71352659425867, crossover: 0.025031922991562625, stabilityMargin: 0.9791666666666666,
                  poles: [(0.97564018495021421, 0, 0.024661423502786585, 1), (0.4868598150497857, 0, 0.71977905144470922, 1)]),
        Reference(name: "velocityPI g=0.5", law: .velocity, kp: 1, ki: 0.5, alpha: 0.5, g: 0.5,
                  phaseMargin: 94.21234178253735, crossover: 0.2832262816263604, stabilityMargin: 0.7916666666666667,
                  poles: [(0.82019410160110384, 0, 0.19821425746541832, 1), (0.30480589839889621, 0, 1.1880801036544721, 1)]),
        Reference(name: "incrementalClamped g=0.05", law: .sundewIncremental, kp: 0.05, ki: 0.002, alpha: 0.3, g: 0.05,
                  phaseMargin: 12.878132618927026, crossover: 0.01016173621977502, stabilityMargin: 0.224292348783487,
                  poles: [(0.99881122856419358, 0.0099560126383624534, 0.010032489388655291, 0.11361107605964199),
                          (0.99881122856419358, 0.0099560126383624534, 0.010032489388655291, 0.11361107605964199),
                          (0.70159754287161091, 0, 0.35439534010873008, 1)]),
        Reference(name: "seedPackage g=0.05", law: .sundewIncremental, kp: 0.005, ki: 0.0001, alpha: 0.1, g: 0.05,
                  phaseMargin: 5.24162253955879, crossover: 0.002242951723305218, stabilityMargin: 0.09145167004014297,
                  poles: [(0.99989485197510275, 0.0022356656263384871, 0.0022382522710671132, 0.045863433216707196),
                          (0.99989485197510275, 0.0022356656263384871, 0.0022382522710671132, 0.045863433216707196),
                          (0.90018479604978985, 0, 0.10515520779071792, 1)]),
        Reference(name: "positional Kp=2 Ki=0.2 g=0.8", law: .positional(reference: 1), kp: 2, ki: 0.2, alpha: 0.5, g: 0.8,
                  phaseMargin: 87.68205776795435, crossover: 1.0014783830644587, stabilityMargin: 0.43999999999999995,
                  poles: [(0.93936475910238226, 0, 0.062551420354808013, 1), (-0.31936475910238266, 0, 3.3425210809919994, 0.34148517131636902)]),
        Reference(name: "seedCIFAR gains, cumulative w=0.01, g=1.2 (unstable)", law: .sundewIncremental, kp: 0.0015, ki: 0.00005,
                  alpha: 0.3, g: 1.2, w: 0.01,
                  phaseMargin: -23.930638918669786, crossover: 0.007082807620668308, stabilityMargin: 0.41299320332221606,
                  poles: [(1.0012257825562316, 0.0068386210894060273, 0.0069432876011065207, -0.17979343134956197),
                          (1.0012257825562316, 0.0068386210894060273, 0.0069432876011065207, -0.17979343134956197),
                          (0.98757089589948921, 0, 0.012506991467938443, 1), (0.69997195898805997, 0, 0.35671500332958483, 1)]),
    ]

    @Test(arguments: references)
    func matchesPythonControl(reference: Reference) throws {
        let margins = try Self.margins(reference.law, kp: reference.kp, ki: reference.ki, alpha: reference.alpha, g: reference.g, w: reference.w)
        // python-control's own PM search differs between its methods by ~1e-5°; ours bisects to 1e-12.
        #expect(Self.close(margins.phaseMargin, reference.phaseMargin, 1e-6), "PM \(margins.phaseMargin ?? .nan)")
        #expect(Self.close(margins.gainCrossoverFrequency, reference.crossover, 1e-6), "ω_c \(margins.gainCrossoverFrequency ?? .nan)")
        // The dense grids differ (ours is coarser): agreement to 1e-6 relative.
        #expect(Self.close(margins.stabilityMargin, reference.stabilityMargin, 1e-6), "sm \(margins.stabilityMargin)")
        try #require(margins.poles.count == reference.poles.count)
        for (ours, theirs) in zip(margins.poles, reference.poles) {
            #expect(abs(ours.pole.real - theirs.0) < 1e-9)
            #expect(abs(abs(ours.pole.imaginary) - theirs.1) < 1e-9)
            #expect(Self.close(ours.naturalFrequency, theirs.2, 1e-7))
            #expect(Self.close(ours.dampingRatio, theirs.3, 1e-7))
        }
        #expect(margins.stable == (reference.phaseMargin > 0))
    }

    // MARK: Consistency with the state-space model

    /// The closed-loop poles of `D + g·N` are the eigenvalues of ``LoopMatrix`` (the positional
    /// matrix carries one more, at z = 0).
    @Test(arguments: [(ControlLaw.sundewIncremental, 0.05, 0.002, 0.3, 0.05), (.velocity, 1.0, 0.5, 0.5, 0.3),
                      (.positional(reference: 1), 2.0, 0.2, 0.5, 0.8), (.sundewIncremental, 0.5, 0.2, 0.7, 1.5)])
    func polesMatchTheStateMatrix(law: ControlLaw, kp: Double, ki: Double, alpha: Double, g: Double) throws {
        let transfer = try LoopTransferFunction(law: law, proportionalGain: kp, integralGain: ki, emaAlpha: alpha).closedLoopPoles(plantGain: g)
        let matrix = LoopMatrix(law: law, proportionalGain: kp, integralGain: ki, emaAlpha: alpha, plantGain: g)
        var eigen = try Eigenvalues.of(matrix.entries, dimension: matrix.dimension)
        if case .positional = law {
            let zero = try #require(eigen.firstIndex { $0.modulus < 1e-9 })
            eigen.remove(at: zero)
        }
        try #require(eigen.count == transfer.count)
        for pole in transfer {
            #expect(eigen.contains { abs($0.real - pole.real) < 1e-9 && abs($0.imaginary - pole.imaginary) < 1e-9 })
        }
    }

    /// A cumulative weight of 1 (the first batch) is no filter at all.
    @Test func cumulativeWeightOneIsNoFilter() throws {
        let plain = try LoopTransferFunction(law: .sundewIncremental, proportionalGain: 0.05, integralGain: 0.002, emaAlpha: 0.3)
            .closedLoopPoles(plantGain: 0.05)
        let first = try LoopTransferFunction(law: .sundewIncremental, proportionalGain: 0.05, integralGain: 0.002, emaAlpha: 0.3,
                                             cumulativeWeight: 1).closedLoopPoles(plantGain: 0.05)
        // w = 1 adds the factor z/z: one more pole, at 0.
        #expect(first.count == plain.count + 1)
        #expect(first.contains { $0.modulus < 1e-9 })
        for pole in plain { #expect(first.contains { abs($0.real - pole.real) < 1e-9 && abs($0.imaginary - pole.imaginary) < 1e-9 }) }
    }

    /// ζ and ωn of a pole from its definition: z = e^{s}, s = −ζωn ± jωn√(1 − ζ²).
    @Test func dampingOfAKnownPole() {
        let zeta = 0.3, omega = 0.2
        let s = (real: -zeta * omega, imaginary: omega * (1 - zeta * zeta).squareRoot())
        let z = Pole(real: exp(s.real) * cos(s.imaginary), imaginary: exp(s.real) * sin(s.imaginary))
        let damping = PoleDamping(pole: z)
        #expect(Self.close(damping.dampingRatio, zeta, 1e-12))
        #expect(Self.close(damping.naturalFrequency, omega, 1e-12))
        #expect(Self.close(damping.timeConstant, 1 / (zeta * omega), 1e-12))
        #expect(Self.close(damping.period, 2 * Double.pi / s.imaginary, 1e-12))
        let deadBeat = PoleDamping(pole: Pole(real: 0, imaginary: 0))
        #expect(deadBeat.dampingRatio == nil && deadBeat.naturalFrequency == nil && deadBeat.timeConstant == nil)
    }
}
