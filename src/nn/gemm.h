/*
 * gemm.h - the matrix multiplies of benjamin: C = alpha op(A) op(B) + beta C.
 *
 *     nn_set_threads(2);                                  // once, from --threads
 *     nn_gemm(0, 1, N, out, in, 1.0f, x, in, W, in, 0.0f, y, out);   // y = x W^T
 *     // many small products with one B (an RNN's recurrent weights):
 *     nn_gemm_pack(&pb, 1, H, 4 * H, W_hh, H, panels);    // once per weight update
 *     nn_gemm_packed(B, h, H, &pb, 1.0f, gates, 4 * H, scratch);   // per time step
 *
 * Row-major float32 as cblas_sgemm's CblasRowMajor; a stride (lda, ldb, ldc)
 * is the distance in floats between two stored rows, so a matrix may be a
 * strided slice (one time step of a (B, T, H) buffer has ld = T*H).  nn_gemm
 * calls OpenBLAS (only this file does) one thread per call, splitting large
 * products over nn/parallel.h's threads by rows or columns: the same sums in
 * the same order for any thread count.  nn_gemm_packed is our kernel for few
 * rows against a B reused many times (OpenBLAS re-packs B per call, as costly
 * as a 16-row product); without AVX-512 it calls OpenBLAS.  nn_gemm_naive is
 * the twin both are tested against.  Nothing is allocated or owned; beta == 0
 * writes C unread (it may hold NaN).  Sizes are int, as in cblas.
 */
#pragma once

#include <stddef.h>

#include "nn/parallel.h"

/* C (M, N) = alpha * op(A) (M, K) . op(B) (K, N) + beta * C, where op(A) is A
 * stored (M, K) with row stride lda >= K when trans_a is 0, or A^T with A stored
 * (K, M), lda >= M, when trans_a is 1; likewise op(B) from B stored (K, N),
 * ldb >= N, or (N, K), ldb >= K, by trans_b; ldc >= N.  Any of M, N, K may be 0
 * (K == 0 scales C by beta).  Calls cblas_sgemm.  Bad arguments are bugs
 * (BJ_ASSERT). */
void nn_gemm(int trans_a, int trans_b, int M, int N, int K, float alpha,
             const float *A, int lda,   // (M, K) or (K, M) if trans_a
             const float *B, int ldb,   // (K, N) or (N, K) if trans_b
             float beta,
             float *C, int ldc);        // (M, N)

/* The same product by three plain loops, each sum accumulated in double.
 * Slow; the reference nn_gemm is tested against. */
void nn_gemm_naive(int trans_a, int trans_b, int M, int N, int K, float alpha,
                   const float *A, int lda,   // (M, K) or (K, M) if trans_a
                   const float *B, int ldb,   // (K, N) or (N, K) if trans_b
                   float beta,
                   float *C, int ldc);        // (M, N)

/* The floats of panels nn_gemm_pack needs for a B of K rows and N columns:
 * ceil(N / 32) * 32 * K. */
size_t nn_gemm_pack_floats(int K, int N);

/* B prepared for nn_gemm_packed: a view of the original and, on CPUs with
 * AVX-512, its copy in column panels.  Valid while both are unchanged. */
typedef struct nn_gemm_pb {
	int K, N;              /* op(B) is (K, N) */
	int trans_b;           /* B stored (N, K) */
	const float *b;        /* the original, (K, N) or (N, K), row stride ldb */
	int ldb;
	float *panels;         /* (ceil(N/32), K, 32), zero-padded, or NULL: use b */
} nn_gemm_pb;

/* Fills pb for op(B) (K, N) = B stored (K, N) with row stride ldb, or B^T
 * with B stored (N, K) when trans_b: copies it into panels (the caller's,
 * nn_gemm_pack_floats(K, N) floats, 64-byte aligned) when the CPU runs the
 * packed kernel.  K, N >= 1.  Splits the copy over the threads outside a task. */
void nn_gemm_pack(nn_gemm_pb *pb, int trans_b, int K, int N, const float *B, int ldb,
                  float *panels);

/* Whether this CPU runs the packed kernel (AVX-512): nn_gemm_pack then fills
 * the panels, and nn_gemm_pack_cols and nn_gemm_packed_cols may be used. */
int nn_gemm_packed_available(void);

/* As nn_gemm_pack, on a CPU where the packed kernel runs, but packed column n
 * is column cols[n] of op(B) (src_cols columns), or zeros where cols[n] is -1:
 * a permutation that brings together columns one task uses. */
void nn_gemm_pack_cols(nn_gemm_pb *pb, int trans_b, int K, int N, const float *B, int ldb,
                       int src_cols,
                       const int *cols,   // (N)
                       float *panels);

/* C (M, N) = A (M, K) . op(B) + beta C, beta 0 or 1, on the calling thread
 * only, with pb from nn_gemm_pack.  scratch holds 8 * K floats (64-byte
 * aligned).  On the packed path each row of C is summed in the same order
 * (k = 0, 1, ..., by fused multiply-adds) whatever M or the row's place, so
 * splitting the rows over tasks gives the same bytes. */
void nn_gemm_packed(int M, const float *A, int lda,   // (M, K)
                    const nn_gemm_pb *pb, float beta,
                    float *C, int ldc,                // (M, N)
                    float *scratch);                  // (8 * K)

/* nn_gemm_packed on columns [col0, col1) of C only, col0 and col1 multiples of
 * 32 (col1 may be N); needs packed panels (nn_gemm_packed_available). */
void nn_gemm_packed_cols(int M, const float *A, int lda, const nn_gemm_pb *pb, float beta,
                         float *C, int ldc, float *scratch, int col0, int col1);
