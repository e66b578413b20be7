#ifndef AST_BENCHMARKS_CBLAS_SHIM_H
#define AST_BENCHMARKS_CBLAS_SHIM_H
// OpenBLAS's CBLAS (found through pkg-config "openblas").
#include <cblas.h>
#endif
