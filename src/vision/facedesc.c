#include "vision/facedesc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "vision/align.h"

#define CROP VISION_FACEDESC_CROP
#define B VISION_FACEDESC_BINS
#define C VISION_FACEDESC_CELLS
#define CELL_PX VISION_FACEDESC_CELL_PX
#define PATCH_DIM (C * C * B)

/* The landmarks patches are centred on (dlib's 68-point numbering): brows,
 * eye corners, nose bridge, tip and wings, mouth corners and lips, chin. */
static const int points[VISION_FACEDESC_POINTS] = { 17, 19, 21, 22, 24, 26, 36, 39, 42, 45,
                                                     27, 30, 31, 33, 35, 48, 51, 54, 57, 8 };

/* The crop sizes of the scales, largest first: each 1/sqrt(2) of the last. */
static const int scales[VISION_FACEDESC_SCALES] = VISION_FACEDESC_SIZES;

/* The bin of each 8-bit pattern: uniform ones (at most two 0/1 changes going
 * round) get bins 0..57 in order of their codes, the rest bin 58. */
static const unsigned char *uniform_bins(void)
{
	static unsigned char bins[256];
	static int done;
	if (!done) {
		int next = 0;
		for (int c = 0; c < 256; c++) {
			int changes = 0;
			for (int k = 0; k < 8; k++)
				changes += ((c >> k) & 1) != ((c >> ((k + 1) & 7)) & 1);
			bins[c] = (unsigned char)(changes <= 2 ? next++ : B - 1);
		}
		done = 1;
	}
	return bins;
}

/* Each pixel's uniform-pattern bin in a size x size grey image (borders 255:
 * not counted). */
static void pattern_bins(const unsigned char *grey, int size, unsigned char *out)
{
	static const int dx[8] = { -1, 0, 1, 1, 1, 0, -1, -1 }, dy[8] = { -1, -1, -1, 0, 1, 1, 1, 0 };
	const unsigned char *bins = uniform_bins();
	memset(out, 255, (size_t)size * size);
	for (int y = 1; y < size - 1; y++)
		for (int x = 1; x < size - 1; x++) {
			int code = 0, v = grey[y * size + x];
			for (int k = 0; k < 8; k++)
				code |= (grey[(y + dy[k]) * size + x + dx[k]] >= v) << k;
			out[y * size + x] = bins[code];
		}
}

/* The C x C cells of CELL_PX pixels around (cx, cy): a histogram each,
 * normalised to sum 1 and square-rooted (Hellinger). */
static void patch(const unsigned char *bins, int size, float cx, float cy, float *out)
{
	memset(out, 0, PATCH_DIM * sizeof *out);
	int x0 = (int)lrintf(cx - 0.5f * C * CELL_PX), y0 = (int)lrintf(cy - 0.5f * C * CELL_PX);
	for (int cy_ = 0; cy_ < C; cy_++)
		for (int cx_ = 0; cx_ < C; cx_++) {
			float *h = out + (cy_ * C + cx_) * B;
			int n = 0;
			for (int y = y0 + cy_ * CELL_PX; y < y0 + (cy_ + 1) * CELL_PX; y++)
				for (int x = x0 + cx_ * CELL_PX; x < x0 + (cx_ + 1) * CELL_PX; x++)
					if (x >= 0 && y >= 0 && x < size && y < size && bins[y * size + x] != 255) {
						h[bins[y * size + x]] += 1.0f;
						n++;
					}
			for (int b = 0; n && b < B; b++)
				h[b] = sqrtf(h[b] / (float)n);
		}
}

/* dst (size x size) from the grey crop src (CROP x CROP) shrunk: each pixel
 * the mean of 2 x 2 bilinear samples within its footprint. */
static void shrink(const unsigned char *src, int size, unsigned char *dst)
{
	double k = (double)CROP / size;
	for (int y = 0; y < size; y++)
		for (int x = 0; x < size; x++) {
			double sum = 0.0;
			for (int j = 0; j < 2; j++)
				for (int i = 0; i < 2; i++) {
					double sx = (x + 0.25 + 0.5 * i) * k - 0.5, sy = (y + 0.25 + 0.5 * j) * k - 0.5;
					int x0 = (int)floor(sx), y0 = (int)floor(sy);
					double fx = sx - x0, fy = sy - y0;
					int x1 = x0 + 1 < CROP ? x0 + 1 : CROP - 1, y1 = y0 + 1 < CROP ? y0 + 1 : CROP - 1;
					x0 = x0 < 0 ? 0 : x0, y0 = y0 < 0 ? 0 : y0;
					sum += (1 - fy) * ((1 - fx) * src[y0 * CROP + x0] + fx * src[y0 * CROP + x1]) +
					       fy * ((1 - fx) * src[y1 * CROP + x0] + fx * src[y1 * CROP + x1]);
				}
			dst[y * size + x] = (unsigned char)lrint(sum / 4);
		}
}

void vision_facedesc_crop(const uint8_t *grey, const float *points_in_crop, float *desc)
{
	unsigned char small[CROP * CROP], bins[CROP * CROP];
	for (int s = 0; s < VISION_FACEDESC_SCALES; s++) {
		int size = scales[s];
		const unsigned char *img = grey;
		if (size != CROP) {
			shrink(grey, size, small);
			img = small;
		}
		pattern_bins(img, size, bins);
		float k = (float)size / CROP;
		for (int i = 0; i < VISION_FACEDESC_POINTS; i++)
			patch(bins, size, points_in_crop[2 * points[i]] * k, points_in_crop[2 * points[i] + 1] * k,
			      desc + ((size_t)s * VISION_FACEDESC_POINTS + i) * PATCH_DIM);
	}
	vision_facedesc_normalise(desc);
}

int vision_facedesc(const media_image *img, const float *landmarks, float *desc)
{
	vision_similarity t;
	media_image *crop = NULL;
	if (vision_align_transform(landmarks, CROP, &t) < 0 || !(crop = vision_align_crop(img, landmarks, CROP)))
		return bj_error_code();
	uint8_t grey[CROP * CROP];
	vision_facedesc_grey(crop, grey);
	media_image_free(crop);
	float pts[2 * 68];
	memcpy(pts, landmarks, sizeof pts);
	vision_similarity_apply(&t, pts, 68);
	vision_facedesc_crop(grey, pts, desc);
	return 0;
}

void vision_facedesc_grey(const media_image *crop, uint8_t *grey)
{
	for (int y = 0; y < CROP; y++)
		for (int x = 0; x < CROP; x++) {
			const uint8_t *p = crop->data + (size_t)y * crop->stride + (size_t)x * (size_t)crop->channels;
			grey[y * CROP + x] = crop->channels >= 3 ? (uint8_t)((p[0] + p[1] + p[2]) / 3) : p[0];
		}
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
