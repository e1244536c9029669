#include "nn/gemm.h"

#include <cblas.h>

#include "base/error.h"

static void check_args(int trans_a, int trans_b, int M, int N, int K,
                       const float *A, int lda, const float *B, int ldb, const float *C, int ldc)
{
	BJ_ASSERT(M >= 0 && N >= 0 && K >= 0);
	BJ_ASSERT(lda >= 1 && ldb >= 1 && ldc >= 1);
	BJ_ASSERT(lda >= (trans_a ? M : K));
	BJ_ASSERT(ldb >= (trans_b ? K : N));
	BJ_ASSERT(ldc >= N);
	BJ_ASSERT((A && B) || M == 0 || N == 0 || K == 0);
	BJ_ASSERT(C || M == 0 || N == 0);
}

void nn_gemm(int trans_a, int trans_b, int M, int N, int K, float alpha,
             const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc)
{
	check_args(trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc);
	if (M == 0 || N == 0)
		return;
	if (K == 0) {
		/* The BLAS reference returns early only when alpha == 0 or K == 0 and
		 * beta == 1; do the scaling here so both paths agree with the naive
		 * twin whatever cblas makes of an empty product. */
		for (int i = 0; i < M; i++)
			for (int j = 0; j < N; j++)
				C[(size_t)i * ldc + j] = beta == 0.0f ? 0.0f : beta * C[(size_t)i * ldc + j];
		return;
	}
	cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
	            trans_b ? CblasTrans : CblasNoTrans, M, N, K, alpha, A, lda, B, ldb,
	            beta, C, ldc);
}

void nn_gemm_naive(int trans_a, int trans_b, int M, int N, int K, float alpha,
                   const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc)
{
	check_args(trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc);
	for (int i = 0; i < M; i++) {
		for (int j = 0; j < N; j++) {
			double s = 0.0;
			for (int k = 0; k < K; k++) {
				float a = trans_a ? A[(size_t)k * lda + i] : A[(size_t)i * lda + k];
				float b = trans_b ? B[(size_t)j * ldb + k] : B[(size_t)k * ldb + j];
				s += (double)a * b;
			}
			float *c = &C[(size_t)i * ldc + j];
			/* As BLAS: beta == 0 overwrites, so C may start as garbage. */
			*c = (float)(alpha * s + (beta == 0.0f ? 0.0 : (double)beta * *c));
		}
	}
}

void nn_set_threads(int n)
{
	BJ_ASSERT(n >= 1);
	openblas_set_num_threads(n);
}

int nn_get_threads(void)
{
	return openblas_get_num_threads();
}
