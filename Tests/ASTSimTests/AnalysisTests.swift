import Foundation
import Testing
import ASTSim
import PIControl
import SignificanceModels

/// The linearised loop against hand-derived cases, and against simulation.
@Suite struct AnalysisTests {
    // MARK: Eigenvalues

    @Test func knownComplexPair() throws {
        // [[a, −b], [b, a]] has eigenvalues a ± bi: here 0.3 ± 0.4i, modulus 0.5.
        let poles = try Eigenvalues.of([0.3, -0.4, 0.4, 0.3], dimension: 2)
        try #require(poles.count == 2)
        for pole in poles {
            #expect(abs(pole.real - 0.3) < 1e-12)
            #expect(abs(abs(pole.imaginary) - 0.4) < 1e-12)
            #expect(abs(pole.modulus - 0.5) < 1e-12)
        }
        #expect(poles[0].imaginary == -poles[1].imaginary)
    }

    @Test func triangularMatrixPolesAreItsDiagonalLargestFirst() throws {
        let poles = try Eigenvalues.of([0.5, 1, 2,
                                        0, -0.9, 3,
                                        0, 0, 0.1], dimension: 3)
        #expect(poles.map(\.modulus).map { ($0 * 1e9).rounded() / 1e9 } == [0.9, 0.5, 0.1])
        #expect(abs(poles[0].real + 0.9) < 1e-12)
        #expect(poles.allSatisfy { $0.imaginary == 0 })
    }

    // MARK: LoopMatrix, hand-derived

    /// Velocity law, α = 1, Kp = 0: x_{k+1} = x_k + Ki·ε_k with ε_k = −g·x_k, so the state
    /// matrix is [[1 − Ki·g, 0], [−g, 0]] and its poles are 1 − Ki·g and 0.
    @Test(arguments: [(10.0, 0.05), (1.0, 0.5), (30.0, 0.05), (50.0, 0.05), (0.25, 2.0)])
    func velocityWithoutProportionalHasPoleOneMinusKiG(ki: Double, g: Double) throws {
        let loop = LoopMatrix(law: .velocity, proportionalGain: 0, integralGain: ki, emaAlpha: 1, plantGain: g)
        #expect(loop.dimension == 2)
        #expect(loop.entries == [1 - ki * g, 0, -g, 0])
        let poles = try Eigenvalues.of(loop.entries, dimension: 2)
        let expected = 1 - ki * g
        #expect(poles.contains { abs($0.real - expected) < 1e-12 && abs($0.imaginary) < 1e-12 })
        #expect(poles.contains { $0.modulus < 1e-12 })
        #expect(abs(poles[0].modulus - abs(expected)) < 1e-12)
    }

