import PIControl

/// The one home of every selection policy: it plans each epoch (which samples are forwarded)
/// and picks, after each forward, the rows to back-propagate and their weights.
///
/// Allocation-free per batch once built (plans allocate once per epoch).
public final class SampleSelector {
    public let policy: SelectionPolicy
    public let settings: SelectionSettings
    public let batchSize: Int
    /// Training samples (`N`).
    public let sampleCount: Int
    /// The controller of `ast` and `ast-stale`.
    public internal(set) var controller: Controller?
    /// State kept across batches and epochs.
    public internal(set) var memory: SelectionMemory
    /// `ast-stale`: the controller's updates over the current epoch's stream.
    public private(set) var streamSteps: [StreamStep] = []
    /// Whether the current epoch selects on fresh scores (every epoch but `ast-stale`'s later ones).
    public private(set) var epochUsesFreshScores = true

    var selectedIndices: [Int]
    let rowStorage: OwnedBuffer<Int>
    let weightStorage: OwnedBuffer<Float>
    let markStorage: OwnedBuffer<Bool>
    let candidateStorage: OwnedBuffer<Int>
    var rows: UnsafeMutableBufferPointer<Int> { rowStorage.buffer }
    var weights: UnsafeMutableBufferPointer<Float> { weightStorage.buffer }
    var marks: UnsafeMutableBufferPointer<Bool> { markStorage.buffer }
    var candidates: UnsafeMutableBufferPointer<Int> { candidateStorage.buffer }
    var rowCount = 0
    var weighted = false

    /// - Parameters:
    ///   - policy: The policy.
    ///   - settings: Its parameters.
    ///   - controller: The controller for `ast` and `ast-stale` (ignored otherwise).
    ///   - batchSize: `B`, the largest batch.
    ///   - sampleCount: `N`, the training samples.
    ///   - seed: Seeds the selection's random stream.
    public init(policy: SelectionPolicy, settings: SelectionSettings, controller: Controller?,
                batchSize: Int, sampleCount: Int, seed: UInt64) {
        self.policy = policy
        self.settings = settings
        self.batchSize = batchSize
        self.sampleCount = sampleCount
        self.controller = policy.usesController ? controller : nil
        memory = SelectionMemory(generator: SeededGenerator(seed: seed))
        switch policy {
        case .astStale:
            memory.lastScores = [Double](repeating: .nan, count: sampleCount)
            memory.scoredEpochs = [Int](repeating: -1, count: sampleCount)
        case .infobatch:
            memory.lastLosses = [Double](repeating: .nan, count: sampleCount)
        case .selectiveBackprop:
            memory.lossHistory.reserveCapacity(settings.selectiveBackpropHistory)
        case .full, .uniform, .randomForwarded, .topk, .ast:
            break
        }
        selectedIndices = []
        selectedIndices.reserveCapacity(max(batchSize, 1))
        let capacity = max(batchSize, 1)
        rowStorage = OwnedBuffer(count: capacity)
        weightStorage = OwnedBuffer(count: capacity, repeating: 1)
        markStorage = OwnedBuffer(count: capacity, repeating: false)
        candidateStorage = OwnedBuffer(count: capacity)
    }

    /// Restores the state of a checkpoint.
    /// - Parameter memory: What an earlier selector kept.
    /// - Returns: `false` if the memory does not fit this selector (other policy or data size).
    func restore(_ saved: SelectionMemory) -> Bool {
        if policy.usesController {
            guard let state = saved.controllerState, controller != nil else { return false }
            controller!.state = state
        }
        guard saved.lastScores.count == memory.lastScores.count, saved.lastLosses.count == memory.lastLosses.count,
              saved.uniformOrder.isEmpty || saved.uniformOrder.count == sampleCount else { return false }
        let state = controller?.state
        memory = saved
        memory.controllerState = state
        return true
    }

    /// The memory with the controller's current state, for a checkpoint.
    var snapshot: SelectionMemory {
        var copy = memory
        copy.controllerState = controller?.state
        return copy
    }

    // MARK: decision 1: which samples are forwarded

