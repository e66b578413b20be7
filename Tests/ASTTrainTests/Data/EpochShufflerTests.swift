import Testing
@testable import ASTTrain
import PIControl

@Suite("Epoch shuffling")
struct EpochShufflerTests {
    @Test("an epoch's order is a permutation of 0..<count", arguments: [0, 1, 2, 7, 1000])
    func permutation(count: Int) {
        let shuffler = EpochShuffler(count: count, seed: 42)
        for epoch in 0 ..< 3 {
            #expect(shuffler.order(forEpoch: epoch).sorted() == Array(0 ..< count))
        }
    }

    @Test("same seed and epoch give the same order, from fresh shufflers and in any sequence")
    func reproducible() {
        let first = EpochShuffler(count: 500, seed: 7)
        let second = EpochShuffler(count: 500, seed: 7)
        let epochThree = first.order(forEpoch: 3)
        _ = second.order(forEpoch: 0)
        #expect(second.order(forEpoch: 3) == epochThree)
        #expect(first.order(forEpoch: 3) == epochThree)
    }

    @Test("different epochs and different seeds give different orders")
    func differs() {
        let shuffler = EpochShuffler(count: 500, seed: 7)
        let orders = (0 ..< 10).map { shuffler.order(forEpoch: $0) }
        #expect(Set(orders).count == 10)
        #expect(orders[0] != Array(0 ..< 500))
        #expect(EpochShuffler(count: 500, seed: 8).order(forEpoch: 0) != orders[0])
    }

    @Test("fill writes the same order into a caller's buffer, overwriting what was there")
    func fill() {
        let shuffler = EpochShuffler(count: 300, seed: 99)
        var buffer = [Int](repeating: -1, count: 300)
        shuffler.fill(&buffer, forEpoch: 5)
        #expect(buffer == shuffler.order(forEpoch: 5))
        shuffler.fill(&buffer, forEpoch: 6)
        #expect(buffer == shuffler.order(forEpoch: 6))
    }

    @Test("positions are roughly uniform")
    func uniform() {
        // Where sample 0 lands over many epochs, in 4 bins of 25 slots; each bin expects 500.
        let shuffler = EpochShuffler(count: 100, seed: 1)
        var bins = [0, 0, 0, 0]
        for epoch in 0 ..< 2000 {
            bins[shuffler.order(forEpoch: epoch).firstIndex(of: 0)! / 25] += 1
        }
        #expect(bins.allSatisfy { abs($0 - 500) < 100 }, "\(bins)")
    }

    @Test("bounded draws stay below the bound")
    func boundedDraw() {
        var generator = SeededGenerator(seed: 3)
        for bound in [1, 2, 3, 10, 1000, 1 << 40] as [UInt64] {
            for _ in 0 ..< 200 {
                #expect(EpochShuffler.boundedDraw(below: bound, using: &generator) < bound)
            }
        }
    }
}
