/// A policy's first decision for one epoch: which samples are forwarded, in which batches.
public struct EpochPlan: Sendable, Equatable {
    /// What a planned batch is for.
    public enum BatchKind: String, Sendable, Equatable, Codable {
        /// Forwarded; the policy's second decision picks the rows to back-propagate.
        case train
        /// Forwarded without backward, only to refresh the samples' scores (`ast-stale`).
        case refresh
    }

    /// One batch: `count` samples starting at `start` in ``samples``.
    public struct Batch: Sendable, Equatable {
        public var start: Int
        public var count: Int
        public var kind: BatchKind
    }

    /// Training-set indices in forward order.
    public var samples: [Int]
    /// Per-sample loss weights, aligned with ``samples`` (`nil`: all 1).
    public var weights: [Float]?
    public var batches: [Batch]

    /// Cuts `trainSamples` then `refreshSamples` into batches of at most `batchSize`.
    /// - Parameters:
    ///   - trainSamples: Samples whose rows the policy may back-propagate.
    ///   - refreshSamples: Samples forwarded only to refresh their scores.
    ///   - batchSize: `B`.
    ///   - weights: One weight per train sample, or `nil`.
    public init(trainSamples: [Int], refreshSamples: [Int] = [], batchSize: Int, weights: [Float]? = nil) {
        samples = trainSamples + refreshSamples
        self.weights = weights.map { $0 + [Float](repeating: 1, count: refreshSamples.count) }
        batches = []
        for (range, kind) in [(0..<trainSamples.count, BatchKind.train),
                              (trainSamples.count..<samples.count, BatchKind.refresh)] {
            var start = range.lowerBound
            while start < range.upperBound {
                let count = min(batchSize, range.upperBound - start)
                batches.append(Batch(start: start, count: count, kind: kind))
                start += count
            }
        }
    }

    /// Samples forwarded in the epoch.
    public var forwardedCount: Int { samples.count }
}
