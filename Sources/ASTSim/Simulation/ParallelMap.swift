import Dispatch

/// Maps `body` over `0..<count` on all cores; results come back in index order.
///
/// Each index writes only its own slot, so the shared buffer needs no lock.
func parallelMap<Result: Sendable>(_ count: Int, _ body: @Sendable (Int) -> Result) -> [Result] {
    final class Slots: @unchecked Sendable {
        var values: [Result?]
        init(_ count: Int) { values = Array(repeating: nil, count: count) }
    }
    let slots = Slots(count)
    slots.values.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let buffer = buffer
        DispatchQueue.concurrentPerform(iterations: count) { index in
            buffer[index] = body(index)
        }
    }
    return slots.values.map { $0! }
}
