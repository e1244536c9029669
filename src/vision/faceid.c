#include "vision/faceid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "nn/eigen.h"
#include "nn/gemm.h"

/* Whitening's regularisers: added to each variance, in units of the mean
 * variance of the components kept (1: the weak components are scaled up at
 * most about as much as the mean one). */
#define PCA_REG 1.0
#define WITHIN_REG 0.1

static void unit(float *v, int dim)
{
	double s = 0.0;
	for (int i = 0; i < dim; i++)
		s += (double)v[i] * v[i];
	if (s > 0)
		for (int i = 0; i < dim; i++)
			v[i] = (float)(v[i] / sqrt(s));
}

/* Whitened principal components of the n rows of desc: out (n x k) holds each
 * row's coordinates on the k strongest components, each scaled to unit
 * variance (regularised by PCA_REG times the mean variance).  Returns the
 * number of components kept (those with non-zero variance, at most k). */
static int pca(const float *desc, int n, int dim, int k, float *out)
{
	float *x = bj_try_malloc((size_t)n * dim * sizeof *x), *g = bj_try_malloc((size_t)n * n * sizeof *g);
	double *mean = bj_try_calloc((size_t)dim, sizeof *mean), *a = bj_try_malloc((size_t)n * n * sizeof *a),
	       *w = bj_try_malloc((size_t)n * sizeof *w);
	int ret = BJ_ENOMEM;
	if (!x || !g || !mean || !a || !w)
		goto out;
	for (int i = 0; i < n; i++)
		for (int d = 0; d < dim; d++)
			mean[d] += desc[(size_t)i * dim + d];
	for (int i = 0; i < n; i++)
		for (int d = 0; d < dim; d++)
			x[(size_t)i * dim + d] = (float)(desc[(size_t)i * dim + d] - mean[d] / n);
	/* the n x n Gram matrix has the same non-zero eigenvalues as the dim x dim
	 * covariance, and its eigenvectors are the rows' coordinates */
	nn_gemm(0, 1, n, n, dim, 1.0f, x, dim, x, dim, 0.0f, g, n);
	for (size_t i = 0; i < (size_t)n * n; i++)
		a[i] = g[i];
	if ((ret = nn_eigen_symmetric(n, a, w)) < 0)
		goto out;
	int kept = 0;
	double total = 0.0;
	for (int i = n - 1; i >= 0 && kept < k && w[i] > 1e-5 * w[n - 1]; i--, kept++)
		total += w[i];
	if (kept == 0) {
		ret = bj_error_set(BJ_EINVAL, "all the faces are the same");
		goto out;
	}
	for (int c = 0; c < kept; c++) {
		double lambda = w[n - 1 - c];
		/* coordinate s u_j with s = sqrt(lambda), over its (regularised)
		 * standard deviation sqrt(lambda / n) */
		double scale = sqrt(lambda) / sqrt((lambda + PCA_REG * total / kept) / n);
		const double *u = a + (size_t)(n - 1 - c) * n;
		for (int j = 0; j < n; j++)
			out[(size_t)j * k + c] = (float)(u[j] * scale);
	}
	ret = kept;
out:
	free(x);
	free(g);
	free(mean);
	free(a);
	free(w);
	return ret;
}

/* Whitens the within-group covariance of the n rows of z (n x k, the first
 * dim columns used) in place; faces of groups of one are left out of the
 * estimate.  No groups of two: nothing changes. */
static int within_whiten(float *z, int n, int k, int dim, const int *group)
{
	double *mean = bj_try_calloc((size_t)n * dim, sizeof *mean), *sw = bj_try_calloc((size_t)dim * dim, sizeof *sw),
	       *w = bj_try_malloc((size_t)dim * sizeof *w), *v = bj_try_malloc((size_t)dim * sizeof *v);
	int *count = bj_try_calloc((size_t)n, sizeof *count), *slot = bj_try_malloc((size_t)n * sizeof *slot);
	int ret = BJ_ENOMEM;
	if (!mean || !sw || !w || !v || !count || !slot)
		goto out;
	/* slot: a group's index among the groups, by its first face */
	int groups = 0;
	for (int i = 0; i < n; i++) {
		slot[i] = -1;
		if (group[i] < 0)
			continue;
		for (int j = 0; j < i && slot[i] < 0; j++)
			if (group[j] == group[i])
				slot[i] = slot[j];
		if (slot[i] < 0)
			slot[i] = groups++;
		count[slot[i]]++;
		for (int d = 0; d < dim; d++)
			mean[(size_t)slot[i] * dim + d] += z[(size_t)i * k + d];
	}
	int used = 0;
	for (int i = 0; i < n; i++) {
		if (slot[i] < 0 || count[slot[i]] < 2)
			continue;
		used++;
		for (int d = 0; d < dim; d++)
			v[d] = z[(size_t)i * k + d] - mean[(size_t)slot[i] * dim + d] / count[slot[i]];
		for (int a = 0; a < dim; a++)
			for (int b = 0; b < dim; b++)
				sw[(size_t)a * dim + b] += v[a] * v[b];
	}
	ret = 0;
	if (used < 2)
		goto out;
	if ((ret = nn_eigen_symmetric(dim, sw, w)) < 0)
		goto out;
	double total = 0.0;
	for (int d = 0; d < dim; d++)
		total += w[d] > 0 ? w[d] : 0;
	for (int i = 0; i < n; i++) {
		float *zi = z + (size_t)i * k;
		for (int c = 0; c < dim; c++) {
			double s = 0.0;
			for (int d = 0; d < dim; d++)
				s += sw[(size_t)c * dim + d] * zi[d];
			v[c] = s / sqrt((w[c] > 0 ? w[c] : 0) + WITHIN_REG * total / dim);
		}
		for (int c = 0; c < dim; c++)
			zi[c] = (float)v[c];
	}
out:
	free(mean);
	free(sw);
	free(w);
	free(v);
	free(count);
	free(slot);
	return ret;
}

