import Foundation
import PIControl

/// Standard normal deviates by the Box–Muller transform, caching the second deviate of
/// each pair, from any `RandomNumberGenerator`.
package struct NormalSampler: Sendable {
    var spare: Double?

    package init() {}

    /// The next `N(0, 1)` deviate.
    /// - Parameter generator: The source of uniform bits.
    package mutating func next<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Double {
        if let cached = spare {
            spare = nil
            return cached
        }
        // u1 in (0, 1] so the logarithm is finite.
        let u1 = 1 - generator.nextUnitInterval()
        let u2 = generator.nextUnitInterval()
        let radius = (-2 * Foundation.log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spare = radius * Foundation.sin(angle)
        return radius * Foundation.cos(angle)
    }
}
