/// Everything that defines a threshold controller: target, law, gains, smoothing, bounds,
/// anti-windup, measurement, gate and fallback. The equations are in <doc:PIControl>.
///
/// Construction validates every field; ``Controller/init(configuration:)`` validates again,
/// since the stored properties are mutable.
public struct ControllerConfiguration: Sendable, Equatable, Hashable {
    /// The fraction of samples that should pass, in (0, 1).
    public var target: Double
    public var law: ControlLaw
    /// `Kp`, in threshold units per unit of rate error.
    public var proportionalGain: Double
    /// `Ki`, in threshold units per unit of integrated rate error.
    public var integralGain: Double
    /// EMA weight of the newest rate, in (0, 1].
    public var emaAlpha: Double
    /// How the EMA is evaluated (the seed presets keep the seed's form bit for bit).
    public var emaForm: EMAForm
    /// Errors with `|e| < deadband` are treated as zero.
    public var deadband: Double
    /// `θ_0`.
    public var initialThreshold: Double
    public var thresholdBounds: ThresholdBounds
    public var antiWindup: AntiWindup
    public var rateMeasurement: RateMeasurement
    /// Which rows of a gated batch count in its rate.
    public var rateDenominator: RateDenominator
    public var gate: Gate
    public var fallback: Fallback

    /// - Parameters:
    ///   - target: Target activation rate in (0, 1).
    ///   - law: The control law.
    ///   - proportionalGain: `Kp`.
    ///   - integralGain: `Ki`.
    ///   - emaAlpha: EMA weight in (0, 1]; 1 disables smoothing.
    ///   - emaForm: How the EMA is evaluated.
    ///   - deadband: Error magnitude treated as zero (>= 0).
    ///   - initialThreshold: `θ_0`, inside `thresholdBounds`.
    ///   - thresholdBounds: `[lo, hi]` for the threshold.
    ///   - antiWindup: The anti-windup scheme.
    ///   - rateMeasurement: Per-batch or cumulative rate.
    ///   - rateDenominator: Which rows of a gated batch count in its rate.
    ///   - gate: The gate.
    ///   - fallback: The fallback for batches where too few pass.
    /// - Throws: ``ConfigurationError`` naming the first invalid field.
    public init(
        target: Double, law: ControlLaw, proportionalGain: Double, integralGain: Double,
        emaAlpha: Double, emaForm: EMAForm = .increment, deadband: Double = 0, initialThreshold: Double,
        thresholdBounds: ThresholdBounds, antiWindup: AntiWindup,
        rateMeasurement: RateMeasurement = .perBatch, rateDenominator: RateDenominator = .finiteScores,
        gate: Gate = .hard, fallback: Fallback = .disabled
    ) throws(ConfigurationError) {
        self.target = target
        self.law = law
        self.proportionalGain = proportionalGain
        self.integralGain = integralGain
        self.emaAlpha = emaAlpha
        self.emaForm = emaForm
        self.deadband = deadband
        self.initialThreshold = initialThreshold
        self.thresholdBounds = thresholdBounds
        self.antiWindup = antiWindup
        self.rateMeasurement = rateMeasurement
        self.rateDenominator = rateDenominator
        self.gate = gate
        self.fallback = fallback
        try validate()
    }

    /// Checks every field; throws for the first that is invalid.
    public func validate() throws(ConfigurationError) {
        try ConfigurationError.requireFinite(target, "target")
        guard target > 0, target < 1 else {
            throw ConfigurationError(field: "target", expected: "in (0, 1)", actual: "\(target)")
        }
        if case .positional(let reference) = law {
            try ConfigurationError.requireFinite(reference, "law.positional.reference")
        }
        try ConfigurationError.requireFinite(proportionalGain, "proportionalGain")
        try ConfigurationError.requireFinite(integralGain, "integralGain")
        try ConfigurationError.requireFinite(emaAlpha, "emaAlpha")
        guard emaAlpha > 0, emaAlpha <= 1 else {
            throw ConfigurationError(field: "emaAlpha", expected: "in (0, 1]", actual: "\(emaAlpha)")
        }
        try ConfigurationError.requireNonNegative(deadband, "deadband")
        try thresholdBounds.validate(field: "thresholdBounds")
        try ConfigurationError.requireFinite(initialThreshold, "initialThreshold")
        guard initialThreshold >= thresholdBounds.lower, initialThreshold <= thresholdBounds.upper else {
            throw ConfigurationError(
                field: "initialThreshold",
                expected: "within thresholdBounds [\(thresholdBounds.lower), \(thresholdBounds.upper)]",
                actual: "\(initialThreshold)")
        }
        try antiWindup.validate()
        try gate.validate()
        try fallback.validate()
    }
}
