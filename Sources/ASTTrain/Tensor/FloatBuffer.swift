/// A fixed-size, 64-byte-aligned block of `Float`s, allocated once and freed with its owner.
///
/// Layers keep their activations, gradients and scratch space in these, sized for the
/// largest batch at set-up, so the training step never allocates.
public final class FloatBuffer {
    /// The first element; valid for ``count`` elements while the buffer lives.
    public let pointer: UnsafeMutablePointer<Float>
    /// The number of elements.
    public let count: Int

    /// Allocates `count` zeroed floats.
    /// - Parameter count: The number of elements (0 allowed).
    public init(count: Int) {
        precondition(count >= 0, "negative buffer size")
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    /// The elements as a buffer pointer.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    /// Sets every element to `value`.
    public func fill(_ value: Float) { pointer.update(repeating: value, count: count) }

    /// A copy of the elements (allocates; for tests and checkpoints).
    public func toArray() -> [Float] { Array(buffer) }

    /// Overwrites the elements from `values`, which must have ``count`` elements.
    public func copy(from values: [Float]) {
        precondition(values.count == count, "size mismatch")
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }
}

/// A fixed-size block of `Int32`s (arg-max indices), allocated once.
public final class IndexBuffer {
    public let pointer: UnsafeMutablePointer<Int32>
    public let count: Int

    /// - Parameter count: The number of elements.
    public init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
    }

    deinit { pointer.deallocate() }
}
