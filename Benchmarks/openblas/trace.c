// Where OpenBLAS allocates inside cblas_sgemm (Benchmarks/README.md, "Mallocs per step").
// Three 1024³ products: one to start OpenBLAS's threads, one traced with 2 threads, one
// traced with 1 thread. trace.sh breaks on malloc/calloc after the first and prints stacks.
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    const int n = 1024;
    float *a = calloc((size_t)n * n, sizeof(float)), *b = calloc((size_t)n * n, sizeof(float));
    float *c = calloc((size_t)n * n, sizeof(float));
    openblas_set_num_threads(2);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n);
    fprintf(stderr, "traced: 2 threads\n"); // trace.gdb's first breakpoint is on this line
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n);
    openblas_set_num_threads(1);
    fprintf(stderr, "traced: 1 thread\n");
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n);
    fprintf(stderr, "end\n");
    return 0;
}
