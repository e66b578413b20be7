extension ControllerConfiguration: Codable {
    enum CodingKeys: String, CodingKey {
        case target, law, proportionalGain, integralGain, emaAlpha, emaForm, deadband, initialThreshold
        case thresholdBounds, antiWindup, rateMeasurement, rateDenominator, gate, fallback
    }

    /// Decodes and validates; an invalid field becomes a `DecodingError.dataCorrupted` whose
    /// description names the field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        target = try container.decode(Double.self, forKey: .target)
        law = try container.decode(ControlLaw.self, forKey: .law)
        proportionalGain = try container.decode(Double.self, forKey: .proportionalGain)
        integralGain = try container.decode(Double.self, forKey: .integralGain)
        emaAlpha = try container.decode(Double.self, forKey: .emaAlpha)
        emaForm = try container.decodeIfPresent(EMAForm.self, forKey: .emaForm) ?? .increment
        deadband = try container.decodeIfPresent(Double.self, forKey: .deadband) ?? 0
        initialThreshold = try container.decode(Double.self, forKey: .initialThreshold)
        thresholdBounds = try container.decode(ThresholdBounds.self, forKey: .thresholdBounds)
        antiWindup = try container.decode(AntiWindup.self, forKey: .antiWindup)
        rateMeasurement = try container.decodeIfPresent(RateMeasurement.self, forKey: .rateMeasurement) ?? .perBatch
        rateDenominator = try container.decodeIfPresent(RateDenominator.self, forKey: .rateDenominator) ?? .finiteScores
        gate = try container.decodeIfPresent(Gate.self, forKey: .gate) ?? .hard
        fallback = try container.decodeIfPresent(Fallback.self, forKey: .fallback) ?? .disabled
        do {
            try validate()
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description, underlyingError: error))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(target, forKey: .target)
        try container.encode(law, forKey: .law)
        try container.encode(proportionalGain, forKey: .proportionalGain)
        try container.encode(integralGain, forKey: .integralGain)
        try container.encode(emaAlpha, forKey: .emaAlpha)
        try container.encode(emaForm, forKey: .emaForm)
        try container.encode(deadband, forKey: .deadband)
        try container.encode(initialThreshold, forKey: .initialThreshold)
        try container.encode(thresholdBounds, forKey: .thresholdBounds)
        try container.encode(antiWindup, forKey: .antiWindup)
        try container.encode(rateMeasurement, forKey: .rateMeasurement)
        try container.encode(rateDenominator, forKey: .rateDenominator)
        try container.encode(gate, forKey: .gate)
        try container.encode(fallback, forKey: .fallback)
    }
}
