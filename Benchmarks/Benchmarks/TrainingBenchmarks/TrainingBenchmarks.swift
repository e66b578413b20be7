// FashionNet training throughput against the machine's own sgemm (docs/ARCHITECTURE.md,
// "Performance rules").
//
// One iteration is one step at B = 128 on random N(0, 1) inputs (the normalised range).
// Rates come from this benchmark's clock around the measured work; "% of sgemm" divides
// the step's effective GFLOP/s (FLOPs from `Network.operationCount` plus the optimiser's
// `operationsPerUpdate`) by the GFLOP/s of a 1024³ `cblas_sgemm` measured in the same
// process just before, so it is a ratio from one run.
import ASTTrain
import Benchmark
import CBLAS
import Foundation
import PIControl

enum Rate {
    static let samplesPerSecond = BenchmarkMetric.custom("samples/s", polarity: .prefersLarger, useScalingFactor: false)
    static let megaflops = BenchmarkMetric.custom("MFLOP/s", polarity: .prefersLarger, useScalingFactor: false)
    static let percentOfSgemm = BenchmarkMetric.custom("% of sgemm", polarity: .prefersLarger, useScalingFactor: false)
    static let nanosecondsPerRow = BenchmarkMetric.custom("ns per row", polarity: .prefersSmaller, useScalingFactor: false)
    /// Per-row cost of the 13-row backward over that of the 128-row backward, × 100.
    static let subsetPerRowPercent = BenchmarkMetric.custom("subset/full per row %", polarity: .prefersSmaller,
                                                            useScalingFactor: false)
}

@inline(__always)
func seconds(_ body: () -> Void) -> Double {
    let start = ContinuousClock.now
    body()
    let elapsed = start.duration(to: .now)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

/// A square single-precision product `C = A·B`, `n×n` each.
final class SquareProduct {
    let n: Int
    let a: UnsafeMutableBufferPointer<Float>
    let b: UnsafeMutableBufferPointer<Float>
    let c: UnsafeMutableBufferPointer<Float>

    init(n: Int) {
        self.n = n
        var generator = SeededGenerator(seed: 5)
        a = .allocate(capacity: n * n)
        b = .allocate(capacity: n * n)
        c = .allocate(capacity: n * n)
        for index in 0..<(n * n) {
            a[index] = Float(generator.nextUnitInterval() - 0.5)
            b[index] = Float(generator.nextUnitInterval() - 0.5)
            c[index] = 0
        }
    }

    deinit {
        a.deallocate()
        b.deallocate()
        c.deallocate()
    }

    var flops: Double { 2 * Double(n) * Double(n) * Double(n) }

    func run() {
        let size = Int32(n)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, size, size, size,
                    1, a.baseAddress, size, b.baseAddress, size, 0, c.baseAddress, size)
    }

    /// Best GFLOP/s over `repeats` runs after one warm-up, then a pause until OpenBLAS's
    /// threads sleep: after a threaded call they spin (`sched_yield`) for about 2²⁸ cycles
    /// (~0.1 s), and a step timed within that window shares its cores with them. The
    /// trainer makes no threaded call (its GEMMs run inside its own passes), so without the
    /// pause the figure would measure this benchmark's reference, not the trainer.
    func measureGFLOPs(repeats: Int = 2) -> Double {
        run()
        var best = Double.infinity
        for _ in 0..<repeats { best = min(best, seconds { run() }) }
        Thread.sleep(forTimeInterval: 0.15)
        return flops / best / 1e9
    }
}

/// The network, optimiser, engine and one batch of inputs.
final class Workload {
    static let batchSize = 128
    let network: Network
    let optimizer: Optimizer
    let engine: TrainingEngine
    let images: UnsafeMutableBufferPointer<Float>
    let labels: UnsafeMutableBufferPointer<Int32>

    init() {
        network = FashionNet.make(inputShape: TensorShape(channels: 1, height: 28, width: 28), classCount: 10,
                                  maximumBatchSize: Self.batchSize, seed: 1)
        optimizer = Optimizer(configuration: .defaultSGD, parameters: network.parameters)
        engine = TrainingEngine(network: network, optimizer: optimizer)
        let sampleSize = network.inputShape.elementCount
        images = .allocate(capacity: Self.batchSize * sampleSize)
        labels = .allocate(capacity: Self.batchSize)
        var generator = SeededGenerator(seed: 9)
        for index in 0..<images.count {
            // Box–Muller: normalised inputs are about N(0, 1).
            let u1 = max(generator.nextUnitInterval(), .leastNonzeroMagnitude)
            let u2 = generator.nextUnitInterval()
            images[index] = Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
        }
        for index in 0..<labels.count { labels[index] = Int32(generator.next(upperBound: UInt64(10))) }
    }

