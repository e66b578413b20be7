@testable import ASTTrain
import Testing

/// The chunking behind the parallel element-wise passes: every index is visited exactly once,
/// whatever the count, the minimum chunk and the worker count (OpenBLAS's, 2 on the
/// development machine), and a pass started inside a pass runs inline instead of deadlocking.
@Suite struct SampleParallelTests {
    /// Adds one to `visits[i]` for every visited index (chunks are disjoint, so no races).
    struct CountVisits: ChunkBody {
        let visits: UnsafeMutablePointer<Int>

        func run(_ range: Range<Int>) {
            for index in range { visits[index] += 1 }
        }
    }

    /// Runs an inner pass over `inner` items for every outer item.
    struct Nested: ChunkBody {
        let inner: Int
        let visits: UnsafeMutablePointer<Int>

        func run(_ range: Range<Int>) {
            for outer in range {
                SampleParallel.forEachChunk(inner, CountVisits(visits: visits + outer * inner))
            }
        }
    }

    @Test(arguments: [0, 1, 2, 3, 7, 128, 1_001], [1, 4])
    func everyIndexOnce(count: Int, minimumChunk: Int) {
        let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(1, count))
        visits.initialize(repeating: 0)
        defer { visits.deallocate() }
        SampleParallel.forEachChunk(count, minimumChunk: minimumChunk, CountVisits(visits: visits.baseAddress!))
        #expect(visits.prefix(count).allSatisfy { $0 == 1 })
    }

    /// Thousands of short passes back to back: helpers often wake after the caller has claimed
    /// every chunk (or during a later pass), and each index must still be visited once per pass.
    @Test func manyShortPassesInARow() {
        let count = 3, passes = 5_000
        let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        visits.initialize(repeating: 0)
        defer { visits.deallocate() }
        for _ in 0..<passes { SampleParallel.forEachChunk(count, CountVisits(visits: visits.baseAddress!)) }
        #expect(visits.allSatisfy { $0 == passes })
    }

    @Test func nestedPassRunsInline() {
        let outer = 6, inner = 5
        let visits = UnsafeMutableBufferPointer<Int>.allocate(capacity: outer * inner)
        visits.initialize(repeating: 0)
        defer { visits.deallocate() }
        SampleParallel.forEachChunk(outer, Nested(inner: inner, visits: visits.baseAddress!))
        #expect(visits.allSatisfy { $0 == 1 })
    }

    @Test(arguments: [(0, 2, 0..<3), (1, 2, 3..<7), (2, 3, 4..<7)])
    func chunkBounds(worker: Int, workers: Int, expected: Range<Int>) {
        #expect(WorkerPool.chunk(worker, of: workers, count: 7) == expected)
    }
}
