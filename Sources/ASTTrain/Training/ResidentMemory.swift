import Foundation

/// This process's resident memory, from `/proc/self/statm`, and the limit a run is held to:
/// half of this machine's physical memory (`ProcessInfo.physicalMemory / 2`, the simulator's
/// rule too).
///
/// ``PolicyComparison`` counts the buffers its first trainer holds and refuses a comparison
/// whose trainers, one per policy and alive together, would pass the limit.
package enum ResidentMemory {
    /// Resident bytes now, or `nil` where `/proc/self/statm` cannot be read.
    package static func bytes() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return nil }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Half of this machine's physical memory.
    package static var limit: Double { Double(ProcessInfo.processInfo.physicalMemory) / 2 }

    /// Bytes as gigabytes with one decimal, e.g. `12.6 GB`.
    /// - Parameter bytes: A byte count.
    package static func gigabytes(_ bytes: Double) -> String { String(format: "%.1f GB", bytes / 1e9) }
}
