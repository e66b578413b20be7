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

/// ``parallelMap(_:_:)`` for a body that can fail: every index runs, and the first failure in
/// index order is thrown (the same one a serial loop would have stopped at).
func throwingParallelMap<Value: Sendable, Failure: Error & Sendable>(
    _ count: Int, _ body: @Sendable (Int) throws(Failure) -> Value
) throws(Failure) -> [Value] {
    let results = parallelMap(count) { index in Result { () throws(Failure) -> Value in try body(index) } }
    var values: [Value] = []
    values.reserveCapacity(count)
    for result in results { values.append(try result.get()) }
    return values
}
