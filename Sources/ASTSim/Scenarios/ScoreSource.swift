import SignificanceModels

/// Where a scenario's scores come from: a generated model, or a score trace recorded by
/// `ast train --record-scores` (so gains can be checked and tuned on real training scores).
public enum ScoreSource: Sendable, Equatable {
    case model(ScoreModel)
    case recorded(RecordedScores)

    /// A generated distribution (shorthand used by code and tests).
    /// - Parameters:
    ///   - distribution: The score distribution.
    ///   - drifts: How its parameters move over the steps.
    public static func distribution(_ distribution: Distribution, drifts: [ParameterDrift]) -> ScoreSource {
        .model(.distribution(distribution, drifts: drifts))
    }

    /// The model's drifts (none for recorded scores).
    public var drifts: [ParameterDrift] {
        if case .model(let model) = self { return model.drifts }
        return []
    }
}

/// Batches of a recorded score trace, all of one size.
public struct RecordedScores: Sendable, Equatable {
    /// The trace file, for messages and reports.
    public var file: String
    /// `steps × batchSize` scores, batch after batch.
    public var scores: [Double]
    public var batchSize: Int
    public var steps: Int { scores.count / batchSize }
    /// Batches left out because their size differed from `batchSize` (an epoch's last batch).
    public var droppedBatches: Int
    /// The distinct sizes of the batches left out, ascending.
    public var droppedSizes: [Int]

    /// Takes the batches of the trace's most common size, from batch `skip` on, `count` of them.
    /// - Throws: ``InputError`` (field `skip` or `count`) for a negative skip, a skip that
    ///   leaves nothing, or a count past the end.
    /// - Parameters:
    ///   - trace: The parsed score trace.
    ///   - file: The trace's path, named in errors.
    ///   - skip: Batches to leave out at the start, at least 0.
    ///   - count: Batches to take after `skip`, or `nil` for all that remain.
    public init(trace: ScoreTrace, file: String, skip: Int = 0, count: Int? = nil) throws(InputError) {
        var sizes: [Int: Int] = [:]
        for batch in trace.batches { sizes[batch.count, default: 0] += 1 }
        guard let size = sizes.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) })?.key, size > 0 else {
            throw InputError(file: file, field: "", expected: "a trace with scores", actual: "no scores")
        }
        let uniform = trace.batches.filter { $0.count == size }
        guard skip >= 0 else { throw InputError(file: file, field: "skip", expected: "a number of batches >= 0", actual: "\(skip)") }
        guard skip < uniform.count else {
            throw InputError(file: file, field: "skip", expected: "fewer than the \(uniform.count) batches of \(size) scores, so that some are left",
                             actual: "\(skip), leaving no batches")
        }
        if let count {
            guard count >= 1, count <= uniform.count - skip else {
                throw InputError(file: file, field: "count",
                                 expected: "1 to \(uniform.count - skip) batches (\(uniform.count - skip) left after skipping \(skip))",
                                 actual: "\(count)")
            }
        }
        let selected = uniform.dropFirst(skip).prefix(count ?? uniform.count)
        self.file = file
        self.batchSize = size
        self.scores = selected.flatMap { $0 }
        self.droppedBatches = trace.batches.count - uniform.count
        self.droppedSizes = Set(trace.batches.map(\.count).filter { $0 != size }).sorted()
    }

    /// Half-width, in batches, of the window whose pooled scores estimate the ideal threshold.
    public static let idealWindow = 12

    /// The empirical `(1 − target)` quantile of the scores of batches `step ± idealWindow`
    /// (an estimate: recorded scores have no closed form).
    /// - Parameters:
    ///   - step: The batch index, 0-based.
    ///   - target: The target activation rate, in (0, 1).
    public func idealThreshold(step: Int, target: Double) -> Double {
        let window = pooled(step: step, halfWidth: Self.idealWindow).filter(\.isFinite).sorted()
        return KernelDensity.upperQuantile(sortedSamples: window, probability: target)
    }

    /// Scores of batches `step ± halfWidth`.
    /// - Parameters:
    ///   - step: The centre batch, 0-based.
    ///   - halfWidth: Batches on each side (clipped at the ends of the trace).
    public func pooled(step: Int, halfWidth: Int) -> [Double] {
        let first = max(0, step - halfWidth), last = min(steps - 1, step + halfWidth)
        return Array(scores[(first * batchSize)..<((last + 1) * batchSize)])
    }
}
