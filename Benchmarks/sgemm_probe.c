// SGEMM probe: Debian's OpenBLAS (one thread) against a plain packed AVX-512 GEMM (Goto-style
// blocking, an MR×(16·NV) register tile) on the shapes of Glossa's models, to see how far from the
// machine's peak OpenBLAS is before writing kernels. Not part of the package.
//
//   cc -O3 -DMR=8 -DNV=3 Benchmarks/sgemm_probe.c -lopenblas -lm -o /tmp/sgemm_probe && /tmp/sgemm_probe
//
// On the 2-core AMD EPYC (Zen 5) KVM guest of the README (2026-11-27), every tile tried
// (6×64, 8×48, 12×32, 14×32) ran at 86–97 GFLOP/s against OpenBLAS's 88–101: one core peaks near
// 100 GFLOP/s here, so a hand-written kernel has nothing to win on large products.
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>
#ifndef MR
#define MR 8
#endif
#ifndef NV
#define NV 3
#endif
#define NR (16*NV)
#define KC 256
#define MC 128
#define NC 3072
#define AVX512 __attribute__((target("avx512f,fma")))

// acc = Ap(MR×kc, packed by k) · Bp(kc×NR, packed by k); C tile = alpha·acc + beta·C (beta 0: no read)
static AVX512 void kernel(int kc, const float *restrict Ap, const float *restrict Bp, float *C, int ldc,
                          float alpha, float beta, int mr, int nr) {
    __m512 acc[MR][NV];
    for (int i = 0; i < MR; i++) for (int v = 0; v < NV; v++) acc[i][v] = _mm512_setzero_ps();
    for (int k = 0; k < kc; k++) {
        __m512 b[NV];
        for (int v = 0; v < NV; v++) b[v] = _mm512_load_ps(Bp + k * NR + 16 * v);
        for (int i = 0; i < MR; i++) {
            __m512 a = _mm512_set1_ps(Ap[k * MR + i]);
            for (int v = 0; v < NV; v++) acc[i][v] = _mm512_fmadd_ps(a, b[v], acc[i][v]);
        }
    }
    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    if (mr == MR && nr == NR) {
        for (int i = 0; i < MR; i++) for (int v = 0; v < NV; v++) {
            float *c = C + (long)i * ldc + 16 * v;
            __m512 r = _mm512_mul_ps(va, acc[i][v]);
            if (beta != 0) r = _mm512_fmadd_ps(vb, _mm512_loadu_ps(c), r);
            _mm512_storeu_ps(c, r);
        }
    } else {
        for (int i = 0; i < mr; i++) for (int v = 0; v < NV; v++) {
            int left = nr - 16 * v; if (left <= 0) break;
            __mmask16 m = left >= 16 ? 0xFFFF : (__mmask16)((1u << left) - 1);
            float *c = C + (long)i * ldc + 16 * v;
            __m512 r = _mm512_mul_ps(va, acc[i][v]);
            if (beta != 0) r = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m, c), r);
            _mm512_mask_storeu_ps(c, m, r);
        }
    }
}

// op(A)[i0.., p0..] rows mc, cols kc → panels of MR rows, each k-major, zero padded
static void packA(int transA, const float *A, int lda, int i0, int p0, int mc, int kc, float *dst) {
    for (int ir = 0; ir < mc; ir += MR) {
        int mr = mc - ir < MR ? mc - ir : MR;
        for (int k = 0; k < kc; k++) {
            for (int i = 0; i < mr; i++) {
                long r = i0 + ir + i, c = p0 + k;
                dst[k * MR + i] = transA ? A[c * lda + r] : A[r * lda + c];
            }
            for (int i = mr; i < MR; i++) dst[k * MR + i] = 0;
        }
        dst += (long)kc * MR;
    }
}
static void packB(int transB, const float *B, int ldb, int p0, int j0, int kc, int nc, float *dst) {
    for (int jr = 0; jr < nc; jr += NR) {
        int nr = nc - jr < NR ? nc - jr : NR;
        for (int k = 0; k < kc; k++) {
            long r = p0 + k;
            if (!transB) {
                memcpy(dst + k * NR, B + r * ldb + j0 + jr, nr * sizeof(float));
            } else {
                for (int j = 0; j < nr; j++) dst[k * NR + j] = B[(long)(j0 + jr + j) * ldb + r];
            }
            for (int j = nr; j < NR; j++) dst[k * NR + j] = 0;
        }
        dst += (long)kc * NR;
    }
}

