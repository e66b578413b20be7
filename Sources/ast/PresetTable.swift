import PIControl

/// Renders controller configurations as table rows (shared by `presets` and reports).
enum PresetTable {
    static let header = ["preset", "law", "Kp", "Ki", "alpha", "theta0", "bounds", "anti-windup", "rate", "gate", "fallback"]

    static func row(preset: Preset, configuration config: ControllerConfiguration) -> [String] {
        [preset.rawValue] + describe(config)
    }

    static func describe(_ config: ControllerConfiguration) -> [String] {
        let law: String
        switch config.law {
        case .positional(let reference): law = "positional(ref \(format(reference)))"
        default: law = config.law.name
        }
        let antiWindup: String
        switch config.antiWindup {
        case .none: antiWindup = "none"
        case .clamp(let bound): antiWindup = "clamp ±\(format(bound))"
        case .seedDecay(let factor, let bound, let band, let condition):
            antiWindup = "seedDecay ×\(format(factor)) ±\(format(bound)) outside (\(format(band.lower)), \(format(band.upper))), tests \(condition == .gatingThresholdInside ? "θ_k" : "u(I_old)")"
        case .conditional: antiWindup = "conditional"
        case .backCalculation(let gain): antiWindup = "backCalc Kb \(format(gain))"
        }
        var gate: String
        switch config.gate.rule {
        case .hard: gate = "hard"
        case .sigmoid(let temperature, let scope): gate = "sigmoid T \(format(temperature)) (\(scope.rawValue))"
        }
        if let budget = config.gate.energyBudget {
            gate += " + energy \(format(budget.capacity))/cost \(format(budget.activationCost))/regen U(\(format(budget.regenerationLower)), \(format(budget.regenerationUpper)))"
        }
        let fallbackRule = config.fallback
        let fallback: String
        if fallbackRule.minimumCount == 0 && fallbackRule.minimumFraction == 0 {
            fallback = "none"
        } else {
            let minimum = fallbackRule.minimumFraction > 0
                ? "max(\(fallbackRule.minimumCount), \(format(fallbackRule.minimumFraction * 100))%·B)"
                : "\(fallbackRule.minimumCount)"
            fallback = "\(minimum) \(fallbackRule.choice.rawValue) when \(fallbackRule.trigger.rawValue)"
                + (fallbackRule.countsTowardRate ? "" : " (not counted)")
        }
        return [
            law, format(config.proportionalGain), format(config.integralGain), format(config.emaAlpha),
            format(config.initialThreshold),
            "[\(format(config.thresholdBounds.lower)), \(format(config.thresholdBounds.upper))]",
            antiWindup, config.rateMeasurement.rawValue, gate, fallback,
        ]
    }

    /// Shortest faithful rendering of a parameter (no trailing zeros).
    static func format(_ value: Double) -> String {
        var text = "\(value)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}
