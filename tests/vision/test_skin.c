/* Skin relighting and the guarded clone on synthetic faces: the star's
 * features keep their contrast (no dark blotches), its skin takes the
 * footage's colour and light, no green, and hair around the face stays out. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/threads.h"
#include "harness.h"
#include "media/image.h"
#include "vision/face_mask.h"
#include "vision/poisson.h"
#include "vision/skin.h"

#define W 200
#define H 200

/* 68 landmarks of a face centred at (100, 100), about 120 px wide. */
static void landmarks(float *lm)
{
	for (int i = 0; i <= 16; i++) {
		double t = M_PI * i / 16;
		lm[2 * i] = (float)(100 - 60 * cos(t));
		lm[2 * i + 1] = (float)(100 + 70 * sin(t));
	}
	for (int i = 0; i < 5; i++) {
		lm[2 * (17 + i)] = (float)(55 + 9 * i), lm[2 * (17 + i) + 1] = 70;
		lm[2 * (22 + i)] = (float)(109 + 9 * i), lm[2 * (22 + i) + 1] = 70;
		lm[2 * (31 + i)] = (float)(88 + 6 * i), lm[2 * (31 + i) + 1] = 120;
	}
	for (int i = 0; i < 4; i++)
		lm[2 * (27 + i)] = 100, lm[2 * (27 + i) + 1] = (float)(75 + 12 * i);
	for (int e = 0; e < 2; e++)
		for (int i = 0; i < 6; i++) {
			double t = M_PI * i / 3;
			lm[2 * (36 + 6 * e + i)] = (float)(72 + 56 * e - 12 * cos(t));
			lm[2 * (36 + 6 * e + i) + 1] = (float)(85 - 5 * sin(t));
		}
	for (int i = 0; i < 12; i++) {
		double t = 2 * M_PI * i / 12;
		lm[2 * (48 + i)] = (float)(100 - 22 * cos(t)), lm[2 * (48 + i) + 1] = (float)(145 - 9 * sin(t));
	}
	for (int i = 0; i < 8; i++) {
		double t = 2 * M_PI * i / 8;
		lm[2 * (60 + i)] = (float)(100 - 15 * cos(t)), lm[2 * (60 + i) + 1] = (float)(145 - 4 * sin(t));
	}
}

static void put_lab(media_image *img, int x, int y, float l, float a, float b)
{
	float lab[3] = { l, a, b };
	vision_lab_to_rgb(lab, img->data + (size_t)y * img->stride + 3 * (size_t)x);
}

static void get_lab(const media_image *img, int x, int y, float *lab)
{
	vision_rgb_to_lab(img->data + (size_t)y * img->stride + 3 * (size_t)x, lab);
}

static int in_brow(int x, int y)
{
	return y >= 66 && y <= 74 && ((x >= 55 && x <= 91) || (x >= 109 && x <= 145));
}

/* A face: skin of lightness skin_l (plus ramp per pixel to the right) and
 * colour (a, b), brows of lightness brow_l and colour (ba, bb); hair of
 * lightness 12 above y = hair_y. */
static media_image *face(float skin_l, float ramp, float a, float b, float brow_l, float ba, float bb, int hair_y)
{
	media_image *img = media_image_new(W, H, 3);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			if (y < hair_y)
				put_lab(img, x, y, 12, 2, 4);
			else if (in_brow(x, y))
				put_lab(img, x, y, brow_l, ba, bb);
			else
				put_lab(img, x, y, skin_l + ramp * (float)(x - 100), a, b);
		}
	return img;
}

struct setup {
	float lm[136];
	uint8_t *mask, *skin, *alien;
	vision_rect box;
	media_image *fill;
};

/* s's masks and buffers for the landmarks in s->lm. */
static void setup_masks(struct setup *s)
{
	s->mask = calloc(W * H, 1);
	s->skin = calloc(W * H, 1);
	s->alien = calloc(W * H, 1);
	s->fill = media_image_new(W, H, 3);
	vision_face_mask(s->lm, W, H, s->mask, &s->box);
	vision_skin_mask(s->lm, s->mask, W, s->box, s->skin);
}

