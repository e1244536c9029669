#include "nn/gemm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/rng.h"
#include "nn/internal.h"
#include "harness.h"

static void fill(float *x, size_t n, bj_rng *rng)
{
	for (size_t i = 0; i < n; i++)
		x[i] = 2.0f * bj_rng_uniform(rng) - 1.0f;
}

/* One product by both routes, with rows padded by pad floats, compared
 * element by element. */
static void compare(int ta, int tb, int M, int N, int K, float alpha, float beta, int pad,
                    bj_rng *rng)
{
	int lda = (ta ? M : K) + pad, ldb = (tb ? K : N) + pad, ldc = N + pad;
	size_t na = (size_t)(ta ? K : M) * lda, nb = (size_t)(tb ? N : K) * ldb;
	size_t nc = (size_t)M * ldc;
	float *A = bj_xmalloc((na + 1) * sizeof(float));
	float *B = bj_xmalloc((nb + 1) * sizeof(float));
	float *C1 = bj_xmalloc((nc + 1) * sizeof(float));
	float *C2 = bj_xmalloc((nc + 1) * sizeof(float));
	fill(A, na, rng);
	fill(B, nb, rng);
	fill(C1, nc, rng);
	memcpy(C2, C1, nc * sizeof(float));
	nn_gemm(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C1, ldc);
	nn_gemm_naive(ta, tb, M, N, K, alpha, A, lda, B, ldb, beta, C2, ldc);
	char name[128];
	snprintf(name, sizeof(name), "gemm ta=%d tb=%d M=%d N=%d K=%d alpha=%g beta=%g pad=%d",
	         ta, tb, M, N, K, alpha, beta, pad);
	/* float sums of K products of values in [-1, 1] against double ones */
	CHECK_CLOSE(name, C1, C2, nc, 2e-6 * (K + 1), 1e-5);
	free(A);
	free(B);
	free(C1);
	free(C2);
}

static void test_gemm_matches_naive(void)
{
	static const int shapes[][3] = {
		{ 1, 1, 1 }, { 1, 7, 3 }, { 5, 1, 4 }, { 3, 4, 1 }, { 7, 13, 5 }, { 16, 16, 16 },
		{ 33, 17, 65 }, { 64, 96, 48 }, { 2, 48, 12 }, { 10, 44, 8 }, { 129, 31, 200 },
	};
	static const float ab[][2] = { { 1, 0 }, { 1, 1 }, { 0.5f, -2 }, { -1.5f, 0.25f } };
	bj_rng rng;
	bj_rng_init(&rng, 42);
	int n = 0;
	for (size_t s = 0; s < BJ_ARRAY_SIZE(shapes); s++)
		for (int ta = 0; ta < 2; ta++)
			for (int tb = 0; tb < 2; tb++)
				for (size_t k = 0; k < BJ_ARRAY_SIZE(ab); k++)
					for (int pad = 0; pad <= 3; pad += 3, n++)
						compare(ta, tb, shapes[s][0], shapes[s][1], shapes[s][2],
						        ab[k][0], ab[k][1], pad, &rng);
	printf("    %d products compared\n", n);
}

/* beta 0 must overwrite C without reading it, as BLAS does. */
static void test_beta_zero_ignores_nan(void)
{
	float A[6] = { 1, 2, 3, 4, 5, 6 }, B[6] = { 1, 0, 0, 1, 1, 1 };  // (2,3), (3,2)
	float want[4] = { 4, 5, 10, 11 };
	for (int naive = 0; naive < 2; naive++) {
		float C[4] = { NAN, NAN, INFINITY, NAN };
		if (naive)
			nn_gemm_naive(0, 0, 2, 2, 3, 1.0f, A, 3, B, 2, 0.0f, C, 2);
		else
			nn_gemm(0, 0, 2, 2, 3, 1.0f, A, 3, B, 2, 0.0f, C, 2);
		CHECK_CLOSE(naive ? "naive" : "blas", C, want, 4, 0, 0);
	}
}

/* K = 0 only scales C; M or N = 0 touches nothing. */
static void test_empty_products(void)
{
	float A[1] = { 7 }, B[1] = { 9 };
	for (int naive = 0; naive < 2; naive++) {
		float C[4] = { 1, 2, 3, 4 }, want[4] = { 2, 4, 6, 8 };
		if (naive)
			nn_gemm_naive(0, 0, 2, 2, 0, 1.0f, A, 1, B, 2, 2.0f, C, 2);
		else
			nn_gemm(0, 0, 2, 2, 0, 1.0f, A, 1, B, 2, 2.0f, C, 2);
		CHECK_CLOSE("K=0 scales by beta", C, want, 4, 0, 0);
		float D[2] = { NAN, 5 }, wantd[2] = { 0, 0 };
		if (naive)
			nn_gemm_naive(0, 0, 1, 2, 0, 1.0f, A, 1, B, 2, 0.0f, D, 2);
		else
			nn_gemm(0, 0, 1, 2, 0, 1.0f, A, 1, B, 2, 0.0f, D, 2);
		CHECK_CLOSE("K=0 beta=0 zeroes", D, wantd, 2, 0, 0);
		float E[1] = { 3 };
		nn_gemm(0, 0, 0, 1, 4, 1.0f, NULL, 4, NULL, 1, 0.0f, E, 1);
		CHECK(E[0] == 3);
	}
}

