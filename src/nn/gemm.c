#include "nn/gemm.h"

#include <cblas.h>
#include <immintrin.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "base/error.h"
#include "nn/internal.h"

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

/* OpenBLAS runs on one thread: parallelism is ours (nn/parallel.h). */
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

static void blas_single_thread(void)
{
	openblas_set_num_threads(1);
}

static void sgemm(int trans_a, int trans_b, int M, int N, int K, float alpha, const float *A,
                  int lda, const float *B, int ldb, float beta, float *C, int ldc)
{
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

/* One product split into blocks of rows (by_rows) or of columns of C. */
struct split {
	int trans_a, trans_b, M, N, K;
	float alpha, beta;
	const float *A, *B;
	int lda, ldb, ldc;
	float *C;
	int by_rows, parts;
};

/* Blocks start at multiples of 16 rows or columns, so that OpenBLAS tiles each
 * block as it would tile the whole product and every element is summed in the
 * same order for any number of blocks. */
#define SPLIT_ALIGN 16

static void split_range(int n, int parts, int task, int *lo, int *hi)
{
	int units = (n + SPLIT_ALIGN - 1) / SPLIT_ALIGN;
	nn_parallel_split(units, parts, task, lo, hi);
	*lo *= SPLIT_ALIGN;
	*hi *= SPLIT_ALIGN;
	if (*hi > n)
		*hi = n;
	if (*lo > n)
		*lo = n;
}

static void split_task(void *arg, int task, int thread)
{
	(void)thread;
	const struct split *s = arg;
	int lo, hi;
	if (s->by_rows) {
		split_range(s->M, s->parts, task, &lo, &hi);
		const float *A = s->trans_a ? s->A + lo : s->A + (size_t)lo * s->lda;
		sgemm(s->trans_a, s->trans_b, hi - lo, s->N, s->K, s->alpha, A, s->lda, s->B, s->ldb,
		      s->beta, s->C + (size_t)lo * s->ldc, s->ldc);
	} else {
		split_range(s->N, s->parts, task, &lo, &hi);
		const float *B = s->trans_b ? s->B + (size_t)lo * s->ldb : s->B + lo;
		sgemm(s->trans_a, s->trans_b, s->M, hi - lo, s->K, s->alpha, s->A, s->lda, B, s->ldb,
		      s->beta, s->C + lo, s->ldc);
	}
}

/* The fewest multiply-adds in every block of a split product.  OpenBLAS 0.3
 * (Cooper Lake and Skylake-X kernels) sends products below 28*512*512
 * multiply-adds to its "direct" sgemm and those below 100^3 to its small-matrix
 * kernels, which sum in another order than its blocked driver: a product and
 * its blocks must all take the blocked path, or 1 and 2 threads give different
 * bytes.  Products this large are also worth waking the pool for. */
#define SPLIT_MIN_WORK (28.0 * 512 * 512)

/* Whether every block of the split s would be at least SPLIT_MIN_WORK. */
static int blocks_large_enough(const struct split *s)
{
	for (int task = 0; task < s->parts; task++) {
		int lo, hi;
		split_range(s->by_rows ? s->M : s->N, s->parts, task, &lo, &hi);
		double rest = s->by_rows ? (double)s->N : (double)s->M;
		if ((double)(hi - lo) * rest * s->K < SPLIT_MIN_WORK)
			return 0;
	}
	return 1;
}

void nn_gemm(int trans_a, int trans_b, int M, int N, int K, float alpha,
             const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc)
{
	check_args(trans_a, trans_b, M, N, K, A, lda, B, ldb, C, ldc);
	pthread_once(&blas_once, blas_single_thread);
	int threads = nn_get_threads();
	struct split s = { trans_a, trans_b, M, N, K, alpha, beta, A, B, lda, ldb, ldc, C, 1, 1 };
	/* Rows when there are enough for every thread, else columns. */
	int units_m = (M + SPLIT_ALIGN - 1) / SPLIT_ALIGN, units_n = (N + SPLIT_ALIGN - 1) / SPLIT_ALIGN;
	s.by_rows = units_m >= threads || units_m >= units_n;
	int units = s.by_rows ? units_m : units_n;
	s.parts = units < threads ? units : threads;
	if (s.parts < 2 || nn_parallel_in_task() || !blocks_large_enough(&s)) {
		sgemm(trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
		return;
	}
	nn_parallel_run(s.parts, split_task, &s);
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

/*
 * The packed kernel.  B is copied once into panels of 32 columns, each panel
 * K rows of 32 contiguous floats; a block of up to 8 rows of A is copied
 * transposed, K rows of 8.  For each panel, the block's 8 x 32 results stay in
 * 16 AVX-512 registers while k runs over K: per k, two loads of B, eight
 * broadcasts of A and 16 fused multiply-adds (the register tiling of Goto and
 * van de Geijn, "Anatomy of high-performance matrix multiplication", 2008,
 * without the cache blocking of K: A's block is in L1/L2 and each panel is read
 * once per block).  Blocks of 4, 2 and 1 rows take the rest of M, so a single
 * row (sampling) does not pay for eight.
 */
#define PANEL 32

static int packed_mode = -1;   /* -1: not decided yet; 0: OpenBLAS; 1: AVX-512 */

static int use_packed(void)
{
	int mode = __atomic_load_n(&packed_mode, __ATOMIC_RELAXED);
	if (mode < 0) {
		__builtin_cpu_init();
		mode = __builtin_cpu_supports("avx512f") ? 1 : 0;
		__atomic_store_n(&packed_mode, mode, __ATOMIC_RELAXED);
	}
	return mode;
}

void nn_gemm_force_blas(int on)
{
	__atomic_store_n(&packed_mode, on ? 0 : -1, __ATOMIC_RELAXED);
}

size_t nn_gemm_pack_floats(int K, int N)
{
	BJ_ASSERT(K >= 1 && N >= 1);
	return (size_t)(N + PANEL - 1) / PANEL * PANEL * (size_t)K;
}

struct pack_job {
	const nn_gemm_pb *pb;
	const int *cols;   /* (N) source column of each packed one, -1 for zeros; or NULL */
	int n_panels, parts;
};

static void pack_panels(void *arg, int task, int thread)
{
	(void)thread;
	const struct pack_job *j = arg;
	const nn_gemm_pb *pb = j->pb;
	int lo, hi;
	nn_parallel_split(j->n_panels, j->parts, task, &lo, &hi);
	size_t K = (size_t)pb->K;
	for (int p = lo; p < hi; p++) {
		float *dst = pb->panels + (size_t)p * K * PANEL;
		int c0 = p * PANEL, nc = pb->N - c0 < PANEL ? pb->N - c0 : PANEL;
		if (j->cols) {
			memset(dst, 0, K * PANEL * sizeof(float));
			for (int c = 0; c < nc; c++) {
				int src = j->cols[c0 + c];
				if (src < 0)
					continue;
				if (pb->trans_b)
					for (size_t k = 0; k < K; k++)
						dst[k * PANEL + c] = pb->b[(size_t)src * pb->ldb + k];
				else
					for (size_t k = 0; k < K; k++)
						dst[k * PANEL + c] = pb->b[k * pb->ldb + src];
			}
		} else if (pb->trans_b) {
			/* op(B)[k][c] = B[c][k]: 32 source rows, transposed. */
			if (nc < PANEL)
				memset(dst, 0, K * PANEL * sizeof(float));
			for (int c = 0; c < nc; c++) {
				const float *src = pb->b + (size_t)(c0 + c) * pb->ldb;
				for (size_t k = 0; k < K; k++)
					dst[k * PANEL + c] = src[k];
			}
		} else {
			for (size_t k = 0; k < K; k++) {
				memcpy(dst + k * PANEL, pb->b + k * pb->ldb + c0, (size_t)nc * sizeof(float));
				if (nc < PANEL)
					memset(dst + k * PANEL + nc, 0, (size_t)(PANEL - nc) * sizeof(float));
			}
		}
	}
}

int nn_gemm_packed_available(void)
{
	return use_packed();
}

/* Fills pb->panels (pb describes B) from B, through cols when not NULL. */
static void pack(nn_gemm_pb *pb, const int *cols, float *panels)
{
	int N = pb->N;
	BJ_ASSERT(panels && ((uintptr_t)panels & 63) == 0);
	pb->panels = panels;
	struct pack_job j = { pb, cols, (N + PANEL - 1) / PANEL, 1 };
	if (!nn_parallel_in_task())
		j.parts = nn_get_threads() < j.n_panels ? nn_get_threads() : j.n_panels;
	nn_parallel_run(j.parts, pack_panels, &j);
}

void nn_gemm_pack(nn_gemm_pb *pb, int trans_b, int K, int N, const float *B, int ldb,
                  float *panels)
{
	BJ_ASSERT(K >= 1 && N >= 1 && B);
	BJ_ASSERT(ldb >= (trans_b ? K : N));
	*pb = (nn_gemm_pb){ .K = K, .N = N, .trans_b = trans_b, .b = B, .ldb = ldb };
	if (use_packed())
		pack(pb, NULL, panels);
}

void nn_gemm_pack_cols(nn_gemm_pb *pb, int trans_b, int K, int N, const float *B, int ldb,
                       int src_cols, const int *cols, float *panels)
{
	BJ_ASSERT(K >= 1 && N >= 1 && B && cols && use_packed());
	BJ_ASSERT(ldb >= (trans_b ? K : src_cols));
	for (int n = 0; n < N; n++)
		BJ_ASSERT(cols[n] >= -1 && cols[n] < src_cols);
	*pb = (nn_gemm_pb){ .K = K, .N = N, .trans_b = trans_b, .b = B, .ldb = ldb };
	pack(pb, cols, panels);
}

/* C rows (mr of them) += or = the block's product with one panel; m0, m1 mask
 * the panel's two halves to the columns that exist.  MR is a constant in each
 * instance, so the accumulators stay in registers. */
#define KERNEL(MR)                                                                             \
	__attribute__((target("avx512f"))) static void kernel_##MR(                                 \
		int K, const float *ap, const float *bp, float *C, int ldc, int beta,                  \
		__mmask16 m0, __mmask16 m1)                                                              \
	{                                                                                          \
		__m512 c0[MR], c1[MR];                                                                  \
		_Pragma("GCC unroll 8") for (int r = 0; r < MR; r++)                                    \
		{                                                                                      \
			c0[r] = beta ? _mm512_maskz_loadu_ps(m0, C + (size_t)r * ldc)                       \
			             : _mm512_setzero_ps();                                                 \
			c1[r] = beta ? _mm512_maskz_loadu_ps(m1, C + (size_t)r * ldc + 16)                  \
			             : _mm512_setzero_ps();                                                 \
		}                                                                                      \
		for (int k = 0; k < K; k++) {                                                          \
			__m512 b0 = _mm512_load_ps(bp + (size_t)k * PANEL);                                 \
			__m512 b1 = _mm512_load_ps(bp + (size_t)k * PANEL + 16);                            \
			_Pragma("GCC unroll 8") for (int r = 0; r < MR; r++)                                \
			{                                                                                  \
				__m512 a = _mm512_set1_ps(ap[(size_t)k * MR + r]);                              \
				c0[r] = _mm512_fmadd_ps(a, b0, c0[r]);                                          \
				c1[r] = _mm512_fmadd_ps(a, b1, c1[r]);                                          \
			}                                                                                  \
		}                                                                                      \
		_Pragma("GCC unroll 8") for (int r = 0; r < MR; r++)                                    \
		{                                                                                      \
			_mm512_mask_storeu_ps(C + (size_t)r * ldc, m0, c0[r]);                             \
			_mm512_mask_storeu_ps(C + (size_t)r * ldc + 16, m1, c1[r]);                        \
		}                                                                                      \
	}
KERNEL(8)
KERNEL(4)
KERNEL(2)
KERNEL(1)

/* ap (K, 8) = the 8 rows of A from row 0 (stride lda), transposed: 8 x 8
 * blocks through registers (unpack, shuffle, permute: the usual AVX transpose),
 * the rest of K one by one. */
__attribute__((target("avx512f"))) static void pack_a8(size_t K, const float *A, int lda,
                                                       float *ap)
{
	size_t k = 0;
	for (; k + 8 <= K; k += 8) {
		__m256 r[8], t[8], u[8];
		for (int i = 0; i < 8; i++)
			r[i] = _mm256_loadu_ps(A + (size_t)i * lda + k);
		for (int i = 0; i < 8; i += 2) {
			t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
			t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
		}
		for (int i = 0; i < 8; i += 4) {
			u[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
			u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
			u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
			u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
		}
		for (int i = 0; i < 4; i++) {
			_mm256_storeu_ps(ap + (k + (size_t)i) * 8, _mm256_permute2f128_ps(u[i], u[i + 4], 0x20));
			_mm256_storeu_ps(ap + (k + (size_t)i + 4) * 8, _mm256_permute2f128_ps(u[i], u[i + 4], 0x31));
		}
	}
	for (; k < K; k++)
		for (int r = 0; r < 8; r++)
			ap[k * 8 + r] = A[(size_t)r * lda + k];
}

__attribute__((target("avx512f"))) static void packed_rows(int mr, const float *A, int lda,
                                                           const nn_gemm_pb *pb, int beta,
                                                           float *C, int ldc, float *ap,
                                                           int p0, int p1)
{
	size_t K = (size_t)pb->K;
	if (mr == 8)
		pack_a8(K, A, lda, ap);
	else
		for (size_t k = 0; k < K; k++)
			for (int r = 0; r < mr; r++)
				ap[k * mr + r] = A[(size_t)r * lda + k];
	for (int p = p0; p < p1; p++) {
		int c0 = p * PANEL, nc = pb->N - c0 < PANEL ? pb->N - c0 : PANEL;
		__mmask16 m0 = nc >= 16 ? 0xFFFF : (__mmask16)((1u << nc) - 1);
		__mmask16 m1 = nc >= 32 ? 0xFFFF : nc <= 16 ? 0 : (__mmask16)((1u << (nc - 16)) - 1);
		const float *bp = pb->panels + (size_t)p * K * PANEL;
		float *c = C + c0;
		switch (mr) {
		case 8: kernel_8((int)K, ap, bp, c, ldc, beta, m0, m1); break;
		case 4: kernel_4((int)K, ap, bp, c, ldc, beta, m0, m1); break;
		case 2: kernel_2((int)K, ap, bp, c, ldc, beta, m0, m1); break;
		default: kernel_1((int)K, ap, bp, c, ldc, beta, m0, m1); break;
		}
	}
}

static void packed(int M, const float *A, int lda, const nn_gemm_pb *pb, float beta, float *C,
                   int ldc, float *scratch, int p0, int p1)
{
	BJ_ASSERT(scratch && ((uintptr_t)scratch & 63) == 0);
	int r = 0;
	static const int blocks[] = { 8, 4, 2, 1 };
	for (int i = 0; i < 4; i++)
		for (; M - r >= blocks[i]; r += blocks[i])
			packed_rows(blocks[i], A + (size_t)r * lda, lda, pb, beta != 0.0f,
			            C + (size_t)r * ldc, ldc, scratch, p0, p1);
}

void nn_gemm_packed(int M, const float *A, int lda, const nn_gemm_pb *pb, float beta, float *C,
                    int ldc, float *scratch)
{
	BJ_ASSERT(M >= 0 && (beta == 0.0f || beta == 1.0f));
	BJ_ASSERT(lda >= pb->K && ldc >= pb->N);
	if (M == 0)
		return;
	if (!pb->panels) {
		pthread_once(&blas_once, blas_single_thread);
		sgemm(0, pb->trans_b, M, pb->N, pb->K, 1.0f, A, lda, pb->b, pb->ldb, beta, C, ldc);
		return;
	}
	packed(M, A, lda, pb, beta, C, ldc, scratch, 0, (pb->N + PANEL - 1) / PANEL);
}

void nn_gemm_packed_cols(int M, const float *A, int lda, const nn_gemm_pb *pb, float beta,
                         float *C, int ldc, float *scratch, int col0, int col1)
{
	BJ_ASSERT(M >= 0 && (beta == 0.0f || beta == 1.0f));
	BJ_ASSERT(lda >= pb->K && ldc >= pb->N && pb->panels);
	BJ_ASSERT(col0 >= 0 && col0 % PANEL == 0 && col1 <= pb->N && col0 <= col1);
	BJ_ASSERT(col1 % PANEL == 0 || col1 == pb->N);
	if (M == 0 || col0 == col1)
		return;
	packed(M, A, lda, pb, beta, C, ldc, scratch, col0 / PANEL, (col1 + PANEL - 1) / PANEL);
}