    /// Same loop: stable iff |1 − Ki·g| < 1, i.e. 0 < Ki·g < 2. With g = 0.05 the edge is Ki = 40.
    @Test(arguments: [(1.0, true), (20.0, true), (39.0, true), (41.0, false), (60.0, false), (0.0, false), (-1.0, false)])
    func velocityStabilityFlipsAtKiGEqualsTwo(ki: Double, stable: Bool) {
        #expect(LoopAnalysis.isStable(law: .velocity, proportionalGain: 0, integralGain: ki, emaAlpha: 1, plantGain: 0.05) == stable)
        // Positional, α = 1, Kp = 0: x_{k+1} = Ki·I_k, I_k = I_{k−1} − g·x_k ⇒ I_k = (1 − Ki·g)·I_{k−1}:
        // the same pole, the same boundary.
        #expect(LoopAnalysis.isStable(law: .positional(reference: 1), proportionalGain: 0, integralGain: ki, emaAlpha: 1,
                                      plantGain: 0.05) == stable)
    }

    /// Velocity, α = 1, Kp > 0: z² − (1 − g(Kp + Ki))·z − Kp·g = 0. Jury: stable iff Kp·g < 1,
    /// Ki·g > 0 and Ki·g < 2 − 2·Kp·g. With g = 0.05, Kp = 5: Ki < 30.
    @Test func velocityBoundaryWithProportionalGain() throws {
        #expect(LoopAnalysis.isStable(law: .velocity, proportionalGain: 5, integralGain: 29, emaAlpha: 1, plantGain: 0.05))
        #expect(!LoopAnalysis.isStable(law: .velocity, proportionalGain: 5, integralGain: 31, emaAlpha: 1, plantGain: 0.05))
        let boundary = LoopAnalysis.stabilityBoundary(law: .velocity, emaAlpha: 1, plantGain: 0.05, proportionalGains: [0, 5],
                                                      integralRange: 0.01...1000)
        try #require(boundary.count == 2)
        #expect(boundary[0].proportionalGain == 0)
        #expect(abs(boundary[0].integralGain / 40 - 1) < 1e-3)
        #expect(boundary[1].proportionalGain == 5)
        #expect(abs(boundary[1].integralGain / 30 - 1) < 1e-3)
    }

    /// sundewIncremental, α = 1, Kp = 0: x_{k+1} = x_k + Ki·I_k, I_k = I_{k−1} − g·x_k gives
    /// (z − 1)² + Ki·g·z = 0, whose roots multiply to 1: never asymptotically stable. For
    /// 0 < Ki·g < 4 they are a complex pair on the unit circle.
    @Test func sundewWithoutProportionalIsMarginal() throws {
        let loop = LoopMatrix(law: .sundewIncremental, proportionalGain: 0, integralGain: 10, emaAlpha: 1, plantGain: 0.05)
        let poles = try Eigenvalues.of(loop.entries, dimension: 3)
        #expect(abs(poles[0].modulus - 1) < 1e-9)
        #expect(abs(poles[1].modulus - 1) < 1e-9)
        #expect(poles[2].modulus < 1e-9)
        // The pair: z = (2 − Ki·g)/2 ± i·√(1 − ((2 − Ki·g)/2)²) with Ki·g = 0.5 → 0.75 ± 0.6614i.
        #expect(abs(poles[0].real - 0.75) < 1e-9)
        #expect(abs(abs(poles[0].imaginary) - (1 - 0.75 * 0.75).squareRoot()) < 1e-9)
    }

    // MARK: Operating point

    static func stationary(steps: Int, seeds: [UInt64] = [1]) -> Scenario {
        Fixtures.lognormalScenario(steps: steps, batchSize: 4096, band: 0.02, window: 1, seeds: seeds)
    }

    @Test func operatingPointOfLognormalMatchesTheClosedForm() throws {
        // python3 -c "from scipy.stats import lognorm; t=lognorm.isf(0.1, s=1, scale=1); print(t, lognorm.pdf(t, s=1, scale=1))"
        // → 3.6022244792791573 0.048719432379074244
        let point = try PlantModel.operatingPoint(scenario: Self.stationary(steps: 10), configuration: Fixtures.velocity(kp: 0, ki: 1),
                                                  step: 0)
        #expect(!point.isEstimate)
        #expect(point.insideBounds)
        #expect(abs(point.threshold / 3.6022244792791573 - 1) < 1e-9)
        #expect(abs(point.plantGain / 0.048719432379074244 - 1) < 1e-9)
    }

    @Test func sampledOperatingPointIsCloseToTheClosedForm() throws {
        // The estimate path (empirical quantile + KDE) on 200 000 lognormal samples.
        let batches = try ScenarioRunner.batches(for: Fixtures.lognormalScenario(steps: 50, batchSize: 4000), seed: 3)
        let point = PlantModel.operatingPoint(samples: batches.scores, configuration: try Fixtures.velocity(kp: 0, ki: 1))
        #expect(point.isEstimate)
        // Quantile: sd of the empirical 0.9-quantile ≈ √(0.1·0.9/n)/f(θ*) = 6.7e-4/0.0487 ≈ 0.014 → 0.06 is > 4 sd.
        #expect(abs(point.threshold - 3.6022244792791573) < 0.06)
        // KDE at θ*: relative error a few per cent (bandwidth bias + noise) → 10 %.
        #expect(abs(point.plantGain / 0.048719432379074244 - 1) < 0.1)
    }

    // MARK: Against simulation

    /// Velocity, α = 1, Kp = 0, Ki = (Ki·g)/g with g from the plant model; θ0 = 1.
    static func run(kiTimesG: Double, steps: Int, theta0: Double = 1, seeds: [UInt64] = [1])
        throws -> (analysis: LoopAnalysis, traces: [Trace], ideal: Double, scenario: Scenario)
    {
        let scenario = stationary(steps: steps, seeds: seeds)
        let probe = try Fixtures.velocity(kp: 0, ki: 1)
        let point = try PlantModel.operatingPoint(scenario: scenario, configuration: probe, step: 0)
        let config = try Fixtures.velocity(kp: 0, ki: kiTimesG / point.plantGain, theta0: theta0)
        let analysis = try LoopAnalysis(configuration: config, point: point, band: scenario.metrics.band)
        var traces: [Trace] = []
        for seed in seeds {
            let batches = try ScenarioRunner.batches(for: scenario, seed: seed)
            traces.append(try Simulator.run(configuration: config, batches: batches, seed: seed))
        }
        return (analysis, traces, point.threshold, scenario)
    }

    @Test func predictedStableGainsSettle() throws {
        let (analysis, traces, _, scenario) = try Self.run(kiTimesG: 0.5, steps: 300)
        #expect(analysis.stable)
        #expect(abs(analysis.spectralRadius - 0.5) < 1e-9)
        let metrics = TraceMetrics.compute(traces[0], settings: scenario.metrics)
        #expect(metrics.settled)
        // Binomial noise of one batch: √(0.09/4096) = 0.0047; the tail mean error is far inside 0.005.
        #expect(abs(metrics.steadyStateMeanError) < 0.005)
    }

    @Test func predictedUnstableGainsDoNotSettle() throws {
        // Ki·g = 2.5: pole 1 − 2.5 = −1.5, a growing alternation that ends bouncing between the bounds.
        let (analysis, traces, _, scenario) = try Self.run(kiTimesG: 2.5, steps: 300)
        #expect(!analysis.stable)
        #expect(analysis.timeConstant == nil)
        #expect(abs(analysis.spectralRadius - 1.5) < 1e-9)
        let metrics = TraceMetrics.compute(traces[0], settings: scenario.metrics)
        #expect(!metrics.settled)
        #expect(metrics.signChanges > 100)
    }

    @Test func timeConstantMatchesTheSimulatedDecay() throws {
        // Ki·g = 0.1: ρ = 0.9, τ = −1/ln 0.9 = 9.49 steps. Start 0.3 above θ* (close enough that
        // the secant gain of R(θ) over the transient is within ~10 % of g), average 4 seeds,
        // and fit ln|θ̄_k − θ*| ~ a − k/τ while the deviation is above 0.04 (the noise of θ̄ is
        // ≈ Ki·√(0.09/4096)/√(1 − ρ²)/√4 ≈ 0.011).
        let ideal = 3.6022244792791573
        let (analysis, traces, _, _) = try Self.run(kiTimesG: 0.1, steps: 60, theta0: ideal + 0.3, seeds: [1, 2, 3, 4])
        let tau = try #require(analysis.timeConstant)
        #expect(abs(tau - (-1 / log(0.9))) < 1e-9)
        var ks: [Double] = [], logs: [Double] = []
        for k in 0..<60 {
            let mean = traces.map { $0.threshold[k] }.reduce(0, +) / Double(traces.count)
            let deviation = abs(mean - ideal)
            if deviation < 0.04 { break }
            ks.append(Double(k))
            logs.append(log(deviation))
        }
        try #require(ks.count >= 8, "too few transient points to fit: \(ks.count)")
        let n = Double(ks.count)
        let kMean = ks.reduce(0, +) / n, lMean = logs.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (k, l) in zip(ks, logs) { sxy += (k - kMean) * (l - lMean); sxx += (k - kMean) * (k - kMean) }
        let fittedRate = -sxy / sxx
        let predictedRate = 1 / tau
        #expect(abs(fittedRate / predictedRate - 1) < 0.3, "fitted decay \(fittedRate)/step vs predicted \(predictedRate)/step")
    }

    // MARK: Kernel density and quantiles

    @Test func kernelDensityOfSingleKernelsIsTheGaussian() {
        // One sample at 0, h = 1: f̂(0) = φ(0) = 1/√(2π) = 0.3989422804014327.
        #expect(abs(KernelDensity.density(at: 0, sortedSamples: [0], bandwidth: 1) - 0.3989422804014327) < 1e-15)
        // Samples 0 and 2, h = 1, at 1: (φ(1) + φ(−1))/2 = φ(1) = 0.24197072451914337 (scipy.stats.norm.pdf(1)).
        #expect(abs(KernelDensity.density(at: 1, sortedSamples: [0, 2], bandwidth: 1) - 0.24197072451914337) < 1e-15)
        // h = 0.5 scales: (1/h)·φ(0) at the sample.
        #expect(abs(KernelDensity.density(at: 3, sortedSamples: [3], bandwidth: 0.5) - 2 * 0.3989422804014327) < 1e-15)
        #expect(KernelDensity.density(at: 0, sortedSamples: [], bandwidth: 1) == 0)
    }

    @Test func kernelDensityOfALargeNormalSampleAtZero() {
        // 100 000 standard normal draws (Box–Muller on SeededGenerator, independent of GSL).
        var generator = SeededGenerator(seed: 42)
        var samples: [Double] = []
        samples.reserveCapacity(100_000)
        while samples.count < 100_000 {
            let u1 = Double.random(in: Double.ulpOfOne..<1, using: &generator)
            let u2 = Double.random(in: 0..<1, using: &generator)
            let r = (-2 * log(u1)).squareRoot()
            samples.append(r * cos(2 * Double.pi * u2))
            samples.append(r * sin(2 * Double.pi * u2))
        }
        samples.sort()
        // Silverman: 0.9·min(sd ≈ 1, IQR/1.34 ≈ 1.349/1.34)·n^(−1/5) = 0.9·1·0.1 = 0.09 (±3 %).
        let h = KernelDensity.silvermanBandwidth(sortedSamples: samples)
        #expect(abs(h / 0.09 - 1) < 0.03)
        // E f̂(0) = 1/√(2π(1 + h²)) = 0.3973 (bias −0.0016); sd √(f(0)·(1/(2√π))/(n·h)) = 0.0035.
        // Tolerance 0.016 ≈ |bias| + 4 sd.
        let density = KernelDensity.density(at: 0, sortedSamples: samples, bandwidth: h)
        #expect(abs(density - 1 / (2 * Double.pi).squareRoot()) < 0.016)
    }

    @Test func upperQuantileDefinition() {
        let samples: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        // rank ⌈(1 − p)·n⌉: p = 0.1 → rank 9 → 9 (one sample, 10, exceeds it: 1 ≤ 0.1·10).
        #expect(KernelDensity.upperQuantile(sortedSamples: samples, probability: 0.1) == 9)
        // p = 0.25 → ⌈7.5⌉ = 8 → 8 (two exceed: ≤ 2.5).
        #expect(KernelDensity.upperQuantile(sortedSamples: samples, probability: 0.25) == 8)
        // p = 0.05 → ⌈9.5⌉ = 10 → 10 (none exceed: ≤ 0.5).
        #expect(KernelDensity.upperQuantile(sortedSamples: samples, probability: 0.05) == 10)
        // p = 0.5 → rank 5 → 5; p = 1 → rank 0, clamped to the smallest.
        #expect(KernelDensity.upperQuantile(sortedSamples: samples, probability: 0.5) == 5)
        #expect(KernelDensity.upperQuantile(sortedSamples: samples, probability: 1) == 1)
        #expect(KernelDensity.upperQuantile(sortedSamples: [], probability: 0.1).isNaN)
        // With ties: [1, 2, 2, 2, 3], p = 0.2 → rank 4 → 2 (only 3 exceeds).
        #expect(KernelDensity.upperQuantile(sortedSamples: [1, 2, 2, 2, 3], probability: 0.2) == 2)
        // Property: at most p·n exceed it, for a spread of p.
        for p in stride(from: 0.01, through: 0.99, by: 0.07) {
            let q = KernelDensity.upperQuantile(sortedSamples: samples, probability: p)
            #expect(Double(samples.filter { $0 > q }.count) <= p * 10 + 1e-9)
        }
    }
}

