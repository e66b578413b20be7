import ASTTrain
import Foundation
import Testing

/// Not a timed test: prints throughput when `AST_SPEED_REPORT=1` (run in release:
/// `AST_SPEED_REPORT=1 swift test -c release --filter SpeedReport`). The formal benchmarks
/// live in the Benchmarks package.
@Suite struct SpeedReport {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["AST_SPEED_REPORT"] == "1"))
    func throughput() {
        let batchSize = 128
        let network = FashionNet.make(maximumBatchSize: batchSize, seed: 1)
        let engine = TrainingEngine(network: network, optimizer: Optimizer(configuration: .defaultSGD, parameters: network.parameters))
        let images = uniformFloats(batchSize * 784, seed: 2)
        let labels = (0..<batchSize).map { Int32($0 % 10) }
        func seconds(_ repetitions: Int, _ body: () -> Void) -> Double {
            body()
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<repetitions { body() }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(repetitions)
        }
        images.withUnsafeBufferPointer { image in
            labels.withUnsafeBufferPointer { label in
                let forward = seconds(30) { engine.forwardOnly(images: image.baseAddress!, labels: label.baseAddress!, batchSize: batchSize) }
                let step = seconds(20) { engine.trainStep(images: image.baseAddress!, labels: label.baseAddress!, batchSize: batchSize, learningRate: 0.01) }
                var input = UnsafePointer(image.baseAddress!)
                for layer in network.layers {
                    let current = input
                    let t = seconds(10) { layer.forward(current, batchSize: batchSize) }
                    print("SPEED layer \(layer.name) forward \(t * 1000) ms")
                    input = UnsafePointer(layer.output)
                }
                print("SPEED forward-only: \(Int(Double(batchSize) / forward)) samples/s (\(forward * 1000) ms/batch)")
                print("SPEED threads \(BLASBinding.threadCount) full step:    \(Int(Double(batchSize) / step)) samples/s (\(step * 1000) ms/batch)")
            }
        }
    }
}
