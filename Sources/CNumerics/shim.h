#ifndef AST_CNUMERICS_SHIM_H
#define AST_CNUMERICS_SHIM_H

// OpenBLAS's CBLAS first; then stop GSL from declaring its own (clashing) CBLAS enums.
#include <cblas.h>
#define __GSL_CBLAS_H__ 1

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_complex.h>
#include <gsl/gsl_complex_math.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>

// gsl_rng_mt19937 is a mutable C global; Swift 6 rejects reading it directly.
static inline const gsl_rng_type *ast_rng_mt19937(void) { return gsl_rng_mt19937; }

// Likewise for the solver types used by tuning and root finding.
static inline const gsl_multimin_fminimizer_type *ast_multimin_nmsimplex2(void) { return gsl_multimin_fminimizer_nmsimplex2; }
static inline const gsl_root_fsolver_type *ast_root_brent(void) { return gsl_root_fsolver_brent; }

#endif
