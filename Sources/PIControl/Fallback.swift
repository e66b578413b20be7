/// What happens when too few samples pass the gate.
///
/// The minimum is `minimumActive(batchSize:) = min(B, max(minimumCount, ⌊minimumFraction·B⌋))`
/// over the finite scores of the batch. A minimum of zero disables the fallback.
public struct Fallback: Sendable, Equatable, Hashable, Codable {
    /// When the fallback fires.
    public enum Trigger: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        /// Only when no sample passes (the seed's CIFAR script).
        case noneSelected
        /// Whenever fewer than the minimum pass; the selection is topped up to the minimum.
        case belowMinimum
    }

    /// Which extra samples the fallback takes.
    public enum Choice: String, Sendable, Equatable, Hashable, Codable, CaseIterable {
        /// The highest-scoring samples that did not pass.
        case highestScores
        /// Uniformly random samples among those that did not pass.
        case random
    }

    public var minimumCount: Int
    public var minimumFraction: Double
    public var trigger: Trigger
    public var choice: Choice
    /// Whether fallback samples count in the observed rate fed to the controller.
    public var countsTowardRate: Bool

    /// - Parameters:
    ///   - minimumCount: Absolute minimum number of active samples.
    ///   - minimumFraction: Minimum as a fraction of the batch (floored).
    ///   - trigger: When the fallback fires.
    ///   - choice: Which samples it adds.
    ///   - countsTowardRate: Whether added samples count in the observed rate.
    public init(minimumCount: Int, minimumFraction: Double = 0, trigger: Trigger = .belowMinimum,
                choice: Choice = .highestScores, countsTowardRate: Bool = true) throws(ConfigurationError) {
        self.minimumCount = minimumCount
        self.minimumFraction = minimumFraction
        self.trigger = trigger
        self.choice = choice
        self.countsTowardRate = countsTowardRate
        try validate()
    }

    /// For constants known to be valid (the presets): no validation.
    init(uncheckedMinimumCount minimumCount: Int, minimumFraction: Double, trigger: Trigger, choice: Choice, countsTowardRate counts: Bool) {
        self.minimumCount = minimumCount
        self.minimumFraction = minimumFraction
        self.trigger = trigger
        self.choice = choice
        self.countsTowardRate = counts
    }

    /// No fallback.
    public static let disabled = Fallback(uncheckedMinimumCount: 0, minimumFraction: 0, trigger: .belowMinimum, choice: .highestScores,
                                          countsTowardRate: true)

    /// The minimum number of active samples for a batch of `batchSize` finite scores.
    @inlinable
    public func minimumActive(batchSize: Int) -> Int {
        let fractional = Int((minimumFraction * Double(batchSize)).rounded(.down))
        return min(batchSize, max(minimumCount, fractional))
    }

    /// The number of samples selected once the fallback has acted, given how many passed.
    ///
    /// - Parameters:
    ///   - passed: Samples that passed the gate.
    ///   - batchSize: Finite scores in the batch.
    @inlinable
    public func selectedCount(passed: Int, batchSize: Int) -> Int {
        let minimum = minimumActive(batchSize: batchSize)
        switch trigger {
        case .noneSelected: return passed == 0 ? minimum : passed
        case .belowMinimum: return max(passed, minimum)
        }
    }

    func validate() throws(ConfigurationError) {
        guard minimumCount >= 0 else {
            throw ConfigurationError(field: "fallback.minimumCount", expected: ">= 0", actual: "\(minimumCount)")
        }
        try ConfigurationError.requireFinite(minimumFraction, "fallback.minimumFraction")
        guard minimumFraction >= 0, minimumFraction <= 1 else {
            throw ConfigurationError(field: "fallback.minimumFraction", expected: "in [0, 1]", actual: "\(minimumFraction)")
        }
    }
}
