/// An ``OwnedBuffer`` of any element type, for counting what an object holds.
protocol AnyOwnedBuffer: AnyObject {
    /// The bytes the buffer allocated.
    var allocatedBytes: Int { get }
}

extension OwnedBuffer: AnyOwnedBuffer {
    var allocatedBytes: Int { max(1, count) * MemoryLayout<Element>.stride }
}

/// The bytes of every ``OwnedBuffer`` reachable from `root` through stored properties,
/// arrays, optionals and tuples, each buffer and each object counted once. Every buffer of
/// the trainer (layers, optimiser, selector, batch) is an `OwnedBuffer` allocated at set-up,
/// so this is what a trainer holds; the dataset's arrays are not buffers and are not counted.
/// - Parameter root: The object to walk (by reflection; for set-up checks, not hot loops).
/// - Returns: Bytes.
func heldBufferBytes(_ root: Any) -> Int {
    var seen = Set<ObjectIdentifier>()
    var total = 0
    func walk(_ value: Any, depth: Int) {
        guard depth < 32 else { return }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .class {
            let object = value as AnyObject
            guard seen.insert(ObjectIdentifier(object)).inserted else { return }
            if let buffer = object as? AnyOwnedBuffer {
                total += buffer.allocatedBytes
                return
            }
        }
        var current: Mirror? = mirror
        while let level = current {
            for child in level.children { walk(child.value, depth: depth + 1) }
            current = level.superclassMirror
        }
    }
    walk(root, depth: 0)
    return total
}
