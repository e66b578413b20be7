// Controller, simulator, selection and sweep throughput (docs/ARCHITECTURE.md, "Performance rules").
//
// Each benchmark does its set-up inside the closure before `startMeasurement()`, so only
// the loop is timed and only its allocations are counted. Malloc counts in the default
// text output are per inner operation (marked `*`: per update, per selection) or per
// iteration where there is no inner loop (per simulation run, per sweep); `--scale`
// shows them per outer iteration instead.
import ASTSim
import Benchmark
import Foundation
import PIControl

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 2,
        maxDuration: .seconds(2),
        maxIterations: 50
    )
    let noAllocation: [BenchmarkMetric: BenchmarkThresholds] = [
        .mallocCountTotal: BenchmarkThresholds(absolute: [.p0: 0, .p25: 0, .p50: 0, .p75: 0, .p90: 0, .p99: 0, .p100: 0])
    ]

    // 1. Controller updates: 1 M per iteration over a preallocated cycle of rates/counts.
    let updateCount = BenchmarkScalingFactor.mega.rawValue
    let cycle = 4_096
    let batchSize = 128
    let counts: [Int] = {
        var generator = SeededGenerator(seed: 7)
        // Around the 10 % target: 0…25 selected of 128.
        return (0..<cycle).map { _ in Int(generator.next(upperBound: UInt64(26))) }
    }()
    let rates: [Double] = counts.map { Double($0) / Double(batchSize) }

    for (name, configuration) in [("incrementalClamped", preset(.incrementalClamped)),
                                  ("positionalPI", preset(.positionalPI)),
                                  ("seedCIFAR", preset(.seedCIFAR))] {
        Benchmark("Controller.update(observedRate:) ×1M [\(name)]",
                  configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, Rate.updatesPerSecond],
                                       timeUnits: .nanoseconds, scalingFactor: .mega, thresholds: noAllocation)) { benchmark in
            var controller = try! Controller(configuration: configuration)
            benchmark.startMeasurement()
            let elapsed = rates.withUnsafeBufferPointer { rates in
                seconds {
                    var index = 0
                    for _ in 0..<updateCount {
                        controller.update(observedRate: rates[index])
                        index = (index + 1) & (cycle - 1)
                    }
                }
            }
            benchmark.stopMeasurement()
            blackHole(controller.state.threshold)
            record(benchmark, Rate.updatesPerSecond, count: Double(updateCount), elapsed: elapsed)
        }

        Benchmark("Controller.advanceCounting ×1M [\(name)]",
                  configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, Rate.updatesPerSecond],
                                       timeUnits: .nanoseconds, scalingFactor: .mega, thresholds: noAllocation)) { benchmark in
            var controller = try! Controller(configuration: configuration)
            benchmark.startMeasurement()
            let elapsed = counts.withUnsafeBufferPointer { counts in
                seconds {
                    var index = 0
                    for _ in 0..<updateCount {
                        _ = controller.advanceCounting(selectedCount: counts[index], batchSize: batchSize)
                        index = (index + 1) & (cycle - 1)
                    }
                }
            }
            benchmark.stopMeasurement()
            blackHole(controller.state.threshold)
            record(benchmark, Rate.updatesPerSecond, count: Double(updateCount), elapsed: elapsed)
        }
    }

    // 2. Simulated batches: Simulator.run over 5,000 pre-generated, pre-sorted batches of 128.
    let simulationSteps = 5_000
    let scenario = stationaryScenario(steps: simulationSteps)
    let batchSet: BatchSet = {
        do { return try ScenarioRunner.batches(for: scenario, seed: 1) } catch { fatalError("\(error)") }
    }()
    for (name, configuration) in [("incrementalClamped, counting path", preset(.incrementalClamped)),
                                  ("seedPackage, counting path + fallback", preset(.seedPackage)),
                                  ("seedCIFAR, full selection path", preset(.seedCIFAR))] {
        Benchmark("Simulator.run 5,000 × B=128 [\(name)]",
                  configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, Rate.batchesPerSecond])) { benchmark in
            var trace: Trace?
            let elapsed = try seconds {
                trace = try Simulator.run(configuration: configuration, batches: batchSet, seed: 1)
            }
            blackHole(trace)
            record(benchmark, Rate.batchesPerSecond, count: Double(simulationSteps), elapsed: elapsed)
        }
    }

    // 3. Selection on 128 scores, 1,000 calls per iteration over 64 different batches.
    let selectionCalls = BenchmarkScalingFactor.kilo.rawValue
    let selectionBatches = 64
    let lognormal = lognormalScores(count: selectionBatches * batchSize, seed: 11)
    // seedCIFAR works on scores in [0, 1] (its threshold is bounded there).
    let unit: [Double] = {
        var generator = SeededGenerator(seed: 12)
        return (0..<(selectionBatches * batchSize)).map { _ in generator.nextUnitInterval() }
    }()
    for (name, configuration, scores) in [("hard gate, incrementalClamped", preset(.incrementalClamped), lognormal),
                                          ("hard gate + top-score fallback, seedPackage", preset(.seedPackage), lognormal),
                                          ("sigmoid + energy gate, seedCIFAR", preset(.seedCIFAR), unit)] {
        Benchmark("Controller.select 128 scores ×1K [\(name)]",
                  configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal, Rate.selectionsPerSecond],
                                       timeUnits: .nanoseconds, scalingFactor: .kilo, thresholds: noAllocation)) { benchmark in
            var controller = try! Controller(configuration: configuration)
            var generator = SeededGenerator(seed: 3)
            var selected: [Int] = []
            selected.reserveCapacity(batchSize)
            // The first call may grow the fallback's scratch space; it is not measured.
            _ = scores.withUnsafeBufferPointer { all in
                controller.select(scores: UnsafeBufferPointer(rebasing: all[0..<batchSize]), into: &selected, using: &generator)
            }
            benchmark.startMeasurement()
            let elapsed = scores.withUnsafeBufferPointer { all in
                seconds {
                    for call in 0..<selectionCalls {
                        let start = (call % selectionBatches) * batchSize
                        let batch = UnsafeBufferPointer(rebasing: all[start..<(start + batchSize)])
                        _ = controller.select(scores: batch, into: &selected, using: &generator)
                    }
                }
            }
            benchmark.stopMeasurement()
            blackHole(selected)
            record(benchmark, Rate.selectionsPerSecond, count: Double(selectionCalls), elapsed: elapsed)
        }
    }

    // 4. Sweeps: one iteration is one whole sweep (batch generation for 5 seeds included).
    let sweepScenario = stationaryScenario(steps: simulationSteps)
    for side in [16, 64] {
        let spec: SweepSpec = {
            do {
                return SweepSpec(
                    proportionalGains: try GridAxis(lower: 0.005, upper: 0.5, count: side, logarithmic: true),
                    integralGains: try GridAxis(lower: 0.0001, upper: 0.01, count: side, logarithmic: true),
                    emaAlphas: nil, seeds: [1, 2, 3, 4, 5], base: preset(.incrementalClamped),
                    scenarioName: sweepScenario.name)
            } catch { fatalError("\(error)") }
        }()
        let batches = Double(side * side * spec.seeds.count * simulationSteps)
        Benchmark("Sweep \(side)×\(side) × 5 seeds × 5,000 steps × B=128",
                  configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, Rate.batchesPerSecond, Rate.sweepsPerHour],
                                       timeUnits: .milliseconds, warmupIterations: side == 64 ? 0 : 1,
                                       maxDuration: .seconds(side == 64 ? 1 : 5), maxIterations: side == 64 ? 2 : 10)) { benchmark in
            var points: [SweepPoint] = []
            let elapsed = try seconds { points = try Sweep.run(scenario: sweepScenario, spec: spec) }
            precondition(points.count == side * side)
            blackHole(points)
            record(benchmark, Rate.batchesPerSecond, count: batches, elapsed: elapsed)
            record(benchmark, Rate.sweepsPerHour, count: 3_600, elapsed: elapsed)
        }
    }
}
