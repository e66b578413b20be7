import PIControl

/// A gain sweep: the grid, the seeds, and which shard of it to run.
public struct SweepSpec: Sendable, Equatable, Codable {
    public var proportionalGains: GridAxis
    public var integralGains: GridAxis
    /// `nil`: keep the base configuration's α.
    public var emaAlphas: GridAxis?
    public var seeds: [UInt64]
    /// The controller whose gains are replaced at each grid point.
    public var base: ControllerConfiguration
    public var scenarioName: String
    /// This run's shard: `index` of `count` (interleaved: grid point `p` belongs to shard `p mod count`).
    public var shardIndex: Int
    public var shardCount: Int

    /// A grid over the controller's gains (and optionally α), possibly one shard of it.
    /// - Parameters:
    ///   - proportionalGains: The Kp axis.
    ///   - integralGains: The Ki axis.
    ///   - emaAlphas: The EMA α axis, or `nil` to keep `base`'s α.
    ///   - seeds: The score-stream seeds each grid point runs over.
    ///   - base: The controller whose gains (and α) the grid replaces.
    ///   - scenarioName: The scenario's name, recorded in the manifest.
    ///   - shardIndex: This run's shard, 0-based, below `shardCount`.
    ///   - shardCount: The number of shards the grid is split into (grid point `p` belongs to shard `p mod shardCount`).
    public init(proportionalGains: GridAxis, integralGains: GridAxis, emaAlphas: GridAxis?, seeds: [UInt64],
                base: ControllerConfiguration, scenarioName: String, shardIndex: Int = 0, shardCount: Int = 1) {
        self.proportionalGains = proportionalGains
        self.integralGains = integralGains
        self.emaAlphas = emaAlphas
        self.seeds = seeds
        self.base = base
        self.scenarioName = scenarioName
        self.shardIndex = shardIndex
        self.shardCount = shardCount
    }

    /// All grid points in index order: α outermost, then Ki, then Kp.
    public var gridSize: Int { Self.gridSize(proportionalGains.count, integralGains.count, emaAlphas?.count ?? 1) ?? Int.max }

    /// The product of the axis lengths, `nil` on overflow.
    public static func gridSize(_ counts: Int...) -> Int? {
        var product = 1
        for count in counts {
            let (next, overflow) = product.multipliedReportingOverflow(by: count)
            if overflow { return nil }
            product = next
        }
        return product
    }

    /// The gains of grid point `index`.
    public func point(_ index: Int) -> (proportionalGain: Double, integralGain: Double, emaAlpha: Double) {
        let columns = proportionalGains.count, rows = integralGains.count
        let column = index % columns
        let row = (index / columns) % rows
        let layer = index / (columns * rows)
        return (proportionalGains.value(at: column), integralGains.value(at: row), emaAlphas?.value(at: layer) ?? base.emaAlpha)
    }

    /// The grid indices this shard runs.
    public var shardIndices: [Int] { Array(Swift.stride(from: shardIndex, to: gridSize, by: shardCount)) }

    /// The same spec for the whole grid (what merged shards must add up to).
    public var unsharded: SweepSpec {
        var copy = self
        copy.shardIndex = 0
        copy.shardCount = 1
        return copy
    }
}