/* A strided slice: the rows of one time step in a (B, T, H) buffer. */
static void test_strided_rows(void)
{
	enum { Bn = 3, T = 4, H = 5, G = 8 };
	bj_rng rng;
	bj_rng_init(&rng, 7);
	float h[Bn * T * H], w[G * H], out1[Bn * T * G], out2[Bn * T * G];
	fill(h, BJ_ARRAY_SIZE(h), &rng);
	fill(w, BJ_ARRAY_SIZE(w), &rng);
	fill(out1, BJ_ARRAY_SIZE(out1), &rng);
	memcpy(out2, out1, sizeof(out1));
	for (int t = 0; t < T; t++) {
		nn_gemm(0, 1, Bn, G, H, 1.0f, h + t * H, T * H, w, H, 1.0f, out1 + t * G, T * G);
		/* row by row, as plain vectors */
		for (int b = 0; b < Bn; b++)
			nn_gemm_naive(0, 1, 1, G, H, 1.0f, h + (b * T + t) * H, H, w, H, 1.0f,
			              out2 + (b * T + t) * G, G);
	}
	CHECK_CLOSE("strided time steps", out1, out2, BJ_ARRAY_SIZE(out1), 1e-5, 1e-5);
}

/* STYLE.md 2.4: 1 and 2 threads give the same bytes, for every transpose and
 * beta, on shapes around the sizes where OpenBLAS changes kernels (a product
 * of 32 x 128 x 384 split in two once differed from the whole). */
static void test_threads_same_bytes(void)
{
	static const int shapes[][3] = {
		{ 200, 300, 256 }, { 32, 128, 384 }, { 48, 1000, 384 }, { 300, 64, 1100 },
		{ 40, 4000, 96 }, { 1000, 40, 700 },
	};
	bj_rng rng;
	bj_rng_init(&rng, 3);
	int before = nn_get_threads(), compared = 0;
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		int M = shapes[i][0], N = shapes[i][1], K = shapes[i][2];
		float *A = bj_xmalloc(sizeof(float) * M * K), *B = bj_xmalloc(sizeof(float) * K * N);
		float *C1 = bj_xmalloc(sizeof(float) * M * N), *C2 = bj_xmalloc(sizeof(float) * M * N);
		fill(A, (size_t)M * K, &rng);
		fill(B, (size_t)K * N, &rng);
		for (int t = 0; t < 8; t++) {
			int ta = t & 1, tb = t >> 1 & 1;
			float beta = (float)(t >> 2);
			fill(C1, (size_t)M * N, &rng);
			memcpy(C2, C1, sizeof(float) * M * N);
			nn_set_threads(1);
			CHECK(nn_get_threads() == 1);
			nn_gemm(ta, tb, M, N, K, 1.0f, A, ta ? M : K, B, tb ? K : N, beta, C1, N);
			nn_set_threads(2);
			CHECK(nn_get_threads() == 2);
			nn_gemm(ta, tb, M, N, K, 1.0f, A, ta ? M : K, B, tb ? K : N, beta, C2, N);
			CHECK(memcmp(C1, C2, sizeof(float) * M * N) == 0,
			      "%d x %d x %d ta=%d tb=%d beta=%g: 1 and 2 threads differ", M, N, K, ta, tb,
			      beta);
			compared++;
		}
		free(A);
		free(B);
		free(C1);
		free(C2);
	}
	printf("    %d products compared\n", compared);
	nn_set_threads(before);
}

/* nn_gemm_packed against the naive twin: shapes with tails of every kind
 * (rows not a multiple of 8, columns not of 32), strided A and C, beta 0 with
 * garbage in C, on the packed path and on the OpenBLAS one. */
