/// The per-sample decision that a score passes, given the threshold `θ`.
public struct Gate: Sendable, Equatable, Hashable, Codable {
    /// The decision rule applied to each score.
    public var rule: GateRule
    /// An optional energy budget that an activation must also afford (Sundew's bucket).
    public var energyBudget: EnergyBudget?

    /// - Parameters:
    ///   - rule: The decision rule.
    ///   - energyBudget: The budget, or `nil` for none.
    public init(rule: GateRule, energyBudget: EnergyBudget? = nil) {
        self.rule = rule
        self.energyBudget = energyBudget
    }

    /// `s > θ`, no budget.
    public static let hard = Gate(rule: .hard)

    /// Whether the gate draws random numbers (so its count cannot be found by binary search).
    public var isStochastic: Bool {
        if case .sigmoid = rule { return true }
        return energyBudget != nil
    }

    func validate() throws(ConfigurationError) {
        if case .sigmoid(let temperature, _) = rule {
            try ConfigurationError.requireFinite(temperature, "gate.rule.sigmoid.temperature")
            guard temperature > 0 else {
                throw ConfigurationError(field: "gate.rule.sigmoid.temperature", expected: "> 0", actual: "\(temperature)")
            }
        }
        try energyBudget?.validate()
    }
}

/// Where the sigmoid gate applies.
public enum SigmoidScope: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// The seed's variant: `s > θ` and `U < σ((s − θ)/T)`.
    case aboveThreshold
    /// Sundew's variant: `U < σ((s − θ)/T)` for every score.
    case everywhere
}

/// A gate's decision rule.
public enum GateRule: Sendable, Equatable, Hashable, Codable {
    /// `s > θ`.
    case hard
    /// Probabilistic: passes with probability `σ((s − θ)/temperature)` within `scope`.
    case sigmoid(temperature: Double, scope: SigmoidScope)

    public var name: String {
        switch self {
        case .hard: "hard"
        case .sigmoid(_, .aboveThreshold): "sigmoid(seed)"
        case .sigmoid(_, .everywhere): "sigmoid(sundew)"
        }
    }
}

/// Sundew's energy bucket: each activation costs energy, and energy regenerates per sample.
///
/// For each finite score in batch order: if the rule passes and `energy > activationCost`,
/// the sample is activated and `energy −= activationCost`; then
/// `energy = min(capacity, energy + U(regeneration))`. Energy therefore never falls below
/// zero, and the sustained activation rate cannot exceed `mean(regeneration)/activationCost`.
public struct EnergyBudget: Sendable, Equatable, Hashable, Codable {
    public var capacity: Double
    public var activationCost: Double
    public var regenerationLower: Double
    public var regenerationUpper: Double

    /// - Parameters:
    ///   - capacity: The most energy the bucket holds (it starts full).
    ///   - activationCost: Energy spent per activation.
    ///   - regenerationLower: Lower end of the uniform per-sample regeneration.
    ///   - regenerationUpper: Upper end of the uniform per-sample regeneration.
    public init(capacity: Double, activationCost: Double, regenerationLower: Double, regenerationUpper: Double) throws(ConfigurationError) {
        self.capacity = capacity
        self.activationCost = activationCost
        self.regenerationLower = regenerationLower
        self.regenerationUpper = regenerationUpper
        try validate()
    }

    /// For constants known to be valid (the presets): no validation.
    init(uncheckedCapacity capacity: Double, activationCost cost: Double, regenerationLower lower: Double, regenerationUpper upper: Double) {
        self.capacity = capacity
        self.activationCost = cost
        self.regenerationLower = lower
        self.regenerationUpper = upper
    }

    /// The long-run activation rate the budget can sustain: `mean regeneration / cost`.
    public var sustainableRate: Double {
        activationCost == 0 ? 1 : min(1, 0.5 * (regenerationLower + regenerationUpper) / activationCost)
    }

    func validate() throws(ConfigurationError) {
        try ConfigurationError.requireNonNegative(capacity, "gate.energyBudget.capacity")
        try ConfigurationError.requireNonNegative(activationCost, "gate.energyBudget.activationCost")
        try ConfigurationError.requireNonNegative(regenerationLower, "gate.energyBudget.regenerationLower")
        try ConfigurationError.requireNonNegative(regenerationUpper, "gate.energyBudget.regenerationUpper")
        guard regenerationLower <= regenerationUpper else {
            throw ConfigurationError(
                field: "gate.energyBudget.regenerationUpper", expected: ">= regenerationLower",
                actual: "\(regenerationUpper) < \(regenerationLower)")
        }
    }
}