    deinit {
        images.deallocate()
        labels.deallocate()
    }

    /// `count` rows spread evenly over the batch (0, 10, 20, … for 13 of 128), allocated once.
    func spreadRows(_ count: Int) -> RowSelection {
        let rows = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        for index in 0..<count { rows[index] = index * Self.batchSize / count }
        return RowSelection(rows: UnsafeBufferPointer(rows), batchSize: Self.batchSize)
    }

    /// Seconds of one backward over `rows` after a fresh forward (outside the timing).
    func backwardSeconds(_ rows: RowSelection) -> Double {
        network.forward(images: images.baseAddress!, labels: labels.baseAddress!, batchSize: Self.batchSize)
        return seconds { network.backward(rows: rows) }
    }

    func flops(backwardRows: Int, update: Bool) -> Double {
        let count = network.operationCount(batchSize: Self.batchSize, backwardRows: backwardRows)
        return count.forward + count.backward + (update ? optimizer.operationsPerUpdate : 0)
    }
}

// Built once per process (the benchmark closure runs once per iteration); the reference
// sgemm is re-measured in every iteration, just before the step, under the same load.
nonisolated(unsafe) let sharedWorkload = Workload()
nonisolated(unsafe) let sharedProduct = SquareProduct(n: 1_024)
nonisolated(unsafe) let sharedAllRows = sharedWorkload.spreadRows(Workload.batchSize)
nonisolated(unsafe) let sharedSubsetRows = sharedWorkload.spreadRows(13)

