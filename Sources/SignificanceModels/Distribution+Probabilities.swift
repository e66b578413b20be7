import CNumerics

extension Distribution {
    /// P(X > x), from `gsl_cdf_*_Q`; for a mixture the weight-normalised sum of its
    /// components' exceedances. Below the support the result is 1, above it 0 (GSL's lognormal and
    /// Weibull Q are not defined for x ≤ 0, so those are handled here).
    ///
    /// For a valid distribution and finite `x` the result lies in [0, 1]; a NaN `x` gives NaN.
    /// - Parameters:
    ///   - x: The threshold.
    public func exceedance(_ x: Double) -> Double {
        GSLRuntime.ensureErrorHandlerOff()
        switch self {
        case .lognormal(let zeta, let sigma): return x <= 0 ? 1 : gsl_cdf_lognormal_Q(x, zeta, sigma)
        case .gamma(let shape, let scale): return x <= 0 ? 1 : gsl_cdf_gamma_Q(x, shape, scale)
        case .beta(let a, let b): return x <= 0 ? 1 : (x >= 1 ? 0 : gsl_cdf_beta_Q(x, a, b))
        case .normal(let mean, let sigma): return gsl_cdf_gaussian_Q(x - mean, sigma)
        case .exponential(let mean): return x <= 0 ? 1 : gsl_cdf_exponential_Q(x, mean)
        case .pareto(let shape, let scale): return x <= scale ? 1 : gsl_cdf_pareto_Q(x, shape, scale)
        case .weibull(let scale, let shape): return x <= 0 ? 1 : gsl_cdf_weibull_Q(x, scale, shape)
        case .mixture(let components):
            var total = 0.0, weighted = 0.0
            for component in components where component.weight > 0 {
                total += component.weight
                weighted += component.weight * component.distribution.exceedance(x)
            }
            return weighted / total
        }
    }

    /// The probability density at `x` (`gsl_ran_*_pdf`); 0 outside the support. For a mixture,
    /// the weight-normalised sum of its components' densities.
    /// - Parameters:
    ///   - x: Where to evaluate the density.
    public func density(_ x: Double) -> Double {
        GSLRuntime.ensureErrorHandlerOff()
        switch self {
        case .lognormal(let zeta, let sigma): return x <= 0 ? 0 : gsl_ran_lognormal_pdf(x, zeta, sigma)
        case .gamma(let shape, let scale): return x < 0 ? 0 : gsl_ran_gamma_pdf(x, shape, scale)
        case .beta(let a, let b): return x < 0 || x > 1 ? 0 : gsl_ran_beta_pdf(x, a, b)
        case .normal(let mean, let sigma): return gsl_ran_gaussian_pdf(x - mean, sigma)
        case .exponential(let mean): return x < 0 ? 0 : gsl_ran_exponential_pdf(x, mean)
        case .pareto(let shape, let scale): return x < scale ? 0 : gsl_ran_pareto_pdf(x, shape, scale)
        case .weibull(let scale, let shape): return x < 0 ? 0 : gsl_ran_weibull_pdf(x, scale, shape)
        case .mixture(let components):
            var total = 0.0, weighted = 0.0
            for component in components where component.weight > 0 {
                total += component.weight
                weighted += component.weight * component.distribution.density(x)
            }
            return weighted / total
        }
    }

    /// The x with P(X > x) = `probability`: the (1 − probability) quantile, which is the ideal
    /// threshold when a fraction `probability` of samples should pass a hard gate.
    ///
    /// Non-mixtures use `gsl_cdf_*_Qinv`. A mixture solves Σ ŵ_j Q_j(x) = probability (ŵ the
    /// normalised weights) with GSL's Brent solver on the bracket
    /// [min_j q_j, max_j q_j], q_j the components' own quantiles at `probability`: at the
    /// lower end every Q_j ≥ probability, at the upper end every Q_j ≤ probability, so the root
    /// lies inside.
    /// - Parameters:
    ///   - probability: The exceedance probability, in (0, 1).
    /// - Throws: `ModelError` with field `"probability"` outside (0, 1); the distribution's own
    ///   field for invalid parameters; field `kind` when GSL returns NaN or fails to converge.
    public func upperQuantile(_ probability: Double) throws(ModelError) -> Double {
        try DomainCheck.openUnitInterval(probability, "probability")
        try validate()
        return try validatedUpperQuantile(probability)
    }

