import ASTTrain
import Testing

@Suite struct BLASBindingTests {
    /// Fails if `cblas_sgemm` bound to libgslcblas (or anything but OpenBLAS).
    @Test func sgemmBindsToOpenBLAS() {
        let path = BLASBinding.sgemmLibraryPath()
        #expect(path != nil)
        #expect(path?.lowercased().contains("openblas") == true, "cblas_sgemm resolved to \(path ?? "nothing")")
        #expect(path?.contains("gslcblas") == false)
    }
}
