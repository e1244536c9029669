/* The swap on films: star photos from a folder, shots found in a two-shot
 * film made from two talking heads, and one range swapped into a clip of its
 * own with its scores; bad ranges and paths fail with a message and no file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "harness.h"
#include "media/decoder.h"
#include "media/encoder.h"
#include "perform/swap_clip.h"
#include "vision/cascade.h"
#include "vision/shape_model.h"

#define CASCADE "/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml"
#define SHOT 12   /* frames from each clip */

/* Appends n frames of clip (scaled to 240 x 240) to e. */
static int append(media_encoder *e, const char *clip, int n)
{
	media_decoder *d;
	if (media_decoder_open(clip, &d) < 0 || media_decoder_set_output(d, 240, 240, 3) < 0)
		return -1;
	const media_frame *f;
	int k = 0;
	while (k < n && media_decoder_read(d, &f) > 0 && media_encoder_write_video(e, &f->image) == 0)
		k++;
	media_decoder_close(d);
	return k == n ? 0 : -1;
}

static long count_frames(const char *path)
{
	media_decoder *d;
	if (media_decoder_open(path, &d) < 0)
		return -1;
	const media_frame *f;
	long n = 0;
	while (media_decoder_read(d, &f) > 0)
		n++;
	media_decoder_close(d);
	return n;
}

static void test_clip(void)
{
	/* test_data's answer lives until its next call */
	char a[4096], b[4096], stars[4096], film[4096], out[4096];
	const char *p;
	if (!(p = test_data("footage/talking_heads/hdtf/videoretalking_face_1.mp4")))
		return;
	snprintf(a, sizeof(a), "%s", p);
	if (!(p = test_data("footage/talking_heads/hdtf/videoretalking_face_3.mp4")))
		return;
	snprintf(b, sizeof(b), "%s", p);
	if (!(p = test_data("faces/star_George_W_Bush")))
		return;
	snprintf(stars, sizeof(stars), "%s", p);
	snprintf(film, sizeof(film), "%s", test_path("film.mp4"));
	snprintf(out, sizeof(out), "%s", test_path("shot.mp4"));
	media_encoder_opts eo = media_encoder_defaults(240, 240, 25, 1);
	media_encoder *e;
	CHECK(media_encoder_open(film, &eo, &e) == 0);
	CHECK(append(e, a, SHOT) == 0 && append(e, b, SHOT) == 0 && media_encoder_finish(e) == 0, "%s",
	      bj_error_message());
	media_encoder_close(e);

	int64_t *starts;
	size_t n;
	CHECK(perform_swap_shots(film, &starts, &n) == 0, "%s", bj_error_message());
	CHECK(n == 1 && starts[0] >= SHOT - 1 && starts[0] <= SHOT + 1, "%zu shot changes, first at %lld", n,
	      n ? (long long)starts[0] : -1LL);
	free(starts);

	vision_cascade *c = vision_cascade_load(CASCADE);
	vision_shape_model *m = vision_shape_model_load(VISION_SHAPE_MODEL_68);
	perform_swap_opts o = PERFORM_SWAP_DEFAULTS;
	perform_swapper *s = perform_swapper_new(c, m, NULL, &o);
	int skipped = -1;
	CHECK(perform_swapper_add_stars(s, stars, 3, &skipped) == 3 && skipped == 0, "skipped %d", skipped);
	CHECK(perform_swapper_stars(s) == 3);

	perform_swap_stats st;
	CHECK(perform_swap_range(s, film, SHOT + 2, SHOT + 9, out, NULL, &st, NULL) == 0, "%s", bj_error_message());
	CHECK(count_frames(out) == 8, "%ld frames in the clip", count_frames(out));
	CHECK(st.frames == 8 && st.swapped >= 7, "%ld of %ld swapped", st.swapped, st.frames);
	CHECK(st.margin_frames >= 1 && st.margin > -2 && st.margin < 2, "margin %g over %ld", st.margin,
	      st.margin_frames);
	CHECK(st.seam > 0 && st.flicker > 0, "seam %g flicker %g", st.seam, st.flicker);
	perform_swap_stats all;
	perform_swapper_totals(s, &all);
	CHECK(all.frames == 8, "totals %ld", all.frames);

	/* bad ranges: nothing written */
	unlink(out);
	CHECK(perform_swap_range(s, film, 100, 120, out, NULL, NULL, NULL) == BJ_EINVAL);
	CHECK(strstr(bj_error_message(), "has 24 frames, the range starts at frame 100") != NULL, "%s",
	      bj_error_message());
	CHECK(access(out, F_OK) != 0, "a clip was left behind");
	CHECK(perform_swap_range(s, film, 5, 2, out, NULL, NULL, NULL) == BJ_EINVAL);
	CHECK(perform_swap_range(s, test_path("none.mp4"), 0, 2, out, NULL, NULL, NULL) < 0);
	CHECK(access(out, F_OK) != 0, "a clip was left behind");

	CHECK(perform_swapper_add_stars(s, test_path("nowhere"), 3, NULL) == BJ_ENOENT);
	CHECK(strstr(bj_error_message(), "nowhere': no such file or folder") != NULL, "%s", bj_error_message());
	perform_swapper_free(s);
	vision_shape_model_free(m);
	vision_cascade_free(c);
}

/* The shots told frame by frame while the search runs (what `benjamin swap`
 * asks as it swaps) are the finished search's, on a film of cuts, dissolves,
 * a fade and a wipe: asked as fast as it can, the swap waits at the search's
 * frontier, where the transitions not yet final are. */
static void test_shots_due(void)
{
	const char *film = test_data("eval/shots/constructed_edit_640x360_25fps.mp4");
	if (!film)
		return;
	int64_t *all;
	size_t n_all;
	CHECK(perform_swap_shots(film, &all, &n_all) == 0, "%s", bj_error_message());
	CHECK(n_all >= 12, "%zu shot changes", n_all);
	for (int threads = 1; threads <= 2; threads++) {
		perform_shots_job *j = perform_swap_shots_start(film, threads);
		size_t k = 0, wrong = 0;
		for (int64_t f = 0; f < 2100; f++) {
			int due = perform_swap_shots_due(j, f);
			int want = k < n_all && all[k] == f;
			wrong += due != want;
			k += want;
		}
		int64_t *starts;
		size_t n;
		CHECK(perform_swap_shots_finish(j, &starts, &n) == 0, "%s", bj_error_message());
		CHECK(wrong == 0 && k == n_all, "threads %d: %zu frames told wrong, %zu of %zu changes seen", threads,
		      wrong, k, n_all);
		CHECK(n == n_all && (!n || memcmp(starts, all, n * sizeof(*all)) == 0), "threads %d: %zu changes",
		      threads, n);
		free(starts);
	}
	free(all);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_clip),
		TEST_CASE(test_shots_due),
		{ 0 },
	};
	return test_main(cases);
}
