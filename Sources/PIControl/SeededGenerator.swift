/// A small, fast, seedable generator (xoshiro256**), so every run is reproducible from one
/// integer. The state is expanded from the seed with SplitMix64, as its authors recommend.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable, Hashable, Codable {
    @usableFromInline var state: (UInt64, UInt64, UInt64, UInt64)

    /// - Parameter seed: Any integer; equal seeds give equal streams.
    public init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            mixer &+= 0x9E37_79B9_7F4A_7C15
            var z = mixer
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    @inlinable
    func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.state.0 == rhs.state.0 && lhs.state.1 == rhs.state.1 && lhs.state.2 == rhs.state.2 && lhs.state.3 == rhs.state.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(state.0); hasher.combine(state.1); hasher.combine(state.2); hasher.combine(state.3)
    }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        state = (try container.decode(UInt64.self), try container.decode(UInt64.self),
                 try container.decode(UInt64.self), try container.decode(UInt64.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(state.0); try container.encode(state.1)
        try container.encode(state.2); try container.encode(state.3)
    }
}

extension RandomNumberGenerator {
    /// A uniform double in `[0, 1)` from the top 53 bits of one draw.
    ///
    /// Spelled out (rather than `Double.random(in:)`) so the mapping from bits to numbers is
    /// fixed by this package, and golden tests can feed known words.
    @inlinable
    public mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
