import CNumerics
import CZlib
func _blasProbe() -> Int32 { ast_openblas_get_threads() + Int32(zlibVersion() == nil ? 0 : 1) }
