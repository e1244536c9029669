/*
 * test_detect.c - cascade detection against OpenCV 4.6 and against hand labels.
 *
 * fixtures/cascade_ref.json (written by fixtures/gen_cascade.py) holds
 * OpenCV's boxes for stills and video frames of ../shared/data with four face
 * cascades and the eye cascade; ours must find >= 98 % of them (IoU >= 0.5) with
 * <= 2 % extra.  Each input's grey Adler-32 is checked first, so a different
 * decode is told apart from a different detector.  Precision and recall
 * against the hand-labelled faces of eval/face_detection_dlib_voc are printed
 * and must stay above a floor.  The thread count must not change the boxes.
 *
 * DETECT_VERBOSE=1 prints every difference.
 */
#include "vision/detect.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/json.h"
#include "media/decoder.h"
#include "media/imagefile.h"
#include "vision/xml.h"
#include "harness.h"

#define FIXTURE "tests/vision/fixtures/cascade_ref.json"
#define VOC "eval/face_detection_dlib_voc"

static int verbose(void)
{
	const char *v = getenv("DETECT_VERBOSE");
	return v && *v == '1';
}

/* Greedy matching at IoU >= 0.5: how many of want are found in got. */
static size_t count_matched(const vision_box *got, size_t n_got, const vision_box *want, size_t n_want)
{
	char *used = bj_xcalloc(n_got + 1, 1);
	size_t matched = 0;
	for (size_t i = 0; i < n_want; i++) {
		size_t best = n_got;
		double best_iou = 0.5;
		for (size_t j = 0; j < n_got; j++) {
			double iou = vision_box_iou(&want[i], &got[j]);
			if (!used[j] && iou >= best_iou) {
				best = j;
				best_iou = iou;
			}
		}
		if (best < n_got) {
			used[best] = 1;
			matched++;
		}
	}
	free(used);
	return matched;
}

/* The still or video frame an item of the fixture names, as RGB. */
static media_image *load_item(json_t *item)
{
	json_t *img = json_object_get(item, "image");
	if (img) {
		const char *path = test_data(json_string_value(img));
		return path ? media_image_load(path, 3) : NULL;
	}
	const char *path = test_data(json_string_value(json_object_get(item, "video")));
	if (!path)
		return NULL;
	media_decoder *d;
	if (media_decoder_open(path, &d) < 0)
		return NULL;
	/* read from the start rather than seek: the first frame at or after the time */
	media_image *out = NULL;
	const media_frame *f;
	double t = json_real_value(json_object_get(item, "time"));
	int ret = media_decoder_set_output(d, 0, 0, 3);
	while (ret == 0 && (ret = media_decoder_read(d, &f)) > 0 && f->time < t)
		ret = 0;
	if (ret > 0) {
		out = media_image_new(f->image.width, f->image.height, 3);
		for (int y = 0; y < f->image.height; y++)
			memcpy(out->data + (size_t)y * out->stride, f->image.data + (size_t)y * f->image.stride,
			       (size_t)f->image.width * 3);
	}
	media_decoder_close(d);
	return out;
}

static vision_box *json_boxes(json_t *arr, size_t *n)
{
	*n = json_array_size(arr);
	vision_box *b = bj_xcalloc(*n + 1, sizeof(*b));
	for (size_t i = 0; i < *n; i++) {
		json_t *r = json_array_get(arr, i);
		b[i] = (vision_box){ (int)json_integer_value(json_array_get(r, 0)),
		                     (int)json_integer_value(json_array_get(r, 1)),
		                     (int)json_integer_value(json_array_get(r, 2)),
		                     (int)json_integer_value(json_array_get(r, 3)), 0 };
	}
	return b;
}

