/*
 * test_cascade.c - the cascade loader and the XML reader under it: every file
 * Debian's opencv-data ships loads (the one old-format file is refused
 * clearly); truncated and lying files get one-line errors naming the file;
 * integrals and the tilted integral against their definitions.
 */
#include "vision/cascade.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "vision/integral.h"
#include "vision/xml.h"
#include "harness.h"

#define HAAR_DIR "/usr/share/opencv4/haarcascades"
#define LBP_DIR "/usr/share/opencv4/lbpcascades"

/* A small valid Haar cascade: one stage of a stump and a two-node tree. */
static const char haar_xml[] =
	"<?xml version=\"1.0\"?>\n"
	"<opencv_storage>\n"
	"<cascade type_id=\"opencv-cascade-classifier\"><stageType>BOOST</stageType>\n"
	"  <featureType>HAAR</featureType>\n"
	"  <height>4</height>\n"
	"  <width>4</width>\n"
	"  <featureParams><maxCatCount>0</maxCatCount></featureParams>\n"
	"  <stageNum>1</stageNum>\n"
	"  <stages>\n"
	"    <_>\n"
	"      <maxWeakCount>2</maxWeakCount>\n"
	"      <stageThreshold>-1.5</stageThreshold>\n"
	"      <weakClassifiers>\n"
	"        <_><internalNodes>0 -1 0 0.5</internalNodes><leafValues>-1. 1.</leafValues></_>\n"
	"        <_><internalNodes>1 0 1 0.25 -1 -2 0 0.1</internalNodes><leafValues>0.5 -0.5 0.75</leafValues></_>\n"
	"      </weakClassifiers></_></stages>\n"
	"  <features>\n"
	"    <_><rects><_>0 0 4 2 -1.</_><_>0 2 4 2 1.</_></rects></_>\n"
	"    <_><rects><_>2 0 1 2 -1.</_><_>2 0 1 1 2.</_></rects><tilted>1</tilted></_>\n"
	"  </features></cascade>\n"
	"</opencv_storage>\n";

static vision_cascade *parse(const char *text)
{
	return vision_cascade_parse(text, strlen(text), "c.xml");
}

/* The text with the first `from` replaced by `to`, then parsed. */
static vision_cascade *parse_edited(const char *from, const char *to)
{
	const char *at = strstr(haar_xml, from);
	BJ_ASSERT(at);
	char *text = bj_xasprintf("%.*s%s%s", (int)(at - haar_xml), haar_xml, to, at + strlen(from));
	vision_cascade *c = parse(text);
	free(text);
	return c;
}

static void test_small_cascade(void)
{
	vision_cascade *c = parse(haar_xml);
	CHECK(c, "%s", bj_error_message());
	if (!c)
		return;
	CHECK(c->type == VISION_FEATURE_HAAR && c->width == 4 && c->height == 4);
	CHECK(c->n_stages == 1 && c->n_trees == 2 && c->n_nodes == 3 && c->n_leaves == 5 && c->n_features == 2);
	CHECK(c->max_nodes == 2 && c->has_tilted == 1);
	CHECK(c->stages[0].threshold == -1.5f - 1e-5f);
	CHECK(c->nodes[1].left == 1 && c->nodes[1].right == 0 && c->nodes[2].left == -1);
	CHECK(c->features[1].tilted && c->features[1].rect[1].weight == 2.0f);
	vision_cascade_free(c);
}

static void expect_error(vision_cascade *c, const char *want)
{
	CHECK(!c, "accepted");
	vision_cascade_free(c);
	CHECK(strstr(bj_error_message(), want) != NULL, "message '%s' lacks '%s'", bj_error_message(), want);
	CHECK(strncmp(bj_error_message(), "'c.xml': ", 9) == 0, "message '%s'", bj_error_message());
	CHECK(!strchr(bj_error_message(), '\n'), "message '%s' has a newline", bj_error_message());
}

