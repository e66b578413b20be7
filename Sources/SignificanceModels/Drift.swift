import CNumerics

/// How one parameter moves over the steps of a stream. `base` below is the parameter's value
/// in the model; k is the step, counted from 0.
public enum Drift: Sendable, Hashable, Codable {
    /// base at every step.
    case constant
    /// base up to `startStep`, linear to `to` at `endStep`, then `to`. `startStep == endStep` is a jump.
    case ramp(to: Double, startStep: Int, endStep: Int)
    /// base before `atStep`, `to` from `atStep` on (a regime shift).
    case step(to: Double, atStep: Int)
    /// `to` for `startStep ≤ k < endStep`, base otherwise: a temporary regime (e.g. the
    /// scores collapse for a while, driving the threshold into a bound).
    case pulse(to: Double, startStep: Int, endStep: Int)
    /// base + amplitude · sin(2π k / period + phase).
    case sinusoid(amplitude: Double, period: Double, phase: Double)
    /// base + Σ_{i=1…k} ε_i with ε_i ~ N(0, stepSigma²) drawn in order from
    /// `GSLRandom(seed: seed)` with `gsl_ran_gaussian`; base at step 0.
    case randomWalk(stepSigma: Double, seed: UInt64)
    /// to + (base − to) · exp(−rate · k), e.g. a loss that falls during training.
    case exponentialDecay(to: Double, rate: Double)

    /// Checks the drift's own fields (finite values, period > 0, steps ≥ 0 and ordered, rates
    /// and step sigmas ≥ 0).
    /// - Throws: `ModelError` with field `"<kind>.<field>"`, e.g. `"sinusoid.period"`.
    public func validate() throws(ModelError) {
        switch self {
        case .constant:
            break
        case .ramp(let to, let startStep, let endStep):
            try DomainCheck.finite(to, "ramp.to")
            guard startStep >= 0 else { throw ModelError(field: "ramp.startStep", expected: ">= 0", actual: "\(startStep)") }
            guard endStep >= startStep else {
                throw ModelError(field: "ramp.endStep", expected: ">= startStep (\(startStep))", actual: "\(endStep)")
            }
        case .step(let to, let atStep):
            try DomainCheck.finite(to, "step.to")
            guard atStep >= 0 else { throw ModelError(field: "step.atStep", expected: ">= 0", actual: "\(atStep)") }
        case .pulse(let to, let startStep, let endStep):
            try DomainCheck.finite(to, "pulse.to")
            guard startStep >= 0 else { throw ModelError(field: "pulse.startStep", expected: ">= 0", actual: "\(startStep)") }
            guard endStep > startStep else {
                throw ModelError(field: "pulse.endStep", expected: "> startStep (\(startStep))", actual: "\(endStep)")
            }
        case .sinusoid(let amplitude, let period, let phase):
            try DomainCheck.finite(amplitude, "sinusoid.amplitude")
            try DomainCheck.positive(period, "sinusoid.period")
            try DomainCheck.finite(phase, "sinusoid.phase")
        case .randomWalk(let stepSigma, _):
            try DomainCheck.nonNegative(stepSigma, "randomWalk.stepSigma")
        case .exponentialDecay(let to, let rate):
            try DomainCheck.finite(to, "exponentialDecay.to")
            try DomainCheck.nonNegative(rate, "exponentialDecay.rate")
        }
    }

    /// The drifted value at steps 0..<`steps`.
    /// - Parameters:
    ///   - base: The parameter's value in the model.
    ///   - steps: How many steps.
    public func values(base: Double, steps: Int) -> [Double] {
        guard steps > 0 else { return [] }
        switch self {
        case .randomWalk(let stepSigma, let seed):
            let random = GSLRandom(seed: seed)
            var path = [Double](repeating: base, count: steps)
            var value = base
            for step in 1..<steps {
                value += gsl_ran_gaussian(random.raw, stepSigma)
                path[step] = value
            }
            return path
        default:
            return (0..<steps).map { value(atStep: $0, base: base) }
        }
    }

    /// The drifted value at one step, for every kind except ``randomWalk(stepSigma:seed:)``,
    /// whose value depends on the whole path (use ``values(base:steps:)``).
    /// - Parameters:
    ///   - step: The step, ≥ 0.
    ///   - base: The parameter's value in the model.
    func value(atStep step: Int, base: Double) -> Double {
        switch self {
        case .constant:
            return base
        case .ramp(let to, let startStep, let endStep):
            if step >= endStep { return to }
            if step <= startStep { return base }
            let fraction = Double(step - startStep) / Double(endStep - startStep)
            return base + (to - base) * fraction
        case .step(let to, let atStep):
            return step < atStep ? base : to
        case .pulse(let to, let startStep, let endStep):
            return step >= startStep && step < endStep ? to : base
        case .sinusoid(let amplitude, let period, let phase):
            return base + amplitude * sin(2 * Double.pi * Double(step) / period + phase)
        case .randomWalk:
            preconditionFailure("a random walk's value depends on its path; use values(base:steps:)")
        case .exponentialDecay(let to, let rate):
            return to + (base - to) * exp(-rate * Double(step))
        }
    }

    /// Steps at which the path may jump or bend (a ramp's ends, both sides of a step), so that
    /// interpolation between estimates never crosses one.
    func breakpoints(steps: Int) -> [Int] {
        switch self {
        case .ramp(_, let startStep, let endStep): [startStep, endStep].filter { $0 < steps }
        case .step(_, let atStep): [atStep - 1, atStep].filter { $0 >= 0 && $0 < steps }
        case .pulse(_, let startStep, let endStep):
            [startStep - 1, startStep, endStep - 1, endStep].filter { $0 >= 0 && $0 < steps }
        default: []
        }
    }
}

/// A drift applied to one named parameter of a model.
public struct ParameterDrift: Sendable, Hashable, Codable {
    /// The parameter's name, as in ``Distribution/parameterNames`` (prefixed `"loss."`,
    /// `"intensity."` or `"entropy."` for the formula models of ``ScoreModel``).
    public var parameter: String
    /// How it moves.
    public var drift: Drift

    /// Creates a parameter drift.
    /// - Parameters:
    ///   - parameter: The parameter's name.
    ///   - drift: How it moves.
    public init(parameter: String, drift: Drift) {
        self.parameter = parameter
        self.drift = drift
    }
}
