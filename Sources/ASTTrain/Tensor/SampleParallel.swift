import CNumerics
import Dispatch
import Foundation
import Synchronization

/// Splits the element-wise passes (im2col, col2im, pooling, ReLU, bias) across as many
/// workers as OpenBLAS has threads, so those passes use the cores the GEMMs use.
///
/// Work is cut into contiguous, disjoint index ranges, and every output element is written by
/// exactly one worker with the same arithmetic as a serial loop, so results do not depend on
/// the thread count. With one OpenBLAS thread the body runs inline.
enum SampleParallel {
    /// The workers to use: OpenBLAS's thread count (which `--threads` sets).
    @inline(__always)
    static var workerCount: Int { max(1, Int(ast_openblas_get_threads())) }

    /// Runs `body` once per chunk of `0..<count`, the chunks in parallel.
    /// - Parameters:
    ///   - count: Items (samples, rows or channels).
    ///   - minimumChunk: Fewest items worth a worker of their own (below it, fewer workers).
    ///   - body: Processes one contiguous range; must only write state owned by that range.
    @inline(__always)
    static func forEachChunk(_ count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        let workers = min(workerCount, count / max(1, minimumChunk))
        guard workers > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            WorkerPool.shared.run(workers: workers) { worker in
                escapable((count * worker / workers)..<(count * (worker + 1) / workers))
            }
        }
    }
}

/// Persistent worker threads, woken by semaphores, so a parallel pass allocates nothing
/// (`DispatchQueue.concurrentPerform` cost about 40 mallocs per call here).
///
/// One caller at a time: a call that finds the pool busy (another thread's pass, or a
/// nested call) runs its chunks inline, in order, which gives the same results.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// The most helper threads ever started (the caller is worker 0).
    static let maximumHelpers = 63

    private let busy = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    /// One start signal per helper; written only while `busy` is held.
    private var starts: [DispatchSemaphore] = []
    /// The current pass; written before the start signals, read by helpers after them.
    private var job: ((Int) -> Void)?

    private init() {}

    /// Runs `job(0)` on the caller and `job(1) … job(workers − 1)` on helper threads, and
    /// returns when all have finished.
    func run(workers: Int, _ job: (Int) -> Void) {
        let helpers = min(workers - 1, Self.maximumHelpers)
        guard helpers > 0, busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for worker in 0..<workers { job(worker) }
            return
        }
        defer { busy.store(false, ordering: .releasing) }
        while starts.count < helpers { startHelper(index: starts.count + 1) }
        withoutActuallyEscaping(job) { escapable in
            self.job = escapable
            for helper in 0..<helpers { starts[helper].signal() }
            escapable(0)
            for _ in 0..<helpers { finished.wait() }
            self.job = nil
        }
        // Workers beyond the helpers' count (more than 64 requested) run on the caller.
        for worker in (helpers + 1)..<max(helpers + 1, workers) { job(worker) }
    }

    private func startHelper(index: Int) {
        let start = DispatchSemaphore(value: 0)
        starts.append(start)
        let thread = Thread { [unowned self] in
            while true {
                start.wait()
                self.job?(index)
                self.finished.signal()
            }
        }
        thread.name = "ASTTrain worker \(index)"
        thread.start()
    }
}
