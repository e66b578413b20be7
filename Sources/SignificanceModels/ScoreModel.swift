/// What produces the scores of each batch.
public enum ScoreModel: Sendable, Hashable {
    /// Scores drawn directly from a distribution. Drift parameters are the distribution's
    /// ``Distribution/parameterNames``.
    case distribution(Distribution, drifts: [ParameterDrift])
    /// The seed's 70/30 formula (``PIControl/SeedSignificance/normalisedLossIntensity(losses:intensities:into:)``)
    /// over synthetic per-sample losses and intensities; drift parameters are prefixed
    /// `"loss."` / `"intensity."`.
    case seedNormalised(loss: Distribution, intensity: Distribution, drifts: [ParameterDrift])
    /// 0.7·CE + 0.3·entropy (``PIControl/SeedSignificance/lossEntropy(crossEntropy:entropy:into:)``) over
    /// synthetic cross-entropy and entropy draws; prefixes `"loss."` / `"entropy."`.
    case lossEntropy(loss: Distribution, entropy: Distribution, drifts: [ParameterDrift])

    /// The drifts of the model.
    public var drifts: [ParameterDrift] {
        switch self {
        case .distribution(_, let drifts), .seedNormalised(_, _, let drifts), .lossEntropy(_, _, let drifts): drifts
        }
    }

    /// Whether the ideal threshold is exact (a quantile of a known distribution) rather than
    /// estimated by simulation: true only for ``distribution(_:drifts:)``.
    public var hasExactIdealThreshold: Bool {
        if case .distribution = self { return true }
        return false
    }

    /// Every parameter a drift may address, with the model's prefixes.
    public var parameterNames: [String] {
        zip(prefixes, inputs).flatMap { prefix, distribution in
            distribution.parameterNames.map { prefix.isEmpty ? $0 : prefix + "." + $0 }
        }
    }

    /// Validates the input distributions (not the drifts, which ``ScoreStream`` checks at
    /// every step).
    /// - Throws: `ModelError` with the distribution's field, prefixed `"loss."` etc. for the
    ///   formula models.
    public func validate() throws(ModelError) {
        for (prefix, distribution) in zip(prefixes, inputs) {
            do {
                try distribution.validate()
            } catch {
                throw prefix.isEmpty ? error : error.prefixed(prefix)
            }
        }
    }

    /// The same model with its drifts removed.
    public var withoutDrifts: ScoreModel {
        switch self {
        case .distribution(let distribution, _): .distribution(distribution, drifts: [])
        case .seedNormalised(let loss, let intensity, _): .seedNormalised(loss: loss, intensity: intensity, drifts: [])
        case .lossEntropy(let loss, let entropy, _): .lossEntropy(loss: loss, entropy: entropy, drifts: [])
        }
    }

    /// Prefixes of the input distributions' parameters, in input order.
    var prefixes: [String] {
        switch self {
        case .distribution: [""]
        case .seedNormalised: ["loss", "intensity"]
        case .lossEntropy: ["loss", "entropy"]
        }
    }

    /// The input distributions: the one distribution, or (loss, intensity) / (loss, entropy).
    var inputs: [Distribution] {
        switch self {
        case .distribution(let distribution, _): [distribution]
        case .seedNormalised(let loss, let intensity, _): [loss, intensity]
        case .lossEntropy(let loss, let entropy, _): [loss, entropy]
        }
    }

    /// Input number `input` (0 or 1), without allocating.
    func input(_ input: Int) -> Distribution {
        switch self {
        case .distribution(let distribution, _): distribution
        case .seedNormalised(let loss, let intensity, _): input == 0 ? loss : intensity
        case .lossEntropy(let loss, let entropy, _): input == 0 ? loss : entropy
        }
    }

    /// Where a prefixed parameter name points.
    func slot(of parameter: String) -> ParameterSlot? {
        for (input, (prefix, distribution)) in zip(prefixes, inputs).enumerated() {
            let name: Substring
            if prefix.isEmpty {
                name = parameter[...]
            } else if parameter.hasPrefix(prefix + ".") {
                name = parameter.dropFirst(prefix.count + 1)
            } else {
                continue
            }
            if let index = distribution.parameterNames.firstIndex(of: String(name)) {
                return ParameterSlot(input: input, index: index)
            }
        }
        return nil
    }

    /// A copy with the parameter at `slot` replaced, drifts kept.
    func setting(_ slot: ParameterSlot, to value: Double) -> ScoreModel {
        switch self {
        case .distribution(let distribution, let drifts):
            return .distribution(distribution.settingParameter(at: slot.index, to: value), drifts: drifts)
        case .seedNormalised(var loss, var intensity, let drifts):
            if slot.input == 0 { loss = loss.settingParameter(at: slot.index, to: value) } else {
                intensity = intensity.settingParameter(at: slot.index, to: value)
            }
            return .seedNormalised(loss: loss, intensity: intensity, drifts: drifts)
        case .lossEntropy(var loss, var entropy, let drifts):
            if slot.input == 0 { loss = loss.settingParameter(at: slot.index, to: value) } else {
                entropy = entropy.settingParameter(at: slot.index, to: value)
            }
            return .lossEntropy(loss: loss, entropy: entropy, drifts: drifts)
        }
    }
}

/// A parameter of a ``ScoreModel``: which input distribution, and its index in that
/// distribution's ``Distribution/parameterNames``.
struct ParameterSlot: Hashable {
    var input: Int
    var index: Int
}
