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

/// A comma-separated list of policies: `full,uniform,ast`.
struct PolicyList: ExpressibleByArgument {
    var policies: [SelectionPolicy]

    init?(argument: String) {
        var policies: [SelectionPolicy] = []
        for name in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let policy = SelectionPolicy(rawValue: name.trimmingCharacters(in: .whitespaces)) else { return nil }
            policies.append(policy)
        }
        guard !policies.isEmpty else { return nil }
        self.policies = policies
    }

    static var defaultValueDescription: String { "full,uniform,random-forwarded,topk,ast" }
}

/// A comma-separated list of random seeds: `1,2,3`.
struct SeedList: ExpressibleByArgument {
    var seeds: [UInt64]

    init?(argument: String) {
        var seeds: [UInt64] = []
        for text in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let seed = UInt64(text.trimmingCharacters(in: .whitespaces)) else { return nil }
            seeds.append(seed)
        }
        guard !seeds.isEmpty else { return nil }
        self.seeds = seeds
    }
}

import Foundation
