import CASTControl
import PIControl
import Testing

// Bad input through the C ABI: every case must return an error status with a readable
// message, and leave the controller usable and its state unchanged.

@Suite("C library rejects bad input without crashing")
struct RobustnessTests {
    @Test func versionMatchesTheHeader() throws {
        #expect(try NativeLibrary.require().version() == AST_CONTROL_VERSION_NUMBER)
    }

    @Test func nullPointersAreErrors() throws {
        let library = try NativeLibrary.require()
        var handle: OpaquePointer?
        var message = [CChar](repeating: 0, count: 256)
        #expect(library.createPreset(nil, 0.1, 1, &handle, &message, message.count) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(handle == nil)
        #expect(cText(message).contains("preset"))
        #expect(library.createPreset("seedPackage", 0.1, 1, nil, &message, message.count) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(library.createGains(nil, .nan, 1, &handle, nil, 0) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        var count: Int64 = 0
        var value = 0.0
        var length = 0
        #expect(library.select(nil, nil, 0, nil, &count, nil) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(library.updateRate(nil, 0.1, nil) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(library.updateCounts(nil, 1, 2, nil) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(library.threshold(nil, &value) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(library.getState(nil, nil, 0, &length) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(library.setState(nil, "{}") == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(library.lastError(nil, nil, 0) > 0)
        library.destroy(nil)

        let native = try NativeController.preset("seedPackage", target: 0.1, seed: 1)
        let before = try native.stateJSON()
        let scores = [1.0, 2.0]
        var indices = [Int64](repeating: 0, count: 2)
        #expect(library.select(native.handle, nil, 2, &indices, &count, nil) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(native.lastError.contains("scores"))
        #expect(library.select(native.handle, scores, 2, nil, &count, nil) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(native.lastError.contains("out_indices"))
        #expect(library.select(native.handle, scores, 2, &indices, nil, nil) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(library.threshold(native.handle, nil) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(library.getState(native.handle, nil, 0, nil) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(library.setState(native.handle, nil) == AST_CONTROL_ERROR_NULL_ARGUMENT)
        #expect(try native.stateJSON() == before)
        // NULL out_step is allowed.
        #expect(library.select(native.handle, scores, 2, &indices, &count, nil) == AST_CONTROL_OK)
        #expect(library.updateRate(native.handle, 0.1, nil) == AST_CONTROL_OK)
    }

    @Test(arguments: [Int64(-1), .min, Int64(AST_CONTROL_MAX_BATCH) + 1, .max])
    func batchSizeOutOfRange(n: Int64) throws {
        let native = try NativeController.preset("seedPackage", target: 0.1, seed: 1)
        let before = try native.stateJSON()
        var scores = [1.0]
        var indices: [Int64] = [0]
        var count: Int64 = 0
        let status = native.library.select(native.handle, &scores, n, &indices, &count, nil)
        #expect(status == AST_CONTROL_ERROR_INVALID_ARGUMENT)
        #expect(native.lastError.contains("n must be in [0, \(AST_CONTROL_MAX_BATCH)], got \(n)"))
        #expect(try native.stateJSON() == before)
    }

    @Test func emptyBatchWithNullBuffersIsAllowed() throws {
        let native = try NativeController.preset("velocityPI", target: 0.1, seed: 1)
        var count: Int64 = -1
        var step = ast_control_step()
        #expect(native.library.select(native.handle, nil, 0, nil, &count, &step) == AST_CONTROL_OK)
        #expect(count == 0 && step.updated == 0 && step.batch_size == 0)
    }

    @Test func nonFiniteScoresAreRejectedAsInSwift() throws {
        let native = try NativeController.preset("velocityPI", target: 0.1, seed: 1)
        let before = try native.stateJSON()
        let (none, skipped) = try native.select([.nan, .infinity, -.infinity])
        #expect(none.isEmpty && skipped.updated == 0 && skipped.rejected_non_finite_count == 3)
        #expect(try native.stateJSON() == before, "a batch without finite scores must not touch the state")
        let (indices, step) = try native.select([.nan, 5.0, 0.5, .infinity])
        #expect(indices == [1])
        #expect(step.rejected_non_finite_count == 2 && step.observed_rate == 0.5)
        #expect(try native.update(rate: .nan).updated == 0)
    }