static void setup(struct setup *s)
{
	landmarks(s->lm);
	setup_masks(s);
}

static void teardown(struct setup *s)
{
	free(s->mask);
	free(s->skin);
	free(s->alien);
	media_image_free(s->fill);
}

static void test_mask(void)
{
	struct setup s;
	setup(&s);
	CHECK(s.skin[100 * W + 60] == 255, "cheek");
	CHECK(s.skin[60 * W + 100] == 255, "forehead");
	CHECK(s.skin[85 * W + 72] == 0 && s.skin[85 * W + 128] == 0, "eyes");
	CHECK(s.skin[70 * W + 64] == 0 && s.skin[70 * W + 136] == 0, "brows");
	CHECK(s.skin[145 * W + 100] == 0, "mouth");
	CHECK(s.skin[100 * W + 20] == 0, "outside the face");
	CHECK_NEAR(vision_skin_sigma(s.lm), 0.6 * 80, 1e-3);
	teardown(&s);
}

/* Luminance Y of a pixel relative to the skin's at (60, 100). */
static double brow_contrast(const media_image *img)
{
	float brow[3], skin[3];
	get_lab(img, 64, 70, brow);
	get_lab(img, 60, 100, skin);
	return pow((brow[0] + 16) / 116.0, 3) / pow((skin[0] + 16) / 116.0, 3);
}

/* The blotch: a soft-lit footage face under dark hair has a large spread of
 * lightness (the hair in the mask), and matching spreads made the star's
 * brows far darker than they are; the relight keeps their contrast. */
static void test_contrast_kept(void)
{
	struct setup s;
	setup(&s);
	int hair = 62;   /* a fringe down to the brows: in the mask, in its statistics */
	media_image *star = face(72, 0, 18, 20, 35, 6, 14, 0), *foot = face(55, 0, 10, 14, 40, 5, 10, hair);
	double want = brow_contrast(star);
	media_image *old = face(72, 0, 18, 20, 35, 6, 14, 0);
	double from[6], to[6];
	vision_lab_stats(old, s.mask, from);
	vision_lab_stats(foot, s.mask, to);
	vision_lab_transfer(old, s.mask, from, to, 0);
	CHECK(vision_skin_relight(star, foot, s.skin, s.mask, s.box, vision_skin_sigma(s.lm), 0, s.alien, s.fill) ==
	      0);
	double got = brow_contrast(star);
	CHECK(fabs(got / want - 1) < 0.05, "brow/skin luminance %.3f, the star's %.3f", got, want);
	float brow[3], cheek[3];
	get_lab(old, 64, 70, brow);
	get_lab(old, 60, 100, cheek);
	CHECK(cheek[0] - brow[0] > 1.1 * (72 - 35), "the spread-matching transfer's brows %.1f below the skin, the star's 37",
	      cheek[0] - brow[0]);
	float skin[3];
	get_lab(star, 60, 100, skin);
	CHECK(fabs(skin[0] - 55) < 1.5 && fabs(skin[1] - 10) < 1.5 && fabs(skin[2] - 14) < 1.5,
	      "skin %.1f %.1f %.1f, want 55 10 14", skin[0], skin[1], skin[2]);
	CHECK(s.alien[(hair - 2) * W + 100] == 255 && s.alien[100 * W + 60] == 0, "hair alien, skin not");
	media_image_free(star);
	media_image_free(foot);
	media_image_free(old);
	teardown(&s);
}

/* Light across the footage face (brighter to the right) comes onto the
 * star's skin; the star's brows, olive in a compressed photo, come out within
 * the skin's hue, where a shift of a* and b* turned them green. */
