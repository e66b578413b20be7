import CNumerics
import Dispatch

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
            // The chunks are disjoint (see the type's note), so sharing the body is safe.
            let shared = UncheckedSendable(value: escapable)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                shared.value((count * worker / workers)..<(count * (worker + 1) / workers))
            }
        }
    }
}

/// Carries a value the caller has made safe to share into a `@Sendable` closure.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
