import Dispatch

/// Result slots written by index from several threads; each index is written once by one
/// thread, so no lock is needed.
private final class ParallelSlots<Value>: @unchecked Sendable {
    var values: [Value?]
    init(_ count: Int) { values = Array(repeating: nil, count: count) }
}

/// Maps `body` over `0..<count` on all cores; results come back in index order.
func parallelMap<Result: Sendable>(_ count: Int, _ body: @Sendable (Int) -> Result) -> [Result] {
    let slots = ParallelSlots<Result>(count)
    slots.values.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let buffer = buffer
        DispatchQueue.concurrentPerform(iterations: count) { index in
            buffer[index] = body(index)
        }
    }
    return slots.values.map { $0! }
}