static void test_light_and_hue(void)
{
	struct setup s;
	setup(&s);
	media_image *star = face(70, 0, 22, 20, 35, -2, 22, 0), *foot = face(55, 0.15f, 14, 18, 40, 8, 12, 0);
	CHECK(vision_skin_relight(star, foot, s.skin, s.mask, s.box, vision_skin_sigma(s.lm), 0, s.alien, s.fill) ==
	      0);
	float l[3], r[3], brow[3];
	get_lab(star, 60, 110, l);
	get_lab(star, 140, 110, r);
	/* the footage's skin is 12 L* lighter at 140 than at 60; a low-pass as
	 * wide as this face's keeps a third of that, the clone the rest */
	CHECK(r[0] - l[0] > 3, "left %.1f right %.1f: the light's ramp", l[0], r[0]);
	get_lab(star, 64, 70, brow);
	double hue = atan2(brow[2], brow[1]) - atan2(18, 14);
	CHECK(fabs(hue) < 0.3, "brow hue %.2f rad from the skin's", hue);
	CHECK(brow[1] > 0, "brow a* %.1f: not green", brow[1]);
	media_image_free(star);
	media_image_free(foot);
	teardown(&s);
}

/* Mean L* over the mask's core where y < 80 (the forehead, below the hair). */
static double forehead_l(const media_image *img, const uint8_t *mask)
{
	double sum = 0;
	int n = 0;
	for (int y = 0; y < 80; y++)
		for (int x = 0; x < W; x++)
			if (mask[y * W + x] == 255 && !in_brow(x, y)) {
				float lab[3];
				get_lab(img, x, y, lab);
				sum += lab[0];
				n++;
			}
	return n ? sum / n : 0;
}

/* Black hair over the top of the face's hull: the plain seamless clone pulls
 * it into the forehead, the guarded clone does not. */
static void test_clone_guard(void)
{
	struct setup s;
	setup(&s);
	int hair = s.box.y0 + 14;
	media_image *star = face(60, 0, 12, 16, 35, 6, 12, 0), *foot = face(60, 0, 12, 16, 40, 6, 12, hair);
	media_image *plain = face(60, 0, 12, 16, 40, 6, 12, hair);
	CHECK(vision_skin_relight(star, foot, s.skin, s.mask, s.box, vision_skin_sigma(s.lm), 0, s.alien, s.fill) ==
	      0);
	CHECK(vision_seamless_clone(plain, star, s.mask, s.box) == 0);
	CHECK(vision_skin_clone(foot, star, s.mask, s.alien, s.fill, s.box) == 0);
	double guarded = forehead_l(foot, s.mask), pulled = forehead_l(plain, s.mask);
	CHECK(fabs(guarded - 60) < 3, "guarded forehead L* %.1f, want 60", guarded);
	CHECK(pulled < 55, "plain clone's forehead L* %.1f: the hair pulled in", pulled);
	/* where the mask is 0 the footage stays */
	float lab[3];
	get_lab(foot, 100, s.box.y0 + 1, lab);
	CHECK(fabs(lab[0] - 12) < 1, "hair L* %.1f", lab[0]);
	media_image_free(star);
	media_image_free(foot);
	media_image_free(plain);
	teardown(&s);
}

/* Black hair beside the face's side, over the hull's feathered edge at the
 * cheeks (a turned face's far cheek): the clone meets halfway between the
 * skin's colour and the hair there, so the face's edge over the hair is not a
 * light band of skin (met with the skin's colour alone: L* 37 there, the
 * footage's hair edge came out as skin half over the hair), while the face
 * inside keeps its lightness. */
