extension Controller {
    /// Gates a batch, applies the fallback, writes the selected indices into the caller's
    /// buffer, and updates the controller with the batch's rate.
    ///
    /// Indices of samples that passed the gate come first, in batch order, then fallback
    /// picks. Non-finite scores are never selected. The rate's denominator is the number of
    /// finite scores or the whole batch (``ControllerConfiguration/rateDenominator``); the
    /// numerator counts fallback picks only if ``Fallback/countsTowardRate``. A fallback that
    /// does not count runs after the update, as in the seed's CIFAR script. With the buffer's
    /// capacity at least the batch size, this does not allocate after the first call.
    ///
    /// Inlinable so that callers in other modules get a specialised, allocation-free copy
    /// (unspecialised generic code boxed every score).
    /// - Parameters:
    ///   - scores: One score per sample.
    ///   - selected: Cleared (keeping capacity), then filled with the selected indices.
    ///   - generator: The source of randomness for stochastic gates and random fallback.
    /// - Returns: What was selected and the update made.
    @inlinable
    public mutating func select<Scores: Collection, Generator: RandomNumberGenerator>(
        scores: Scores, into selected: inout [Int], using generator: inout Generator
    ) -> Selection where Scores.Element == Double, Scores.Index == Int {
        selected.removeAll(keepingCapacity: true)
        let gatingThreshold = state.threshold
        let gate = configuration.gate
        let countsNonFinite = configuration.rateDenominator == .wholeBatch
        var finiteCount = 0
        var energy = state.energy

        for index in scores.indices {
            let score = scores[index]
            let isFinite = score.isFinite
            if isFinite { finiteCount += 1 } else if !countsNonFinite { continue }
            var passes = false
            if isFinite {
                switch gate.rule {
                case .hard:
                    passes = score > gatingThreshold
                case .sigmoid(let temperature, .aboveThreshold):
                    // The seed draws only for scores above θ (Kaggle script, `process_batch`).
                    if score > gatingThreshold {
                        let probability = Exponential.logistic((score - gatingThreshold) / temperature)
                        passes = generator.nextUnitInterval() < probability
                    }
                case .sigmoid(let temperature, .everywhere):
                    let probability = Exponential.logistic((score - gatingThreshold) / temperature)
                    passes = generator.nextUnitInterval() < probability
                }
            }
            if let budget = gate.energyBudget {
                if passes {
                    if energy > budget.activationCost { energy -= budget.activationCost } else { passes = false }
                }
                // `lower + width·U` first, then added: numpy's `uniform(low, high)` and the seed's
                // `energy + regen`.
                let width = budget.regenerationUpper - budget.regenerationLower
                let regeneration = budget.regenerationLower + width * generator.nextUnitInterval()
                energy = min(budget.capacity, energy + regeneration)
            }
            if passes { selected.append(index) }
        }
        state.energy = energy

        let batchSize = scores.count
        let denominator = countsNonFinite ? batchSize : finiteCount
        let passedCount = selected.count
        let fallback = configuration.fallback
        let wanted = fallback.selectedCount(passed: passedCount, batchSize: denominator)
        let counts = fallback.countsTowardRate
        if counts, wanted > passedCount {
            addFallbackPicks(scores: scores, count: wanted - passedCount, into: &selected, using: &generator)
        }
        let step = denominator > 0 ? update(selectedCount: counts ? selected.count : passedCount, batchSize: denominator) : nil
        // A fallback that does not count runs after the update, as in the seed's CIFAR script.
        if !counts, wanted > passedCount {
            addFallbackPicks(scores: scores, count: wanted - passedCount, into: &selected, using: &generator)
        }
        let selectedCount = selected.count
        return Selection(
            gatingThreshold: gatingThreshold, selectedCount: selectedCount, passedCount: passedCount,
            usedFallback: selectedCount > passedCount, rejectedNonFiniteCount: batchSize - finiteCount,
            batchSize: batchSize, rateDenominator: denominator, step: step)
    }

    /// Allocating convenience for ``select(scores:into:using:)``.
    /// - Parameters:
    ///   - scores: One significance score per sample of the batch.
    ///   - generator: The random source for a sigmoid gate, an energy budget or a random fallback.
    public mutating func select<Generator: RandomNumberGenerator>(
        scores: [Double], using generator: inout Generator
    ) -> (selection: Selection, indices: [Int]) {
        var indices: [Int] = []
        indices.reserveCapacity(scores.count)
        let selection = select(scores: scores, into: &indices, using: &generator)
        return (selection, indices)
    }

    /// Adds `count` samples that did not pass (finite scores only): the highest scores or
    /// uniformly random ones, as configured.
    @inlinable
    mutating func addFallbackPicks<Scores: Collection, Generator: RandomNumberGenerator>(
        scores: Scores, count: Int, into selected: inout [Int], using generator: inout Generator
    ) where Scores.Element == Double, Scores.Index == Int {
        let batchSize = scores.count
        let base = scores.startIndex
        if scratchMarks.count < batchSize { scratchMarks = Array(repeating: false, count: batchSize) }
        if scratchIndices.capacity < batchSize { scratchIndices.reserveCapacity(batchSize) }
        for offset in 0..<batchSize { scratchMarks[offset] = false }
        for index in selected { scratchMarks[index - base] = true }

        switch configuration.fallback.choice {
        case .highestScores:
            // count is small (a few percent of the batch): repeated arg-max needs no buffer.
            for _ in 0..<count {
                var best = -1
                var bestScore = -Double.infinity
                for offset in 0..<batchSize where !scratchMarks[offset] {
                    let score = scores[base + offset]
                    if score.isFinite && (best < 0 || score > bestScore) {
                        best = offset
                        bestScore = score
                    }
                }
                guard best >= 0 else { break }
                scratchMarks[best] = true
                selected.append(base + best)
            }
        case .random:
            scratchIndices.removeAll(keepingCapacity: true)
            for offset in 0..<batchSize where !scratchMarks[offset] && scores[base + offset].isFinite {
                scratchIndices.append(offset)
            }
            // Partial Fisher–Yates: the first `count` positions become a uniform sample.
            let available = scratchIndices.count
            for position in 0..<min(count, available) {
                let remaining = UInt64(available - position)
                let pick = position + Int(generator.next(upperBound: remaining))
                scratchIndices.swapAt(position, pick)
                selected.append(base + scratchIndices[position])
            }
        }
    }
}
