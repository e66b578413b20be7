import PIControl

/// Per-epoch sample orders reproducible from `(seed, epoch)` alone.
///
/// Each epoch's order is a Fisher–Yates shuffle of `0..<count` driven by a
/// `PIControl.SeededGenerator` seeded with a mix of `seed` and `epoch`, so an epoch's order
/// does not depend on which epochs were drawn before (a resumed run sees the same orders). The
/// bounded draws use Lemire's multiply-and-reject method written out here, so orders do not
/// depend on the standard library's `random(in:)` implementation.
package struct EpochShuffler: Sendable {
    /// The number of samples permuted.
    package let count: Int
    /// The run's seed.
    package let seed: UInt64

    /// - Parameters:
    ///   - count: Number of samples; orders are permutations of `0..<count`.
    ///   - seed: Any integer; equal seeds give equal orders epoch by epoch.
    package init(count: Int, seed: UInt64) {
        precondition(count >= 0, "EpochShuffler: negative count \(count)")
        self.count = count
        self.seed = seed
    }

    /// The order of the samples in `epoch`, as a newly allocated array.
    ///
    /// - Parameter epoch: The epoch number (any integer).
    package func order(forEpoch epoch: Int) -> [Int] {
        var order = [Int](repeating: 0, count: count)
        fill(&order, forEpoch: epoch)
        return order
    }

    /// Writes the order of the samples in `epoch` into a caller's buffer, without allocating.
    ///
    /// - Parameters:
    ///   - order: Receives a permutation of `0..<count`; must hold exactly `count` elements.
    ///   - epoch: The epoch number (any integer).
    package func fill(_ order: inout [Int], forEpoch epoch: Int) {
        precondition(order.count == count, "EpochShuffler.fill: buffer holds \(order.count), expected \(count)")
        var generator = SeededGenerator(seed: Self.mix(seed: seed, epoch: epoch))
        order.withUnsafeMutableBufferPointer { buffer in
            for index in 0 ..< buffer.count { buffer[index] = index }
            var upper = buffer.count
            while upper > 1 {
                let pick = Int(Self.boundedDraw(below: UInt64(upper), using: &generator))
                upper -= 1
                buffer.swapAt(upper, pick)
            }
        }
    }

    /// A generator seed from the run seed and the epoch (SplitMix64 finaliser over both), so
    /// neighbouring epochs get unrelated streams.
    static func mix(seed: UInt64, epoch: Int) -> UInt64 {
        var z = seed ^ (UInt64(bitPattern: Int64(epoch)) &* 0x9E37_79B9_7F4A_7C15)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (Lemire, "Fast random integer generation in an
    /// interval", 2019).
    static func boundedDraw(below bound: UInt64, using generator: inout SeededGenerator) -> UInt64 {
        var product = generator.next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = generator.next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }
}
