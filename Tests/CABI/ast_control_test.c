/*
 * A C client of libASTControl, compiled by `make test` with the system C compiler in strict
 * C99 against include/ast_control.h: checks that the header is valid C, that the exported
 * symbols link, and that the C calling convention carries every argument and result.
 * (Bit-for-bit agreement with the Swift Controller is checked in Tests/ASTControlTests and
 * bindings/python/tests; this program checks the C side's own invariants.)
 * Exit status 0 when every check passes; each failure prints the file line and the check.
 */
#include "ast_control.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;

#define CHECK(condition)                                                          \
    do {                                                                          \
        if (!(condition)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
            failures++;                                                           \
        }                                                                         \
    } while (0)

enum { BATCH = 64, BATCHES = 40 };

/* Deterministic scores in [0, 8): a linear congruential generator, so the C side needs no library. */
static double next_score(uint64_t *state) {
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) * 0x1p-53 * 8.0;
}

static void fill(double *scores, uint64_t *state, int batch) {
    int i;
    for (i = 0; i < BATCH; i++) scores[i] = next_score(state);
    if (batch % 5 == 2) scores[3] = NAN;
    if (batch % 7 == 1) scores[10] = INFINITY;
}

static void same_step(const ast_control_step *a, const ast_control_step *b) {
    CHECK(memcmp(a, b, sizeof *a) == 0);
}

static void test_selection_invariants_and_determinism(void) {
    ast_control *first = NULL, *second = NULL;
    char message[256];
    double scores[BATCH];
    int64_t indices[BATCH], other[BATCH], count = -1, other_count = -1;
    uint64_t rng = 12345;
    int batch, i;
    CHECK(ast_control_create_preset("seedPackage", 0.1, 7, &first, message, sizeof message) == AST_CONTROL_OK);
    CHECK(ast_control_create_preset("seedPackage", 0.1, 7, &second, message, sizeof message) == AST_CONTROL_OK);
    CHECK(first != NULL && second != NULL && first != second);
    if (first == NULL || second == NULL) return;
    for (batch = 0; batch < BATCHES; batch++) {
        ast_control_step step, other_step;
        double threshold = -1;
        fill(scores, &rng, batch);
        CHECK(ast_control_threshold(first, &threshold) == AST_CONTROL_OK);
        CHECK(ast_control_select(first, scores, BATCH, indices, &count, &step) == AST_CONTROL_OK);
        CHECK(ast_control_select(second, scores, BATCH, other, &other_count, &other_step) == AST_CONTROL_OK);
        same_step(&step, &other_step);
        CHECK(count == other_count && memcmp(indices, other, (size_t)count * sizeof indices[0]) == 0);
        CHECK(step.gating_threshold == threshold);
        CHECK(step.updated == 1 && step.batch_size == BATCH && step.selected_count == count);
        CHECK(step.rejected_non_finite_count == (batch % 5 == 2) + (batch % 7 == 1));
        CHECK(step.passed_count <= count && (step.used_fallback != 0) == (count > step.passed_count));
        /* seedPackage's fallback keeps at least max(2, floor(0.1 * finite)) samples. */
        CHECK(count >= (BATCH - step.rejected_non_finite_count) / 10);
        for (i = 0; i < count; i++) {
            CHECK(indices[i] >= 0 && indices[i] < BATCH && isfinite(scores[indices[i]]));
            if (i < step.passed_count) CHECK(scores[indices[i]] > step.gating_threshold);
        }
        CHECK(step.next_threshold >= 0.5 && step.next_threshold <= 10.0);
        CHECK(step.reserved == 0);
    }
    ast_control_destroy(first);
    ast_control_destroy(second);
}

