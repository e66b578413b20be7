import Foundation

/// A learning rate per optimiser step: linear warm-up, then cosine decay (or constant).
///
/// For step `s` (0-based): while `s < warmupSteps`, `η = base·(s+1)/warmupSteps` (so the
/// last warm-up step reaches `base`); afterwards, with `p = (s − warmupSteps)/(totalSteps −
/// warmupSteps)` clamped to [0, 1], `η = minimum + (base − minimum)·(1 + cos πp)/2` for the
/// cosine schedule, or `base` for the constant one.
public struct LearningRateSchedule: Sendable, Equatable, Hashable, Codable {
    public var baseRate: Double
    public var warmupSteps: Int
    public var totalSteps: Int
    public var minimumRate: Double
    public var usesCosineDecay: Bool

    /// - Parameters:
    ///   - baseRate: The peak rate.
    ///   - warmupSteps: Steps of linear warm-up (0 for none).
    ///   - totalSteps: Steps of the whole run (warm-up included).
    ///   - minimumRate: The rate at the end of the cosine.
    ///   - usesCosineDecay: Cosine decay after warm-up, or constant.
    public init(baseRate: Double, warmupSteps: Int = 0, totalSteps: Int = 1, minimumRate: Double = 0, usesCosineDecay: Bool = true) {
        self.baseRate = baseRate
        self.warmupSteps = max(0, warmupSteps)
        self.totalSteps = max(1, totalSteps)
        self.minimumRate = minimumRate
        self.usesCosineDecay = usesCosineDecay
    }

    /// A constant rate.
    /// - Parameter rate: The rate.
    public static func constant(_ rate: Double) -> LearningRateSchedule {
        LearningRateSchedule(baseRate: rate, usesCosineDecay: false)
    }

    /// The rate at 0-based step `step`.
    /// - Parameter step: Steps taken before this one.
    public func rate(atStep step: Int) -> Double {
        if step < warmupSteps { return baseRate * Double(step + 1) / Double(warmupSteps) }
        guard usesCosineDecay else { return baseRate }
        let span = max(1, totalSteps - warmupSteps)
        let progress = min(1, max(0, Double(step - warmupSteps) / Double(span)))
        return minimumRate + (baseRate - minimumRate) * (1 + Foundation.cos(Double.pi * progress)) / 2
    }
}