static void test_matches_opencv(void)
{
	json_t *ref;
	if (bj_json_load(FIXTURE, &ref) < 0) {
		CHECK(0, "%s", bj_error_message());
		return;
	}
	json_t *params = json_object_get(ref, "params"), *items = json_object_get(ref, "items");
	vision_detect_params p = VISION_DETECT_DEFAULTS;
	p.scale_factor = json_real_value(json_object_get(params, "scale_factor"));
	p.min_neighbors = (int)json_integer_value(json_object_get(params, "min_neighbors"));
	p.min_width = p.min_height = (int)json_integer_value(json_object_get(params, "min_size"));
	size_t n_items = json_array_size(items);
	media_image **grey = bj_xcalloc(n_items, sizeof(*grey));
	for (size_t i = 0; i < n_items; i++) {
		json_t *item = json_array_get(items, i);
		media_image *rgb = load_item(item);
		if (!rgb) {
			if (bj_error_code())
				CHECK(0, "item %zu: %s", i, bj_error_message());
			goto out;
		}
		grey[i] = vision_grey(rgb);
		media_image_free(rgb);
		uint32_t want = (uint32_t)json_integer_value(json_object_get(item, "grey_adler32"));
		CHECK(media_image_adler32(grey[i]) == want, "item %zu: the input differs from OpenCV's "
		      "(grey Adler-32 %08x, want %08x)", i, media_image_adler32(grey[i]), want);
	}
	bj_pool *pool = bj_pool_new(2);
	const char *name;
	json_t *xml;
	json_object_foreach(json_object_get(ref, "cascades"), name, xml) {
		vision_cascade *c = vision_cascade_load(json_string_value(xml));
		if (!c) {
			CHECK(0, "%s", bj_error_message());
			continue;
		}
		vision_detector *d = vision_detector_new(c, pool);
		size_t n_ref = 0, n_ours = 0, matched = 0;
		for (size_t i = 0; i < n_items; i++) {
			size_t nw, ng;
			vision_box *want = json_boxes(json_object_get(json_object_get(json_array_get(items, i), "boxes"), name), &nw);
			const vision_box *got;
			if (vision_detect(d, grey[i], &p, &got, &ng) < 0) {
				CHECK(0, "%s", bj_error_message());
				free(want);
				continue;
			}
			size_t m = count_matched(got, ng, want, nw);
			if (verbose() && (m != nw || ng != nw))
				fprintf(stderr, "%s item %zu: opencv %zu, ours %zu, matched %zu\n", name, i, nw, ng, m);
			n_ref += nw;
			n_ours += ng;
			matched += m;
			free(want);
		}
		double rate = n_ref ? (double)matched / n_ref : 1.0;
		double extra = n_ref ? (double)(n_ours - matched) / n_ref : 0.0;
		printf("# %-34s opencv %3zu boxes, matched %5.1f %%, extra %4.1f %%\n", name, n_ref,
		       100 * rate, 100 * extra);
		CHECK(n_ref > 0, "%s: the fixture has no boxes", name);
		CHECK(rate >= 0.98, "%s: %zu of %zu of OpenCV's boxes matched", name, matched, n_ref);
		CHECK(extra <= 0.02, "%s: %zu extra boxes for %zu of OpenCV's", name, n_ours - matched, n_ref);
		vision_detector_free(d);
		vision_cascade_free(c);
	}
	bj_pool_free(pool);
out:
	for (size_t i = 0; i < n_items; i++)
		media_image_free(grey[i]);
	free(grey);
	json_decref(ref);
}

static int attr_int(const vision_xml *x, int el, const char *name)
{
	const char *v = vision_xml_attr(x, el, name);
	return v ? (int)strtol(v, NULL, 10) : 0;
}

/* Hand-labelled boxes of one image from a dlib imglab XML file. */
static vision_box *labels(const vision_xml *x, int image, size_t *n)
{
	*n = 0;
	vision_box *b = bj_xcalloc((size_t)vision_xml_count(x, image) + 1, sizeof(*b));
	for (int e = vision_xml_child(x, image); e >= 0; e = vision_xml_next(x, e))
		if (strcmp(vision_xml_name(x, e), "box") == 0)
			b[(*n)++] = (vision_box){ attr_int(x, e, "left"), attr_int(x, e, "top"),
			                          attr_int(x, e, "width"), attr_int(x, e, "height"), 0 };
	return b;
}

