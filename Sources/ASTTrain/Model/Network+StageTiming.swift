/// One stage of a forward or backward pass and its wall time (see
/// ``Network/forwardLogitsTimingStages(images:batchSize:)``).
public struct StageTiming: Sendable, Equatable {
    /// The stage's layers joined by `+` (a fused pair such as `conv1+relu1`), or `loss`.
    public let name: String
    /// Wall seconds the stage took.
    public let seconds: Double

    /// - Parameters:
    ///   - name: The stage's name.
    ///   - seconds: Its wall time.
    public init(name: String, seconds: Double) {
        self.name = name
        self.seconds = seconds
    }
}

/// A stage of ``Network``'s passes: a run of layers done by one call (a fused pair is two),
/// or the loss.
enum NetworkStage {
    case layers(Range<Int>)
    case loss
}

extension Network {
    /// Runs the same work as ``forwardLogits(images:batchSize:)`` and times each stage on the
    /// monotonic clock. Allocates the result: for profiling, not for the step loop.
    /// - Parameters:
    ///   - images: `[batchSize × inputShape]` NCHW.
    ///   - batchSize: Rows.
    /// - Returns: The stages in the order they ran.
    public func forwardLogitsTimingStages(images: UnsafePointer<Float>, batchSize: Int) -> [StageTiming] {
        timingStages { walkForward(images: images, batchSize: batchSize, finished: $0) }
    }

    /// Runs the same work as ``backward(rows:)`` and times each stage on the monotonic clock.
    /// Allocates the result: for profiling, not for the step loop.
    /// - Parameter rows: The rows; `rows.batchSize` must be the last forward's batch size.
    /// - Returns: The stages in the order they ran, the loss first.
    public func backwardTimingStages(rows: RowSelection) -> [StageTiming] {
        timingStages { walkBackward(rows: rows, finished: $0) }
    }

    /// Runs `walk`, timing the span up to each stage it reports finished (the bookkeeping
    /// between stages is left out).
    func timingStages(_ walk: (_ finished: (NetworkStage) -> Void) -> Void) -> [StageTiming] {
        var timings: [StageTiming] = []
        timings.reserveCapacity(layers.count + 1)
        var start = Clock.monotonicSeconds()
        walk { stage in
            let now = Clock.monotonicSeconds()
            timings.append(StageTiming(name: name(of: stage), seconds: now - start))
            start = Clock.monotonicSeconds()
        }
        return timings
    }

    /// A stage's layer names joined by `+`, or `loss`.
    func name(of stage: NetworkStage) -> String {
        switch stage {
        case .loss: "loss"
        case .layers(let range): range.map { layers[$0].name }.joined(separator: "+")
        }
    }
}
