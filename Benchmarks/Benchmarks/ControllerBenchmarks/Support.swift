import ASTSim
import Benchmark
import Foundation
import PIControl

/// Rates computed from this benchmark's own clock around the measured work, so that the
/// tables read directly as operations per second (ordo-one's `throughput` counts outer
/// iterations). Not scaled by `--scale`.
enum Rate {
    static let updatesPerSecond = BenchmarkMetric.custom("updates/s", polarity: .prefersLarger, useScalingFactor: false)
    static let batchesPerSecond = BenchmarkMetric.custom("batches/s", polarity: .prefersLarger, useScalingFactor: false)
    static let selectionsPerSecond = BenchmarkMetric.custom("selections/s", polarity: .prefersLarger, useScalingFactor: false)
    static let sweepsPerHour = BenchmarkMetric.custom("sweeps/hour", polarity: .prefersLarger, useScalingFactor: false)
}

/// Seconds taken by `body`.
@inline(__always)
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = start.duration(to: .now)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

/// Records `count / elapsed` as `metric` (rounded to an integer, as the metric API takes).
func record(_ benchmark: Benchmark, _ metric: BenchmarkMetric, count: Double, elapsed: Double) {
    guard elapsed > 0 else { return }
    benchmark.measurement(metric, Int((count / elapsed).rounded()))
}

/// `Scenarios/` of the root package, found from this file's path so the benchmarks do not
/// depend on the working directory the runner is started in.
let scenariosDirectory: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() } // file, target, Benchmarks/Benchmarks, Benchmarks
    return url.appendingPathComponent("Scenarios").path
}()

/// The stationary lognormal scenario (B = 128, target 10 %) with `steps` steps.
func stationaryScenario(steps: Int) -> Scenario {
    do {
        var scenario = try ScenarioLoader.load(path: scenariosDirectory + "/01-stationary-lognormal.yaml")
        scenario.steps = steps
        return scenario
    } catch {
        fatalError("cannot load the benchmark scenario: \(error)")
    }
}

func preset(_ preset: Preset, target: Double = 0.1) -> ControllerConfiguration {
    do { return try preset.configuration(target: target) } catch { fatalError("\(error)") }
}

/// Lognormal(0, 1) scores by Box–Muller on the project's generator (no GSL needed).
func lognormalScores(count: Int, seed: UInt64) -> [Double] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in
        let u1 = max(generator.nextUnitInterval(), .leastNonzeroMagnitude)
        let u2 = generator.nextUnitInterval()
        return exp((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
    }
}