static void proto_sgemm(int transA, int transB, int M, int N, int K, float alpha, const float *A, int lda,
                 const float *B, int ldb, float beta, float *C, int ldc) {
    float *Ap = aligned_alloc(64, sizeof(float) * (MC + MR) * KC);
    float *Bp = aligned_alloc(64, sizeof(float) * (NC + NR) * KC);
    for (int j0 = 0; j0 < N; j0 += NC) {
        int nc = N - j0 < NC ? N - j0 : NC;
        for (int p0 = 0; p0 < K; p0 += KC) {
            int kc = K - p0 < KC ? K - p0 : KC;
            float b = p0 == 0 ? beta : 1;
            packB(transB, B, ldb, p0, j0, kc, nc, Bp);
            for (int i0 = 0; i0 < M; i0 += MC) {
                int mc = M - i0 < MC ? M - i0 : MC;
                packA(transA, A, lda, i0, p0, mc, kc, Ap);
                for (int jr = 0; jr < nc; jr += NR) {
                    int nr = nc - jr < NR ? nc - jr : NR;
                    for (int ir = 0; ir < mc; ir += MR) {
                        int mr = mc - ir < MR ? mc - ir : MR;
                        kernel(kc, Ap + (long)ir * kc, Bp + (long)jr * kc, C + (long)(i0 + ir) * ldc + j0 + jr, ldc, alpha, b, mr, nr);
                    }
                }
            }
        }
    }
    free(Ap); free(Bp);
}
#include <stdio.h>
#include <math.h>
#include <time.h>
enum { CblasRowMajor = 101 }; enum { CblasNoTrans = 111, CblasTrans = 112 };
void cblas_sgemm(int,int,int,int,int,int,float,const float*,int,const float*,int,float,float*,int);
void openblas_set_num_threads(int);
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(){
  openblas_set_num_threads(1);
  int cases[][5]={{0,1,700,10000,200},{0,0,700,200,10000},{1,0,10000,200,700},{0,1,700,2600,650},{0,0,700,10000,650},{1,0,10000,650,700},{0,0,20,800,200},{0,1,700,800,400},{2048,0,0,0,0}};
  for(int c=0;c<9;c++){
    int tA=cases[c][0],tB=cases[c][1],M=cases[c][2],N=cases[c][3],K=cases[c][4];
    if(tA==2048){tA=0;tB=0;M=N=K=2048;}
    int lda=tA?M:K, ldb=tB?K:N;
    float*A=malloc(4L*M*K),*B=malloc(4L*K*N),*C1=malloc(4L*M*N),*C2=malloc(4L*M*N);
    for(long i=0;i<(long)M*K;i++)A[i]=(rand()%1000)/1000.0f-0.5f;
    for(long i=0;i<(long)K*N;i++)B[i]=(rand()%1000)/1000.0f-0.5f;
    for(long i=0;i<(long)M*N;i++){C1[i]=C2[i]=0.25f;}
    double flops=2.0*M*N*K, best1=1e9,best2=1e9;
    for(int r=0;r<5;r++){
      double t=now(); cblas_sgemm(CblasRowMajor,tA?CblasTrans:CblasNoTrans,tB?CblasTrans:CblasNoTrans,M,N,K,1,A,lda,B,ldb,0.5f,C1,N); t=now()-t; if(t<best1)best1=t;
      t=now(); proto_sgemm(tA,tB,M,N,K,1,A,lda,B,ldb,0.5f,C2,N); t=now()-t; if(t<best2)best2=t;
    }
    double md=0; for(long i=0;i<(long)M*N;i++){double d=fabs(C1[i]-C2[i]); if(d>md)md=d;}
    printf("%d%d %5dx%5dx%5d openblas %6.1f GF/s  proto %6.1f GF/s  maxdiff %.2g\n",tA,tB,M,N,K,flops/best1*1e-9,flops/best2*1e-9,md);
    free(A);free(B);free(C1);free(C2);
  }
}
