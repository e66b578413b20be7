/// One weighted component of a mixture. Weights need not sum to 1: a mixture normalises
/// them by their sum.
public struct MixtureComponent: Sendable, Hashable, Codable {
    /// Non-negative weight, relative to the other components' weights.
    public var weight: Double
    /// The component's distribution (may itself be a mixture).
    public var distribution: Distribution

    /// Creates a component.
    /// - Parameters:
    ///   - weight: Non-negative relative weight.
    ///   - distribution: The component's distribution.
    public init(weight: Double, distribution: Distribution) {
        self.weight = weight
        self.distribution = distribution
    }
}

/// A distribution of per-sample scores, sampled and evaluated with GSL.
///
/// Parameters follow GSL's conventions (`gsl_ran_*`, `gsl_cdf_*`). Constructing a case does not
/// check its domain: call ``validate()``, or build through ``make(kind:parameters:)``.
///
/// The enum is deliberately not `indirect` (the recursion of mixtures goes through an array), so
/// that a non-mixture value lives inline and drifting one of its parameters allocates nothing.
public enum Distribution: Sendable, Hashable, Codable {
    /// log X ~ N(zeta, sigma²). `gsl_ran_lognormal`.
    case lognormal(zeta: Double, sigma: Double)
    /// Density x^(shape−1) e^(−x/scale) / (Γ(shape) scale^shape). `gsl_ran_gamma`.
    case gamma(shape: Double, scale: Double)
    /// Density ∝ x^(a−1) (1−x)^(b−1) on [0, 1]. `gsl_ran_beta`.
    case beta(a: Double, b: Double)
    /// N(mean, sigma²). `gsl_ran_gaussian_ziggurat` plus `mean`.
    case normal(mean: Double, sigma: Double)
    /// Exponential with the given mean. `gsl_ran_exponential`.
    case exponential(mean: Double)
    /// Density shape·scale^shape / x^(shape+1) for x ≥ scale. `gsl_ran_pareto(r, shape, scale)`.
    case pareto(shape: Double, scale: Double)
    /// Density (shape/scale)(x/scale)^(shape−1) e^(−(x/scale)^shape), x ≥ 0. `gsl_ran_weibull(r, scale, shape)`.
    case weibull(scale: Double, shape: Double)
    /// A weighted mixture; `gsl_ran_discrete` picks the component in ``fill(_:using:)``.
    case mixture([MixtureComponent])

    /// Every kind name, in declaration order.
    public static let kinds: [String] = ["lognormal", "gamma", "beta", "normal", "exponential", "pareto", "weibull", "mixture"]

    /// The kind name: `"lognormal"`, `"gamma"`, …, `"mixture"`.
    public var kind: String {
        switch self {
        case .lognormal: "lognormal"
        case .gamma: "gamma"
        case .beta: "beta"
        case .normal: "normal"
        case .exponential: "exponential"
        case .pareto: "pareto"
        case .weibull: "weibull"
        case .mixture: "mixture"
        }
    }

    /// The parameter names of each non-mixture kind, in the order of the case's associated values.
    static let simpleParameterNames: [String: [String]] = [
        "lognormal": ["zeta", "sigma"],
        "gamma": ["shape", "scale"],
        "beta": ["a", "b"],
        "normal": ["mean", "sigma"],
        "exponential": ["mean"],
        "pareto": ["shape", "scale"],
        "weibull": ["scale", "shape"],
    ]

    /// Builds and validates a non-mixture distribution from named parameters (for file readers).
    ///
    /// Mixtures cannot be described by a flat parameter dictionary; build them with
    /// ``makeMixture(weights:components:)``.
    /// - Parameters:
    ///   - kind: One of ``kinds`` other than `"mixture"`.
    ///   - parameters: Exactly the kind's parameter names (see ``parameterNames``).
    /// - Throws: `ModelError` with field `"kind"` for an unknown kind (the message lists the valid
    ///   ones), `"<kind>.<name>"` for a missing or unknown parameter or a value out of domain.
    public static func make(kind: String, parameters: [String: Double]) throws(ModelError) -> Distribution {
        if kind == "mixture" {
            throw ModelError(field: "kind", expected: "a kind made from named parameters (for a mixture, use Distribution.makeMixture(weights:components:))",
                             actual: "'mixture'")
        }
        guard let names = simpleParameterNames[kind] else {
            throw ModelError(field: "kind", expected: "a distribution kind, one of: \(kinds.joined(separator: ", "))",
                             actual: "the unknown kind '\(kind)'")
        }
        for name in parameters.keys.sorted() where !names.contains(name) {
            throw ModelError(field: "\(kind).\(name)", expected: "a parameter of \(kind), one of: \(names.joined(separator: ", "))",
                             actual: "the unknown parameter '\(name)'")
        }
        var values: [Double] = []
        for name in names {
            guard let value = parameters[name] else {
                throw ModelError(field: "\(kind).\(name)", expected: "the parameter '\(name)' (\(kind) needs \(names.joined(separator: ", ")))",
                                 actual: "no such parameter")
            }
            values.append(value)
        }
        let distribution: Distribution = switch kind {
        case "lognormal": .lognormal(zeta: values[0], sigma: values[1])
        case "gamma": .gamma(shape: values[0], scale: values[1])
        case "beta": .beta(a: values[0], b: values[1])
        case "normal": .normal(mean: values[0], sigma: values[1])
        case "exponential": .exponential(mean: values[0])
        case "pareto": .pareto(shape: values[0], scale: values[1])
        default: .weibull(scale: values[0], shape: values[1])
        }
        try distribution.validate()
        return distribution
    }

    /// Builds and validates a mixture.
    /// - Parameters:
    ///   - weights: One non-negative weight per component, with a positive sum.
    ///   - components: The component distributions.
    /// - Throws: `ModelError` with field `"mixture.weights"` when the counts differ, otherwise
    ///   whatever ``validate()`` finds.
    public static func makeMixture(weights: [Double], components: [Distribution]) throws(ModelError) -> Distribution {
        guard weights.count == components.count else {
            throw ModelError(field: "mixture.weights", expected: "one weight per component (\(components.count))", actual: "\(weights.count) weights")
        }
        let mixture = Distribution.mixture(zip(weights, components).map { MixtureComponent(weight: $0, distribution: $1) })
        try mixture.validate()
        return mixture
    }
}
