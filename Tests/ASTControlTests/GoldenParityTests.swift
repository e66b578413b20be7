import CASTControl
import Foundation
import PIControl
import Testing

// The C library must give exactly the numbers of PIControl's Swift Controller: the same
// inputs as Tests/PIControlTests/GoldenTrajectoryTests.swift (whose expected values come
// from the independent Python reference) are run through both, and every field is compared
// bit for bit. The Swift side is computed here rather than pasted, so the comparison holds
// while the presets' rules evolve.

@Suite("C library matches the Swift Controller on the golden trajectories")
struct GoldenParityTests {
    @Test func seedPackageCounts() throws {
        let counts = [5, 20, 50, 35, 0, 0, 3, 12, 50, 48, 1, 9, 26, 4]
        let configuration = try Preset.seedPackage.configuration(target: 0.1)
        var swift = try Controller(configuration: configuration)
        let native = try NativeController.preset("seedPackage", target: 0.1, seed: 1)
        for (k, count) in counts.enumerated() {
            let expected = swift.update(selectedCount: count, batchSize: 50)
            let gating = expected?.gatingThreshold ?? .nan
            expectSame(try native.update(selected: count, batchSize: 50), expected, gating: gating, swift, "step \(k)")
        }
        #expect(try native.threshold.bitPattern == swift.threshold.bitPattern)
    }

    /// Resumes from θ = 9.998, m = 0.3, I = 20 through ast_control_set_state.
    @Test func seedPackageResumedAtTheUpperBound() throws {
        let configuration = try Preset.seedPackage.configuration(target: 0.1)
        var state = ControllerState(configuration: configuration)
        state.threshold = 9.998
        state.ema = 0.3
        state.integral = 20
        var swift = try Controller(configuration: configuration, state: state)
        let native = try NativeController.preset("seedPackage", target: 0.1, seed: 1)
        try native.setState(Self.stateJSON(state, generator: SeededGenerator(seed: 1)))
        var sawSaturation = false
        for (k, count) in ([50, 50, 40] + Array(repeating: 0, count: 21)).enumerated() {
            let gating = swift.threshold
            let expected = swift.update(selectedCount: count, batchSize: 50)
            sawSaturation = sawSaturation || expected?.saturated == true
            expectSame(try native.update(selected: count, batchSize: 50), expected, gating: gating, swift, "step \(k)")
        }
        #expect(sawSaturation, "the trajectory should exercise the bound")
    }

    static let rateSequence = [0.3, 0.05, 0.0, 0.25, 0.1, 0.1, 0.6, 0.02]

    @Test(arguments: [Preset.positionalPI, .velocityPI, .incrementalClamped, .seedPackage, .seedCIFAR])
    func presetRates(preset: Preset) throws {
        let configuration = try preset.configuration(target: 0.1)
        let native = try NativeController.preset(preset.rawValue, target: 0.1, seed: 1)
        try runRates(configuration, Self.rateSequence, native)
    }

    /// Custom configurations, created from gains-file JSON.
    @Test func customConfigurationsFromGainsJSON() throws {
        let cases: [(ControllerConfiguration, [Double])] = [
            // positionalConditional
            (try ControllerConfiguration(
                target: 0.1, law: .positional(reference: 1.0), proportionalGain: 0.8, integralGain: 0.3, emaAlpha: 0.6,
                initialThreshold: 1.0, thresholdBounds: ThresholdBounds(lower: 0.9, upper: 1.3), antiWindup: .conditional),
             [1.0, 1.0, 1.0, 0.6, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 0.1, 1.0]),
            // velocityClamped
            (try ControllerConfiguration(
                target: 0.2, law: .velocity, proportionalGain: 2.0, integralGain: 1.5, emaAlpha: 0.7,
                initialThreshold: 1.0, thresholdBounds: ThresholdBounds(lower: 0.5, upper: 1.6), antiWindup: .none),
             [1.0, 1.0, 0.9, 0.0, 0.0, 0.0, 0.0, 0.0, 0.2, 0.1]),
            // backCalculation with a deadband
            (try ControllerConfiguration(
                target: 0.1, law: .sundewIncremental, proportionalGain: 0.5, integralGain: 0.25, emaAlpha: 0.5,
                deadband: 0.03, initialThreshold: 1.0, thresholdBounds: ThresholdBounds(lower: 0.5, upper: 1.5),
                antiWindup: .backCalculation(gain: 2.0)),
             [0.9, 0.9, 0.9, 0.9, 0.12, 0.08, 0.0, 0.0, 0.0, 0.14, 0.5, 0.1]),
        ]
        for (configuration, rates) in cases {
            let native = try NativeController.gains(json: NativeController.gainsJSON(configuration), seed: 1)
            try runRates(configuration, rates, native)
        }
    }

