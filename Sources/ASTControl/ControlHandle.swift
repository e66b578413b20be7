import PIControl

/// What an `ast_control *` points to: one controller, its own random generator, and the
/// scratch that keeps steady-state selection allocation-free. One per thread.
final class ControlHandle {
    var controller: Controller
    var generator: SeededGenerator
    /// Selected indices, reused across batches (capacity only grows).
    var selected: [Int] = []
    /// The message of the last failed call, for `ast_control_last_error`.
    var lastError = ""

    init(controller: Controller, seed: UInt64) {
        self.controller = controller
        self.generator = SeededGenerator(seed: seed)
    }

    /// Records `failure` as the last error and returns its status code.
    func fail(_ failure: BridgeError) -> Int32 {
        lastError = failure.message
        return failure.status
    }

    /// The handle behind an opaque pointer that the library created.
    static func from(_ pointer: OpaquePointer) -> ControlHandle {
        Unmanaged<ControlHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    /// A retained opaque pointer to a new handle; released by `ast_control_destroy`.
    func retainedPointer() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }
}
