/*
 * ast_control.h — the C interface of libASTControl, the AST package's PIControl controller
 * (the exact code that `ast simulate`, `ast verify` and `ast replay` run) for training loops
 * written in any language.
 *
 * Build:  swift build --product ASTControl        (debug:   .build/debug/libASTControl.so)
 *         swift build -c release --product ASTControl   (release: .build/release/libASTControl.so)
 * Link:   cc -I include my_trainer.c -L .build/release -lASTControl -Wl,-rpath,$PWD/.build/release
 *
 * Contract
 * - Every function returns an ast_control_status. AST_CONTROL_OK is 0; any other value is an
 *   error, and the message is available: from the `error` buffer of the create functions,
 *   and from ast_control_last_error() for calls on a handle. An error leaves the handle's
 *   controller state exactly as it was.
 * - No call aborts the host process on bad input: NULL pointers, a negative or huge batch
 *   size, malformed JSON, invalid UTF-8 and invalid configurations are all reported as errors.
 *   (Buffers shorter than the sizes passed in, and handles used after destroy, cannot be
 *   detected by any C library and are undefined behaviour.)
 * - Threads: a handle is not thread-safe; use one handle per thread (or lock around it).
 *   Distinct handles share nothing: the library has no global mutable state.
 * - Memory: the caller allocates every buffer the library writes into. The library allocates
 *   only the handle itself (freed by ast_control_destroy) and, on the first batches, scratch
 *   space inside the handle; steady-state selection does not allocate.
 * - Strings are NUL-terminated UTF-8. Text written into a caller's buffer is always
 *   NUL-terminated (truncated when the buffer is too small).
 * - Randomness (stochastic gates, random fallback) comes from the handle's own xoshiro256**
 *   generator, seeded at creation; equal seeds and inputs give bit-identical results, equal
 *   to `ast replay --seed` with the same controller.
 */
#ifndef AST_CONTROL_H
#define AST_CONTROL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Version of this header as MAJOR*10000 + MINOR*100 + PATCH (1.0.0); ast_control_version()
 * returns the library's, and the two must match. */
#define AST_CONTROL_VERSION_NUMBER 10000

/* Largest batch ast_control_select accepts (2^24 scores), so that the handle's scratch for a
 * batch (about 17 bytes per score) stays far below what a host can allocate. */
#define AST_CONTROL_MAX_BATCH 16777216

/* Status codes. */
typedef int32_t ast_control_status;
#define AST_CONTROL_OK 0
/* A required pointer argument was NULL. */
#define AST_CONTROL_ERROR_NULL_ARGUMENT 1
/* An argument is out of range: a negative or too large batch size, a target outside (0, 1). */
#define AST_CONTROL_ERROR_INVALID_ARGUMENT 2
/* A string argument is not valid UTF-8. */
#define AST_CONTROL_ERROR_INVALID_UTF8 3
/* The preset name is not one of the presets (the message lists them). */
#define AST_CONTROL_ERROR_UNKNOWN_PRESET 4
/* The text is not JSON of the expected shape (the message names the field). */
#define AST_CONTROL_ERROR_INVALID_JSON 5
/* The configuration is invalid (the message names the field, as Swift's ConfigurationError). */
#define AST_CONTROL_ERROR_INVALID_CONFIGURATION 6
/* A saved state is unusable (the message names the field). */
#define AST_CONTROL_ERROR_INVALID_STATE 7
/* The caller's buffer is too small; the needed size was written where the call says. */
#define AST_CONTROL_ERROR_BUFFER_TOO_SMALL 8

/* Opaque controller handle: a PIControl Controller, its random generator and its scratch. */
typedef struct ast_control ast_control;

/*
 * What one batch (or one rate update) did. All fields are written on success.
 * When `updated` is 0 (no finite score in the batch, or a non-finite rate given to
 * ast_control_update_rate), the controller state is untouched and the numbers describe the
 * current state: next_threshold == gating_threshold, observed_rate = 0, error = 0.
 */
typedef struct ast_control_step {
    double gating_threshold;          /* θ_k, the threshold that gated this batch */
    double next_threshold;            /* θ_{k+1}, the threshold for the next batch */
    double observed_rate;             /* r_k after the configured measurement (per-batch or cumulative) */
    double ema;                       /* m_k, the smoothed rate */
    double error;                     /* e_k = m_k − target, after the deadband */
    double integral;                  /* I after the anti-windup rule */
    int64_t selected_count;           /* indices written: passed + fallback picks */
    int64_t passed_count;             /* samples that passed the gate on their own */
    int64_t rejected_non_finite_count;/* NaN or ±inf scores: never selected, never counted */
    int64_t batch_size;               /* scores given, rejected ones included */
    int32_t updated;                  /* 1 when the controller state was updated */
    int32_t saturated;                /* 1 when θ_{k+1} was clipped to a threshold bound */
    int32_t used_fallback;            /* 1 when the fallback added samples */
    int32_t reserved;                 /* always 0 */
} ast_control_step;

