/// A fixed-size, 64-byte-aligned block of `Element`s, allocated once and freed with its owner.
///
/// Layers keep their activations, gradients and scratch space in these, sized for the
/// largest batch at set-up, so the training step never allocates. Any class that would
/// otherwise pair `allocate` in its initialiser with `deallocate()` in `deinit` keeps an
/// `OwnedBuffer` instead (`let scores = OwnedBuffer<Double>(count: n)`, then `scores.pointer`,
/// `scores.buffer` or `scores[i]`).
public final class OwnedBuffer<Element: BitwiseCopyable> {
    /// The first element; valid for ``count`` elements while the buffer lives.
    public let pointer: UnsafeMutablePointer<Element>
    /// The number of elements.
    public let count: Int

    /// Allocates `count` elements, each set to `value`.
    /// - Parameters:
    ///   - count: The number of elements (0 allowed).
    ///   - value: The initial value of every element.
    public init(count: Int, repeating value: Element) {
        precondition(count >= 0, "negative buffer size")
        self.count = count
        let capacity = max(1, count)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<Element>.stride,
                                                   alignment: max(64, MemoryLayout<Element>.alignment))
        pointer = raw.bindMemory(to: Element.self, capacity: capacity)
        pointer.initialize(repeating: value, count: capacity)
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    /// The elements as a buffer pointer.
    public var buffer: UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    /// Element `index` (not bounds-checked).
    /// - Parameter index: In `0..<count`.
    public subscript(index: Int) -> Element {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }

    /// Sets every element to `value`.
    /// - Parameter value: The new value of every element.
    public func fill(_ value: Element) { pointer.update(repeating: value, count: count) }

    /// A copy of the elements (allocates; for tests and checkpoints).
    public func toArray() -> [Element] { Array(buffer) }

    /// Overwrites the elements from `values`, which must have ``count`` elements.
    /// - Parameter values: The new elements.
    public func copy(from values: [Element]) {
        precondition(values.count == count, "size mismatch")
        values.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }
}

extension OwnedBuffer where Element: Numeric {
    /// Allocates `count` zeroed elements.
    /// - Parameter count: The number of elements (0 allowed).
    public convenience init(count: Int) { self.init(count: count, repeating: .zero) }
}

/// Activations, gradients and scratch of the layers.
public typealias FloatBuffer = OwnedBuffer<Float>

/// Arg-max indices (max-pooling).
public typealias IndexBuffer = OwnedBuffer<Int32>