static void test_packed_matches_naive(void)
{
	static const int shapes[][3] = {
		{ 1, 1, 1 }, { 1, 33, 7 }, { 3, 32, 5 }, { 8, 64, 16 }, { 9, 40, 13 }, { 15, 100, 31 },
		{ 16, 2048 / 16, 64 }, { 25, 96, 70 }, { 7, 5, 200 },
	};
	bj_rng rng;
	bj_rng_init(&rng, 11);
	int n = 0;
	for (int blas = 0; blas < 2; blas++) {
		nn_gemm_force_blas(blas);
		for (size_t s = 0; s < BJ_ARRAY_SIZE(shapes); s++)
			for (int tb = 0; tb < 2; tb++)
				for (int beta = 0; beta < 2; beta++, n++) {
					int M = shapes[s][0], N = shapes[s][1], K = shapes[s][2];
					int lda = K + 3, ldb = (tb ? K : N) + 2, ldc = N + 5;
					size_t nb = (size_t)(tb ? N : K) * ldb;
					float *A = bj_xmalloc(sizeof(float) * M * lda);
					float *B = bj_xmalloc(sizeof(float) * nb);
					float *C1 = bj_xmalloc(sizeof(float) * M * ldc);
					float *C2 = bj_xmalloc(sizeof(float) * M * ldc);
					float *panels = aligned_alloc(64, sizeof(float) * nn_gemm_pack_floats(K, N));
					float *scratch = aligned_alloc(64, sizeof(float) * 8 * ((K + 15) / 16 * 16));
					fill(A, (size_t)M * lda, &rng);
					fill(B, nb, &rng);
					fill(C1, (size_t)M * ldc, &rng);
					memcpy(C2, C1, sizeof(float) * M * ldc);
					if (!beta)
						for (int i = 0; i < M; i++)
							C1[(size_t)i * ldc] = NAN;
					nn_gemm_pb pb;
					nn_gemm_pack(&pb, tb, K, N, B, ldb, panels);
					CHECK(blas ? pb.panels == NULL : pb.panels == (nn_gemm_packed_available() ? panels : NULL));
					nn_gemm_packed(M, A, lda, &pb, (float)beta, C1, ldc, scratch);
					nn_gemm_naive(0, tb, M, N, K, 1.0f, A, lda, B, ldb, (float)beta, C2, ldc);
					char name[128];
					snprintf(name, sizeof(name), "packed%s M=%d N=%d K=%d tb=%d beta=%d",
					         blas ? " (blas)" : "", M, N, K, tb, beta);
					CHECK_CLOSE(name, C1, C2, (size_t)M * ldc, 2e-6 * (K + 1), 1e-5);
					free(A), free(B), free(C1), free(C2), free(panels), free(scratch);
				}
	}
	nn_gemm_force_blas(0);
	printf("    %d products compared%s\n", n,
	       nn_gemm_packed_available() ? "" : " (no AVX-512: both through OpenBLAS)");
}

/* Permuted columns and column ranges: each range of the permuted product is
 * the naive product of the columns it names. */
static void test_packed_columns(void)
{
	if (!nn_gemm_packed_available()) {
		test_skip("this CPU has no AVX-512");
		return;
	}
	enum { M = 3, K = 20, SRC = 50, N = 96 };
	bj_rng rng;
	bj_rng_init(&rng, 12);
	float *B = bj_xmalloc(sizeof(float) * SRC * K), A[M * K], C[M * N], want[M * N];
	float *panels = aligned_alloc(64, sizeof(float) * nn_gemm_pack_floats(K, N));
	float *scratch = aligned_alloc(64, sizeof(float) * 8 * 32);
	int cols[N];
	for (int n = 0; n < N; n++)
		cols[n] = n % 7 == 3 ? -1 : (int)bj_rng_below(&rng, SRC);
	fill(B, (size_t)SRC * K, &rng);
	fill(A, BJ_ARRAY_SIZE(A), &rng);
	nn_gemm_pb pb;
	nn_gemm_pack_cols(&pb, 1, K, N, B, K, SRC, cols, panels);
	for (int i = 0; i < M * N; i++)
		C[i] = NAN;
	nn_gemm_packed_cols(M, A, K, &pb, 0.0f, C, N, scratch, 32, 64);
	nn_gemm_packed_cols(M, A, K, &pb, 0.0f, C, N, scratch, 64, N);
	nn_gemm_packed_cols(M, A, K, &pb, 0.0f, C, N, scratch, 0, 32);
	for (int i = 0; i < M; i++)
		for (int n = 0; n < N; n++) {
			float *w = &want[i * N + n];
			*w = 0.0f;
			if (cols[n] >= 0)
				nn_gemm_naive(0, 1, 1, 1, K, 1.0f, A + i * K, K, B + (size_t)cols[n] * K, K,
				              0.0f, w, 1);
		}
	CHECK_CLOSE("permuted columns", C, want, BJ_ARRAY_SIZE(C), 1e-5, 1e-5);
	free(B), free(panels), free(scratch);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_gemm_matches_naive),
		TEST_CASE(test_beta_zero_ignores_nan),
		TEST_CASE(test_empty_products),
		TEST_CASE(test_strided_rows),
		TEST_CASE(test_threads_same_bytes),
		TEST_CASE(test_packed_matches_naive),
		TEST_CASE(test_packed_columns),
		{ 0 },
	};
	return test_main(cases);
}
