/// A reproducible stream of score batches over `steps` steps, with the model's parameters
/// drifting from step to step.
///
/// Batch k depends only on (`seed`, k), not on which batches were drawn before, so batches can be
/// drawn in any order and the same seed always gives the same batches. Not `Sendable`: it owns a
/// GSL generator and scratch buffers; make one stream per thread (copies share those buffers).
public struct ScoreStream {
    /// The model as given, with its drifts.
    public let model: ScoreModel
    /// The number of steps (batches).
    public let steps: Int
    /// Scores per batch.
    public let batchSize: Int
    /// The stream's seed.
    public let seed: UInt64

    /// Where each drift of `model.drifts` applies.
    let slots: [ParameterSlot]
    /// `driftValues[j][k]`: the value of drift j's parameter at step k.
    let driftValues: [[Double]]
    private let random: GSLRandom
    let scratch: BatchScratch
    let estimates: EstimatedThresholds

    /// Resolves and validates the model's drifts, then validates the model at every step.
    /// - Parameters:
    ///   - model: The score model and its drifts.
    ///   - steps: Number of batches, ≥ 1.
    ///   - batchSize: Scores per batch, ≥ 1.
    ///   - seed: Seed of the batches (see ``fill(step:into:)``).
    /// - Throws: `ModelError`: `"steps"`, `"batchSize"`; the model's own fields
    ///   (``ScoreModel/validate()``); `"drifts[i].parameter"` for an unknown or twice-drifted
    ///   parameter; `"drifts[i].<kind>.<field>"` for an invalid drift; and, with `step` set, the
    ///   parameter's field at the first step where a drift takes it out of its domain.
    public init(model: ScoreModel, steps: Int, batchSize: Int, seed: UInt64) throws(ModelError) {
        guard steps >= 1 else { throw ModelError(field: "steps", expected: ">= 1", actual: "\(steps)") }
        guard batchSize >= 1 else { throw ModelError(field: "batchSize", expected: ">= 1", actual: "\(batchSize)") }
        try model.validate()
        var slots: [ParameterSlot] = []
        var driftValues: [[Double]] = []
        for (index, parameterDrift) in model.drifts.enumerated() {
            do {
                try parameterDrift.drift.validate()
            } catch {
                throw error.prefixed("drifts[\(index)]")
            }
            guard let slot = model.slot(of: parameterDrift.parameter) else {
                throw ModelError(
                    field: "drifts[\(index)].parameter",
                    expected: "a parameter of the model, one of: \(model.parameterNames.joined(separator: ", "))",
                    actual: "the unknown parameter '\(parameterDrift.parameter)'")
            }
            if let earlier = slots.firstIndex(of: slot) {
                throw ModelError(
                    field: "drifts[\(index)].parameter",
                    expected: "a parameter no other drift drives", actual: "'\(parameterDrift.parameter)', already drifted by drifts[\(earlier)]")
            }
            slots.append(slot)
            let base = model.input(slot.input).parameterValue(at: slot.index)
            driftValues.append(parameterDrift.drift.values(base: base, steps: steps))
        }
        self.model = model
        self.steps = steps
        self.batchSize = batchSize
        self.seed = seed
        self.slots = slots
        self.driftValues = driftValues
        random = GSLRandom(seed: seed)
        scratch = BatchScratch(capacity: batchSize)
        estimates = EstimatedThresholds()
        if !slots.isEmpty {
            for step in 0..<steps {
                do {
                    try parameters(atStep: step).validate()
                } catch {
                    var located = error
                    located.step = step
                    located.actual = error.actual + " at step \(step), after drifts"
                    throw located
                }
            }
        }
    }

    /// The model at `step`: drifted parameter values and no drifts.
    /// - Parameters:
    ///   - step: In 0..<``steps``.
    public func parameters(atStep step: Int) -> ScoreModel {
        precondition(step >= 0 && step < steps, "step \(step) outside 0..<\(steps)")
        var snapshot = model.withoutDrifts
        for (index, slot) in slots.enumerated() {
            snapshot = snapshot.setting(slot, to: driftValues[index][step])
        }
        return snapshot
    }

    /// Input distribution `input` (0: the distribution or losses; 1: intensities or entropies)
    /// at `step`. Allocates nothing for non-mixtures.
    func input(_ input: Int, atStep step: Int) -> Distribution {
        var distribution = model.input(input)
        for index in slots.indices where slots[index].input == input {
            distribution = distribution.settingParameter(at: slots[index].index, to: driftValues[index][step])
        }
        return distribution
    }

    /// Draws batch `step` into `batch`.
    ///
    /// The generator is restarted for every batch from a seed derived from (``seed``, `step`),
    /// so the result does not depend on the order of calls. Allocates nothing, except one
    /// `gsl_ran_discrete` table per mixture per call.
    /// - Parameters:
    ///   - step: In 0..<``steps``.
    ///   - batch: Receives ``batchSize`` scores; must be exactly that long.
    public mutating func fill(step: Int, into batch: UnsafeMutableBufferPointer<Double>) {
        precondition(step >= 0 && step < steps, "step \(step) outside 0..<\(steps)")
        precondition(batch.count == batchSize, "batch holds \(batch.count) scores, the stream draws \(batchSize)")
        random.reseed(StreamSeeding.batchSeed(streamSeed: seed, step: step))
        let first = input(0, atStep: step)
        let second = model.hasExactIdealThreshold ? first : input(1, atStep: step)
        scratch.drawBatch(of: model, first: first, second: second, into: batch, using: random)
    }

    /// The exact probability density of the scores at `x` at `step`, for
    /// ``ScoreModel/distribution(_:drifts:)``; `nil` for the formula models, whose score
    /// density is not known in closed form.
    /// - Parameters:
    ///   - step: In 0..<``steps``.
    ///   - x: Where to evaluate the density.
    public func density(step: Int, at x: Double) -> Double? {
        precondition(step >= 0 && step < steps, "step \(step) outside 0..<\(steps)")
        guard model.hasExactIdealThreshold else { return nil }
        return input(0, atStep: step).density(x)
    }
}