/* Precision and recall of a cascade on the hand-labelled VOC photos. */
static void precision_recall(const char *cascade, int min_neighbors, double min_recall)
{
	static const char *const sets[] = { VOC "/training.xml", VOC "/testing.xml" };
	vision_cascade *c = vision_cascade_load(cascade);
	CHECK(c, "%s", bj_error_message());
	if (!c)
		return;
	vision_detector *d = vision_detector_new(c, NULL);
	vision_detect_params p = VISION_DETECT_DEFAULTS;
	p.min_neighbors = min_neighbors;
	size_t n_true = 0, n_found = 0, n_hit = 0;
	for (size_t s = 0; s < BJ_ARRAY_SIZE(sets); s++) {
		const char *path = test_data(sets[s]);
		if (!path)
			goto out;
		char *text = test_read_file(path, NULL);
		vision_xml *x = vision_xml_parse(text, strlen(text), path);
		free(text);
		CHECK(x, "%s", bj_error_message());
		if (!x)
			goto out;
		int images = vision_xml_find(x, vision_xml_root(x), "images");
		for (int im = vision_xml_child(x, images); im >= 0; im = vision_xml_next(x, im)) {
			char *rel = bj_xasprintf(VOC "/%s", vision_xml_attr(x, im, "file"));
			media_image *img = media_image_load(test_data(rel), 3);
			free(rel);
			const vision_box *got;
			size_t ng, nt;
			if (!img || vision_detect(d, img, &p, &got, &ng) < 0) {
				CHECK(0, "%s", bj_error_message());
				media_image_free(img);
				continue;
			}
			vision_box *truth = labels(x, im, &nt);
			n_hit += count_matched(got, ng, truth, nt);
			n_true += nt;
			n_found += ng;
			free(truth);
			media_image_free(img);
		}
		vision_xml_free(x);
	}
	double precision = n_found ? (double)n_hit / n_found : 0, recall = n_true ? (double)n_hit / n_true : 0;
	const char *base = strrchr(cascade, '/');
	printf("# %-34s hand labels %zu, found %zu, precision %.3f, recall %.3f\n", base + 1, n_true,
	       n_found, precision, recall);
	CHECK(n_true == 43, "%zu labelled faces", n_true);
	CHECK(recall >= min_recall, "recall %.3f", recall);
	CHECK(precision >= 0.5, "precision %.3f", precision);
out:
	vision_detector_free(d);
	vision_cascade_free(c);
}

static void test_precision_recall(void)
{
	/* floors a little under what OpenCV's own boxes reach here */
	precision_recall("/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml", 3, 0.6);
	precision_recall("/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml", 3, 0.6);
	/* its window is 45 pixels: most faces in these photos are smaller */
	precision_recall("/usr/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml", 3, 0.1);
}

static void test_threads_give_same_boxes(void)
{
	const char *path = test_data(VOC "/2008_002470.jpg");
	if (!path)
		return;
	media_image *img = media_image_load(path, 3);
	vision_cascade *c = vision_cascade_load("/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml");
	CHECK(img && c, "%s", bj_error_message());
	if (!img || !c)
		goto out;
	vision_detect_params p = VISION_DETECT_DEFAULTS;
	p.min_neighbors = 0;   /* raw hits, in order */
	bj_pool *pool = bj_pool_new(2);
	vision_detector *d1 = vision_detector_new(c, NULL), *d2 = vision_detector_new(c, pool);
	const vision_box *b1, *b2;
	size_t n1, n2;
	CHECK(vision_detect(d1, img, &p, &b1, &n1) == 0);
	CHECK(vision_detect(d2, img, &p, &b2, &n2) == 0);
	CHECK(n1 == n2 && n1 > 100 && memcmp(b1, b2, n1 * sizeof(*b1)) == 0, "%zu and %zu raw hits", n1, n2);
	/* bad settings */
	p.scale_factor = 1.0;
	CHECK(vision_detect(d1, img, &p, &b1, &n1) == BJ_EINVAL);
	vision_detector_free(d1);
	vision_detector_free(d2);
	bj_pool_free(pool);
out:
	vision_cascade_free(c);
	media_image_free(img);
}

static void test_group_boxes(void)
{
	/* three alike boxes become their mean; a lone one is dropped; a small
	 * group inside a bigger one goes too */
	vision_box b[] = {
		{ 100, 100, 50, 50, 0 }, { 102, 101, 50, 50, 0 }, { 104, 99, 52, 52, 0 }, { 101, 100, 50, 50, 0 },
		{ 300, 300, 40, 40, 0 },
		{ 110, 110, 20, 20, 0 }, { 111, 110, 20, 20, 0 },
	};
	size_t n = vision_group_boxes(b, BJ_ARRAY_SIZE(b), 1, 0.2);
	CHECK(n == 1, "%zu groups", n);
	CHECK(b[0].x == 102 && b[0].y == 100 && b[0].width == 50 && b[0].height == 50 && b[0].neighbors == 4,
	      "%d %d %d %d (%d)", b[0].x, b[0].y, b[0].width, b[0].height, b[0].neighbors);
	vision_box c = { 0, 0, 10, 10, 0 }, e = { 5, 0, 10, 10, 0 };
	CHECK_NEAR(vision_box_iou(&c, &e), 50.0 / 150.0, 1e-12);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_group_boxes),
		TEST_CASE(test_threads_give_same_boxes),
		TEST_CASE(test_matches_opencv),
		TEST_CASE(test_precision_recall),
		{ 0 },
	};
	return test_main(cases);
}
