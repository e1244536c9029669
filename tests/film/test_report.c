/*
 * test_report.c - report.html: images inlined as base64 (RFC 4648 vectors),
 * charts as PNG, and a whole report of a small film folder: the screenplay
 * beside its shots with why each was chosen, a cast read defensively, a
 * model's learning curve, the stage times; every picture in it decodes.  Also
 * the demo footage's error when none is installed.
 */
#include "film/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/safetensors.h"
#include "film/demo.h"
#include "film/report_html.h"
#include "film/report_plot.h"
#include "library/ingest.h"
#include "media/imagefile.h"
#include "harness.h"

static void test_base64(void)
{
	static const struct {
		const char *in, *out;
	} v[] = { { "", "" }, { "f", "Zg==" }, { "fo", "Zm8=" }, { "foo", "Zm9v" },
	          { "foob", "Zm9vYg==" }, { "fooba", "Zm9vYmE=" }, { "foobar", "Zm9vYmFy" } };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		text_buf h = { 0 };
		film_html_image(&h, "x/y", (const uint8_t *)v[i].in, strlen(v[i].in), "alt=\"a\"");
		char *want = bj_xasprintf("<img src=\"data:x/y;base64,%s\" alt=\"a\">", v[i].out);
		CHECK_STR(h.s, want);
		free(want);
		text_buf_release(&h);
	}
	text_buf h = { 0 };
	film_html_text(&h, "<a href=\"x\">Tom & 'Jerry'</a>");
	CHECK_STR(h.s, "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;");
	text_buf_release(&h);
}

static int is_png(const uint8_t *p, size_t n)
{
	return n > 8 && !memcmp(p, "\x89PNG\r\n\x1a\n", 8);
}

static void test_plots(void)
{
	double x[] = { 1, 2, 3, 4 }, y[] = { 4.1, 3.0, NAN, 2.2 }, e[] = { NAN, NAN, 2.9, NAN };
	film_plot_series s[2] = { { "training", x, y, 4, 0x3b6ea5, 0 }, { "held out", x, e, 4, 0xd0672c, 1 } };
	size_t size = 0;
	uint8_t *png = film_plot_lines("writer", "step", "bits/char", s, 2, 300, 160, &size);
	CHECK(png && is_png(png, size), "%s", bj_error_message());
	media_image *img = png ? media_image_decode(png, size, "plot", 3) : NULL;
	CHECK(img && img->width == 600 && img->height == 320, "drawn at twice the size");
	media_image_free(img);
	free(png);
	double none[] = { NAN };
	film_plot_series empty = { "x", none, none, 1, 0, 0 };
	CHECK(film_plot_lines("t", "x", "y", &empty, 1, 300, 160, &size) == NULL);
	CHECK_STR(bj_error_message(), "a chart without points");
	const char *labels[] = { "write", "index", "render" };
	double secs[] = { 0.2, 11.5, -1 };
	png = film_plot_bars("times", labels, secs, 3, "s", 400, &size);
	CHECK(png && is_png(png, size), "%s", bj_error_message());
	free(png);
}

static void test_demo_missing(void)
{
	char **files = (char **)1;
	size_t n = 7;
	CHECK(film_demo_footage("/nonexistent", &files, &n) == BJ_ENOENT);
	CHECK(files == NULL && n == 0);
	CHECK_STR(bj_error_message(), "no footage given (--footage) and no demo footage installed "
	                              "(scripts/setup installs it: python3-skimage, "
	                              "python-matplotlib-data, opencv-doc)");
}

/* Every data: image of the page decodes as the picture its type says. */
static int count_images(const char *html, int *bad)
{
	int n = 0;
	*bad = 0;
	for (const char *p = strstr(html, "<img "); p; p = strstr(p + 1, "<img ")) {
		n++;
		const char *src = strstr(p, "src=\"data:image/");
		const char *b64 = src ? strstr(src, ";base64,") : NULL;
		const char *end = b64 ? strchr(b64, '"') : NULL;
		if (!src || src - p > 10 || !end) {
			(*bad)++;
			continue;
		}
		b64 += 8;
		size_t len = (size_t)(end - b64), k = 0;
		uint8_t *bytes = bj_xmalloc(len);
		uint32_t acc = 0;
		int bits = 0;
		for (size_t i = 0; i < len && b64[i] != '='; i++) {
			const char *d = strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
			                       b64[i]);
			acc = acc << 6 | (uint32_t)(d - "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			                               "0123456789+/");
			if ((bits += 6) >= 8) {
				bits -= 8;
				bytes[k++] = (uint8_t)(acc >> bits);
			}
		}
		media_image *img = media_image_decode(bytes, k, "img", 3);
		*bad += img == NULL;
		media_image_free(img);
		free(bytes);
	}
	return n;
}

static void write_model(const char *path)
{
	bj_st_writer *w = bj_st_writer_new();
	float x[2] = { 1, 2 };
	CHECK(bj_st_writer_add(w, "x", BJ_DTYPE_F32, 1, (int64_t[]){ 2 }, x) == 0);
	bj_st_writer_set_meta(w, "charlm.layers", "2");
	bj_st_writer_set_meta(w, "train.step", "300");
	bj_st_writer_set_meta(w, "train.curve", "100,3.5,;200,2.8,3.1;300,2.4,2.9");
	CHECK(bj_st_writer_save(w, path) == 0, "%s", bj_error_message());
	bj_st_writer_free(w);
}

