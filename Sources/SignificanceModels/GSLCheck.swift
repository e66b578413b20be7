import CNumerics
// placeholder to check the shim compiles; replaced by the real module
func _gslProbe() -> Double { gsl_cdf_ugaussian_Qinv(0.1) }
