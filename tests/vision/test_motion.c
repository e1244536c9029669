/* A region's motion between two frames: a known shift, turn and zoom of a
 * textured picture is measured to a small fraction of a pixel from a guess a
 * few pixels off, a still picture gives no motion, a flat one no answer. */
#include <math.h>

#include "harness.h"
#include "vision/motion.h"

#define W 200
#define H 160

/* A smooth texture (sums of waves, like shading on a face) at (x, y). */
static double texture(double x, double y)
{
	return 128 + 40 * sin(0.11 * x + 0.05 * y) + 30 * cos(0.07 * y - 0.13 * x + 1) + 20 * sin(0.19 * x * 0.5 + 0.23 * y);
}

/* The picture of the texture seen through m: the pixel at p shows texture(m^-1 p). */
static media_image *picture(const vision_similarity *m)
{
	media_image *img = media_image_new(W, H, 3);
	vision_similarity inv = vision_similarity_invert(m);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			double sx = inv.a * x - inv.b * y + inv.tx, sy = inv.b * x + inv.a * y + inv.ty;
			double v = texture(sx, sy);
			for (int c = 0; c < 3; c++)
				img->data[(size_t)y * img->stride + 3 * (size_t)x + c] = (uint8_t)lrint(fmin(255, fmax(0, v)));
		}
	return img;
}

/* Where m takes the point (x, y) (the region's corner, to compare two motions). */
static double gap(const vision_similarity *m, const vision_similarity *n, double x, double y)
{
	return hypot(m->a * x - m->b * y + m->tx - (n->a * x - n->b * y + n->tx),
	             m->b * x + m->a * y + m->ty - (n->b * x + n->a * y + n->ty));
}

static void test_known_motion(void)
{
	vision_similarity still = { 1, 0, 0, 0 };
	/* turned by 1 degree, 2 % larger, shifted by 3.3 and -2.6 px about (100, 80) */
	double ang = M_PI / 180, sc = 1.02;
	vision_similarity truth = { sc * cos(ang), sc * sin(ang), 0, 0 };
	truth.tx = 100 + 3.3 - (truth.a * 100 - truth.b * 80);
	truth.ty = 80 - 2.6 - (truth.b * 100 + truth.a * 80);
	media_image *a = picture(&still), *b = picture(&truth);
	vision_rect r = { 60, 40, 140, 120 };
	vision_similarity m = truth;
	m.tx += 2.5;
	m.ty -= 1.5;
	int ok = vision_region_motion(a, b, r, &m);
	CHECK(ok == 1, "fitted");
	double err = fmax(gap(&m, &truth, 60, 40), gap(&m, &truth, 140, 120));
	CHECK(err < 0.1, "corner off by %g px", err);
	/* a still picture: no motion, from a guess 2 px off */
	m = still;
	m.tx = 2;
	ok = vision_region_motion(a, a, r, &m);
	err = gap(&m, &still, 100, 80);
	CHECK(ok == 1 && err < 0.02, "still picture moved %g px", err);
	/* a guess too far off (more than a tenth of the region) is refused */
	m = truth;
	m.tx += 30;
	vision_similarity before = m;
	CHECK(vision_region_motion(a, b, r, &m) == 0 && m.tx == before.tx, "far guess refused");
	/* a region outside the picture, a flat picture: no answer */
	vision_rect out = { 150, 100, 260, 140 };
	m = still;
	CHECK(vision_region_motion(a, b, out, &m) == 0, "outside");
	media_image *flat = media_image_new(W, H, 3);
	CHECK(vision_region_motion(flat, flat, r, &m) == 0, "flat");
	media_image_free(flat);
	media_image_free(a);
	media_image_free(b);
}

/* The fit's exact doubles on a grainy picture (grain makes the robust weights
 * matter) over a region whose width is no multiple of 4, with and without a
 * pool: the bytes of the plain scalar code the vectorised sums replaced, which
 * gave every swapped film's bytes.  Any change of rounding shows here. */
static void test_same_bytes_as_scalar_sums(void)
{
	double ang = 0.6 * M_PI / 180, sc = 0.985;
	vision_similarity truth = { sc * cos(ang), sc * sin(ang), 0, 0 };
	truth.tx = 100 - 1.7 - (truth.a * 100 - truth.b * 80);
	truth.ty = 80 + 2.2 - (truth.b * 100 + truth.a * 80);
	vision_similarity still = { 1, 0, 0, 0 };
	media_image *a = picture(&still), *b = picture(&truth);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < 3 * W; x++) {
			unsigned h = (unsigned)(x * 73856093u ^ y * 19349663u) % 17;
			uint8_t *p = b->data + (size_t)y * b->stride + x;
			*p = (uint8_t)(*p + h > 255 ? 255 : *p + h);
		}
	vision_rect r = { 57, 38, 142, 119 };
	bj_pool *pool = bj_pool_new(2);
	for (int k = 0; k < 2; k++) {
		vision_similarity m = { 1, 0, 1.0, -1.0 };
		int ok = vision_region_motion_on(k ? pool : NULL, a, b, r, &m);
		CHECK(ok == 1 && m.a == 0x1.f49bd5b023b55p-1 && m.b == 0x1.b9bbb3aed1af4p-7 &&
		              m.tx == 0x1.7e6e38b00adc8p+0 && m.ty == 0x1.4bb713c9f8aap+1,
		      "%s: %a %a %a %a", k ? "pool" : "no pool", m.a, m.b, m.tx, m.ty);
	}
	bj_pool_free(pool);
	media_image_free(a);
	media_image_free(b);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_known_motion),
		TEST_CASE(test_same_bytes_as_scalar_sums),
		{ 0 },
	};
	return test_main(cases);
}