/*
 * The library's version as MAJOR*10000 + MINOR*100 + PATCH; compare with
 * AST_CONTROL_VERSION_NUMBER.
 */
int32_t ast_control_version(void);

/*
 * Creates a controller from a preset (`ast presets` lists them: seedCIFAR, seedPackage,
 * incrementalClamped, positionalPI, velocityPI) at `target` in (0, 1).
 *   seed:   seeds the handle's random generator (as `ast replay --seed`).
 *   out:    receives the handle (NULL on error).
 *   error, error_capacity: optional buffer for the message (NULL / 0 to ignore).
 */
ast_control_status ast_control_create_preset(const char *preset, double target, uint64_t seed,
                                             ast_control **out, char *error, size_t error_capacity);

/*
 * Creates a controller from the text of a gains file written by `ast tune`
 * (format "ast-gains/1"; only "format", "law" and "configuration" are read).
 *   target: replaces the file's target (must be in (0, 1)); pass NAN to keep the file's.
 *   Other arguments as ast_control_create_preset. An invalid configuration fails with
 *   AST_CONTROL_ERROR_INVALID_CONFIGURATION and a message naming the field, for example
 *   "gains file: field 'configuration': invalid controller configuration: field 'emaAlpha':
 *   expected in (0, 1], got 2.0". Malformed JSON fails with AST_CONTROL_ERROR_INVALID_JSON and a
 *   message naming the JSON path (for example "missing field 'configuration.emaAlpha'").
 */
ast_control_status ast_control_create_gains(const char *gains_json, double target, uint64_t seed,
                                            ast_control **out, char *error, size_t error_capacity);

/* Frees a handle. NULL is allowed. Destroy each handle once. */
void ast_control_destroy(ast_control *handle);

/*
 * Gates one batch: selects samples, applies the fallback, and updates the controller with
 * the batch's rate (PIControl's Controller.select(scores:into:using:)).
 *   scores:      n doubles (may be NULL when n == 0). NaN and ±inf scores are never selected
 *                and do not count in the rate's denominator; a batch with no finite score
 *                leaves the state untouched (step.updated = 0).
 *   n:           0 <= n <= AST_CONTROL_MAX_BATCH.
 *   out_indices: room for n indices. Receives the selected indices: those that passed the
 *                gate first, in batch order, then the fallback's picks.
 *   out_count:   receives the number of indices written.
 *   out_step:    optional (NULL to ignore): what the batch did.
 */
ast_control_status ast_control_select(ast_control *handle, const double *scores, int64_t n,
                                      int64_t *out_indices, int64_t *out_count, ast_control_step *out_step);

/*
 * For callers that gate themselves: feeds an already-measured batch rate (clamped to [0, 1];
 * under the cumulative measurement the rates are averaged). A non-finite rate leaves the
 * state untouched (step.updated = 0), as in Swift. out_step is optional.
 */
ast_control_status ast_control_update_rate(ast_control *handle, double rate, ast_control_step *out_step);

/*
 * Like ast_control_update_rate, from counts: `selected` of `batch_size` samples were active
 * (selected is clamped to [0, batch_size]; batch_size <= 0 leaves the state untouched).
 */
ast_control_status ast_control_update_counts(ast_control *handle, int64_t selected, int64_t batch_size,
                                             ast_control_step *out_step);

/* The threshold that will gate the next batch. */
ast_control_status ast_control_threshold(const ast_control *handle, double *out_threshold);

/*
 * Writes the state as JSON, for checkpoints: {"format": "ast-control-state/1",
 * "controller": {threshold, ema, integral, previousError, cumulativeSelected, cumulativeSeen,
 * energy, step, saturated}, "generator": [four integers]}. The generator's state is included
 * so that a resumed run draws the same numbers as an uninterrupted one.
 *   buffer, capacity: the caller's buffer. When it is too small (or NULL), returns
 *   AST_CONTROL_ERROR_BUFFER_TOO_SMALL and nothing is written but *out_length.
 *   out_length: receives the JSON's length in bytes, without the NUL (required).
 */
ast_control_status ast_control_get_state(const ast_control *handle, char *buffer, size_t capacity,
                                         size_t *out_length);

/*
 * Restores a state written by ast_control_get_state (for the same configuration). On error
 * the current state is kept.
 */
ast_control_status ast_control_set_state(ast_control *handle, const char *state_json);

/*
 * Copies the message of the last failed call on `handle` into `buffer` (NUL-terminated,
 * truncated to capacity − 1 bytes) and returns the message's full length in bytes. The
 * message is "" when no call has failed. buffer may be NULL when capacity is 0.
 */
size_t ast_control_last_error(const ast_control *handle, char *buffer, size_t capacity);

#ifdef __cplusplus
}
#endif

#endif /* AST_CONTROL_H */
