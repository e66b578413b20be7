import CNumerics

extension Distribution {
    /// One draw.
    ///
    /// For a non-mixture, successive calls produce the same numbers as ``fill(_:using:)``.
    /// A mixture picks its component by a linear scan of the cumulative weights (no allocation),
    /// so its draws differ from ``fill(_:using:)``, which uses `gsl_ran_discrete`.
    /// - Parameters:
    ///   - random: The generator to draw from.
    public func sample(using random: GSLRandom) -> Double {
        let generator = random.raw
        switch self {
        case .lognormal(let zeta, let sigma): return gsl_ran_lognormal(generator, zeta, sigma)
        case .gamma(let shape, let scale): return gsl_ran_gamma(generator, shape, scale)
        case .beta(let a, let b): return gsl_ran_beta(generator, a, b)
        case .normal(let mean, let sigma): return mean + gsl_ran_gaussian_ziggurat(generator, sigma)
        case .exponential(let mean): return gsl_ran_exponential(generator, mean)
        case .pareto(let shape, let scale): return gsl_ran_pareto(generator, shape, scale)
        case .weibull(let scale, let shape): return gsl_ran_weibull(generator, scale, shape)
        case .mixture(let components):
            let total = components.reduce(0.0) { $0 + $1.weight }
            var remaining = gsl_rng_uniform(generator) * total
            for component in components where component.weight > 0 {
                if remaining < component.weight { return component.distribution.sample(using: random) }
                remaining -= component.weight
            }
            // Rounding left `remaining` at or above the last positive weight: take that component.
            let last = components.last { $0.weight > 0 } ?? components[components.count - 1]
            return last.distribution.sample(using: random)
        }
    }

    /// Fills `buffer` with independent draws.
    ///
    /// Allocates nothing for a non-mixture. A mixture builds one `gsl_ran_discrete` table per
    /// call (one allocation), then picks each sample's component from it.
    /// - Parameters:
    ///   - buffer: Receives one draw per element.
    ///   - random: The generator to draw from.
    public func fill(_ buffer: UnsafeMutableBufferPointer<Double>, using random: GSLRandom) {
        let generator = random.raw
        switch self {
        case .lognormal(let zeta, let sigma):
            for index in buffer.indices { buffer[index] = gsl_ran_lognormal(generator, zeta, sigma) }
        case .gamma(let shape, let scale):
            for index in buffer.indices { buffer[index] = gsl_ran_gamma(generator, shape, scale) }
        case .beta(let a, let b):
            for index in buffer.indices { buffer[index] = gsl_ran_beta(generator, a, b) }
        case .normal(let mean, let sigma):
            for index in buffer.indices { buffer[index] = mean + gsl_ran_gaussian_ziggurat(generator, sigma) }
        case .exponential(let mean):
            for index in buffer.indices { buffer[index] = gsl_ran_exponential(generator, mean) }
        case .pareto(let shape, let scale):
            for index in buffer.indices { buffer[index] = gsl_ran_pareto(generator, shape, scale) }
        case .weibull(let scale, let shape):
            for index in buffer.indices { buffer[index] = gsl_ran_weibull(generator, scale, shape) }
        case .mixture(let components):
            fillMixture(components, buffer, random)
        }
    }

    private func fillMixture(_ components: [MixtureComponent], _ buffer: UnsafeMutableBufferPointer<Double>, _ random: GSLRandom) {
        GSLRuntime.ensureErrorHandlerOff()
        let table = components.map(\.weight).withUnsafeBufferPointer { weights in
            gsl_ran_discrete_preproc(weights.count, weights.baseAddress)
        }
        guard let table else {
            preconditionFailure("gsl_ran_discrete_preproc rejected the mixture weights; validate() the distribution first")
        }
        defer { gsl_ran_discrete_free(table) }
        for index in buffer.indices {
            let component = gsl_ran_discrete(random.raw, table)
            buffer[index] = components[component].distribution.sample(using: random)
        }
    }
}
