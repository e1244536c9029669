/* nn/eigen: a symmetric matrix's eigen-decomposition, checked by A v = w v and
 * orthonormal eigenvectors; bad sizes. */
#include "nn/eigen.h"

#include <math.h>

#include "base/error.h"
#include "harness.h"

static void test_decompose(void)
{
	enum { N = 5 };
	double a[N * N], orig[N * N], w[N];
	for (int i = 0; i < N; i++)
		for (int j = 0; j <= i; j++)
			a[i * N + j] = a[j * N + i] = orig[i * N + j] = orig[j * N + i] = 1.0 / (1 + i + j) + (i == j ? i : 0);
	CHECK(nn_eigen_symmetric(N, a, w) == 0, "%s", bj_error_message());
	for (int k = 0; k < N; k++) {
		if (k > 0)
			CHECK(w[k] >= w[k - 1]);
		for (int i = 0; i < N; i++) {
			double av = 0;
			for (int j = 0; j < N; j++)
				av += orig[i * N + j] * a[k * N + j];
			CHECK_NEAR(av, w[k] * a[k * N + i], 1e-9);
		}
		for (int l = 0; l < N; l++) {
			double dot = 0;
			for (int j = 0; j < N; j++)
				dot += a[k * N + j] * a[l * N + j];
			CHECK_NEAR(dot, k == l ? 1.0 : 0.0, 1e-9);
		}
	}
	CHECK(nn_eigen_symmetric(0, a, w) == BJ_EINVAL);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_decompose),
		{ 0 },
	};
	return test_main(cases);
}
