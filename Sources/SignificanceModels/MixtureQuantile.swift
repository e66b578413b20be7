import CNumerics

/// Solves Σ ŵ_j Q_j(x) = p for a mixture with GSL's Brent root finder.
enum MixtureQuantile {
    /// Largest number of Brent iterations before giving up.
    static let maximumIterations = 200
    /// Brent stops once |Σ ŵ_j Q_j(x) − p| is this small (or the bracket has collapsed to a few ulps).
    static let residualTolerance = 1e-15
    /// Largest |Σ ŵ_j Q_j(x) − p| accepted at the returned x; beyond it the quantile is an error.
    static let acceptedResidual = 1e-10

    /// What the C callback needs: the mixture and the target probability.
    private struct Problem {
        let mixture: Distribution
        let probability: Double
    }

    /// The root x of Σ ŵ_j Q_j(x) − p, for validated components and p in (0, 1).
    /// - Parameters:
    ///   - components: The mixture's components (validated).
    ///   - probability: The exceedance probability p.
    static func solve(_ components: [MixtureComponent], probability: Double) throws(ModelError) -> Double {
        var lower = Double.infinity, upper = -Double.infinity
        for (index, component) in components.enumerated() where component.weight > 0 {
            let quantile: Double
            do {
                quantile = try component.distribution.validatedUpperQuantile(probability)
            } catch {
                throw error.prefixed("mixture.components.\(index)")
            }
            lower = min(lower, quantile)
            upper = max(upper, quantile)
        }
        let mixture = Distribution.mixture(components)
        let residualAtLower = mixture.exceedance(lower) - probability
        let residualAtUpper = mixture.exceedance(upper) - probability
        if abs(residualAtLower) <= residualTolerance || lower == upper { return lower }
        if abs(residualAtUpper) <= residualTolerance { return upper }
        guard residualAtLower > 0, residualAtUpper < 0 else {
            throw ModelError(field: "mixture", expected: "a quantile bracket [\(lower), \(upper)] that contains the root",
                             actual: "residuals \(residualAtLower), \(residualAtUpper) at its ends")
        }
        var problem = Problem(mixture: mixture, probability: probability)
        return try withUnsafeMutablePointer(to: &problem) { (pointer) throws(ModelError) -> Double in
            try brent(on: pointer, lower: lower, upper: upper)
        }
    }

    private static func brent(on problem: UnsafeMutablePointer<Problem>, lower: Double, upper: Double) throws(ModelError) -> Double {
        var function = gsl_function(
            function: { x, parameters in
                let problem = parameters!.assumingMemoryBound(to: Problem.self).pointee
                return problem.mixture.exceedance(x) - problem.probability
            },
            params: UnsafeMutableRawPointer(problem)
        )
        guard let solver = gsl_root_fsolver_alloc(GSLSolverTypes.brent) else {
            throw ModelError(field: "mixture", expected: "a quantile solver (gsl_root_fsolver_alloc)", actual: "allocation failed")
        }
        defer { gsl_root_fsolver_free(solver) }
        var status = gsl_root_fsolver_set(solver, &function, lower, upper)
        guard status == GSL_SUCCESS else {
            throw ModelError(field: "mixture", expected: "a quantile solver set on the bracket (gsl_root_fsolver_set)",
                             actual: String(cString: gsl_strerror(status)))
        }
        var root = gsl_root_fsolver_root(solver)
        var residual = Double.infinity
        for _ in 0..<maximumIterations {
            status = gsl_root_fsolver_iterate(solver)
            guard status == GSL_SUCCESS else {
                throw ModelError(field: "mixture", expected: "a converging Brent iteration for the quantile",
                                 actual: String(cString: gsl_strerror(status)))
            }
            root = gsl_root_fsolver_root(solver)
            residual = problem.pointee.mixture.exceedance(root) - problem.pointee.probability
            let lower = gsl_root_fsolver_x_lower(solver), upper = gsl_root_fsolver_x_upper(solver)
            let bracketCollapsed = upper - lower <= 4 * Double.ulpOfOne * max(abs(lower), abs(upper)) + Double.leastNormalMagnitude
            if abs(residual) <= residualTolerance || bracketCollapsed { break }
        }
        guard root.isFinite, abs(residual) <= acceptedResidual else {
            throw ModelError(field: "mixture", expected: "a quantile with residual <= \(acceptedResidual)",
                             actual: "x = \(root) with residual \(residual), where Brent stopped")
        }
        return root
    }
}