int vision_faceid_project(const float *desc, int n, int dim, const int *group, int k, float *out)
{
	if (n < 2 || k < 1 || dim < 1)
		return bj_error_set(BJ_EINVAL, "a projection of faces needs two faces or more");
	memset(out, 0, (size_t)n * k * sizeof *out);
	int kept = pca(desc, n, dim, k, out);
	if (kept < 0)
		return kept;
	int ret = group ? within_whiten(out, n, k, kept, group) : 0;
	if (ret < 0)
		return ret;
	for (int i = 0; i < n; i++)
		unit(out + (size_t)i * k, kept);
	return kept;
}

double vision_faceid_distance(const float *a, const float *b, int dim)
{
	double ab = 0.0, aa = 0.0, bb = 0.0;
	for (int i = 0; i < dim; i++) {
		ab += (double)a[i] * b[i];
		aa += (double)a[i] * a[i];
		bb += (double)b[i] * b[i];
	}
	return aa > 0 && bb > 0 ? 1.0 - ab / sqrt(aa * bb) : 1.0;
}

int vision_faceid_cluster(const float *x, int n, int dim, double threshold, const unsigned char *apart,
                          int *labels)
{
	if (n <= 0)
		return 0;
	size_t nn;
	if (!bj_size_mul(&nn, (size_t)n, (size_t)n))
		return bj_error_set(BJ_ENOMEM, "too many faces to cluster");
	double *sum = bj_try_malloc(nn * sizeof *sum);   /* summed distances between groups */
	unsigned char *never = bj_try_calloc(nn, 1);    /* the groups hold a pair kept apart */
	int *size = bj_try_malloc((size_t)n * sizeof *size), *root = bj_try_malloc((size_t)n * sizeof *root);
	if (!sum || !never || !size || !root) {
		free(sum);
		free(never);
		free(size);
		free(root);
		return BJ_ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		size[i] = 1;
		root[i] = i;
		for (int j = 0; j < i; j++) {
			sum[(size_t)i * n + j] = sum[(size_t)j * n + i] =
				vision_faceid_distance(x + (size_t)i * dim, x + (size_t)j * dim, dim);
			never[(size_t)i * n + j] = never[(size_t)j * n + i] = apart && apart[(size_t)i * n + j];
		}
	}
	for (;;) {
		int bi = -1, bj = -1;
		double best = threshold;
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n && size[i]; j++)
				if (size[j] && !never[(size_t)i * n + j]) {
					double mean = sum[(size_t)i * n + j] / ((double)size[i] * size[j]);
					if (mean < best)
						best = mean, bi = i, bj = j;
				}
		if (bi < 0)
			break;
		/* merge bj into bi */
		for (int k = 0; k < n; k++)
			if (size[k] && k != bi && k != bj) {
				sum[(size_t)bi * n + k] = sum[(size_t)k * n + bi] = sum[(size_t)bi * n + k] + sum[(size_t)bj * n + k];
				never[(size_t)bi * n + k] = never[(size_t)k * n + bi] =
					never[(size_t)bi * n + k] | never[(size_t)bj * n + k];
			}
		size[bi] += size[bj];
		size[bj] = 0;
		for (int k = 0; k < n; k++)
			if (root[k] == bj)
				root[k] = bi;
	}
	/* number the groups by first member */
	int groups = 0;
	for (int i = 0; i < n; i++)
		size[i] = -1;
	for (int i = 0; i < n; i++) {
		if (size[root[i]] < 0)
			size[root[i]] = groups++;
		labels[i] = size[root[i]];
	}
	free(sum);
	free(never);
	free(size);
	free(root);
	return groups;
}
