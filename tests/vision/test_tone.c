/* Colour, black-and-white, grain and blur matching on synthetic images. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "harness.h"
#include "media/image.h"
#include "vision/tone.h"

#define W 96
#define H 96

static media_image *texture(uint64_t seed, int tint)
{
	bj_rng rng;
	bj_rng_init(&rng, seed);
	media_image *img = media_image_new(W, H, 3);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			double v = 120 + 40 * sin(0.3 * x) * cos(0.23 * y) + 10 * bj_rng_normal(&rng);
			for (int c = 0; c < 3; c++) {
				double t = v + (tint ? 30 * (1 - c) : 0);
				img->data[y * img->stride + 3 * x + c] = (uint8_t)fmin(fmax(t, 0), 255);
			}
		}
	return img;
}

static uint8_t *full_mask(void)
{
	uint8_t *m = malloc(W * H);
	memset(m, 255, W * H);
	return m;
}

static void test_lab_roundtrip(void)
{
	int worst = 0;
	for (int r = 0; r < 256; r += 15)
		for (int g = 0; g < 256; g += 15)
			for (int b = 0; b < 256; b += 15) {
				uint8_t in[3] = { (uint8_t)r, (uint8_t)g, (uint8_t)b }, out[3];
				float lab[3];
				vision_rgb_to_lab(in, lab);
				vision_lab_to_rgb(lab, out);
				for (int c = 0; c < 3; c++)
					worst = abs(in[c] - out[c]) > worst ? abs(in[c] - out[c]) : worst;
			}
	CHECK(worst <= 1, "round trip off by %d", worst);
	float lab[3];
	vision_rgb_to_lab((const uint8_t[]){ 255, 255, 255 }, lab);
	CHECK_NEAR(lab[0], 100, 0.05);
	CHECK_NEAR(lab[1], 0, 0.05);
}

static void test_transfer_and_mono(void)
{
	media_image *a = texture(1, 1), *b = texture(2, 0);
	uint8_t *m = full_mask();
	double sa[6], sb[6], s2[6];
	vision_lab_stats(a, m, sa);
	vision_lab_stats(b, m, sb);
	CHECK(!vision_is_monochrome(a, m), "tinted image chroma %g", vision_chroma(a, m));
	CHECK(vision_is_monochrome(b, m), "grey image chroma %g", vision_chroma(b, m));
	vision_lab_transfer(a, m, sa, sb, 0);
	vision_lab_stats(a, m, s2);
	for (int c = 0; c < 6; c++)
		CHECK(fabs(s2[c] - sb[c]) < 1.5, "stat %d: %g, want %g", c, s2[c], sb[c]);
	media_image_free(a);
	a = texture(1, 1);
	vision_lab_transfer(a, m, sa, sa, 1);
	CHECK(vision_is_monochrome(a, m), "made mono, chroma %g", vision_chroma(a, m));
	free(m);
	media_image_free(a);
	media_image_free(b);
}

static void test_grain(void)
{
	uint8_t *m = full_mask();
	for (int s = 2; s <= 8; s += 3) {
		media_image *a = media_image_new(W, H, 3), *b = media_image_new(W, H, 3);
		memset(a->data, 128, (size_t)H * a->stride);
		memset(b->data, 128, (size_t)H * b->stride);
		vision_add_grain(a, m, s, 5, 0, 0);
		vision_add_grain(b, m, s, 5, 3, 2);
		/* b's grain is a's moved by (3, 2) */
		int same = 1;
		for (int y = 2; y < H; y++)
			same &= memcmp(a->data + (size_t)(y - 2) * a->stride, b->data + (size_t)y * b->stride + 9,
			               3 * (size_t)(W - 3)) == 0;
		CHECK(same, "grain does not follow its origin");
		vision_add_grain(b, m, s, 6, 3, 2);
		CHECK(vision_noise_sigma(b, m) > 1.2 * s, "another seed adds other grain");
		double est = vision_noise_sigma(a, m);
		CHECK(fabs(est - s) < 0.15 * s + 0.3, "sigma %d estimated %g", s, est);
		media_image_free(a);
		media_image_free(b);
	}
	free(m);
}

/* The footage grain of one pixel as the header says: its luma minus the
 * mean of the 3 x 3 around it, clipped to +-limit, times gain, onto each
 * channel; worked out here pixel by pixel, apart from the library's bands. */
