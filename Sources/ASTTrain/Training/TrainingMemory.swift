import Foundation

/// The memory limit a training run is held to: half of this machine's physical memory
/// (`ProcessInfo.physicalMemory / 2`, the simulator's rule too). ``PolicyComparison`` counts
/// the buffers its first trainer holds and refuses a comparison whose trainers, one per policy
/// and alive together, would pass it.
package enum TrainingMemory {
    /// Half of this machine's physical memory, in bytes.
    package static var limit: Double { Double(ProcessInfo.processInfo.physicalMemory) / 2 }

    /// `the memory limit of 12.6 GB (half of this machine's physical memory)`, for the errors
    /// that refuse a run past `limit`.
    /// - Parameter limit: The limit in bytes.
    package static func describe(limit: Double) -> String {
        "the memory limit of \(gigabytes(limit)) (half of this machine's physical memory)"
    }

    /// Bytes as gigabytes with one decimal, e.g. `12.6 GB`.
    /// - Parameter bytes: A byte count.
    package static func gigabytes(_ bytes: Double) -> String { String(format: "%.1f GB", bytes / 1e9) }
}