    /// Plans an epoch.
    /// - Parameters:
    ///   - epoch: 0-based epoch.
    ///   - totalEpochs: Epochs of the run (InfoBatch anneals over the last ones).
    ///   - order: This epoch's shuffled order of the training set.
    /// - Returns: The batches to forward.
    public func plan(epoch: Int, totalEpochs: Int, order: [Int]) -> EpochPlan {
        streamSteps.removeAll(keepingCapacity: true)
        epochUsesFreshScores = true
        switch policy {
        case .full, .randomForwarded, .topk, .ast, .selectiveBackprop:
            return EpochPlan(trainSamples: order, batchSize: batchSize)
        case .uniform:
            return EpochPlan(trainSamples: uniformSubset(), batchSize: batchSize)
        case .astStale:
            guard epoch > 0, !memory.scoredEpochs.contains(-1) else {
                return EpochPlan(trainSamples: order, batchSize: batchSize)
            }
            epochUsesFreshScores = false
            return stalePlan(epoch: epoch, order: order)
        case .infobatch:
            return infobatchPlan(epoch: epoch, totalEpochs: totalEpochs, order: order)
        }
    }

    /// `⌈s·N⌉` samples from a permutation consumed across epochs, reshuffled when used up; a
    /// sample never appears twice in one epoch.
    func uniformSubset() -> [Int] {
        let wanted = settings.epochSubsetSize(sampleCount: sampleCount)
        var taken = [Bool](repeating: false, count: sampleCount)
        var subset: [Int] = []
        subset.reserveCapacity(wanted)
        var deferred: [Int] = []
        while subset.count < wanted {
            if memory.uniformNext >= memory.uniformOrder.count {
                var permutation = Array(0..<sampleCount)
                shuffle(&permutation)
                memory.uniformOrder = permutation
                memory.uniformNext = 0
                // Samples of the new permutation already taken this epoch wait for the next one.
                memory.uniformOrder = deferred + memory.uniformOrder
                deferred.removeAll()
            }
            let sample = memory.uniformOrder[memory.uniformNext]
            memory.uniformNext += 1
            if taken[sample] { deferred.append(sample); continue }
            taken[sample] = true
            subset.append(sample)
        }
        if !deferred.isEmpty {
            memory.uniformOrder.insert(contentsOf: deferred, at: memory.uniformNext)
        }
        return subset
    }

    func shuffle(_ values: inout [Int]) {
        guard values.count > 1 else { return }
        for position in 0..<(values.count - 1) {
            let pick = position + Int(memory.generator.next(upperBound: UInt64(values.count - position)))
            values.swapAt(position, pick)
        }
    }

    /// The controller gates each stretch of `B` samples on their last scores; the gated are
    /// forwarded and back-propagated, a refresh share of the rest (oldest scores first, and
    /// every score of age `K` or more) only forwarded.
    func stalePlan(epoch: Int, order: [Int]) -> EpochPlan {
        var gated: [Int] = []
        var rest: [(sample: Int, age: Int, position: Int)] = []
        var stretch: [Double] = []
        stretch.reserveCapacity(batchSize)
        var start = 0
        while start < order.count {
            let end = min(order.count, start + batchSize)
            stretch.removeAll(keepingCapacity: true)
            for position in start..<end { stretch.append(memory.lastScores[order[position]]) }
            let selection = controller!.select(scores: stretch, into: &selectedIndices, using: &memory.generator)
            for position in start..<end { marks[position - start] = false }
            for index in selectedIndices { marks[index] = true }
            for position in start..<end {
                let sample = order[position]
                if marks[position - start] {
                    gated.append(sample)
                } else {
                    rest.append((sample, epoch - memory.scoredEpochs[sample], position))
                }
            }
            streamSteps.append(StreamStep(threshold: selection.gatingThreshold, selected: selection.selectedCount,
                                          count: end - start, ema: selection.step?.ema))
            start = end
        }
        let budget = Int((settings.refreshShare * Double(sampleCount)).rounded())
        rest.sort { $0.age != $1.age ? $0.age > $1.age : $0.position < $1.position }
        var refresh: [Int] = []
        for candidate in rest where candidate.age >= settings.maximumScoreAge || refresh.count < budget {
            refresh.append(candidate.sample)
        }
        return EpochPlan(trainSamples: gated, refreshSamples: refresh, batchSize: batchSize)
    }