/// The sweep's boundary uses the run's largest plant gain (moved from SweepCommand).
@Suite struct LargestPlantGainTests {
    @Test func largestPlantGainPointBeatsEverySampledStep() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let scenario = try ScenarioLoader.load(path: root.appendingPathComponent("Scenarios/03-regime-shift.yaml").path)
        let configuration = try Preset.velocityPI.configuration(target: scenario.target)
        let largest = try PlantModel.largestPlantGainPoint(scenario: scenario, configuration: configuration)
        // Every step it samples (the last, and every steps/8) has a gain at most the one it returns.
        for step in Array(stride(from: 0, to: scenario.steps - 1, by: max(1, scenario.steps / 8))) + [scenario.steps - 1] {
            let point = try PlantModel.operatingPoint(scenario: scenario, configuration: configuration, step: step)
            #expect(largest.plantGain >= point.plantGain, "step \(step): \(point.plantGain) above \(largest.plantGain)")
        }
        // The regime shift changes the gain, so the largest is not simply the last step's.
        let first = try PlantModel.operatingPoint(scenario: scenario, configuration: configuration, step: 0)
        let last = try PlantModel.operatingPoint(scenario: scenario, configuration: configuration, step: scenario.steps - 1)
        #expect(first.plantGain != last.plantGain)
        #expect(largest.plantGain == max(first.plantGain, largest.plantGain) && largest.plantGain >= last.plantGain)
    }
}
