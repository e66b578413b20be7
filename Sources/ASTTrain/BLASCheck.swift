import COpenBLAS
import Foundation

/// Which shared library `cblas_sgemm` resolved to in this process.
///
/// Debian's GSL links `libgslcblas`, a slow reference BLAS that can capture `cblas_sgemm`
/// (docs/ARCHITECTURE.md, "Linking GSL and OpenBLAS"); this asks the dynamic linker where
/// the symbol the trainer calls lives.
package enum BLASBinding {
    /// The path of the object that defines the `cblas_sgemm` this module calls: the file
    /// mapped at the function's address in `/proc/self/maps` (Glibc's module does not expose
    /// `dladdr`, which needs `_GNU_SOURCE`).
    package static func sgemmLibraryPath() -> String? {
        let function: @convention(c) (CBLAS_ORDER, CBLAS_TRANSPOSE, CBLAS_TRANSPOSE, blasint, blasint, blasint, Float,
                                      UnsafePointer<Float>?, blasint, UnsafePointer<Float>?, blasint, Float,
                                      UnsafeMutablePointer<Float>?, blasint) -> Void = cblas_sgemm
        let address = UInt(bitPattern: unsafeBitCast(function, to: UnsafeRawPointer.self))
        // /proc files report size 0, so read them with stdio rather than Foundation's file APIs.
        guard let file = fopen("/proc/self/maps", "r") else { return nil }
        defer { fclose(file) }
        var lines: [String] = []
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            lines.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        for line in lines {
            // "start-end perms offset dev inode path"
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\n" })
            guard fields.count >= 5 else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16) else { continue }
            if address >= start && address < end { return fields.count >= 6 ? fields[5...].joined(separator: " ") : "anonymous mapping at 0x\(String(address, radix: 16))" }
        }
        return nil
    }

    /// Whether `cblas_sgemm` comes from OpenBLAS.
    package static var isOpenBLAS: Bool { sgemmLibraryPath()?.lowercased().contains("openblas") ?? false }

    /// OpenBLAS's current thread count.
    package static var threadCount: Int { Int(ast_openblas_get_threads()) }

    /// Sets OpenBLAS's thread count (process-wide; the layers' passes use as many workers).
    /// - Parameter count: Threads, at least 1.
    package static func setThreadCount(_ count: Int) { ast_openblas_set_threads(Int32(max(1, count))) }
}
