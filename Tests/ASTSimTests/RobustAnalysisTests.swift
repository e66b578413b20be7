import Foundation
import Testing
import ASTSim
import PIControl
import SignificanceModels

/// The robust verdict over an operating-point envelope, and the response comparison.
@Suite struct RobustAnalysisTests {
    static func points(_ gains: [Double], thresholds: [Double]? = nil, inside: [Bool]? = nil) -> [OperatingPoint] {
        gains.indices.map { index in
            OperatingPoint(threshold: thresholds?[index] ?? 3, plantGain: gains[index], isEstimate: false, method: "hand",
                           insideBounds: inside?[index] ?? true)
        }
    }

    /// Velocity, α = 1, Kp = 0, Ki = 10: stable for 0 < g < 2/Ki = 0.2. Over g ∈ [0.05, 0.15]
    /// the margin is 0.2/0.15 = 4/3 (any shrink is safe).
    @Test func stableEnvelopeHasTheHandMargin() throws {
        let configuration = try Fixtures.velocity(kp: 0, ki: 10)
        let analysis = try RobustAnalysis(configuration: configuration, steps: [0, 1, 2], operatingPoints: Self.points([0.1, 0.05, 0.15]),
                                          stride: 1)
        guard case .stable(let margin) = analysis.verdict else { Issue.record("\(analysis.verdict)"); return }
        #expect(abs(margin - 4.0 / 3) < 1e-9)
        #expect(analysis.minimumGain.step == 1 && analysis.maximumGain.step == 2)
        #expect(abs(analysis.worstPole.spectralRadius - 0.5) < 1e-12)   // |1 − 10·0.15|
        #expect(abs((analysis.stableGainUpper ?? 0) - 0.2) < 1e-9)
        #expect(analysis.verdictText.hasPrefix("stable over the whole drift with margin ×1.333"))
    }

    /// The same loop is unstable where g passes 0.2: the verdict names the first such step.
    @Test func firstUnstableStepIsNamed() throws {
        let configuration = try Fixtures.velocity(kp: 0, ki: 10)
        let analysis = try RobustAnalysis(configuration: configuration, steps: [0, 5, 7, 9],
                                          operatingPoints: Self.points([0.1, 0.19, 0.25, 0.3]), stride: 1)
        #expect(analysis.verdict == .unstable(firstStep: 7))
        #expect(!analysis.verdict.isStable)
    }

    /// θ* outside the bounds is saturation, whatever the poles say.
    @Test func saturationIsNotStable() throws {
        let configuration = try Fixtures.velocity(kp: 0, ki: 10)
        let analysis = try RobustAnalysis(configuration: configuration, steps: [0, 3, 4],
                                          operatingPoints: Self.points([0.1, 0.1, 0.1], thresholds: [3, 30, 31], inside: [true, false, false]),
                                          stride: 1)
        #expect(analysis.verdict == .saturates(firstStep: 3, count: 2))
        #expect(analysis.verdictText.contains("NOT STABLE"))
    }

    /// An energy budget that sustains less than the target makes it unreachable.
    @Test func energyCapBelowTargetIsUnreachable() throws {
        var configuration = try Fixtures.velocity(kp: 0, ki: 10)
        configuration.gate = Gate(rule: .hard, energyBudget: try EnergyBudget(capacity: 10, activationCost: 10,
                                                                               regenerationLower: 0.5, regenerationUpper: 0.5))
        let analysis = try RobustAnalysis(configuration: configuration, steps: [0], operatingPoints: Self.points([0.1]), stride: 1)
        guard case .unreachable(let reason) = analysis.verdict else { Issue.record("\(analysis.verdict)"); return }
        #expect(reason.contains("5 %"))   // 0.5/10
    }

    /// On a stationary lognormal(0, 1) the gain is exact: g = pdf(e^{z₀.₉}) with z₀.₉ = Φ⁻¹(0.9)
    /// = 1.2815515655446004, and velocityPI's margin is GM = 2(1 + β)/(g·α·(2Kp + Ki)).
    @Test func exactEnvelopeOnAStationaryScenario() throws {
        let configuration = try Preset.velocityPI.configuration(target: 0.1)
        let scenario = Fixtures.lognormalScenario(steps: 20, batchSize: 128)
        let analysis = try RobustAnalysis(scenario: scenario, configuration: configuration)
        let z = 1.2815515655446004, theta = exp(z)
        let g = exp(-z * z / 2) / (theta * (2 * Double.pi).squareRoot())
        #expect(analysis.stride == 1 && analysis.points.count == 20)
        #expect(!analysis.isEstimate)
        #expect(abs(analysis.maximumGain.plantGain - g) < 1e-9)
        #expect(abs(analysis.minimumGain.threshold - theta) < 1e-9)
        guard case .stable(let margin) = analysis.verdict else { Issue.record("\(analysis.verdict)"); return }
        #expect(abs(margin - 2 * 1.5 / (g * 0.5 * 2.5)) < 1e-6)
    }

    /// seedCIFAR's bounds [0, 1] cannot hold θ* ≈ 3.5 of lognormal(0, 1) scores: not stable
    /// (issue 12: analyze said "stable" for a loop that saturates).
    @Test func seedCIFARSaturates() throws {
        let configuration = try Preset.seedCIFAR.configuration(target: 0.1)
        let scenario = Fixtures.lognormalScenario(steps: 30, batchSize: 128)
        let analysis = try RobustAnalysis(scenario: scenario, configuration: configuration, stride: 15)
        #expect(analysis.isEstimate && analysis.frozenTime)
        #expect(analysis.points.map(\.step) == [0, 15, 29])
        guard case .saturates(let first, let count) = analysis.verdict else { Issue.record("\(analysis.verdict)"); return }
        #expect(first == 0 && count == 3)
    }

