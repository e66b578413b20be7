/// What a grid point did across the seeds.
public struct SweepPoint: Sendable, Equatable, Codable {
    public var index: Int
    public var proportionalGain: Double
    public var integralGain: Double
    public var emaAlpha: Double
    /// Mean and standard deviation of the settling time over the seeds that settled (`nil` if none).
    public var settlingTimeMean: Double?
    public var settlingTimeStd: Double?
    public var steadyStateErrorMean: Double
    public var steadyStateErrorStd: Double
    public var overshootMean: Double
    public var fractionSaturatedMean: Double
    public var settledSeeds: Int
    public var seeds: Int
    /// Settled on every seed.
    public var settledAll: Bool { settledSeeds == seeds }
    /// Linear analysis at the scenario's operating point says stable (nil: not analysed).
    public var predictedStable: Bool?
}
