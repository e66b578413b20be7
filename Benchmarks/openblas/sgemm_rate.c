// Best-of-5 GFLOP/s of a 1024³ cblas_sgemm, and the kernel set OpenBLAS picked:
//   gcc -O2 sgemm_rate.c -o sgemm_rate -I/usr/include/x86_64-linux-gnu/openblas-pthread -lopenblas
//   ./sgemm_rate 1; OPENBLAS_CORETYPE=SKYLAKEX ./sgemm_rate 1     (argument: threads)
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){int n=1024;int th=argc>1?atoi(argv[1]):1;
float*a=malloc(4L*n*n),*b=malloc(4L*n*n),*c=malloc(4L*n*n);for(long i=0;i<(long)n*n;i++){a[i]=(i%7)*0.1f;b[i]=(i%5)*0.2f;}
openblas_set_num_threads(th);
cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,n,n,n,1,a,n,b,n,0,c,n);
double best=1e9;for(int r=0;r<5;r++){double t=now();cblas_sgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,n,n,n,1,a,n,b,n,0,c,n);t=now()-t;if(t<best)best=t;}
printf("%s threads %d: %.1f GFLOP/s (%s)\n", getenv("OPENBLAS_CORETYPE")?getenv("OPENBLAS_CORETYPE"):"default", th, 2.0*n*n*n/best/1e9, openblas_get_corename());}
