import ASTSim
import PIControl
import Testing

/// The lock-step group runner that sweeps use must reproduce one-at-a-time simulation exactly.
@Suite("Lock-step group simulation")
struct GroupSimulationTests {
    @Test func groupEqualsIndividualRuns() throws {
        let scenario = Fixtures.lognormalScenario(steps: 400, batchSize: 64)
        let batches = try ScenarioRunner.batches(for: scenario, seed: 3)
        var configurations: [ControllerConfiguration] = []
        for preset in [Preset.seedPackage, .incrementalClamped, .positionalPI, .velocityPI] {
            configurations.append(try preset.configuration(target: 0.1))
        }
        configurations.append(try Fixtures.velocity(kp: 0.5, ki: 3, alpha: 0.4))
        let group = try Simulator.runGroup(configurations: configurations, batches: batches)
        #expect(group.count == configurations.count)
        for (index, configuration) in configurations.enumerated() {
            let single = try Simulator.run(configuration: configuration, batches: batches, seed: 3)
            #expect(group[index].threshold == single.threshold, "controller \(index)")
            #expect(group[index].rate == single.rate, "controller \(index)")
            #expect(group[index].saturated == single.saturated, "controller \(index)")
            #expect(group[index].fallback == single.fallback, "controller \(index)")
        }
    }

    @Test func hintedSearchMatchesBisectionForAnyHint() {
        let sorted: [Double] = [-1, 0, 0, 0.5, 1, 1, 1, 2, 3.5, 7]
        sorted.withUnsafeBufferPointer { buffer in
            for value in [-2, -1, 0, 0.25, 1, 1.5, 3.5, 7, 8] {
                let expected = sorted.filter { $0 <= value }.count
                for hint in -1...(sorted.count + 1) {
                    #expect(Simulator.countAtMost(value, in: buffer, base: 0, count: sorted.count, hint: hint) == expected,
                            "value \(value) hint \(hint)")
                }
            }
        }
    }
}
