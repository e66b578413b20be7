import Foundation
import Testing
import ASTSim
import PIControl

/// Runs too large for this machine are refused before anything is allocated, with the
/// estimate and the field or flag to change (issue 11, items 1, 2, 4, 5).
@Suite("Memory estimates")
struct MemoryBudgetTests {
    static func scenario(steps: Int, batchSize: Int, seeds: [UInt64] = [1]) throws -> Scenario {
        Fixtures.lognormalScenario(steps: steps, batchSize: batchSize, seeds: seeds,
                                   controllers: [ScenarioController(name: "v", configuration: try Fixtures.velocity(kp: 1, ki: 0.1))])
    }

    @Test func theEstimateIsTheArraysTheRunKeeps() {
        // One seed, no kept trace: 16 B per score, 128 B per trace step, 16 B per shared step.
        let estimate = MemoryEstimate.scenarioRun(steps: 1000, batchSize: 256, seeds: 1, controllers: 3, keepTraces: false)
        let expected: Double = 16_000 + 4_096_000 + 128_000   // 1000·16 + 1000·256·16 + 1000·128
        #expect(estimate.bytes == expected)
        let kept = MemoryEstimate.scenarioRun(steps: 1000, batchSize: 256, seeds: 1, controllers: 3, keepTraces: true)
        let traces: Double = 384_000   // 3 controllers · 1000 steps · 128 B
        #expect(kept.bytes == expected + traces)
    }

    @Test func theLimitIsHalfThePhysicalMemory() {
        #expect(MemoryEstimate.limit == Double(ProcessInfo.processInfo.physicalMemory) / 2)
    }

    @Test(arguments: [(100_000_000, 256), (2, 1_000_000_000), (1_000_000_000_000, 1_000_000_000)])
    func aHugeScenarioIsRefusedBeforeAllocating(steps: Int, batchSize: Int) throws {
        let scenario = try Self.scenario(steps: steps, batchSize: batchSize)
        #expect {
            _ = try ScenarioRunner.run(scenario)
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.field == "steps" && error.actual.contains("needs an estimated")
                && error.expected.contains("half of this machine's physical memory") && error.expected.contains("batchSize")
        }
    }

    @Test func aScenarioThatFitsIsNotRefused() throws {
        #expect(throws: Never.self) { try ScenarioRunner.checkMemory(try Self.scenario(steps: 100, batchSize: 64), keepTraces: true) }
    }

    @Test func aSweepWithTooManySeedsOrPointsIsRefused() throws {
        let scenario = try Self.scenario(steps: 5000, batchSize: 256)
        #expect {
            try Sweep.checkMemory(scenario: scenario, seeds: 1_000_000_000, gridPoints: 9)
        } throws: { error in
            (error as? InputError).map { $0.field == "--seeds" && $0.file == nil && $0.expected.contains("lower --seeds") } == true
        }
        #expect {
            try Sweep.checkMemory(scenario: scenario, seeds: 1, gridPoints: 1_000_000_000_000)
        } throws: { error in
            (error as? InputError).map { $0.field == "--kp, --ki, --alpha" && $0.expected.contains("--kp") } == true
        }
        // A grid whose size overflows Int is refused by name, not by a trap.
        #expect(SweepSpec.gridSize(1 << 40, 1 << 40) == nil)
        #expect { try Sweep.checkMemory(scenario: scenario, seeds: 1, gridPoints: nil) } throws: { error in
            (error as? InputError).map { $0.field == "--kp, --ki, --alpha" && $0.expected.contains("fewer points") } == true
        }
    }

    @Test func tuningWithTooManyStepsIsRefusedBeforeGeneratingBatches() throws {
        let scenario = try Self.scenario(steps: 1_000_000_000_000, batchSize: 256)
        #expect {
            _ = try Tuner(scenarios: [scenario], seeds: [1, 2, 3])
        } throws: { error in
            (error as? InputError).map { $0.field == "--steps" && $0.file == nil && $0.expected.contains("--steps") } == true
        }
    }

    @Test(arguments: [(999.0, "999 B"), (1.5e9, "1.5 GB"), (2.5e13, "25 TB"), (123_456_789.0, "123 MB")])
    func sizesAreShownInReadableUnits(bytes: Double, text: String) {
        #expect(MemoryEstimate.format(bytes) == text)
    }

    @Test func gridValuesAreComputedWithoutBuildingTheAxis() throws {
        let axis = try GridAxis(lower: 0.1, upper: 1, count: 1_000_000_000, logarithmic: true)
        #expect(abs(axis.value(at: 0) - 0.1) < 1e-15)
        #expect(abs(axis.value(at: 999_999_999) - 1) < 1e-12)
        let small = try GridAxis(lower: 0, upper: 1, count: 5, logarithmic: false)
        #expect(small.values == [0, 0.25, 0.5, 0.75, 1])
    }
}
