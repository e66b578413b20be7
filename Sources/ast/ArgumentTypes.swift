import ArgumentParser
import ASTTrain

// Typed command-line values: ArgumentParser validates them and lists them in --help.

extension SelectionPolicy: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument)
    }
}

extension LearningRateScaling: ExpressibleByArgument {}

extension DatasetKind: ExpressibleByArgument {}

extension SignificanceKind: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "seed": self = .seed
        case "loss-entropy": self = .lossEntropy
        case "loss": self = .loss
        default: return nil
        }
    }

    public static var allValueStrings: [String] { ["seed", "loss-entropy", "loss"] }

    /// The command-line spelling.
    var argumentName: String {
        switch self {
        case .seed: "seed"
        case .lossEntropy: "loss-entropy"
        case .loss: "loss"
        }
    }
}

/// `--optimizer`.
enum OptimizerChoice: String, ExpressibleByArgument, CaseIterable {
    /// SGD, momentum 0.9, weight decay 5e-4.
    case sgd
    /// AdamW.
    case adamw

    var configuration: OptimizerConfiguration { self == .sgd ? .defaultSGD : .defaultAdamW }
}

/// A comma-separated list of option values, `full,uniform,ast` or `1,2,3`; empty items and
/// values the element type refuses make the whole list invalid.
struct CommaSeparated<Element: ExpressibleByArgument>: ExpressibleByArgument {
    var values: [Element]

    init?(argument: String) {
        var values: [Element] = []
        for text in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let value = Element(argument: text.trimmingCharacters(in: .whitespaces)) else { return nil }
            values.append(value)
        }
        guard !values.isEmpty else { return nil }
        self.values = values
    }

    /// The default as written on the command line (`--help` shows it).
    var defaultValueDescription: String { values.map(\.defaultValueDescription).joined(separator: ",") }
}

import Foundation
