import CASTControl
// FoundationEssentials has the JSON coders without ICU's 30 MB of locale data.
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import PIControl

/// The part of an `ast-gains/1` file (ASTSim's `GainsFile`) that the C library reads. Decoded
/// here from PIControl's Codable configuration so the library needs neither ASTSim nor its
/// GSL and Yams dependencies; the checks match `GainsFile.decode`.
struct GainsDocument: Decodable {
    static let formatIdentifier = "ast-gains/1"

    var format: String
    var law: String
    var configuration: ControllerConfiguration

    /// Decodes and checks gains JSON, then replaces the target unless `target` is NaN.
    static func configuration(json: String, target: Double) throws(BridgeError) -> ControllerConfiguration {
        let document: GainsDocument
        do {
            document = try JSONDecoder().decode(GainsDocument.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            throw JSONErrorText.bridgeError(error, what: "gains file")
        } catch {
            throw BridgeError(status: AST_CONTROL_ERROR_INVALID_JSON, message: "gains file: not valid JSON (\(error))")
        }
        guard document.format == formatIdentifier else {
            throw BridgeError(status: AST_CONTROL_ERROR_INVALID_JSON,
                              message: "gains file: field 'format': expected '\(formatIdentifier)', got '\(document.format)'")
        }
        guard document.law == document.configuration.law.name else {
            throw BridgeError(status: AST_CONTROL_ERROR_INVALID_JSON,
                              message: "gains file: field 'law': '\(document.law)' does not match configuration.law '\(document.configuration.law.name)'")
        }
        var configuration = document.configuration
        // NaN means "keep the file's target"; any other value, infinities included, replaces it.
        if !target.isNaN { configuration.target = target }
        do {
            try configuration.validate()
        } catch {
            throw BridgeError(status: AST_CONTROL_ERROR_INVALID_CONFIGURATION, message: "target: \(error.description)")
        }
        return configuration
    }
}

/// Readable text for decoding errors, naming the field by its JSON path.
enum JSONErrorText {
    static func bridgeError(_ error: DecodingError, what: String) -> BridgeError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        func named(_ codingPath: [any CodingKey]) -> String {
            codingPath.isEmpty ? "the top level" : "field '\(path(codingPath))'"
        }
        let message: String
        var status = AST_CONTROL_ERROR_INVALID_JSON
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            message = "missing field '\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)'"
        case .typeMismatch(let type, let context):
            message = "\(named(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            message = "\(named(context.codingPath)): expected \(type), found null"
        case .dataCorrupted(let context):
            // PIControl reports an invalid configuration as dataCorrupted with the
            // ConfigurationError underneath; its description names the field.
            if context.underlyingError is ConfigurationError { status = AST_CONTROL_ERROR_INVALID_CONFIGURATION }
            let field = path(context.codingPath)
            var detail = context.debugDescription
            if field.isEmpty, let underlying = context.underlyingError {
                detail += " (\(underlying))"
            }
            message = field.isEmpty ? detail : "field '\(field)': \(detail)"
        @unknown default:
            message = "\(error)"
        }
        return BridgeError(status: status, message: "\(what): \(message)")
    }
}