    /// Prunes a random share `r` of the samples whose last loss is below the mean; the kept
    /// ones of them weigh `1/(1 − r)`. All data in the first epoch and the annealing epochs.
    func infobatchPlan(epoch: Int, totalEpochs: Int, order: [Int]) -> EpochPlan {
        let annealStart = Double(totalEpochs) * (1 - settings.infobatchAnnealShare)
        var sum = 0.0, known = 0
        for loss in memory.lastLosses where loss.isFinite {
            sum += loss
            known += 1
        }
        guard epoch > 0, Double(epoch) < annealStart, known > 0 else {
            return EpochPlan(trainSamples: order, batchSize: batchSize)
        }
        let mean = sum / Double(known)
        let ratio = settings.infobatchPruneRatio
        let keptWeight = Float(1 / (1 - ratio))
        var kept: [Int] = [], keptWeights: [Float] = []
        kept.reserveCapacity(order.count)
        keptWeights.reserveCapacity(order.count)
        for sample in order {
            let loss = memory.lastLosses[sample]
            if loss.isFinite && loss < mean {
                if memory.generator.nextUnitInterval() < ratio { continue }
                kept.append(sample)
                keptWeights.append(keptWeight)
            } else {
                kept.append(sample)
                keptWeights.append(1)
            }
        }
        return EpochPlan(trainSamples: kept, batchSize: batchSize, weights: keptWeights)
    }

    // MARK: decision 2: which forwarded rows are back-propagated

    /// What ``select(batch:plan:engine:)`` chose.
    public struct Choice: Sendable {
        /// Rows to back-propagate.
        public var count: Int
        /// The controller's gating threshold (`ast`, and `ast-stale` on fresh scores).
        public var threshold: Double?
        /// The controller's smoothed rate after the batch.
        public var ema: Double?
    }

    /// Picks the rows of the batch just forwarded (`engine` holds its losses and scores).
    /// - Parameters:
    ///   - batch: The planned batch.
    ///   - plan: Its epoch plan (for weights).
    ///   - engine: The engine that forwarded it.
    /// - Returns: The choice; the rows are in ``chosenRows(batchSize:)``.
    public func select(batch: EpochPlan.Batch, plan: EpochPlan, engine: TrainingEngine) -> Choice {
        let count = batch.count
        weighted = false
        guard batch.kind == .train else { rowCount = 0; return Choice(count: 0) }
        var choice = Choice(count: 0)
        switch policy {
        case .full, .uniform, .infobatch:
            takeAll(count)
            if let planWeights = plan.weights {
                for row in 0..<count { weights[row] = planWeights[batch.start + row] }
                weighted = true
            }
        case .astStale where !epochUsesFreshScores:
            takeAll(count)
        case .ast, .astStale:
            let scores = UnsafeBufferPointer(rebasing: engine.scores[0..<count])
            let selection = controller!.select(scores: scores, into: &selectedIndices, using: &memory.generator)
            choice.threshold = selection.gatingThreshold
            choice.ema = selection.step?.ema
            clearMarks(count)
            for index in selectedIndices { marks[index] = true }
            collectMarks(count)
        case .randomForwarded:
            clearMarks(count)
            for index in 0..<count { candidates[index] = index }
            for position in 0..<min(settings.fixedSelectionCount(batchSize: count), count) {
                let pick = position + Int(memory.generator.next(upperBound: UInt64(count - position)))
                candidates.swapAt(position, pick)
                marks[candidates[position]] = true
            }
            collectMarks(count)
        case .topk:
            topK(count: settings.fixedSelectionCount(batchSize: count), scores: engine.scores, batchSize: count)
        case .selectiveBackprop:
            selectiveBackprop(losses: engine.network.loss.losses, batchSize: count)
        }
        choice.count = rowCount
        return choice
    }

