import CASTControl
import PIControl
import Testing

@Suite("C library handles on several threads")
struct ConcurrencyTests {
    /// Handles share no state: four threads, each with its own handle, give exactly the
    /// results of the same runs made one after another.
    @Test func handlesOnSeparateThreadsAreIndependent() async throws {
        func run(seed: UInt64) throws -> [Double] {
            let native = try NativeController.preset("seedCIFAR", target: 0.1, seed: seed)
            var generator = SeededGenerator(seed: seed &+ 100)
            var thresholds: [Double] = []
            for _ in 0..<300 {
                let batch = (0..<64).map { _ in generator.nextUnitInterval() }
                let (_, step) = try native.select(batch)
                thresholds.append(step.next_threshold)
            }
            return thresholds
        }
        let seeds: [UInt64] = [1, 2, 3, 4]
        let serial = try seeds.map { try run(seed: $0) }
        let parallel = try await withThrowingTaskGroup(of: (Int, [Double]).self) { group in
            for (index, seed) in seeds.enumerated() {
                group.addTask { (index, try run(seed: seed)) }
            }
            var results = [[Double]](repeating: [], count: seeds.count)
            for try await (index, thresholds) in group { results[index] = thresholds }
            return results
        }
        #expect(parallel == serial)
        #expect(Set(serial.map { $0.last! }).count == seeds.count, "different seeds should give different runs")
    }
}