static void test_lying_files(void)
{
	expect_error(parse_edited("<leafValues>-1. 1.</leafValues>", "<leafValues>-1.</leafValues>"),
	             "expected one more leaf than nodes");
	expect_error(parse_edited("0 -1 0 0.5", "0 -1 7 0.5"), "node 0 uses feature 7 of 2");
	expect_error(parse_edited("-1 -2 0 0.1", "1 -2 0 0.1"), "child is outside its tree");
	expect_error(parse_edited("-1 -2 0 0.1", "-1 -3 0 0.1"), "child is outside its tree");
	expect_error(parse_edited("0 -1 0 0.5", "0 -1 0 0.5 1"), "not a whole number of nodes");
	expect_error(parse_edited("<stageNum>1", "<stageNum>2"), "count differs from stageNum");
	expect_error(parse_edited("<maxWeakCount>2", "<maxWeakCount>3"), "count differs from maxWeakCount");
	expect_error(parse_edited("0 2 4 2 1.", "0 3 4 2 1."), "rectangle outside the window");
	expect_error(parse_edited("2 0 1 2 -1.", "1 0 1 2 -1."), "rectangle outside the window");
	expect_error(parse_edited("0.5</internalNodes>", "nan</internalNodes>"), "bad number");
	expect_error(parse_edited("<width>4", "<width>0"), "'width' out of range");
	expect_error(parse_edited("<maxCatCount>0", "<maxCatCount>256"), "maxCatCount must be 0 for HAAR");
	expect_error(parse_edited("<stages>", "<stagez>"), "mismatched end tag");
	expect_error(parse_edited("<features>", "<featurez>"), "mismatched end tag");
	expect_error(parse_edited("    <_><rects><_>0 0 4 2 -1.</_><_>0 2 4 2 1.</_></rects></_>\n"
	                          "    <_><rects><_>2 0 1 2 -1.</_><_>2 0 1 1 2.</_></rects><tilted>1</tilted></_>\n", ""),
	             "features: no features");
	expect_error(parse_edited("<tilted>1", "<tilted>2"), "tilted must be 0 or 1");
	expect_error(parse_edited("HAAR", "HOG"), "feature type is not HAAR or LBP");
	expect_error(parse_edited("type_id=\"opencv-cascade-classifier\"", "type_id=\"opencv-haar-classifier\""),
	             "old-format Haar cascade");
	expect_error(parse_edited("-1.5", "&bogus;"), "undefined entity");
	expect_error(parse_edited("<?xml", "<!DOCTYPE x><?xml"), "unsupported markup");
	expect_error(parse("<opencv_storage></opencv_storage>"), "not an OpenCV cascade");
	expect_error(parse(""), "no document element");
	expect_error(parse("<!-- x --></opencv_storage>"), "end tag outside any element");   /* found by fuzzing */
}

static void test_truncated_files(void)
{
	size_t n = strlen(haar_xml);
	char *text = bj_xmalloc(n);
	for (size_t len = 0; len < n; len++) {
		memcpy(text, haar_xml, len);
		vision_cascade *c = vision_cascade_parse(text, len, "c.xml");
		if (c) {
			/* only a cut in the trailing newline may still read whole */
			CHECK(len >= n - 1, "a file cut at %zu of %zu bytes loaded", len, n);
			vision_cascade_free(c);
			continue;
		}
		CHECK(strncmp(bj_error_message(), "'c.xml': ", 9) == 0, "cut at %zu: '%s'", len, bj_error_message());
	}
	free(text);
}