    @Test(arguments: [
        ("nope", 0.1, AST_CONTROL_ERROR_UNKNOWN_PRESET, "valid presets: seedCIFAR"),
        ("seedPackage", 1.5, AST_CONTROL_ERROR_INVALID_ARGUMENT, "field 'target': expected in (0, 1)"),
        ("seedPackage", .nan, AST_CONTROL_ERROR_INVALID_ARGUMENT, "field 'target'"),
    ])
    func badPresetArguments(name: String, target: Double, status: Int32, message: String) throws {
        #expect {
            try NativeController.preset(name, target: target, seed: 1)
        } throws: { error in
            let failure = error as? NativeFailure
            return failure?.status == status && failure?.message.contains(message) == true
        }
    }

    @Test func badUTF8IsAnError() throws {
        let library = try NativeLibrary.require()
        var handle: OpaquePointer?
        var message = [CChar](repeating: 0, count: 256)
        let invalid: [CChar] = [CChar(bitPattern: 0xC3), CChar(bitPattern: 0x28), 0]
        #expect(library.createPreset(invalid, 0.1, 1, &handle, &message, message.count) == AST_CONTROL_ERROR_INVALID_UTF8)
        #expect(cText(message).contains("not valid UTF-8"))
        #expect(library.createGains(invalid, .nan, 1, &handle, &message, message.count) == AST_CONTROL_ERROR_INVALID_UTF8)
        let native = try NativeController.preset("seedPackage", target: 0.1, seed: 1)
        #expect(library.setState(native.handle, invalid) == AST_CONTROL_ERROR_INVALID_UTF8)
    }

    /// Gains JSON that is malformed or names an invalid configuration: the message names the field.
    @Test func badGainsJSONNamesTheField() throws {
        var configuration = try Preset.positionalPI.configuration(target: 0.1)
        let good = try NativeController.gainsJSON(configuration)
        configuration.emaAlpha = 2
        let badAlpha = try NativeController.gainsJSON(configuration)
        let cases: [(String, Int32, String)] = [
            ("", AST_CONTROL_ERROR_INVALID_JSON, "gains file"),
            ("{not json", AST_CONTROL_ERROR_INVALID_JSON, "gains file"),
            ("[1, 2]", AST_CONTROL_ERROR_INVALID_JSON, "gains file"),
            (#"{"format": "ast-gains/1", "law": "positional"}"#, AST_CONTROL_ERROR_INVALID_JSON, "missing field 'configuration'"),
            (good.replacingOccurrences(of: "ast-gains/1", with: "ast-gains/9"), AST_CONTROL_ERROR_INVALID_JSON, "field 'format'"),
            (good.replacingOccurrences(of: #""law": "positional""#, with: #""law": "velocity""#), AST_CONTROL_ERROR_INVALID_JSON, "field 'law'"),
            (badAlpha, AST_CONTROL_ERROR_INVALID_CONFIGURATION, "field 'emaAlpha': expected in (0, 1], got 2.0"),
            (good.replacingOccurrences(of: #""proportionalGain":1"#, with: #""proportionalGain":"x""#),
             AST_CONTROL_ERROR_INVALID_JSON, "configuration.proportionalGain"),
        ]
        for (json, status, message) in cases {
            #expect {
                try NativeController.gains(json: json, seed: 1)
            } throws: { error in
                let failure = error as? NativeFailure
                return failure?.status == status && failure?.message.contains(message) == true
            }
        }
        // A target outside (0, 1) given with valid gains.
        for target in [1.5, .infinity, -.infinity, 0] {
            #expect(throws: NativeFailure.self, "target \(target)") { try NativeController.gains(json: good, target: target, seed: 1) }
        }
        #expect(try NativeController.gains(json: good, target: 0.2, seed: 1).threshold == 1.0)
    }

    @Test func stateRoundTripAndBadStates() throws {
        let native = try NativeController.preset("seedCIFAR", target: 0.1, seed: 9)
        let twin = try NativeController.preset("seedCIFAR", target: 0.1, seed: 1234)
        for k in 0..<5 { _ = try native.select((0..<16).map { Double(($0 * 7 + k) % 16) / 16 }) }
        let saved = try native.stateJSON()
        try twin.setState(saved)
        #expect(try twin.stateJSON() == saved)
        // After a restore both continue identically, random draws included.
        for k in 0..<5 {
            let batch = (0..<16).map { Double(($0 * 5 + k) % 16) / 16 }
            let (a, stepA) = try native.select(batch)
            let (b, stepB) = try twin.select(batch)
            #expect(a == b && stepA.next_threshold == stepB.next_threshold && stepA.integral == stepB.integral)
        }
        let current = try twin.stateJSON()
        let bad: [(String, String)] = [
            ("{", "state"),
            ("{}", "missing field"),
            (saved.replacingOccurrences(of: "ast-control-state/1", with: "x"), "field 'format'"),
            (saved.replacingOccurrences(of: #""step":5"#, with: #""step":-1"#), "field 'controller.step'"),
            (saved.replacingOccurrences(of: #""step":5"#, with: #""step":\#(Int.max)"#), "field 'controller.step'"),
        ]
        for (json, message) in bad {
            #expect(throws: NativeFailure.self) { try twin.setState(json) }
            #expect(twin.lastError.contains(message), "\(json): \(twin.lastError)")
            #expect(try twin.stateJSON() == current, "a rejected state must leave the current one")
        }
    }

    @Test func smallBuffersTruncateSafely() throws {
        let native = try NativeController.preset("seedPackage", target: 0.1, seed: 1)
        _ = native.library.setState(native.handle, "{")
        let full = native.lastError
        var small = [CChar](repeating: 0x7F, count: 8)
        let length = native.library.lastError(native.handle, &small, small.count)
        #expect(length == full.utf8.count)
        #expect(cText(small) == String(full.utf8.prefix(7))!)
        var buffer = [CChar](repeating: 0, count: 4)
        var needed = 0
        #expect(native.library.getState(native.handle, &buffer, buffer.count, &needed) == AST_CONTROL_ERROR_BUFFER_TOO_SMALL)
        #expect(needed == (try native.stateJSON()).utf8.count)
    }
}
