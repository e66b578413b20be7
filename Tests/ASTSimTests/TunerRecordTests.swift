import Testing
import ASTSim
import PIControl

/// What the tuner reports about its own work is what it did (issue 11: `"starts": 100000`
/// was recorded for a run of 8 starts).
@Suite("Tuner record")
struct TunerRecordTests {
    @Test func startsAreTheStartsRunAndEvaluationsAreCounted() throws {
        let base = try Fixtures.velocity(kp: 1, ki: 0.1)
        let scenario = Fixtures.lognormalScenario(steps: 200, batchSize: 32, window: 10,
                                                  controllers: [ScenarioController(name: "v", configuration: base)])
        let tuner = try Tuner(scenarios: [scenario], seeds: [1])
        let asked = 100_000
        let outcome = tuner.tune(base: base, tuneAlpha: false, starts: asked, iterations: 3)
        #expect(outcome.starts == Tuner.startCount)
        #expect(Tuner.startCount == 8)
        // One evaluation of the start, then at least the simplex's three vertices per start.
        #expect(outcome.evaluations >= 1 + 3 * Tuner.startCount)
        let few = tuner.tune(base: base, tuneAlpha: false, starts: 2, iterations: 3)
        #expect(few.starts == 2)
        #expect(few.evaluations < outcome.evaluations)
    }
}
