/// Named controller configurations. The seed presets reproduce the announcement's code
/// exactly (<doc:SeedFidelity>); the textbook presets give each law a conventional set-up.
///
/// Every preset takes the target rate as a parameter.
public enum Preset: String, Sendable, CaseIterable, Codable {
    /// The seed's CIFAR-10 script.
    case seedCIFAR
    /// The seed's package defaults.
    case seedPackage
    /// `sundewIncremental` with a plain integral clamp, hard gate, per-batch rate.
    case incrementalClamped
    /// Textbook positional PI with conditional integration.
    case positionalPI
    /// Textbook velocity (incremental) PI.
    case velocityPI

    /// One line on what the preset is.
    public var summary: String {
        switch self {
        case .seedCIFAR: "seed CIFAR script: sigmoid gate + energy bucket, cumulative rate, decaying integral"
        case .seedPackage: "seed package defaults: hard gate, per-batch rate, top-10% fallback"
        case .incrementalClamped: "seed law with a plain integral clamp and no gate extras"
        case .positionalPI: "textbook positional PI, conditional integration"
        case .velocityPI: "textbook velocity-form PI (threshold is the integrator)"
        }
    }

    /// The preset's configuration for `target`.
    /// - Parameter target: Target activation rate in (0, 1).
    /// - Throws: ``ConfigurationError`` if `target` is outside (0, 1).
    public func configuration(target: Double) throws(ConfigurationError) -> ControllerConfiguration {
        switch self {
        case .seedCIFAR:
            // Upstream KAGGLE_VIT_BATCHED_STANDALONE.py: SundewConfig in BatchedAdaptiveSparseTrainer,
            // SundewAlgorithm.process_batch / update_threshold, and train_epoch's fallback.
            return try ControllerConfiguration(
                target: target, law: .sundewIncremental, proportionalGain: 0.0015, integralGain: 0.00005,
                emaAlpha: 0.3, emaForm: .weightedSum, initialThreshold: 0.5,
                thresholdBounds: ThresholdBounds(uncheckedLower: 0, upper: 1),
                antiWindup: .seedDecay(factor: 0.9, bound: 50, band: ThresholdBounds(uncheckedLower: 0.01, upper: 0.99),
                                       condition: .outputInside),
                rateMeasurement: .cumulative, rateDenominator: .wholeBatch,
                gate: Gate(rule: .sigmoid(temperature: 0.15, scope: .aboveThreshold),
                           energyBudget: EnergyBudget(uncheckedCapacity: 100, activationCost: 10, regenerationLower: 1, regenerationUpper: 3)),
                fallback: Fallback(uncheckedMinimumCount: 2, minimumFraction: 0, trigger: .noneSelected, choice: .random,
                                   countsTowardRate: false))
        case .seedPackage:
            // Upstream adaptive_sparse_training/sundew.py: SundewAlgorithm.select_samples.
            return try ControllerConfiguration(
                target: target, law: .sundewIncremental, proportionalGain: 0.005, integralGain: 0.0001,
                emaAlpha: 0.1, emaForm: .weightedSum, initialThreshold: 3.0,
                thresholdBounds: ThresholdBounds(uncheckedLower: 0.5, upper: 10),
                antiWindup: .seedDecay(factor: 0.9, bound: 100, band: ThresholdBounds(uncheckedLower: 0.5, upper: 10),
                                       condition: .gatingThresholdInside),
                rateMeasurement: .perBatch, rateDenominator: .wholeBatch, gate: .hard,
                fallback: Fallback(uncheckedMinimumCount: 2, minimumFraction: 0.1, trigger: .belowMinimum, choice: .highestScores,
                                   countsTowardRate: true))
        case .incrementalClamped:
            return try ControllerConfiguration(
                target: target, law: .sundewIncremental, proportionalGain: 0.05, integralGain: 0.002,
                emaAlpha: 0.3, initialThreshold: 1.0,
                thresholdBounds: ThresholdBounds(uncheckedLower: 0, upper: 10),
                antiWindup: .clamp(bound: 50), rateMeasurement: .perBatch, gate: .hard)
        case .positionalPI:
            return try ControllerConfiguration(
                target: target, law: .positional(reference: 1.0), proportionalGain: 1.0, integralGain: 0.2,
                emaAlpha: 0.5, initialThreshold: 1.0,
                thresholdBounds: ThresholdBounds(uncheckedLower: 0, upper: 10),
                antiWindup: .conditional, rateMeasurement: .perBatch, gate: .hard)
        case .velocityPI:
            return try ControllerConfiguration(
                target: target, law: .velocity, proportionalGain: 1.0, integralGain: 0.5,
                emaAlpha: 0.5, initialThreshold: 1.0,
                thresholdBounds: ThresholdBounds(uncheckedLower: 0, upper: 10),
                antiWindup: .clamp(bound: 100), rateMeasurement: .perBatch, gate: .hard)
        }
    }

    /// Looks a preset up by name.
    /// - Throws: ``UnknownPresetError`` listing the valid names.
    public static func named(_ name: String) throws(UnknownPresetError) -> Preset {
        guard let preset = Preset(rawValue: name) else { throw UnknownPresetError(name: name) }
        return preset
    }
}

/// A preset name that does not exist.
public struct UnknownPresetError: Error, Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var description: String {
        let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
        return "unknown preset '\(name)'\(hint); valid presets: " + Preset.allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// The valid preset name closest to ``name``, when it is close enough to be a typo of it.
    public var suggestion: String? {
        let names = Preset.allCases.map(\.rawValue)
        let closest = names.min { Self.distance(name.lowercased(), $0.lowercased()) < Self.distance(name.lowercased(), $1.lowercased()) }
        return closest.flatMap { Self.distance(name.lowercased(), $0.lowercased()) <= max(2, name.count / 3) ? $0 : nil }
    }

    /// Levenshtein distance, for the "did you mean" hint.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