    /// A step outside the run is an input error, not a silent clamp.
    @Test func stepOutsideTheRunIsRefused() throws {
        let configuration = try Preset.velocityPI.configuration(target: 0.1)
        let scenario = Fixtures.lognormalScenario(steps: 20, batchSize: 128)
        #expect(throws: InputError.self) { try PlantModel.operatingPoint(scenario: scenario, configuration: configuration, step: -1) }
        #expect(throws: InputError.self) { try PlantModel.operatingPoint(scenario: scenario, configuration: configuration, step: 20) }
    }

    @Test func analysedStepsAlwaysIncludeTheLast() {
        #expect(RobustAnalysis.analysedSteps(steps: 10, stride: 4) == [0, 4, 8, 9])
        #expect(RobustAnalysis.analysedSteps(steps: 9, stride: 4) == [0, 4, 8])
        #expect(RobustAnalysis.analysedSteps(steps: 3, stride: 1) == [0, 1, 2])
    }

    // MARK: Response

    /// Velocity, α = 1, Kp = 0: x_{k+1} = (1 − Ki·g)·x_k, so θ_k = θ* + (1 − Ki·g)^k·x₀ and
    /// r_k = target − g·x_k.
    @Test func linearResponseIsGeometric() throws {
        let configuration = try Fixtures.velocity(kp: 0, ki: 4)
        let g = 0.05, x0 = -2.0
        let response = ResponseComparison.linearResponse(configuration: configuration, plantGain: g, idealThreshold: 3.6, x0: x0,
                                                         startStep: 0, horizon: 30)
        for k in 0..<30 {
            let x = pow(1 - 4 * g, Double(k)) * x0
            #expect(abs(response.threshold[k] - (3.6 + x)) < 1e-12)
            #expect(abs(response.rate[k] - (0.1 - g * x)) < 1e-12)
        }
    }

    /// E[max(N, 1)]/2 for N ~ Binomial(2, ½): (¼·1 + ½·1 + ¼·2)/2 = 0.625; without a floor, p.
    @Test func expectedRateWithTheFallbackFloor() throws {
        let floor = try Fallback(minimumCount: 1)
        #expect(abs(ResponseComparison.expectedRate(passProbability: 0.5, batchSize: 2, fallback: floor) - 0.625) < 1e-12)
        #expect(ResponseComparison.expectedRate(passProbability: 0.3, batchSize: 2, fallback: .disabled) == 0.3)
        #expect(abs(ResponseComparison.expectedRate(passProbability: 0, batchSize: 10, fallback: try Fallback(minimumCount: 2)) - 0.2) < 1e-12)
        let uncounted = try Fallback(minimumCount: 1, countsTowardRate: false)
        #expect(ResponseComparison.expectedRate(passProbability: 0.5, batchSize: 2, fallback: uncounted) == 0.5)
    }

    /// Start-up of velocityPI from θ0 = 1 on lognormal(0, 1): the exact initial rate error is
    /// P(S > 1) − 0.1 = 0.5 − 0.1 (1 is the median), the linear one g·(θ* − 1).
    @Test func startUpComparison() throws {
        let configuration = try Preset.velocityPI.configuration(target: 0.1)
        let scenario = Fixtures.lognormalScenario(steps: 600, batchSize: 128, window: 50, seeds: [1, 2])
        let comparison = try ResponseComparison(scenario: scenario, configuration: configuration, shiftStep: nil)
        #expect(comparison.horizon == 600 && comparison.startStep == 0)
        #expect(abs((comparison.exactInitialRateError ?? 0) - 0.4) < 1e-12)
        #expect(abs(comparison.linearInitialRateError - comparison.plantGain * (exp(1.2815515655446004) - 1)) < 1e-9)
        #expect(comparison.linear.settlingTime != nil)
        #expect(comparison.meanField?.settlingTime != nil)
        #expect(comparison.simulatedSettlingTimes.count == 2)
        #expect(comparison.simulated.smoothedRate.count == 600 && comparison.simulatedRateLow.count == 600)
        #expect(comparison.reasons.contains { $0.hasPrefix("plant nonlinearity") })
        // The low/high band encloses the mean.
        #expect(zip(comparison.simulatedRateLow, zip(comparison.simulated.smoothedRate, comparison.simulatedRateHigh))
            .allSatisfy { $0 <= $1.0 + 1e-12 && $1.0 <= $1.1 + 1e-12 })
    }
}

/// The fallback floor in the verdict: seedPackage tops batches up to max(2, ⌊0.1·B⌋).
@Suite struct FallbackFloorVerdictTests {
    /// B = 16: the floor is 2/16 = 12.5 % > 10 %: the target is unreachable.
    @Test func floorAboveTargetIsUnreachable() throws {
        let configuration = try Preset.seedPackage.configuration(target: 0.1)
        let analysis = try RobustAnalysis(configuration: configuration, steps: [0], operatingPoints: RobustAnalysisTests.points([0.05]),
                                          stride: 1, batchSize: 16, band: 0.01)
        guard case .unreachable(let reason) = analysis.verdict else { Issue.record("\(analysis.verdict)"); return }
        #expect(reason.contains("12.5 %"))
    }

    /// B = 128: the floor is 12/128 = 9.375 %, inside the ±1 point band below the target: noted.
    @Test func floorInsideTheBandIsNoted() throws {
        let configuration = try Preset.seedPackage.configuration(target: 0.1)
        let analysis = try RobustAnalysis(configuration: configuration, steps: [0], operatingPoints: RobustAnalysisTests.points([0.05]),
                                          stride: 1, batchSize: 128, band: 0.01)
        #expect(analysis.verdict.isStable)
        #expect(analysis.notes.contains { $0.contains("9.38 %") })
    }
}
