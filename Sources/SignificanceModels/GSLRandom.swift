import CNumerics

/// One GSL random number generator (Mersenne Twister, `gsl_rng_mt19937`), seeded.
///
/// Not `Sendable`: create one per thread or task. The generator is freed in `deinit`.
///
/// Seeding: mt19937 in GSL uses only the low 32 bits of its seed, and treats 0 as its
/// default seed 4357. So that all 64 bits of `seed` matter, the seed is folded to 32 bits as
/// `low32(seed) ^ high32(seed)`; a folded seed of 0 is mapped to 1 (seeds 0 and 1 therefore
/// give the same stream). For `seed < 2³²`, other than 0, the stream equals
/// `gsl_rng_set(r, seed)`.
public final class GSLRandom {
    /// The underlying `gsl_rng`, for calling `gsl_ran_*` directly. Owned by this object.
    public let raw: UnsafeMutablePointer<gsl_rng>

    /// Allocates and seeds a generator.
    /// - Parameters:
    ///   - seed: Any value; folded to 32 bits and 0 mapped to 1 (see the type's documentation).
    public init(seed: UInt64) {
        GSLRuntime.ensureErrorHandlerOff()
        guard let generator = gsl_rng_alloc(ast_rng_mt19937()) else {
            preconditionFailure("gsl_rng_alloc failed (out of memory)")
        }
        raw = generator
        reseed(seed)
    }

    deinit { gsl_rng_free(raw) }

    /// Restarts the generator from `seed`, exactly as `init(seed:)` would.
    /// - Parameters:
    ///   - seed: Any value; folded to 32 bits and 0 mapped to 1.
    public func reseed(_ seed: UInt64) {
        gsl_rng_set(raw, UInt(Self.gslSeed(seed)))
    }

    /// A uniform draw in [0, 1) (`gsl_rng_uniform`).
    public func uniform() -> Double { gsl_rng_uniform(raw) }

    /// The 32-bit seed handed to `gsl_rng_set` for `seed`.
    /// - Parameters:
    ///   - seed: The caller's seed.
    public static func gslSeed(_ seed: UInt64) -> UInt32 {
        let folded = UInt32(truncatingIfNeeded: seed) ^ UInt32(truncatingIfNeeded: seed >> 32)
        return folded == 0 ? 1 : folded
    }
}

extension GSLRandom: RandomNumberGenerator {
    /// 64 random bits from two 32-bit mt19937 outputs (high word first).
    public func next() -> UInt64 {
        let high = UInt64(gsl_rng_get(raw)) & 0xFFFF_FFFF
        let low = UInt64(gsl_rng_get(raw)) & 0xFFFF_FFFF
        return high << 32 | low
    }
}