static void test_errors(void) {
    ast_control *handle = (ast_control *)&failures; /* must be reset to NULL on error */
    char message[256];
    double scores[2] = {1.0, 2.0};
    int64_t indices[2], count;
    size_t length;
    ast_control_step step;

    CHECK(ast_control_create_preset("noSuchPreset", 0.1, 1, &handle, message, sizeof message) ==
          AST_CONTROL_ERROR_UNKNOWN_PRESET);
    CHECK(handle == NULL);
    CHECK(strstr(message, "valid presets") != NULL);
    CHECK(ast_control_create_preset("velocityPI", 1.5, 1, &handle, message, sizeof message) ==
          AST_CONTROL_ERROR_INVALID_ARGUMENT);
    CHECK(strstr(message, "'target'") != NULL);
    CHECK(ast_control_create_gains("{\"format\": \"ast-gains/1\", \"law\": \"velocity\", \"configuration\": "
                                   "{\"target\": 0.1, \"law\": {\"velocity\": {}}, \"proportionalGain\": 1, "
                                   "\"integralGain\": 0.5, \"emaAlpha\": 1.5, \"initialThreshold\": 1, "
                                   "\"thresholdBounds\": {\"lower\": 0, \"upper\": 10}, \"antiWindup\": {\"none\": {}}}}",
                                   NAN, 1, &handle, message, sizeof message) == AST_CONTROL_ERROR_INVALID_CONFIGURATION);
    CHECK(strstr(message, "'emaAlpha'") != NULL);
    CHECK(ast_control_create_gains("not json", NAN, 1, &handle, NULL, 0) == AST_CONTROL_ERROR_INVALID_JSON);
    CHECK(ast_control_create_preset(NULL, 0.1, 1, &handle, message, sizeof message) == AST_CONTROL_ERROR_NULL_ARGUMENT);
    CHECK(ast_control_create_preset("velocityPI", 0.1, 1, NULL, message, sizeof message) ==
          AST_CONTROL_ERROR_NULL_ARGUMENT);

    CHECK(ast_control_create_preset("velocityPI", 0.1, 1, &handle, message, sizeof message) == AST_CONTROL_OK);
    if (handle == NULL) return;
    CHECK(ast_control_select(handle, scores, -1, indices, &count, &step) == AST_CONTROL_ERROR_INVALID_ARGUMENT);
    CHECK(ast_control_last_error(handle, message, sizeof message) > 0 && strstr(message, "n must be") != NULL);
    CHECK(ast_control_select(handle, scores, (int64_t)AST_CONTROL_MAX_BATCH + 1, indices, &count, &step) ==
          AST_CONTROL_ERROR_INVALID_ARGUMENT);
    CHECK(ast_control_select(handle, NULL, 2, indices, &count, &step) == AST_CONTROL_ERROR_NULL_ARGUMENT);
    CHECK(ast_control_select(handle, NULL, 0, NULL, &count, NULL) == AST_CONTROL_OK && count == 0);
    CHECK(ast_control_set_state(handle, "{\"format\": 1}") == AST_CONTROL_ERROR_INVALID_JSON);
    CHECK(ast_control_get_state(handle, NULL, 0, &length) == AST_CONTROL_ERROR_BUFFER_TOO_SMALL && length > 0);
    /* A one-byte buffer holds only the NUL; the return value is the full length. */
    CHECK(ast_control_last_error(handle, message, 1) > 0 && message[0] == '\0');
    CHECK(ast_control_select(NULL, scores, 2, indices, &count, &step) == AST_CONTROL_ERROR_NULL_ARGUMENT);
    CHECK(ast_control_update_rate(NULL, 0.1, &step) == AST_CONTROL_ERROR_NULL_ARGUMENT);
    ast_control_destroy(handle);
    ast_control_destroy(NULL);
}

static void test_state_round_trip_and_updates(void) {
    ast_control *original = NULL, *resumed = NULL;
    char state[4096], again[4096];
    size_t length = 0, length_again = 0;
    ast_control_step a, b;
    double before, after;
    CHECK(ast_control_create_preset("seedCIFAR", 0.1, 3, &original, NULL, 0) == AST_CONTROL_OK);
    CHECK(ast_control_create_preset("seedCIFAR", 0.1, 99, &resumed, NULL, 0) == AST_CONTROL_OK);
    if (original == NULL || resumed == NULL) return;
    CHECK(ast_control_update_counts(original, 3, 10, &a) == AST_CONTROL_OK && a.updated == 1);
    CHECK(ast_control_update_rate(original, 0.7, &a) == AST_CONTROL_OK && a.updated == 1 && a.observed_rate > 0);
    CHECK(ast_control_threshold(original, &before) == AST_CONTROL_OK);
    CHECK(ast_control_update_rate(original, NAN, &a) == AST_CONTROL_OK && a.updated == 0);
    CHECK(ast_control_threshold(original, &after) == AST_CONTROL_OK && after == before);
    CHECK(ast_control_get_state(original, state, sizeof state, &length) == AST_CONTROL_OK);
    CHECK(length == strlen(state) && strstr(state, "\"format\":\"ast-control-state/1\"") != NULL);
    CHECK(ast_control_set_state(resumed, state) == AST_CONTROL_OK);
    CHECK(ast_control_get_state(resumed, again, sizeof again, &length_again) == AST_CONTROL_OK);
    CHECK(length == length_again && strcmp(state, again) == 0);
    {
        double scores[8] = {0.9, 0.1, 0.8, 0.7, 0.95, 0.2, 0.6, 0.55};
        int64_t x[8], y[8], nx, ny;
        CHECK(ast_control_select(original, scores, 8, x, &nx, &a) == AST_CONTROL_OK);
        CHECK(ast_control_select(resumed, scores, 8, y, &ny, &b) == AST_CONTROL_OK);
        same_step(&a, &b);
        CHECK(nx == ny && memcmp(x, y, (size_t)nx * sizeof x[0]) == 0);
    }
    ast_control_destroy(original);
    ast_control_destroy(resumed);
}

int main(void) {
    CHECK(ast_control_version() == AST_CONTROL_VERSION_NUMBER);
    CHECK(sizeof(ast_control_step) == 6 * sizeof(double) + 4 * sizeof(int64_t) + 4 * sizeof(int32_t));
    test_selection_invariants_and_determinism();
    test_errors();
    test_state_round_trip_and_updates();
    if (failures != 0) {
        fprintf(stderr, "ast_control_test: %d checks failed\n", failures);
        return 1;
    }
    printf("ast_control_test: all checks passed\n");
    return 0;
}