static void test_report(void)
{
	const char *dir = test_tmpdir();
	char *still = bj_xasprintf("%s/poster.png", dir), *star = bj_xasprintf("%s/star", dir);
	char *face = bj_xasprintf("%s/star/a.jpg", dir), *model = bj_xasprintf("%s/w.safetensors", dir);
	media_image *img = media_image_new(120, 90, 3);
	for (size_t i = 0; i < (size_t)120 * 90 * 3; i++)
		img->data[i] = (uint8_t)(i * 7);
	CHECK(media_image_save(img, still, 0) == 0, "%s", bj_error_message());
	mkdir(star, 0777);
	CHECK(media_image_save(img, face, 0) == 0, "%s", bj_error_message());
	media_image_free(img);
	write_model(model);
	char *tl = bj_xasprintf(
		"{ \"format\": \"benjamin-timeline\", \"version\": 1, \"title\": \"The <Pit>\",\n"
		"  \"title_card\": { \"at\": 0, \"duration\": 2 },\n"
		"  \"video\": [ { \"source\": \"poster.png\", \"duration\": 2.5, \"at\": 2, \"scene\": 1,\n"
		"    \"why\": { \"element\": \"DIALOGUE\", \"source_line\": 5, \"features\": {\n"
		"      \"close\": { \"value\": 0.5, \"weight\": 2 }, \"face\": { \"value\": 0, \"weight\": 1 } },\n"
		"      \"total\": 1.0, \"runner_up\": { \"film\": \"/x/other.mp4\", \"number\": 4, \"total\": 0.75 } } },\n"
		"    { \"source\": \"missing.mp4\", \"in\": 0, \"out\": 1, \"at\": 4.5 } ] }\n");
	char *p = bj_xasprintf("%s/timeline.json", dir);
	test_write_file(p, tl, strlen(tl));
	free(p);
	free(tl);
	static const char fountain[] = "Title: The Pit\n\nINT. HOUSE - NIGHT\n\nEVE\nNobody leaves.\n";
	p = bj_xasprintf("%s/film.fountain", dir);
	test_write_file(p, fountain, strlen(fountain));
	free(p);
	char *cast = bj_xasprintf("{ \"cast\": [ { \"character\": \"EVE\", \"identity\": 9, "
	                          "\"star\": \"%s\", \"voice\": { \"like\": \"x.wav\" } }, 7, "
	                          "{ \"identity\": \"bad\" } ] }", star);
	p = bj_xasprintf("%s/cast.json", dir);
	test_write_file(p, cast, strlen(cast));
	free(p);
	free(cast);
	char *make = bj_xasprintf("{ \"stages\": [ { \"name\": \"write\", \"key\": \"ab\", "
	                          "\"seconds\": 0.1, \"skipped\": false, \"made_seconds\": 0.1 }, "
	                          "{ \"name\": \"render\", \"key\": \"cd\", \"seconds\": 0.01, "
	                          "\"skipped\": true, \"made_seconds\": 3.5 } ], "
	                          "\"models\": { \"writer\": \"%s\", \"composer\": \"/none\" }, "
	                          "\"library\": \"/nonexistent/library.db\" }", model);
	p = bj_xasprintf("%s/make.json", dir);
	test_write_file(p, make, strlen(make));
	free(p);
	free(make);

	film_report_opts o = { .film_dir = dir };
	CHECK(film_report_save(&o) == 0, "%s", bj_error_message());
	p = bj_xasprintf("%s/report.html", dir);
	char *html = test_read_file(p, NULL);
	free(p);
	CHECK(html != NULL);
	if (html) {
		static const char *const want[] = {
			"<h1>The &lt;Pit&gt;</h1>", "class=\"sp heading\">INT. HOUSE - NIGHT<",
			"class=\"sp dialogue\">Nobody leaves.<", "<b>poster.png</b>", "close-up",
			"score 1.00", "runner-up: other.mp4 shot 4, 0.75 (0.25 behind)",
			"not in this shot: a face on screen", "Shots not tied to a line",
			"no pictures: &#39;", "<h4>EVE</h4>", "alt=\"star\"", "{&quot;like&quot;:&quot;x.wav&quot;}",
			"alt=\"learning curve\"", "/none&#39;", "alt=\"stage times\"", "up to date",
		};
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			CHECK(strstr(html, want[i]) != NULL, "no '%s' in the report", want[i]);
		int bad, n = count_images(html, &bad);
		/* the still's three frames (moved as the render moves it) and its
		 * contact-sheet frame, the star, the curve, the times */
		CHECK(n == 7 && bad == 0, "%d images, %d that do not decode", n, bad);
		free(html);
	}
	film_report_opts none = { .film_dir = "/nonexistent" };
	CHECK(film_report_save(&none) < 0);
	CHECK(strncmp(bj_error_message(), "'/nonexistent/timeline.json': ", 30) == 0, "%s",
	      bj_error_message());
	free(still);
	free(star);
	free(face);
	free(model);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_base64),
		TEST_CASE(test_plots),
		TEST_CASE(test_demo_missing),
		TEST_CASE(test_report),
		{ 0 },
	};
	return test_main(cases);
}
