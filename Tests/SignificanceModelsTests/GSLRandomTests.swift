import CNumerics
import SignificanceModels
import Testing

@Suite("GSLRandom")
struct GSLRandomTests {
    @Test("small seeds reproduce gsl_rng_set; 0 is mapped to 1; high bits matter")
    func seeding() throws {
        let raw = try #require(gsl_rng_alloc(ast_rng_mt19937()))
        defer { gsl_rng_free(raw) }
        gsl_rng_set(raw, 12_345)
        let random = GSLRandom(seed: 12_345)
        #expect((0..<5).map { _ in random.uniform() } == (0..<5).map { _ in gsl_rng_uniform(raw) })
        let zero = GSLRandom(seed: 0), one = GSLRandom(seed: 1)
        #expect(zero.uniform() == one.uniform())
        let low = GSLRandom(seed: 7), high = GSLRandom(seed: 7 | 1 << 40)
        #expect(low.uniform() != high.uniform())
    }

    @Test("reseed restarts the sequence; uniform lies in [0, 1)")
    func reseed() {
        let random = GSLRandom(seed: 99)
        let first = (0..<1000).map { _ in random.uniform() }
        random.reseed(99)
        #expect((0..<1000).map { _ in random.uniform() } == first)
        #expect(first.allSatisfy { $0 >= 0 && $0 < 1 })
    }

    @Test("works as a Swift RandomNumberGenerator")
    func randomNumberGenerator() {
        var random = GSLRandom(seed: 3)
        let values = (0..<1000).map { _ in Int.random(in: 0..<10, using: &random) }
        #expect(Set(values) == Set(0..<10))
    }
}