static void test_clone_side_hair(void)
{
	struct setup s;
	setup(&s);
	media_image *star = face(60, 0, 12, 16, 35, 6, 12, 0), *foot = face(60, 0, 12, 16, 35, 6, 12, 0);
	for (int y = 100; y < H; y++)
		for (int x = 150; x < W; x++)
			put_lab(foot, x, y, 12, 2, 4);
	CHECK(vision_skin_relight(star, foot, s.skin, s.mask, s.box, vision_skin_sigma(s.lm), 0, s.alien, s.fill) ==
	      0);
	CHECK(vision_skin_clone(foot, star, s.mask, s.alien, s.fill, s.box) == 0);
	/* on row 120, where the mask crosses 128 over the hair */
	int x = 150;
	while (x < W - 1 && s.mask[120 * W + x] >= 128)
		x++;
	float edge[3], in[3];
	get_lab(foot, x - 1, 120, edge);
	get_lab(foot, 100, 120, in);
	CHECK(s.alien[120 * W + x] != 0, "hair at (%d, 120) alien", x);
	CHECK(edge[0] < 32, "the edge over the hair L* %.1f (skin 60, hair 12)", edge[0]);
	CHECK(fabs(in[0] - 60) < 3, "the face's middle L* %.1f, want 60", in[0]);
	media_image_free(star);
	media_image_free(foot);
	teardown(&s);
}

/* A brown brow on a pink-skinned face: the star's skin takes the footage's
 * pink, its brow half of that and stays brown (turning every colour by the
 * skins' hue difference made it purple); and a pale star's features are not made
 * redder by a tanned face (scaling by the skins' chroma ratio tripled them). */
static void test_features_keep_colour(void)
{
	struct setup s;
	setup(&s);
	media_image *star = face(70, 0, 10, 22, 35, 8, 18, 0), *foot = face(68, 0, 20, 2, 40, 8, 12, 0);
	CHECK(vision_skin_relight(star, foot, s.skin, s.mask, s.box, vision_skin_sigma(s.lm), 0, s.alien, s.fill) ==
	      0);
	float brow[3], skin[3];
	get_lab(star, 64, 70, brow);
	get_lab(star, 60, 100, skin);
	CHECK(fabs(skin[1] - 20) < 1.5 && fabs(skin[2] - 2) < 1.5, "skin a* b* %.1f %.1f, want 20 2", skin[1], skin[2]);
	/* half way to the skin's shift: brown, neither the star's olive nor pink */
	double hue = atan2(brow[2], brow[1]) - atan2(2, 20);
	CHECK(hue > 0.3 && brow[1] > 0 && brow[2] > 0, "brow hue %.2f rad from the skin's (a* %.1f b* %.1f)", hue,
	      brow[1], brow[2]);
	media_image_free(star);
	media_image_free(foot);
	star = face(70, 0, 4, 8, 40, 6, 14, 0);
	foot = face(65, 0, 14, 24, 40, 8, 12, 0);
	CHECK(vision_skin_relight(star, foot, s.skin, s.mask, s.box, vision_skin_sigma(s.lm), 0, s.alien, s.fill) ==
	      0);
	get_lab(star, 64, 70, brow);
	CHECK(hypot(brow[1], brow[2]) < 30, "brow chroma %.1f, the star's 15", hypot(brow[1], brow[2]));
	media_image_free(star);
	media_image_free(foot);
	teardown(&s);
}

/* The footage face 10 L* darker than the relit star all round its edge (its
 * skin falls off into shadow there): a plain seamless clone moves the whole
 * face by those 10 L*, the skin clone by three quarters of that inside (its
 * edge by all of it, to meet the footage). */
static void test_clone_keeps_inside(void)
{
	struct setup s;
	setup(&s);
	media_image *star = face(65, 0, 12, 16, 35, 6, 12, 0), *foot = face(55, 0, 12, 16, 35, 6, 12, 0);
	media_image *plain = face(55, 0, 12, 16, 35, 6, 12, 0);
	CHECK(vision_seamless_clone(plain, star, s.mask, s.box) == 0);
	CHECK(vision_skin_clone(foot, star, s.mask, s.alien, s.fill, s.box) == 0);
	float in[3], pulled[3], edge[3];
	get_lab(foot, 100, 100, in);
	get_lab(plain, 100, 100, pulled);
	CHECK(fabs(in[0] - 57.5) < 1, "the face's middle L* %.1f, moved three quarters of the way to the edge's 55",
	      in[0]);
	CHECK(pulled[0] < 56, "plain clone's middle L* %.1f: moved all the way", pulled[0]);
	/* on the jaw's edge (the hull at (100, 170)) the footage still */
	get_lab(foot, 100, 169, edge);
	CHECK(fabs(edge[0] - 55) < 2, "edge L* %.1f, the footage's 55", edge[0]);
	media_image_free(star);
	media_image_free(foot);
	media_image_free(plain);
	teardown(&s);
}

