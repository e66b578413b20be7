@preconcurrency import CNumerics

/// GSL's solver-type descriptors are mutable C globals (`GSL_VAR const T *name`), which Swift 6
/// will not read under a plain import. This file imports the module `@preconcurrency` and reads
/// each once into a `nonisolated(unsafe)` constant; GSL never writes them after load.
enum GSLSolverTypes {
    /// `gsl_root_fsolver_brent`.
    nonisolated(unsafe) static let brent: UnsafePointer<gsl_root_fsolver_type> = gsl_root_fsolver_brent
}