static void test_debian_cascades(void)
{
	static const char *const dirs[] = { HAAR_DIR, LBP_DIR };
	int loaded = 0, tilted = 0, trees = 0, lbp = 0;
	for (size_t i = 0; i < BJ_ARRAY_SIZE(dirs); i++) {
		DIR *dir = opendir(dirs[i]);
		if (!dir) {
			test_skip("%s missing (opencv-data)", dirs[i]);
			return;
		}
		struct dirent *e;
		while ((e = readdir(dir)) != NULL) {
			if (!strstr(e->d_name, ".xml"))
				continue;
			char *path = bj_xasprintf("%s/%s", dirs[i], e->d_name);
			vision_cascade *c = vision_cascade_load(path);
			if (strcmp(e->d_name, "haarcascade_licence_plate_rus_16stages.xml") == 0) {
				CHECK(!c && bj_error_code() == BJ_EUNSUPPORTED, "%s", path);
			} else {
				CHECK(c, "%s", bj_error_message());
				loaded += c != NULL;
				tilted += c && c->has_tilted;
				trees += c && c->max_nodes > 1;
				lbp += c && c->type == VISION_FEATURE_LBP;
			}
			vision_cascade_free(c);
			free(path);
		}
		closedir(dir);
	}
	CHECK(loaded == 21 && lbp == 5, "%d loaded, %d LBP", loaded, lbp);
	CHECK(tilted >= 5 && trees >= 4, "%d with tilted features, %d with trees", tilted, trees);
	CHECK(vision_cascade_load("no/such.xml") == NULL && bj_error_code() == BJ_ENOENT);
}

static void test_integrals(void)
{
	enum { W = 13, H = 9 };
	uint8_t img[H * W];
	for (int i = 0; i < H * W; i++)
		img[i] = (uint8_t)((i * 97 + 31) % 251);
	int32_t sum[(H + 1) * (W + 1)], tilt[(H + 1) * (W + 1)];
	uint32_t sq[(H + 1) * (W + 1)];
	int32_t *scratch = bj_xmalloc(vision_tilted_scratch(W, H) * sizeof(int32_t));
	vision_integral(img, W, H, W, sum, sq, W + 1);
	vision_integral_tilted(img, W, H, W, tilt, W + 1, scratch);
	free(scratch);
	int bad = 0;
	for (int Y = 0; Y <= H; Y++)
		for (int X = 0; X <= W; X++) {
			long s = 0, q = 0, t = 0;
			for (int y = 0; y < H; y++)
				for (int x = 0; x < W; x++) {
					int v = img[y * W + x];
					if (y < Y && x < X) {
						s += v;
						q += v * v;
					}
					if (y < Y && abs(x - X + 1) <= Y - 1 - y)
						t += v;
				}
			int i = Y * (W + 1) + X;
			bad += sum[i] != s || sq[i] != (uint32_t)q || tilt[i] != t;
		}
	CHECK(bad == 0, "%d entries differ from the definitions", bad);
}

static void test_resize(void)
{
	/* exact halving averages blocks; same size copies; a ramp stays a ramp */
	uint8_t src[4 * 6] = { 0, 10, 20, 30, 40, 50, 2, 12, 22, 32, 42, 52,
	                       4, 14, 24, 34, 44, 54, 6, 16, 26, 36, 46, 56 };
	uint8_t dst[4 * 6];
	int32_t scratch[64];
	vision_resize_linear(src, 6, 4, 6, dst, 3, 2, 3, scratch);
	static const uint8_t half[] = { 6, 26, 46, 10, 30, 50 };
	CHECK(memcmp(dst, half, sizeof(half)) == 0, "%d %d %d / %d %d %d", dst[0], dst[1], dst[2], dst[3], dst[4], dst[5]);
	vision_resize_linear(src, 6, 4, 6, dst, 6, 4, 6, scratch);
	CHECK(memcmp(dst, src, sizeof(src)) == 0);
	vision_resize_linear(src, 6, 4, 6, dst, 4, 4, 4, scratch);
	CHECK(dst[0] < dst[1] && dst[1] < dst[2] && dst[2] < dst[3], "%d %d %d %d", dst[0], dst[1], dst[2], dst[3]);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_small_cascade),
		TEST_CASE(test_lying_files),
		TEST_CASE(test_truncated_files),
		TEST_CASE(test_debian_cascades),
		TEST_CASE(test_integrals),
		TEST_CASE(test_resize),
		{ 0 },
	};
	return test_main(cases);
}