/* A mouth that opens (the landmarks' inner lips 2 and then 7 pixels from the
 * middle) on a footage face with dark lips and a darker inside: the face
 * around it (the upper lip above the lips, the chin below) comes out the
 * same both times, and the open mouth is the footage's.  With the mouth's
 * hole in the clone's solve, its boundary moved with the lips and the skin
 * around them followed it. */
static void mouth_footage(media_image *img, int open)
{
	for (int y = 125; y < 165; y++)
		for (int x = 70; x < 130; x++) {
			double dx = (x - 100) / 22.0, dy = (y - 145) / 11.0, inner = (y - 145) / (open + 0.5);
			if (dx * dx + dy * dy >= 1)
				continue;
			if (dx * dx + inner * inner < 1)
				put_lab(img, x, y, 10, 4, 2);
			else
				put_lab(img, x, y, 42, 28, 14);
		}
}

/* The footage (its mouth open by open pixels) with the star cloned onto it,
 * through the face mask with its mouth hole; s's masks are set. */
static media_image *clone_open_mouth(struct setup *s, int open)
{
	landmarks(s->lm);
	for (int i = 0; i < 8; i++)
		s->lm[2 * (60 + i) + 1] = (float)(145 - open * sin(2 * M_PI * i / 8));
	for (int i = 0; i < 12; i++)
		s->lm[2 * (48 + i) + 1] = (float)(145 - 11 * sin(2 * M_PI * i / 12));
	setup_masks(s);
	media_image *star = face(66, 0, 12, 16, 35, 6, 12, 0), *foot = face(58, 0, 14, 15, 35, 6, 12, 0);
	mouth_footage(foot, open);
	CHECK(vision_skin_relight(star, foot, s->skin, s->mask, s->box, vision_skin_sigma(s->lm), 0, s->alien,
	                          s->fill) == 0);
	CHECK(vision_skin_clone(foot, star, s->mask, s->alien, s->fill, s->box) == 0);
	media_image_free(star);
	return foot;
}

static void test_clone_mouth_steady(void)
{
	float out[2][3][3];
	static const int at[3][2] = { { 100, 127 }, { 100, 163 }, { 80, 160 } };
	for (int k = 0; k < 2; k++) {
		struct setup s;
		media_image *foot = clone_open_mouth(&s, k ? 7 : 2);
		for (int p = 0; p < 3; p++)
			get_lab(foot, at[p][0], at[p][1], out[k][p]);
		float mouth[3];
		get_lab(foot, 100, 145, mouth);
		CHECK(fabs(mouth[0] - 10) < 1, "the mouth's inside L* %.1f, the footage's 10", mouth[0]);
		media_image_free(foot);
		teardown(&s);
	}
	for (int p = 0; p < 3; p++)
		CHECK(fabs(out[1][p][0] - out[0][p][0]) < 0.5, "L* at (%d, %d) %.2f with the mouth almost shut, %.2f open",
		      at[p][0], at[p][1], out[0][p][0], out[1][p][0]);
}

/* Where the mask ramps down into the open mouth, the shown face meets the
 * footage's lips (L* 42) and not the star's plain skin there (L* 66): solved
 * with the hole filled, half the star's showed at the ramp's middle, a ring
 * some 10 L* lighter than the lips around the footage's mouth. */
