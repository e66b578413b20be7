extension Distribution {
    /// Checks every parameter's domain.
    ///
    /// Lognormal: zeta finite, sigma > 0. Gamma: shape, scale > 0. Beta: a, b > 0. Normal: mean
    /// finite, sigma > 0. Exponential: mean > 0. Pareto: shape, scale > 0. Weibull: scale,
    /// shape > 0. Mixture: at least one component, every weight finite and ≥ 0, weights with a
    /// positive sum, every component valid. All values must be finite.
    /// - Throws: `ModelError` naming the field, e.g. `"lognormal.sigma"`, `"mixture.weights"`
    ///   (sum not positive), `"mixture.weights.2"`, `"mixture.components.1.beta.a"`.
    public func validate() throws(ModelError) {
        switch self {
        case .lognormal(let zeta, let sigma):
            try DomainCheck.finite(zeta, "lognormal.zeta")
            try DomainCheck.positive(sigma, "lognormal.sigma")
        case .gamma(let shape, let scale):
            try DomainCheck.positive(shape, "gamma.shape")
            try DomainCheck.positive(scale, "gamma.scale")
        case .beta(let a, let b):
            try DomainCheck.positive(a, "beta.a")
            try DomainCheck.positive(b, "beta.b")
        case .normal(let mean, let sigma):
            try DomainCheck.finite(mean, "normal.mean")
            try DomainCheck.positive(sigma, "normal.sigma")
        case .exponential(let mean):
            try DomainCheck.positive(mean, "exponential.mean")
        case .pareto(let shape, let scale):
            try DomainCheck.positive(shape, "pareto.shape")
            try DomainCheck.positive(scale, "pareto.scale")
        case .weibull(let scale, let shape):
            try DomainCheck.positive(scale, "weibull.scale")
            try DomainCheck.positive(shape, "weibull.shape")
        case .mixture(let components):
            guard !components.isEmpty else {
                throw ModelError(field: "mixture.components", expected: "at least one component", actual: "none")
            }
            var total = 0.0
            for (index, component) in components.enumerated() {
                try DomainCheck.nonNegative(component.weight, "mixture.weights.\(index)")
                total += component.weight
            }
            guard total > 0, total.isFinite else {
                throw ModelError(field: "mixture.weights", expected: "weights with a positive, finite sum", actual: "the sum \(total)")
            }
            for (index, component) in components.enumerated() {
                do {
                    try component.distribution.validate()
                } catch {
                    throw error.prefixed("mixture.components.\(index)")
                }
            }
        }
    }
}
