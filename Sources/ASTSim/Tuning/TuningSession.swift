import PIControl

/// A whole tuning: the start controller fitted to the scenarios, Nelder–Mead over the tuning
/// set, and the held-out check. `ast tune` and `ast demo` call it; it returns data.
public struct TuningSession {
    /// The law's textbook preset, with bounds fitted to the scenarios' score scale.
    public var start: ControllerConfiguration
    public var tuner: Tuner
    /// The held-out scenarios' tuner, or `nil` without any.
    public var checker: Tuner?
    public var tuningSet: [Scenario]
    public var heldOutSet: [Scenario]
    public var seeds: [UInt64]

    /// What a run of ``tune(alpha:starts:)`` found.
    public struct Result {
        public var outcome: Tuner.Outcome
        /// The gains file's record of how the gains were obtained.
        public var record: TuningRecord
        /// Whether the cost fell (gains that do no better than the start are not a result).
        public var improved: Bool { outcome.costAfter < outcome.costBefore }
    }

    /// Builds the batches of every scenario once (the memory is checked first).
    /// - Parameters:
    ///   - law: The law to tune.
    ///   - tuningSet: Scenarios the cost is minimised over.
    ///   - heldOutSet: Scenarios only checked.
    ///   - seeds: Random seeds per scenario.
    ///   - bounds: Threshold bounds, or `nil` for `[0, 2 × the largest ideal threshold]`.
    /// - Throws: ``InputError`` for sizes past the memory limit or unusable bounds.
    public init(law: ControlLaw, tuningSet: [Scenario], heldOutSet: [Scenario], seeds: [UInt64],
                bounds: (lower: Double, upper: Double)?) throws {
        // Both sets live together while tuning: their joint size is the one to check.
        try Tuner.checkMemory(scenarios: tuningSet + heldOutSet, seeds: seeds.count)
        tuner = try Tuner(scenarios: tuningSet, seeds: seeds)
        // The tuner computed every step's ideal threshold with the batches: reuse them.
        let ideal = tuner.prepared.flatMap { $0.batchSets.first?.idealThresholds ?? [] }
        start = try Self.startConfiguration(law: law, target: tuningSet[0].target, idealThresholds: ideal, bounds: bounds)
        checker = heldOutSet.isEmpty ? nil : try Tuner(scenarios: heldOutSet, seeds: seeds)
        self.tuningSet = tuningSet
        self.heldOutSet = heldOutSet
        self.seeds = seeds
    }

    /// Tunes from ``start``.
    /// - Parameters:
    ///   - alpha: Also tune the EMA weight.
    ///   - starts: Nelder–Mead starts.
    public func tune(alpha: Bool, starts: Int) -> Result {
        let outcome = tuner.tune(base: start, tuneAlpha: alpha, starts: starts)
        let record = TuningRecord(
            scenarios: tuningSet.map(\.name), heldOut: heldOutSet.map(\.name), seeds: seeds, cost: TuningCost.formula,
            costBefore: outcome.costBefore, costAfter: outcome.costAfter, starts: outcome.starts, evaluations: outcome.evaluations,
            tunedAlpha: alpha)
        return Result(outcome: outcome, record: record)
    }

    /// The law's textbook preset with bounds fitted to the tuning scenarios' score scale, the
    /// initial threshold (and positional reference) at the bounds' midpoint, and an integral
    /// clamp wide enough to span the range. Rules of thumb, not tuning:
    /// - bounds `[0, 2·max θ*]` over the scenarios' ideal thresholds, unless given;
    /// - given bounds must reach some ideal threshold, or no gains can reach the target.
    /// - Parameters:
    ///   - law: The law.
    ///   - target: The target rate.
    ///   - idealThresholds: The tuning scenarios' ideal thresholds, every step (non-finite ignored).
    ///   - bounds: Given bounds, or `nil`.
    /// - Throws: ``InputError`` naming `--bounds`.
    public static func startConfiguration(law: ControlLaw, target: Double, idealThresholds: [Double],
                                          bounds: (lower: Double, upper: Double)?) throws -> ControllerConfiguration {
        func refuse(_ expected: String, _ actual: String) -> InputError {
            InputError(file: nil, field: "--bounds", expected: expected, actual: actual)
        }
        let preset: Preset = switch law {
        case .positional: .positionalPI
        case .velocity: .velocityPI
        case .sundewIncremental: .incrementalClamped
        }
        var configuration = try preset.configuration(target: target)
        let ideal = idealThresholds.filter(\.isFinite)
        let (low, high): (Double, Double)
        if let bounds {
            (low, high) = bounds
            if let lowest = ideal.min(), let highest = ideal.max(), high < lowest || low > highest {
                throw refuse("bounds that reach the tuning scenarios' ideal thresholds "
                                 + "[\(String(format: "%.4g", lowest)), \(String(format: "%.4g", highest))] (else no gains can reach the target)",
                             "\(low):\(high), outside them")
            }
        } else {
            let largest = ideal.max() ?? 0
            guard largest > 0 else {
                throw refuse("--bounds LO:HI, since no bounds can be derived from the scenarios",
                             "no --bounds, and no positive ideal threshold in the scenarios")
            }
            (low, high) = (0, 2 * largest)
        }
        do {
            configuration.thresholdBounds = try ThresholdBounds(lower: low, upper: high)
        } catch {
            throw refuse("usable threshold bounds: \(error.expected)", "\(low):\(high)")
        }
        configuration.initialThreshold = 0.5 * (low + high)
        if case .positional = configuration.law { configuration.law = .positional(reference: configuration.initialThreshold) }
        if case .clamp = configuration.antiWindup {
            configuration.antiWindup = .clamp(bound: max(50, 2 * (high - low) / max(configuration.integralGain, 1e-9)))
        }
        do {
            try configuration.validate()
        } catch {
            throw refuse("bounds that give a valid start controller (field '\(error.field)' \(error.expected))",
                         "\(low):\(high), giving \(error.field) = \(error.actual)")
        }
        return configuration
    }
}
