import ArgumentParser
import Foundation
import Testing
@testable import ast

/// `ast confirm` arguments (the training itself is covered by ASTTrainTests; the comparison by ConfirmationTests).
@Suite("confirm command")
struct ConfirmCommandTests {
    @Test(arguments: [
        (["--seeds", "0"], "--seeds must lie in 1…16"),
        (["--seeds", "17"], "--seeds must lie in 1…16"),
        (["--out", ""], "--out must not be empty"),
        (["--preset", "nope"], "unknown preset 'nope'"),
    ])
    func refuses(arguments: [String], expected: String) {
        let message = ArgumentValidationTests.message(ConfirmCommand.self, arguments)
        #expect(message?.contains(expected) == true, "\(message ?? "parsed")")
    }
}
