import CNumerics

/// Process-wide GSL set-up.
///
/// GSL's default error handler prints and calls `abort()`. This module switches it off once,
/// on first use of ``GSLRandom`` or of any probability function, and instead checks return
/// codes and NaN results itself.
public enum GSLRuntime {
    private static let abortHandlerSwitchedOff: Bool = {
        _ = gsl_set_error_handler_off()
        return true
    }()

    /// Switches GSL's abort-on-error handler off (idempotent, thread-safe, done at most once).
    ///
    /// Code outside this module that calls GSL directly should call this first.
    public static func ensureErrorHandlerOff() {
        _ = abortHandlerSwitchedOff
    }
}
