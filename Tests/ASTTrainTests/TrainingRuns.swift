import Testing

/// Every test that builds a `Trainer` runs under this serialized parent: a trainer sets the
/// process-wide OpenBLAS thread count, and sgemm's rounding depends on it, so a trainer started
/// by a concurrent test could make a bit-for-bit comparison (resume, determinism) fail.
@Suite(.serialized)
enum TrainingRuns {}
