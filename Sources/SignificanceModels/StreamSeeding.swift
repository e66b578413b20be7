/// Per-batch seeds of a ``ScoreStream``.
///
/// Batch k is drawn from a generator restarted at a seed that depends only on the stream's
/// seed and k, so any batch can be drawn in any order. Within one stream the 32-bit GSL seeds of
/// different steps are distinct (for fewer than 2³² steps): the seed is a bijection of
/// `base + k·0x9E3779B9 (mod 2³²)`, with `base` a hash of the stream seed.
enum StreamSeeding {
    /// The seed that ``GSLRandom/reseed(_:)`` gets for batch `step` of the stream `streamSeed`.
    static func batchSeed(streamSeed: UInt64, step: Int) -> UInt64 {
        let hashed = splitMix64(streamSeed)
        let base = UInt32(truncatingIfNeeded: hashed) ^ UInt32(truncatingIfNeeded: hashed >> 32)
        let position = base &+ UInt32(truncatingIfNeeded: step) &* 0x9E37_79B9
        return UInt64(mix32(position))
    }

    /// SplitMix64's output function: a bijective 64-bit mixer.
    static func splitMix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A bijective 32-bit mixer (xor-shifts and odd multipliers, each invertible).
    static func mix32(_ value: UInt32) -> UInt32 {
        var h = value
        h ^= h >> 16
        h = h &* 0x85EB_CA6B
        h ^= h >> 13
        h = h &* 0xC2B2_AE35
        h ^= h >> 16
        return h
    }
}