static void test_clone_mouth_rim(void)
{
	struct setup s;
	media_image *foot = clone_open_mouth(&s, 7);
	/* the ramp's middle above and below the hole, on the lips */
	int found = 0;
	for (int y = 134; y < 157; y++) {
		int m = s.mask[y * W + 100];
		if (m < 96 || m > 160)
			continue;
		float lab[3];
		get_lab(foot, 100, y, lab);
		CHECK(fabs(lab[0] - 42) < 5, "L* %.1f at (100, %d) (mask %d), the footage's lips 42", lab[0], y, m);
		found++;
	}
	CHECK(found >= 2, "%d pixels on the mouth's ramp", found);
	media_image_free(foot);
	teardown(&s);
}

static void test_errors(void)
{
	struct setup s;
	setup(&s);
	media_image *a = face(60, 0, 10, 10, 30, 5, 5, 0), *b = media_image_new(W / 2, H, 3);
	CHECK(vision_skin_relight(a, b, s.skin, s.mask, s.box, 10, 0, s.alien, s.fill) == BJ_EINVAL);
	CHECK(vision_skin_clone(a, b, s.mask, s.alien, s.fill, s.box) == BJ_EINVAL);
	uint8_t *none = calloc(W * H, 1);
	memset(s.alien, 7, W * H);
	CHECK(vision_skin_relight(a, a, none, s.mask, s.box, 10, 0, s.alien, s.fill) == BJ_EINVAL);
	CHECK(s.alien[100 * W + 100] == 0, "alien cleared on failure");
	free(none);
	media_image_free(a);
	media_image_free(b);
	teardown(&s);
}

/* The skin mask, the relighting and the clone over two threads: the same
 * bytes as on one. */
static void test_threads(void)
{
	struct setup one, two;
	setup(&one);
	setup(&two);
	bj_pool *pool = bj_pool_new(2);
	memset(two.skin, 0, W * H);
	vision_skin_mask_on(pool, two.lm, two.mask, W, two.box, two.skin);
	CHECK(memcmp(one.skin, two.skin, W * H) == 0, "skin masks differ");
	media_image *star[2], *foot[2];
	for (int k = 0; k < 2; k++) {
		star[k] = face(70, 0.1f, 14, 18, 30, 4, 10, 40);
		foot[k] = face(50, -0.2f, 8, 12, 25, 3, 8, 50);
	}
	CHECK(vision_skin_relight(star[0], foot[0], one.skin, one.mask, one.box, vision_skin_sigma(one.lm), 0, one.alien,
	                          one.fill) == 0);
	CHECK(vision_skin_relight_on(pool, star[1], foot[1], two.skin, two.mask, two.box, vision_skin_sigma(two.lm), 0,
	                             two.alien, two.fill) == 0);
	CHECK(memcmp(star[0]->data, star[1]->data, (size_t)H * star[0]->stride) == 0, "relit stars differ");
	CHECK(memcmp(one.alien, two.alien, W * H) == 0, "alien masks differ");
	CHECK(memcmp(one.fill->data, two.fill->data, (size_t)H * one.fill->stride) == 0, "fills differ");
	CHECK(vision_skin_clone(foot[0], star[0], one.mask, one.alien, one.fill, one.box) == 0);
	CHECK(vision_skin_clone_on(pool, foot[1], star[1], two.mask, two.alien, two.fill, two.box) == 0);
	CHECK(memcmp(foot[0]->data, foot[1]->data, (size_t)H * foot[0]->stride) == 0, "clones differ");
	for (int k = 0; k < 2; k++) {
		media_image_free(star[k]);
		media_image_free(foot[k]);
	}
	bj_pool_free(pool);
	teardown(&one);
	teardown(&two);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_mask),
		TEST_CASE(test_contrast_kept),
		TEST_CASE(test_light_and_hue),
		TEST_CASE(test_clone_guard), TEST_CASE(test_clone_side_hair),
		TEST_CASE(test_features_keep_colour),
		TEST_CASE(test_clone_keeps_inside),
		TEST_CASE(test_clone_mouth_steady),
		TEST_CASE(test_clone_mouth_rim),
		TEST_CASE(test_errors),
		TEST_CASE(test_threads),
		{ 0 },
	};
	return test_main(cases);
}
