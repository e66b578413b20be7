import CASTControl
// FoundationEssentials has the JSON coders without ICU's 30 MB of locale data.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PIControl

/// The checkpoint JSON of `ast_control_get_state` / `ast_control_set_state`: the controller's
/// state and the generator's, so a resumed run continues the same random stream.
struct StateDocument: Codable {
    static let formatIdentifier = "ast-control-state/1"

    var format: String
    var controller: ControllerState
    var generator: SeededGenerator

    init(controller: ControllerState, generator: SeededGenerator) {
        self.format = Self.formatIdentifier
        self.controller = controller
        self.generator = generator
    }

    func encoded() throws(BridgeError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            // Unreachable with the finite values that set_state and the controller keep.
            throw BridgeError(status: AST_CONTROL_ERROR_INVALID_STATE, message: "state: cannot encode (\(error))")
        }
    }

    /// Decodes and checks a saved state.
    static func decode(_ json: String) throws(BridgeError) -> StateDocument {
        let document: StateDocument
        do {
            document = try JSONDecoder().decode(StateDocument.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            throw JSONErrorText.bridgeError(error, what: "state")
        } catch {
            throw BridgeError(status: AST_CONTROL_ERROR_INVALID_JSON, message: "state: not valid JSON (\(error))")
        }
        guard document.format == formatIdentifier else {
            throw invalid("format", "'\(formatIdentifier)'", "'\(document.format)'")
        }
        let state = document.controller
        let reals: [(String, Double)] = [
            ("threshold", state.threshold), ("ema", state.ema), ("integral", state.integral),
            ("previousError", state.previousError), ("cumulativeSelected", state.cumulativeSelected),
            ("cumulativeSeen", state.cumulativeSeen), ("energy", state.energy),
        ]
        for (name, value) in reals where !value.isFinite {
            throw invalid("controller.\(name)", "a finite number", "\(value)")
        }
        guard state.cumulativeSelected >= 0, state.cumulativeSeen >= 0 else {
            throw invalid("controller.cumulativeSeen", "cumulativeSelected and cumulativeSeen >= 0",
                          "\(state.cumulativeSelected), \(state.cumulativeSeen)")
        }
        // The controller counts steps with `+= 1`, which must not overflow.
        guard state.step >= 0, state.step < Int.max else {
            throw invalid("controller.step", "in [0, \(Int.max))", "\(state.step)")
        }
        return document
    }

    private static func invalid(_ field: String, _ expected: String, _ actual: String) -> BridgeError {
        BridgeError(status: AST_CONTROL_ERROR_INVALID_STATE, message: "state: field '\(field)' must be \(expected), got \(actual)")
    }
}