    /// The seedCIFAR selection batches (sigmoid gate, energy bucket, random fallback, NaN and
    /// inf scores) through select, with equal seeds on both sides.
    @Test(arguments: [UInt64(1), 42, 0xDEAD_BEEF])
    func seedCIFARSelection(seed: UInt64) throws {
        let batches: [[Double]] = [
            [0.9, 0.4, 0.75, 0.55, 0.2, 0.62], [0.7, 0.8, 0.51, 0.95, 0.3, 0.66],
            [0.85, .nan, 0.6, 0.9, 0.58, 0.77], [0.1, 0.2, 0.3, 0.15, 0.45, 0.05],
            [0.99, 0.92, 0.88, 0.71, 0.64, 0.83], [0.6, 0.7, 0.8, 0.9, 1.0, 0.56],
            [0.49, 0.35, 0.25, 0.05, 0.15, 0.4], [0.95, 0.93, 0.91, 0.89, 0.87, 0.85],
            [0.52, 0.68, .infinity, 0.74, 0.81, 0.3], [0.9, 0.9, 0.9, 0.9, 0.9, 0.9],
            [0.2, 0.98, 0.6, 0.7, 0.1, 0.85], [0.75, 0.65, 0.55, 0.45, 0.35, 0.97],
            [0.8, 0.86, 0.92, 0.61, 0.57, 0.99],
        ]
        try runSelection(.seedCIFAR, batches: batches, seed: seed)
    }

    /// seedPackage and the textbook presets over batches that drive the fallback and bounds.
    @Test(arguments: [Preset.seedPackage, .velocityPI, .positionalPI, .incrementalClamped])
    func presetSelection(preset: Preset) throws {
        var generator = SeededGenerator(seed: 7)
        var batches: [[Double]] = []
        for k in 0..<60 {
            let scale = k < 20 ? 6.0 : (k < 40 ? 0.5 : 3.0)  // regime shifts move θ to both sides
            var batch = (0..<32).map { _ in -scale * log(1 - generator.nextUnitInterval()) }
            if k % 7 == 3 { batch[5] = .nan }
            if k % 11 == 4 { batch[9] = -.infinity }
            batches.append(batch)
        }
        batches.append([.nan, .nan])  // no finite score: the state stays put
        batches.append([])
        try runSelection(preset, batches: batches, seed: 3)
    }

    // MARK: helpers

    private func runRates(_ configuration: ControllerConfiguration, _ rates: [Double], _ native: NativeController,
                          sourceLocation: SourceLocation = #_sourceLocation) throws {
        var swift = try Controller(configuration: configuration)
        for (k, rate) in (rates + [.nan]).enumerated() {
            let gating = swift.threshold
            let expected = swift.update(observedRate: rate)
            expectSame(try native.update(rate: rate), expected, gating: gating, swift, "rate step \(k)",
                       sourceLocation: sourceLocation)
        }
    }

    private func runSelection(_ preset: Preset, batches: [[Double]], seed: UInt64,
                              sourceLocation: SourceLocation = #_sourceLocation) throws {
        var swift = try Controller(configuration: preset.configuration(target: 0.1))
        var generator = SeededGenerator(seed: seed)
        let native = try NativeController.preset(preset.rawValue, target: 0.1, seed: seed)
        var indices: [Int] = []
        for (k, batch) in batches.enumerated() {
            let selection = swift.select(scores: batch, into: &indices, using: &generator)
            let (nativeIndices, step) = try native.select(batch)
            #expect(nativeIndices == indices, "batch \(k) indices", sourceLocation: sourceLocation)
            expectSame(step, selection.step, gating: selection.gatingThreshold, swift, "batch \(k)", sourceLocation: sourceLocation)
            #expect(step.selected_count == Int64(selection.selectedCount), sourceLocation: sourceLocation)
            #expect(step.passed_count == Int64(selection.passedCount), sourceLocation: sourceLocation)
            #expect(step.rejected_non_finite_count == Int64(selection.rejectedNonFiniteCount), sourceLocation: sourceLocation)
            #expect(step.batch_size == Int64(selection.batchSize), sourceLocation: sourceLocation)
            #expect((step.used_fallback != 0) == selection.usedFallback, sourceLocation: sourceLocation)
        }
        // The whole state, generator included, must agree at the end.
        let expectedState = try Self.stateJSON(swift.state, generator: generator)
        #expect(try native.stateJSON() == expectedState, sourceLocation: sourceLocation)
    }

    /// The checkpoint JSON that ast_control_get_state writes for this state (format
    /// ast-control-state/1, keys sorted as the library writes them).
    static func stateJSON(_ state: ControllerState, generator: SeededGenerator) throws -> String {
        struct Document: Encodable {
            var format = "ast-control-state/1"
            var controller: ControllerState
            var generator: SeededGenerator
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Document(controller: state, generator: generator)), as: UTF8.self)
    }
}

/// Bit-for-bit comparison of a C step record with the Swift update (and, when the update was
/// skipped, with the Swift controller's unchanged state).
func expectSame(_ native: ast_control_step, _ swift: ControllerStep?, gating: Double, _ controller: Controller,
                _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    func same(_ a: Double, _ b: Double, _ field: String) {
        #expect(a.bitPattern == b.bitPattern, "\(label) \(field): C \(a), Swift \(b)", sourceLocation: sourceLocation)
    }
    #expect((native.updated != 0) == (swift != nil), "\(label) updated", sourceLocation: sourceLocation)
    same(native.gating_threshold, gating, "gating_threshold")
    if let swift {
        same(native.next_threshold, swift.nextThreshold, "next_threshold")
        same(native.observed_rate, swift.observedRate, "observed_rate")
        same(native.ema, swift.ema, "ema")
        same(native.error, swift.error, "error")
        same(native.integral, swift.integral, "integral")
        #expect((native.saturated != 0) == swift.saturated, "\(label) saturated", sourceLocation: sourceLocation)
    } else {
        same(native.next_threshold, controller.state.threshold, "next_threshold")
        same(native.ema, controller.state.ema, "ema")
        same(native.integral, controller.state.integral, "integral")
    }
}