    /// ``upperQuantile(_:)`` without the argument and domain checks.
    func validatedUpperQuantile(_ probability: Double) throws(ModelError) -> Double {
        GSLRuntime.ensureErrorHandlerOff()
        let quantile: Double
        switch self {
        case .lognormal(let zeta, let sigma): quantile = gsl_cdf_lognormal_Qinv(probability, zeta, sigma)
        case .gamma(let shape, let scale): quantile = gsl_cdf_gamma_Qinv(probability, shape, scale)
        case .beta(let a, let b): quantile = gsl_cdf_beta_Qinv(probability, a, b)
        case .normal(let mean, let sigma): quantile = mean + gsl_cdf_gaussian_Qinv(probability, sigma)
        case .exponential(let mean): quantile = gsl_cdf_exponential_Qinv(probability, mean)
        case .pareto(let shape, let scale): quantile = gsl_cdf_pareto_Qinv(probability, shape, scale)
        case .weibull(let scale, let shape): quantile = gsl_cdf_weibull_Qinv(probability, scale, shape)
        case .mixture(let components): quantile = try MixtureQuantile.solve(components, probability: probability)
        }
        guard quantile.isFinite else {
            throw ModelError(field: kind, expected: "a finite quantile at exceedance probability \(probability)",
                             actual: "\(quantile) (from GSL)")
        }
        return quantile
    }

    /// The mean; `.infinity` where it does not exist (Pareto shape ≤ 1, or a mixture with such a
    /// component of positive weight). Meaningless for invalid parameters.
    public var mean: Double {
        switch self {
        case .lognormal(let zeta, let sigma): return exp(zeta + sigma * sigma / 2)
        case .gamma(let shape, let scale): return shape * scale
        case .beta(let a, let b): return a / (a + b)
        case .normal(let mean, _): return mean
        case .exponential(let mean): return mean
        case .pareto(let shape, let scale): return shape > 1 ? shape * scale / (shape - 1) : .infinity
        case .weibull(let scale, let shape): return scale * tgamma(1 + 1 / shape)
        case .mixture(let components):
            let total = components.reduce(0.0) { $0 + $1.weight }
            var sum = 0.0
            for component in components where component.weight > 0 {
                sum += component.weight / total * component.distribution.mean
            }
            return sum
        }
    }

    /// The variance; `.infinity` where it does not exist (Pareto shape ≤ 2, or a mixture with
    /// such a component). Meaningless for invalid parameters.
    public var variance: Double {
        switch self {
        case .lognormal(let zeta, let sigma): return expm1(sigma * sigma) * exp(2 * zeta + sigma * sigma)
        case .gamma(let shape, let scale): return shape * scale * scale
        case .beta(let a, let b): return a * b / ((a + b) * (a + b) * (a + b + 1))
        case .normal(_, let sigma): return sigma * sigma
        case .exponential(let mean): return mean * mean
        case .pareto(let shape, let scale):
            guard shape > 2 else { return .infinity }
            return scale * scale * shape / ((shape - 1) * (shape - 1) * (shape - 2))
        case .weibull(let scale, let shape):
            let first = tgamma(1 + 1 / shape)
            return scale * scale * (tgamma(1 + 2 / shape) - first * first)
        case .mixture(let components):
            // Law of total variance: Σ ŵ (σ_j² + μ_j²) − μ².
            let total = components.reduce(0.0) { $0 + $1.weight }
            var secondMoment = 0.0
            for component in components where component.weight > 0 {
                let distribution = component.distribution
                secondMoment += component.weight / total * (distribution.variance + distribution.mean * distribution.mean)
            }
            guard secondMoment.isFinite else { return .infinity }
            let mean = self.mean
            return max(0, secondMoment - mean * mean)
        }
    }
}