static uint8_t footage_grain_at(const media_image *img, const media_image *f, int x, int y, int c, double gain,
                                double limit)
{
	float l[3][3];
	for (int dy = -1; dy <= 1; dy++)
		for (int dx = -1; dx <= 1; dx++) {
			const uint8_t *q = f->data + (size_t)(y + dy) * f->stride + 3 * (size_t)(x + dx);
			l[dy + 1][dx + 1] = 0.299f * q[0] + 0.587f * q[1] + 0.114f * q[2];
		}
	float sum = 0;
	for (int i = 0; i < 9; i++)
		sum += l[i / 3][i % 3];
	double g = l[1][1] - sum / 9.0f;
	g = gain * (g < -limit ? -limit : g > limit ? limit : g);
	double v = img->data[(size_t)y * img->stride + 3 * (size_t)x + c] + g + 0.5;
	return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

/* The banded footage grain gives, on no pool, two threads and three, the
 * bytes worked out pixel by pixel: inside a round mask and a box that does
 * not divide evenly into the bands (and one reaching the frame's edges,
 * whose outermost pixels it leaves), and nothing outside them. */
static void test_footage_grain_bands(void)
{
	bj_pool *pools[3] = { NULL, bj_pool_new(2), bj_pool_new(3) };
	CHECK(pools[1] && pools[2]);
	if (!pools[1] || !pools[2])
		goto out;
	uint8_t *m = full_mask();
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			m[y * W + x] = (x - 50) * (x - 50) + (y - 44) * (y - 44) < 35 * 35 ? 255 : 0;
	media_image *footage = texture(11, 1), *face = texture(12, 0);
	static const vision_rect boxes[] = { { 9, 5, 83, 78 }, { 0, 0, W, H } };
	for (int i = 0; i < 2; i++) {
		vision_rect r = boxes[i];
		media_image *want = media_image_new(W, H, 3);
		memcpy(want->data, face->data, (size_t)H * face->stride);
		int changed = 0;
		for (int y = r.y0 > 1 ? r.y0 : 1; y < r.y1 && y < H - 1; y++)
			for (int x = r.x0 > 1 ? r.x0 : 1; x < r.x1 && x < W - 1; x++)
				for (int c = 0; m[y * W + x] && c < 3; c++) {
					uint8_t v = footage_grain_at(face, footage, x, y, c, 0.8, 6);
					changed += v != want->data[(size_t)y * want->stride + 3 * (size_t)x + c];
					want->data[(size_t)y * want->stride + 3 * (size_t)x + c] = v;
				}
		CHECK(changed > 1000, "box %d: the grain changed only %d values", i, changed);
		for (int p = 0; p < 3; p++) {
			media_image *got = media_image_new(W, H, 3);
			memcpy(got->data, face->data, (size_t)H * face->stride);
			vision_add_footage_grain_on(pools[p], got, footage, m, r, 0.8, 6);
			CHECK(memcmp(got->data, want->data, (size_t)H * got->stride) == 0, "box %d, pool %d: bytes differ",
			      i, p);
			media_image_free(got);
		}
		media_image_free(want);
	}
	media_image_free(footage);
	media_image_free(face);
	free(m);
out:
	bj_pool_free(pools[1]);
	bj_pool_free(pools[2]);
}

/* Blur, sharpening and softening banded over two threads and three give the
 * plain calls' bytes, on boxes that do not divide evenly into the bands
 * (one shorter than there are bands) and on the whole image. */
static void test_blur_bands(void)
{
	bj_pool *pools[2] = { bj_pool_new(2), bj_pool_new(3) };
	CHECK(pools[0] && pools[1]);
	if (!pools[0] || !pools[1])
		goto out;
	static const vision_rect boxes[] = { { 9, 5, 83, 78 }, { 0, 0, W, H }, { 20, 30, 61, 35 } };
	for (int i = 0; i < 3; i++)
		for (int op = 0; op < 3; op++) {
			media_image *want = texture(21 + (uint64_t)i, 1);
			if (op == 0)
				vision_blur(want, boxes[i], 1.3);
			else if (op == 1)
				vision_sharpen(want, boxes[i], 0.75);
			else
				vision_soften_detail(want, boxes[i], 0.4);
			for (int p = 0; p < 2; p++) {
				media_image *got = texture(21 + (uint64_t)i, 1);
				if (op == 0)
					vision_blur_on(pools[p], got, boxes[i], 1.3);
				else if (op == 1)
					vision_sharpen_on(pools[p], got, boxes[i], 0.75);
				else
					vision_soften_detail_on(pools[p], got, boxes[i], 0.4);
				CHECK(memcmp(got->data, want->data, (size_t)H * got->stride) == 0,
				      "box %d, op %d, pool %d: bytes differ", i, op, p);
				media_image_free(got);
			}
			media_image *orig = texture(21 + (uint64_t)i, 1);
			CHECK(memcmp(orig->data, want->data, (size_t)H * orig->stride) != 0, "box %d, op %d: no change", i,
			      op);
			media_image_free(orig);
			media_image_free(want);
		}
out:
	bj_pool_free(pools[0]);
	bj_pool_free(pools[1]);
}

static int cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* The noise estimate is the median of the absolute residuals (pixel minus
 * its 3 x 3 mean) as a full sort gives it, on grain with many ties and on
 * flat images (every residual 0), inside a round mask of odd and even counts. */
static void test_noise_median(void)
{
	for (int t = 0; t < 4; t++) {
		media_image *img = t < 3 ? texture(31 + (uint64_t)t, t) : media_image_new(W, H, 3);
		if (t == 3)
			memset(img->data, 77, (size_t)H * img->stride);
		uint8_t *m = full_mask();
		for (int y = 0; y < H; y++)
			for (int x = 0; x < W; x++)
				m[y * W + x] = (x - 40) * (x - 40) + (y - 50) * (y - 50) < (20 + 5 * t) * (20 + 5 * t) ? 255 : 0;
		float *r = malloc(sizeof(float) * W * H);
		size_t n = 0;
		for (int y = 1; y + 1 < H; y++)
			for (int x = 1; x + 1 < W; x++) {
				if (!m[y * W + x])
					continue;
				float l[9], sum = 0;
				for (int i = 0; i < 9; i++) {
					const uint8_t *q = img->data + (size_t)(y + i / 3 - 1) * img->stride + 3 * (size_t)(x + i % 3 - 1);
					l[i] = 0.299f * q[0] + 0.587f * q[1] + 0.114f * q[2];
				}
				for (int i = 0; i < 9; i++)
					sum += l[i];
				r[n++] = fabsf(l[4] - sum / 9.0f);
			}
		qsort(r, n, sizeof(float), cmp_float);
		double want = r[n / 2] / 0.6745 / sqrt(8.0 / 9), got = vision_noise_sigma(img, m);
		CHECK(got == want, "image %d (%zu residuals): %.9g, sorted %.9g", t, n, got, want);
		free(r);
		free(m);
		media_image_free(img);
	}
}

static void test_blur_match(void)
{
	uint8_t *m = full_mask();
	vision_rect r = { 0, 0, W, H };
	for (double want = 0.5; want <= 2.0; want += 0.75) {
		media_image *sharp = texture(3, 0), *soft = texture(3, 0);
		vision_blur(soft, r, want);
		double got = vision_blur_to_match(sharp, soft, m, r);
		CHECK(fabs(got - want) <= 0.5, "blurred by %g, matched %g", want, got);
		CHECK(vision_sharpness(soft, m) < vision_sharpness(sharp, m));
		media_image_free(sharp);
		media_image_free(soft);
	}
	free(m);
}

/* An enlarged small photo is softer than the footage: sharpening, not
 * blurring, matches it; a face already as sharp is left alone. */
static void test_sharpen_match(void)
{
	uint8_t *m = full_mask();
	vision_rect r = { 0, 0, W, H };
	media_image *sharp = texture(4, 0), *soft = texture(4, 0);
	vision_blur(soft, r, 0.5);
	double before = fabs(vision_sharpness(soft, m) - vision_sharpness(sharp, m));
	CHECK(vision_blur_to_match(soft, sharp, m, r) == 0, "nothing to blur");
	double amount = vision_sharpen_to_match(soft, sharp, m, r);
	CHECK(amount >= 0.5, "amount %g", amount);
	vision_sharpen(soft, r, amount);
	double after = fabs(vision_sharpness(soft, m) - vision_sharpness(sharp, m));
	CHECK(after < 0.5 * before, "sharpness gap %g, before %g", after, before);
	CHECK(vision_sharpen_to_match(sharp, sharp, m, r) == 0, "as sharp already");
	media_image_free(sharp);
	media_image_free(soft);
	free(m);
}

/* Halving the fine detail roughly halves the neighbour differences, keeps
 * the broad shading (the 40-level sine) and gain 1 changes nothing. */
static void test_soften_detail(void)
{
	uint8_t *m = full_mask();
	vision_rect r = { 0, 0, W, H };
	media_image *img = texture(5, 1), *same = texture(5, 1), *smooth = texture(5, 1);
	double before = vision_texture(img, m, r);
	CHECK(before > 0, "texture %g", before);
	vision_soften_detail(same, r, 1.0);
	CHECK(memcmp(same->data, img->data, (size_t)img->stride * H) == 0, "gain 1 changed the image");
	vision_soften_detail(smooth, r, 0.5);
	double ratio = vision_texture(smooth, m, r) / before;
	CHECK(ratio > 0.4 && ratio < 0.7, "texture ratio %g for gain 0.5", ratio);
	double mean_shift = 0;
	for (int i = 0; i < W * H * 3; i++)
		mean_shift += (double)smooth->data[i] - img->data[i];
	CHECK(fabs(mean_shift / (W * H * 3)) < 0.5, "mean moved by %g", mean_shift / (W * H * 3));
	media_image_free(img);
	media_image_free(same);
	media_image_free(smooth);
	free(m);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_lab_roundtrip),
		TEST_CASE(test_transfer_and_mono),
		TEST_CASE(test_grain),
		TEST_CASE(test_footage_grain_bands),
		TEST_CASE(test_blur_bands),
		TEST_CASE(test_noise_median),
		TEST_CASE(test_blur_match),
		TEST_CASE(test_sharpen_match),
		TEST_CASE(test_soften_detail),
		{ 0 },
	};
	return test_main(cases);
}
