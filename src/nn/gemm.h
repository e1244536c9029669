/*
 * gemm.h - the one matrix multiply of benjamin: C = alpha op(A) op(B) + beta C.
 *
 *     nn_set_threads(2);                                  // once, from --threads
 *     // y (N, out) = x (N, in) . W^T, W stored (out, in)
 *     nn_gemm(0, 1, N, out, in, 1.0f, x, in, W, in, 0.0f, y, out);
 *
 * Matrices are row-major float32, as in cblas_sgemm with CblasRowMajor, and
 * every stride (lda, ldb, ldc) is the distance in floats between two rows as
 * stored, so a matrix may be a strided slice of a larger one (the rows of one
 * time step in a (B, T, H) buffer have ld = T*H).  nn_gemm is the only caller of
 * OpenBLAS in benjamin; nn_gemm_naive is its plain-loop twin, kept for the tests.
 * Nothing is allocated or owned.  With beta == 0, C is written without being
 * read, so it may hold garbage (even NaN) beforehand.  Sizes are int, as in
 * cblas; the products of sizes must fit in size_t.
 */
#pragma once

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

/* Sets the number of threads OpenBLAS uses for every later nn_gemm (n >= 1;
 * BJ_ASSERT).  Call once at start-up, not while a GEMM runs.  For a given
 * thread count, the same inputs give the same bytes. */
void nn_set_threads(int n);

/* The number of threads OpenBLAS uses now. */
int nn_get_threads(void);