func recordRates(_ benchmark: Benchmark, elapsed: Double, samples: Int, flops: Double, sgemmGFLOPs: Double) {
    guard elapsed > 0 else { return }
    benchmark.measurement(Rate.samplesPerSecond, Int((Double(samples) / elapsed).rounded()))
    let gflops = flops / elapsed / 1e9
    benchmark.measurement(Rate.megaflops, Int((gflops * 1_000).rounded()))
    benchmark.measurement(Rate.percentOfSgemm, Int((100 * gflops / sgemmGFLOPs).rounded()))
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, Rate.samplesPerSecond, Rate.megaflops, Rate.percentOfSgemm],
        timeUnits: .milliseconds,
        warmupIterations: 3,
        maxDuration: .seconds(3),
        maxIterations: 200
    )
    let batchSize = Workload.batchSize
    let astRows = 13 // 10 % of 128, rounded up

    Benchmark("cblas_sgemm 1024×1024×1024",
              configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, Rate.megaflops])) { benchmark in
        let product = sharedProduct
        product.run()
        benchmark.startMeasurement()
        let elapsed = seconds { product.run() }
        benchmark.stopMeasurement()
        blackHole(product.c[0])
        benchmark.measurement(Rate.megaflops, Int((product.flops / elapsed / 1e6).rounded()))
    }

    Benchmark("FashionNet trainStep B=128 (forward + backward 128 + SGD)") { benchmark in
        let workload = sharedWorkload
        let reference = sharedProduct.measureGFLOPs()
        workload.engine.trainStep(images: workload.images.baseAddress!, labels: workload.labels.baseAddress!,
                                  batchSize: batchSize, learningRate: 0.01)
        benchmark.startMeasurement()
        let elapsed = seconds {
            workload.engine.trainStep(images: workload.images.baseAddress!, labels: workload.labels.baseAddress!,
                                      batchSize: batchSize, learningRate: 0.01)
        }
        benchmark.stopMeasurement()
        recordRates(benchmark, elapsed: elapsed, samples: batchSize,
                    flops: workload.flops(backwardRows: batchSize, update: true), sgemmGFLOPs: reference)
    }

    Benchmark("FashionNet forwardOnly B=128") { benchmark in
        let workload = sharedWorkload
        let reference = sharedProduct.measureGFLOPs()
        workload.engine.forwardOnly(images: workload.images.baseAddress!, labels: workload.labels.baseAddress!, batchSize: batchSize)
        benchmark.startMeasurement()
        let elapsed = seconds {
            workload.engine.forwardOnly(images: workload.images.baseAddress!, labels: workload.labels.baseAddress!,
                                        batchSize: batchSize)
        }
        benchmark.stopMeasurement()
        recordRates(benchmark, elapsed: elapsed, samples: batchSize,
                    flops: workload.flops(backwardRows: 0, update: false), sgemmGFLOPs: reference)
    }

    // Forward as in training (activations kept) and backward alone, each against the sgemm
    // measured just before, so the fractions of sgemm come from one moment.
    Benchmark("FashionNet backward 128 rows") { benchmark in
        let workload = sharedWorkload
        let reference = sharedProduct.measureGFLOPs()
        let rows = sharedAllRows
        _ = workload.backwardSeconds(rows)
        benchmark.startMeasurement()
        let elapsed = workload.backwardSeconds(rows)
        benchmark.stopMeasurement()
        let count = workload.network.operationCount(batchSize: batchSize, backwardRows: batchSize)
        recordRates(benchmark, elapsed: elapsed, samples: batchSize, flops: count.backward, sgemmGFLOPs: reference)
        benchmark.measurement(Rate.nanosecondsPerRow, Int((elapsed / Double(batchSize) * 1e9).rounded()))
    }

    Benchmark("FashionNet backward 13 of 128 rows") { benchmark in
        let workload = sharedWorkload
        let reference = sharedProduct.measureGFLOPs()
        let rows = sharedSubsetRows
        _ = workload.backwardSeconds(rows)
        benchmark.startMeasurement()
        let elapsed = workload.backwardSeconds(rows)
        benchmark.stopMeasurement()
        let count = workload.network.operationCount(batchSize: batchSize, backwardRows: astRows)
        recordRates(benchmark, elapsed: elapsed, samples: astRows, flops: count.backward, sgemmGFLOPs: reference)
        benchmark.measurement(Rate.nanosecondsPerRow, Int((elapsed / Double(astRows) * 1e9).rounded()))
    }

    // The subset goal as a ratio from one moment: per-row cost of 13 rows over that of 128
    // rows, the two backwards timed back to back in every iteration (best of 3 each).
    Benchmark("FashionNet subset backward per-row cost, 13 vs 128 rows",
              configuration: .init(metrics: [.wallClock, Rate.subsetPerRowPercent])) { benchmark in
        let workload = sharedWorkload
        var full = Double.infinity, subset = Double.infinity
        for _ in 0..<3 {
            full = min(full, workload.backwardSeconds(sharedAllRows))
            subset = min(subset, workload.backwardSeconds(sharedSubsetRows))
        }
        let ratio = (subset / Double(astRows)) / (full / Double(batchSize))
        benchmark.measurement(Rate.subsetPerRowPercent, Int((100 * ratio).rounded()))
    }

    Benchmark("FashionNet AST step B=128, 10 % (forward 128 + significance + top-13 + backward 13 + SGD)") { benchmark in
        let workload = sharedWorkload
        let reference = sharedProduct.measureGFLOPs()
        let engine = workload.engine
        // The trainer's own selection home, as the step loop uses it.
        let selector = SampleSelector(policy: .topk, settings: SelectionSettings(targetRate: Double(astRows) / Double(batchSize)),
                                      controller: nil, batchSize: batchSize, sampleCount: batchSize, seed: 2)
        let plan = EpochPlan(trainSamples: Array(0..<batchSize), batchSize: batchSize)
        func step() {
            engine.forwardOnly(images: workload.images.baseAddress!, labels: workload.labels.baseAddress!, batchSize: batchSize)
            engine.computeSignificance(.lossEntropy, images: workload.images.baseAddress!, batchSize: batchSize)
            let selected = selector.select(batch: plan.batches[0], plan: plan, engine: engine).count
            precondition(selected == astRows)
            engine.backward(rows: selector.chosenRows(batchSize: batchSize))
            workload.optimizer.step(learningRate: 0.01)
        }
        step()
        benchmark.startMeasurement()
        let elapsed = seconds { step() }
        benchmark.stopMeasurement()
        recordRates(benchmark, elapsed: elapsed, samples: batchSize,
                    flops: workload.flops(backwardRows: astRows, update: true), sgemmGFLOPs: reference)
    }
}
