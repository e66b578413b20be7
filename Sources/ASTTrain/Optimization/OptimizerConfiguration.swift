/// Which optimiser updates the weights, with its hyper-parameters (the learning rate comes
/// from a ``LearningRateSchedule``).
public enum OptimizerConfiguration: Sendable, Equatable, Hashable, Codable {
    /// SGD with momentum `μ`, optionally Nesterov, and L2 weight decay added to the gradient
    /// (PyTorch's `SGD`): `g ← ∇ + λw; v ← μv + g; w ← w − η·(nesterov ? g + μv : v)`.
    case sgd(momentum: Double, nesterov: Bool, weightDecay: Double)
    /// AdamW with decoupled weight decay (PyTorch's `AdamW`): `w ← w − ηλw`, then
    /// `m ← β1·m + (1−β1)g; v ← β2·v + (1−β2)g²; w ← w − η·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε)`.
    case adamW(beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double)

    /// SGD, momentum 0.9, no Nesterov, weight decay 5e-4.
    public static let defaultSGD = OptimizerConfiguration.sgd(momentum: 0.9, nesterov: false, weightDecay: 5e-4)
    /// AdamW with β = (0.9, 0.999), ε = 1e-8, weight decay 1e-2.
    public static let defaultAdamW = OptimizerConfiguration.adamW(beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-2)

    /// Counted operations per parameter per update (SGD: decay 2, momentum 2, Nesterov 2,
    /// step 2; AdamW: decay 2, two moments 5, bias corrections and step 6).
    public var operationsPerParameter: Double {
        switch self {
        case .sgd(_, let nesterov, _): nesterov ? 8 : 6
        case .adamW: 13
        }
    }
}
