import COpenBLAS
import Dispatch
import Foundation
import Synchronization

/// Splits the layers' passes (GEMMs included) across as many workers as OpenBLAS has
/// threads, so the whole step runs on the cores `--threads` names.
///
/// Work is cut into contiguous, disjoint index ranges, and every output element is written by
/// exactly one worker: no pass splits a sum across workers (weight gradients are split by
/// output channels or input features, not by samples). Results are reproducible for a fixed
/// thread count (how OpenBLAS blocks a GEMM can depend on its shape). With one OpenBLAS thread
/// the body runs inline.
///
/// While a pass runs on more than one worker, OpenBLAS is switched to one thread, so a
/// `cblas_sgemm` inside a body runs on the worker that calls it: no hand-off to OpenBLAS's
/// own threads, which would otherwise spin (`sched_yield`) on the cores the workers need.
/// The previous thread count is restored when the pass returns.
enum SampleParallel {
    /// The workers to use: OpenBLAS's thread count (which `--threads` sets).
    @inline(__always)
    static var workerCount: Int { max(1, Int(ast_openblas_get_threads())) }

    /// The most workers a layer sizes its per-worker scratch for: the cores (OpenBLAS's
    /// thread count is at most that here), within the pool's limit.
    static let maximumWorkers = min(WorkerPool.maximumHelpers + 1, max(1, ProcessInfo.processInfo.activeProcessorCount))

    /// Runs `body` once per chunk of `0..<count`, the chunks in parallel.
    /// - Parameters:
    ///   - count: Items (samples, rows or channels).
    ///   - minimumChunk: Fewest items worth a worker of their own (below it, fewer workers).
    ///   - body: Processes one contiguous range; must only write state owned by that range.
    static func forEachChunk<Body: ChunkBody>(_ count: Int, minimumChunk: Int = 1, _ body: Body) {
        let workers = min(workerCount, count / max(1, minimumChunk))
        guard workers > 1 else {
            if count > 0 { body.run(0..<count) }
            return
        }
        // The body travels by address with a thin function that knows its type: a closure
        // would need a heap context on every call (withoutActuallyEscaping allocates one).
        withUnsafePointer(to: body) { pointer in
            WorkerPool.shared.run(workers: workers, count: count, context: UnsafeRawPointer(pointer), invoke: Body.invoke)
        }
    }
}

/// The work of one parallel pass: plain data (pointers and sizes, no references that need
/// counting) and what to do for one range of items.
protocol ChunkBody {
    /// Processes `range`, writing only what belongs to it.
    func run(_ range: Range<Int>)
}

extension ChunkBody {
    /// Calls ``run(_:)`` on the body at `context`.
    static func invoke(_ context: UnsafeRawPointer, _ range: Range<Int>) {
        context.assumingMemoryBound(to: Self.self).pointee.run(range)
    }
}

