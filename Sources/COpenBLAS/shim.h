#ifndef AST_COPENBLAS_SHIM_H
#define AST_COPENBLAS_SHIM_H

// OpenBLAS alone, for the trainer: no GSL, so no gsl_cblas.h and no libgslcblas to capture
// cblas_sgemm (docs/ARCHITECTURE.md, "Linking GSL and OpenBLAS").
#include <cblas.h>

// OpenBLAS thread control, declared here so Swift sees one spelling.
static inline void ast_openblas_set_threads(int n) { openblas_set_num_threads(n); }
static inline int ast_openblas_get_threads(void) { return openblas_get_num_threads(); }

#endif
