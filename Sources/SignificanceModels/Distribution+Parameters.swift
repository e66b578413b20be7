/// Named access to parameters, as drifts and scenario files address them.
///
/// Parameters are numbered in ``parameterNames`` order. For a mixture of K components that is
/// `weights.0` … `weights.{K−1}`, then each component's names prefixed `components.{j}.`
/// (recursively for nested mixtures).
extension Distribution {
    /// The names of all parameters: `["zeta", "sigma"]` for a lognormal; for a mixture
    /// `["weights.0", "weights.1", "components.0.zeta", "components.0.sigma", …]`.
    public var parameterNames: [String] {
        switch self {
        case .mixture(let components):
            var names = components.indices.map { "weights.\($0)" }
            for (index, component) in components.enumerated() {
                names += component.distribution.parameterNames.map { "components.\(index).\($0)" }
            }
            return names
        default:
            return Self.simpleParameterNames[kind] ?? []
        }
    }

    /// The value of a named parameter.
    /// - Parameters:
    ///   - parameter: One of ``parameterNames``.
    /// - Throws: `ModelError` with field `"<kind>.<parameter>"` for an unknown name.
    public func value(of parameter: String) throws(ModelError) -> Double {
        parameterValue(at: try parameterIndex(of: parameter))
    }

    /// A copy with one parameter replaced. The domain is not checked: call ``validate()``.
    /// - Parameters:
    ///   - parameter: One of ``parameterNames``.
    ///   - value: The new value.
    /// - Throws: `ModelError` with field `"<kind>.<parameter>"` for an unknown name.
    public func setting(_ parameter: String, to value: Double) throws(ModelError) -> Distribution {
        settingParameter(at: try parameterIndex(of: parameter), to: value)
    }

    /// The position of `parameter` in ``parameterNames``.
    func parameterIndex(of parameter: String) throws(ModelError) -> Int {
        let names = parameterNames
        guard let index = names.firstIndex(of: parameter) else {
            throw ModelError(field: "\(kind).\(parameter)", expected: "a parameter of \(kind), one of: \(names.joined(separator: ", "))",
                             actual: "the unknown parameter '\(parameter)'")
        }
        return index
    }

    /// The number of parameters (the length of ``parameterNames``).
    var parameterCount: Int {
        switch self {
        case .exponential: 1
        case .mixture(let components): components.reduce(components.count) { $0 + $1.distribution.parameterCount }
        default: 2
        }
    }

    /// The parameter at `index` in ``parameterNames`` order.
    func parameterValue(at index: Int) -> Double {
        switch self {
        case .lognormal(let first, let second), .gamma(let first, let second), .beta(let first, let second),
             .normal(let first, let second), .pareto(let first, let second), .weibull(let first, let second):
            precondition(index == 0 || index == 1, "parameter index out of range")
            return index == 0 ? first : second
        case .exponential(let mean):
            precondition(index == 0, "parameter index out of range")
            return mean
        case .mixture(let components):
            if index < components.count { return components[index].weight }
            var offset = index - components.count
            for component in components {
                let count = component.distribution.parameterCount
                if offset < count { return component.distribution.parameterValue(at: offset) }
                offset -= count
            }
            preconditionFailure("parameter index out of range")
        }
    }

    /// A copy with the parameter at `index` (``parameterNames`` order) replaced.
    /// Allocates nothing unless `self` is a mixture.
    func settingParameter(at index: Int, to value: Double) -> Distribution {
        precondition(index >= 0 && index < parameterCount, "parameter index out of range")
        switch self {
        case .lognormal(let zeta, let sigma):
            return index == 0 ? .lognormal(zeta: value, sigma: sigma) : .lognormal(zeta: zeta, sigma: value)
        case .gamma(let shape, let scale):
            return index == 0 ? .gamma(shape: value, scale: scale) : .gamma(shape: shape, scale: value)
        case .beta(let a, let b):
            return index == 0 ? .beta(a: value, b: b) : .beta(a: a, b: value)
        case .normal(let mean, let sigma):
            return index == 0 ? .normal(mean: value, sigma: sigma) : .normal(mean: mean, sigma: value)
        case .exponential:
            return .exponential(mean: value)
        case .pareto(let shape, let scale):
            return index == 0 ? .pareto(shape: value, scale: scale) : .pareto(shape: shape, scale: value)
        case .weibull(let scale, let shape):
            return index == 0 ? .weibull(scale: value, shape: shape) : .weibull(scale: scale, shape: value)
        case .mixture(var components):
            if index < components.count {
                components[index].weight = value
                return .mixture(components)
            }
            var offset = index - components.count
            for position in components.indices {
                let count = components[position].distribution.parameterCount
                if offset < count {
                    components[position].distribution = components[position].distribution.settingParameter(at: offset, to: value)
                    return .mixture(components)
                }
                offset -= count
            }
            preconditionFailure("parameter index out of range")
        }
    }
}