/// Persistent worker threads, woken by semaphores, so a parallel pass allocates nothing
/// (`DispatchQueue.concurrentPerform` cost about 40 mallocs per call here).
///
/// The chunks of a pass are claimed, not assigned: the caller and the woken helpers take the
/// next unclaimed chunk until none is left, so a helper that the scheduler wakes late (the
/// cores are shared) costs its chunk's time on the caller instead of a wait. Chunk `i` always
/// covers the same items, whoever runs it, so results do not depend on who ran what.
///
/// One caller at a time: a call that finds the pool busy (another thread's pass, or a
/// nested call) runs its chunks inline, in order, which gives the same results. So does a
/// call for more than ``maximumHelpers`` + 1 workers.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// The most helper threads ever started (the caller is worker 0).
    static let maximumHelpers = 63

    /// How long a helper watches the claim word after a pass, waiting for the next one, before
    /// it sleeps: 200 µs. The passes of a step come microseconds apart, and waking a sleeping
    /// helper took longer than a short pass; at 10 µs the 13-row backward's per-row cost rose
    /// from 115 % to 131 % of the 128-row one's (medians, Benchmarks/README.md).
    static let spinNanoseconds: UInt64 = 200_000

    private let busy = Atomic<Bool>(false)
    /// The current pass's claim word: generation (bits 32…), chunk count (bits 16–31) and the
    /// next unclaimed chunk (bits 0–15). Published (release) after the pass's fields below.
    private let claim = Atomic<Int>(0)
    /// Chunks of the current pass finished (release).
    private let completed = Atomic<Int>(0)
    /// Signalled once per pass by the helper whose chunk completes the pass, if one does.
    private let finished = DispatchSemaphore(value: 0)
    private var generation = 0
    /// One start signal per helper; written only while `busy` is held.
    private var starts: [DispatchSemaphore] = []
    /// The current pass: the body, its invoker and the item count; written before the claim
    /// word is published, unchanged until every claimed chunk has finished.
    private var context: UnsafeRawPointer?
    private var invoke: (UnsafeRawPointer, Range<Int>) -> Void = { _, _ in }
    private var count = 0

    private init() {}

    /// Runs the `workers` chunks of `0..<count` on the caller and the helper threads, and
    /// returns when all have finished.
    func run(workers: Int, count: Int, context: UnsafeRawPointer, invoke: @escaping (UnsafeRawPointer, Range<Int>) -> Void) {
        let helpers = workers - 1
        guard helpers > 0, helpers <= Self.maximumHelpers,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for worker in 0..<workers { invoke(context, Self.chunk(worker, of: workers, count: count)) }
            return
        }
        // Only the pool's owner switches OpenBLAS, so concurrent callers never leave it at 1.
        let blasThreads = ast_openblas_get_threads()
        ast_openblas_set_threads(1)
        defer {
            ast_openblas_set_threads(blasThreads)
            busy.store(false, ordering: .releasing)
        }
        while starts.count < helpers { startHelper() }
        self.context = context
        self.invoke = invoke
        self.count = count
        generation = (generation + 1) & 0x7fff_ffff
        completed.store(0, ordering: .relaxed)
        claim.store(generation << 32 | workers << 16, ordering: .releasing)
        for helper in 0..<helpers { starts[helper].signal() }
        // Unless the caller completed the pass's last chunk itself, a helper completes it (or
        // did) and signals exactly once.
        if !runClaimedChunks() { finished.wait() }
        self.context = nil
    }

    /// Claims and runs chunks of the current pass until none is left unclaimed.
    /// - Returns: Whether this thread completed the pass's last chunk.
    @discardableResult
    private func runClaimedChunks() -> Bool {
        var word = claim.load(ordering: .acquiring)
        var completedPass = false
        while true {
            let next = word & 0xffff, workers = (word >> 16) & 0xffff
            guard next < workers else { return completedPass }
            let (exchanged, original) = claim.compareExchange(expected: word, desired: word + 1,
                                                              ordering: .acquiringAndReleasing)
            guard exchanged else {
                word = original
                continue
            }
            // The fields cannot change before this chunk is counted as completed.
            if let context { invoke(context, Self.chunk(next, of: workers, count: count)) }
            // Acquire too: the thread that completes the pass sees every other chunk's writes.
            completedPass = completed.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == workers
            word += 1
        }
    }

    /// Worker `worker`'s share of `0..<count`.
    @inline(__always)
    static func chunk(_ worker: Int, of workers: Int, count: Int) -> Range<Int> {
        (count * worker / workers)..<(count * (worker + 1) / workers)
    }

    private func startHelper() {
        let start = DispatchSemaphore(value: 0)
        starts.append(start)
        // A strong capture: the pool is a process-wide singleton, never freed. With `unowned`,
        // every access in the spin loop below retained and released the pool, an atomic write
        // to its header, on the cache line of the claim word the caller is publishing.
        let thread = Thread { [self] in
            while true {
                start.wait()
                // A late wake-up finds every chunk claimed (or a later pass) and claims what is left.
                var word = self.claim.load(ordering: .acquiring)
                repeat {
                    if self.runClaimedChunks() { self.finished.signal() }
                    // The passes of a step come microseconds apart: watch for the next one for
                    // a few tens of microseconds before sleeping (waking a sleeping core took
                    // longer than a short pass here). Its start signal is then consumed later.
                    word = self.claim.load(ordering: .acquiring)
                    let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinNanoseconds
                    var spins = 0
                    while self.claim.load(ordering: .relaxed) == word {
                        spins &+= 1
                        // The clock is read every 256 loads: a read costs about 20 ns.
                        if spins & 255 == 0, DispatchTime.now().uptimeNanoseconds > deadline { break }
                    }
                } while self.claim.load(ordering: .acquiring) != word
            }
        }
        thread.name = "ASTTrain worker \(starts.count)"
        thread.start()
    }
}