    /// The rows of the last ``select(batch:plan:engine:)``, increasing, with their weights.
    /// - Parameter batchSize: The forwarded batch's size.
    public func chosenRows(batchSize: Int) -> RowSelection {
        RowSelection(rows: UnsafeBufferPointer(rebasing: rows[0..<rowCount]), batchSize: batchSize,
                     weights: weighted ? UnsafeBufferPointer(rebasing: weights[0..<rowCount]) : nil)
    }

    /// Records what the forward of `batch` taught about its samples (scores, losses).
    /// - Parameters:
    ///   - batch: The batch just forwarded.
    ///   - plan: Its epoch plan.
    ///   - epoch: 0-based epoch.
    ///   - engine: The engine that forwarded it.
    public func observe(batch: EpochPlan.Batch, plan: EpochPlan, epoch: Int, engine: TrainingEngine) {
        switch policy {
        case .astStale:
            for row in 0..<batch.count {
                let sample = plan.samples[batch.start + row]
                memory.lastScores[sample] = engine.scores[row]
                memory.scoredEpochs[sample] = epoch
            }
        case .infobatch:
            for row in 0..<batch.count {
                memory.lastLosses[plan.samples[batch.start + row]] = engine.network.loss.losses[row]
            }
        case .full, .uniform, .randomForwarded, .topk, .ast, .selectiveBackprop:
            break
        }
    }

    func takeAll(_ count: Int) {
        for row in 0..<count { rows[row] = row }
        rowCount = count
    }

    func clearMarks(_ count: Int) {
        for row in 0..<count { marks[row] = false }
    }

    func collectMarks(_ count: Int) {
        rowCount = 0
        for row in 0..<count where marks[row] {
            rows[rowCount] = row
            rowCount += 1
        }
    }

    /// The `wanted` highest finite scores (ties by row): insertion sort, B is small.
    func topK(count wanted: Int, scores: UnsafeMutableBufferPointer<Double>, batchSize: Int) {
        for index in 0..<batchSize {
            let score = scores[index]
            var position = index
            while position > 0, Self.ranksBefore(score, scores[candidates[position - 1]]) {
                candidates[position] = candidates[position - 1]
                position -= 1
            }
            candidates[position] = index
        }
        clearMarks(batchSize)
        for position in 0..<min(wanted, batchSize) where scores[candidates[position]].isFinite {
            marks[candidates[position]] = true
        }
        collectMarks(batchSize)
    }

    static func ranksBefore(_ score: Double, _ other: Double) -> Bool {
        if score.isNaN { return false }
        if other.isNaN { return true }
        return score > other
    }

    /// Each row with probability `CDF_R(loss)^β`, the CDF over the last `R` losses (the
    /// batch's own losses seed an empty history); then the batch's losses join the history.
    func selectiveBackprop(losses: UnsafeMutableBufferPointer<Double>, batchSize: Int) {
        let capacity = settings.selectiveBackpropHistory
        if memory.lossHistory.isEmpty { appendHistory(losses, batchSize: batchSize, capacity: capacity) }
        let beta = settings.resolvedBeta
        let history = memory.lossHistory
        clearMarks(batchSize)
        for row in 0..<batchSize {
            let loss = losses[row]
            guard loss.isFinite else { continue }
            var atMost = 0
            for past in history where past <= loss { atMost += 1 }
            let cdf = Double(atMost) / Double(history.count)
            let probability = beta == 0 ? 1 : pow(cdf, beta)
            if memory.generator.nextUnitInterval() < probability { marks[row] = true }
        }
        collectMarks(batchSize)
        appendHistory(losses, batchSize: batchSize, capacity: capacity)
    }

    func appendHistory(_ losses: UnsafeMutableBufferPointer<Double>, batchSize: Int, capacity: Int) {
        for row in 0..<batchSize where losses[row].isFinite {
            if memory.lossHistory.count < capacity {
                memory.lossHistory.append(losses[row])
            } else {
                memory.lossHistory[memory.lossHistoryNext] = losses[row]
                memory.lossHistoryNext = (memory.lossHistoryNext + 1) % capacity
            }
        }
    }
}

import Foundation
