import Foundation

/// Applies ``OptimizerConfiguration`` updates to a fixed list of parameters, keeping its
/// per-parameter state (momentum, or Adam's two moments) in buffers allocated once.
public final class Optimizer {
    public let configuration: OptimizerConfiguration
    public let parameters: [Parameter]
    /// Updates applied so far (`t` in Adam's bias correction).
    public private(set) var stepCount = 0
    /// SGD: the momentum buffer; AdamW: the first moment.
    let firstMoments: [FloatBuffer]
    /// AdamW: the second moment; empty for SGD.
    let secondMoments: [FloatBuffer]

    /// - Parameters:
    ///   - configuration: The optimiser and its hyper-parameters.
    ///   - parameters: The tensors to update (gradients read from each).
    public init(configuration: OptimizerConfiguration, parameters: [Parameter]) {
        self.configuration = configuration
        self.parameters = parameters
        firstMoments = parameters.map { FloatBuffer(count: $0.count) }
        switch configuration {
        case .sgd: secondMoments = []
        case .adamW: secondMoments = parameters.map { FloatBuffer(count: $0.count) }
        }
    }

    /// Counted operations of one update.
    public var operationsPerUpdate: Double {
        Double(parameters.reduce(0) { $0 + $1.count }) * configuration.operationsPerParameter
    }

    /// Applies one update with the parameters' current gradients.
    /// - Parameter learningRate: `η` for this step.
    public func step(learningRate: Double) {
        stepCount += 1
        switch configuration {
        case .sgd(let momentum, let nesterov, let weightDecay):
            let rate = Float(learningRate), mu = Float(momentum), decay = Float(weightDecay)
            for (parameter, velocityBuffer) in zip(parameters, firstMoments) {
                let weights = parameter.values.pointer, gradients = parameter.gradients.pointer
                let velocity = velocityBuffer.pointer
                for index in 0..<parameter.count {
                    let gradient = gradients[index] + decay * weights[index]
                    let updated = mu * velocity[index] + gradient
                    velocity[index] = updated
                    weights[index] -= rate * (nesterov ? gradient + mu * updated : updated)
                }
            }
        case .adamW(let beta1, let beta2, let epsilon, let weightDecay):
            let t = Double(stepCount)
            let correction1 = Float(1 - Foundation.pow(beta1, t)), correction2 = Float(1 - Foundation.pow(beta2, t))
            let rate = Float(learningRate), b1 = Float(beta1), b2 = Float(beta2), eps = Float(epsilon)
            let shrink = 1 - Float(learningRate * weightDecay)
            for ((parameter, firstBuffer), secondBuffer) in zip(zip(parameters, firstMoments), secondMoments) {
                let weights = parameter.values.pointer, gradients = parameter.gradients.pointer
                let first = firstBuffer.pointer, second = secondBuffer.pointer
                for index in 0..<parameter.count {
                    let gradient = gradients[index]
                    weights[index] *= shrink
                    first[index] = b1 * first[index] + (1 - b1) * gradient
                    second[index] = b2 * second[index] + (1 - b2) * gradient * gradient
                    let corrected = first[index] / correction1
                    weights[index] -= rate * corrected / ((second[index] / correction2).squareRoot() + eps)
                }
            }
        }
    }

    /// The optimiser's state as flat arrays (for checkpoints): first moments, then second.
    public func stateSnapshot() -> (stepCount: Int, buffers: [[Float]]) {
        (stepCount, (firstMoments + secondMoments).map { $0.toArray() })
    }

    /// Restores a ``stateSnapshot()``.
    /// - Parameters:
    ///   - stepCount: Updates applied.
    ///   - buffers: Arrays in ``stateSnapshot()`` order and sizes.
    /// - Returns: `false` if the shapes do not match (nothing is changed then).
    @discardableResult
    public func restore(stepCount: Int, buffers: [[Float]]) -> Bool {
        let targets = firstMoments + secondMoments
        guard buffers.count == targets.count, zip(buffers, targets).allSatisfy({ $0.count == $1.count }) else { return false }
        for (values, target) in zip(buffers, targets) { target.copy(from: values) }
        self.stepCount = stepCount
        return true
    }

    /// The sizes of the state buffers in ``stateSnapshot()`` order.
    public var stateSizes: [Int] { (firstMoments + secondMoments).map(\.count) }
}
