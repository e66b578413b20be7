import Glibc

/// Monotonic wall-clock and process CPU time, from `clock_gettime`.
package enum Clock {
    /// Seconds on `CLOCK_MONOTONIC`.
    @inlinable public static func monotonicSeconds() -> Double { read(CLOCK_MONOTONIC) }
    /// CPU seconds used by the process, all threads (`CLOCK_PROCESS_CPUTIME_ID`).
    @inlinable public static func processCPUSeconds() -> Double { read(CLOCK_PROCESS_CPUTIME_ID) }

    @usableFromInline static func read(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
