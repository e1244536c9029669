#include "vision/facedesc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "vision/align.h"

#define S VISION_FACEDESC_CROP
#define G VISION_FACEDESC_GRID
#define B VISION_FACEDESC_BINS

/* The bin of each 8-bit pattern: uniform ones (at most two 0/1 changes going
 * round) get bins 0..57 in order of their codes, the rest bin 58. */
static void uniform_bins(unsigned char bins[256])
{
	int next = 0;
	for (int c = 0; c < 256; c++) {
		int changes = 0;
		for (int k = 0; k < 8; k++)
			changes += ((c >> k) & 1) != ((c >> ((k + 1) & 7)) & 1);
		bins[c] = (unsigned char)(changes <= 2 ? next++ : B - 1);
	}
}

int vision_facedesc(const media_image *img, const float *landmarks, float *desc)
{
	media_image *crop = vision_align_crop(img, landmarks, S);
	if (!crop)
		return bj_error_code();
	unsigned char grey[S][S], bins[256];
	for (int y = 0; y < S; y++)
		for (int x = 0; x < S; x++) {
			const uint8_t *p = crop->data + (size_t)y * crop->stride + (size_t)x * (size_t)crop->channels;
			grey[y][x] = crop->channels == 3 ? (unsigned char)((p[0] + p[1] + p[2]) / 3) : p[0];
		}
	media_image_free(crop);
	uniform_bins(bins);
	static const int dx[8] = { -1, 0, 1, 1, 1, 0, -1, -1 }, dy[8] = { -1, -1, -1, 0, 1, 1, 1, 0 };
	memset(desc, 0, VISION_FACEDESC_DIM * sizeof *desc);
	for (int y = 1; y < S - 1; y++)
		for (int x = 1; x < S - 1; x++) {
			int code = 0;
			for (int k = 0; k < 8; k++)
				code |= (grey[y + dy[k]][x + dx[k]] >= grey[y][x]) << k;
			int cell = (y - 1) * G / (S - 2) * G + (x - 1) * G / (S - 2);
			desc[cell * B + bins[code]] += 1.0f;
		}
	for (int c = 0; c < G * G; c++) {
		float sum = 0.0f;
		for (int b = 0; b < B; b++)
			sum += desc[c * B + b];
		for (int b = 0; b < B; b++)
			desc[c * B + b] = sqrtf(desc[c * B + b] / sum);
	}
	vision_facedesc_normalise(desc);
	return 0;
}

void vision_facedesc_normalise(float *desc)
{
	double n = 0.0;
	for (int i = 0; i < VISION_FACEDESC_DIM; i++)
		n += (double)desc[i] * desc[i];
	if (n <= 0.0)
		return;
	float k = (float)(1.0 / sqrt(n));
	for (int i = 0; i < VISION_FACEDESC_DIM; i++)
		desc[i] *= k;
}

double vision_facedesc_distance(const float *a, const float *b)
{
	double d = 0.0;
	for (int i = 0; i < VISION_FACEDESC_DIM; i++)
		d += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
	return sqrt(d);
}

int vision_facedesc_cluster(const float *desc, int n, double threshold, int *labels)
{
	if (n <= 0)
		return 0;
	size_t nn;
	if (!bj_size_mul(&nn, (size_t)n, (size_t)n))
		return bj_error_set(BJ_ENOMEM, "too many faces to cluster");
	double *sum = bj_try_malloc(nn * sizeof *sum);   /* summed distances between groups */
	int *size = bj_try_malloc((size_t)n * sizeof *size), *root = bj_try_malloc((size_t)n * sizeof *root);
	if (!sum || !size || !root) {
		free(sum);
		free(size);
		free(root);
		return BJ_ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		size[i] = 1;
		root[i] = i;
		for (int j = 0; j < i; j++)
			sum[(size_t)i * n + j] = sum[(size_t)j * n + i] =
				vision_facedesc_distance(desc + (size_t)i * VISION_FACEDESC_DIM, desc + (size_t)j * VISION_FACEDESC_DIM);
	}
	for (;;) {
		int bi = -1, bj = -1;
		double best = threshold;
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n && size[i]; j++)
				if (size[j]) {
					double mean = sum[(size_t)i * n + j] / ((double)size[i] * size[j]);
					if (mean < best)
						best = mean, bi = i, bj = j;
				}
		if (bi < 0)
			break;
		/* merge bj into bi */
		for (int k = 0; k < n; k++)
			if (size[k] && k != bi && k != bj)
				sum[(size_t)bi * n + k] = sum[(size_t)k * n + bi] = sum[(size_t)bi * n + k] + sum[(size_t)bj * n + k];
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
	free(size);
	free(root);
	return groups;
}
