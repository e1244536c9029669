#include "perform/voice_script.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error.h"
#include "base/json.h"
#include "harness.h"
#include "media/wav.h"

static const perform_script_line lines[] = {
	{ "EVE", "You came back?", "(quietly)", NULL, 3 },
	{ "BOB", "I never left. Not for one day.", NULL, "V.O.", 6 },
	{ "EVE", "...", "(beat)", NULL, 9 },
	{ "DR. M\xc3\x9cLLER", "It's 3:45, and we have 12 minutes!", "(shouting)", NULL, 12 },
};
#define N_LINES (sizeof lines / sizeof lines[0])

static void cast_for(perform_cast *c)
{
	const char *names[] = { "EVE", "BOB", "DR. M\xc3\x9cLLER" };
	perform_cast_init(c);
	perform_cast_assign(c, names, 3, 1);
}

static int voice_into(const char *folder, int threads, const perform_cast *c)
{
	mkdir(folder, 0777);
	perform_script_options o = PERFORM_SCRIPT_DEFAULTS;
	o.threads = threads;
	o.extension_filter = PERFORM_FILTER_PHONE;
	return perform_script_voice("film.fountain", lines, N_LINES, c, &o, folder);
}

static int same_file(const char *a, const char *b)
{
	size_t na, nb;
	char *x = test_read_file(a, &na), *y = test_read_file(b, &nb);
	int same = x && y && na == nb && memcmp(x, y, na) == 0;
	free(x);
	free(y);
	return same;
}

/* One WAV per line and lines.json agree with each other; one thread or two
 * give the same bytes. */
static void test_voices_a_script(void)
{
	perform_cast c;
	cast_for(&c);
	char *one = strdup(test_path("one")), *two = strdup(test_path("two"));
	CHECK(voice_into(one, 1, &c) == 0, "%s", bj_error_message());
	CHECK(voice_into(two, 2, &c) == 0, "%s", bj_error_message());
	static const char *const files[] = { "lines.json", "0001-eve.wav", "0002-bob.wav",
		                             "0003-eve.wav", "0004-dr_muller.wav" };
	for (size_t i = 0; i < 5; i++) {
		char a[512], b[512];
		snprintf(a, sizeof a, "%s/%s", one, files[i]);
		snprintf(b, sizeof b, "%s/%s", two, files[i]);
		CHECK(same_file(a, b), "%s differs between 1 and 2 threads", files[i]);
	}
	char path[512];
	snprintf(path, sizeof path, "%s/lines.json", one);
	json_t *root;
	CHECK(bj_json_load(path, &root) == 0, "%s", bj_error_message());
	json_t *arr = json_object_get(root, "lines");
	CHECK(json_array_size(arr) == N_LINES);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *l = json_array_get(arr, i);
		snprintf(path, sizeof path, "%s/%s", one, json_string_value(json_object_get(l, "file")));
		media_audio a;
		CHECK(media_wav_read(path, &a) == 0, "%s", bj_error_message());
		CHECK(a.rate == 48000 && a.channels == 1);
		double dur = json_real_value(json_object_get(l, "duration"));
		CHECK(fabs(dur - media_audio_duration(&a)) < 1e-3, "line %zu: %.4f vs %.4f", i, dur,
		      media_audio_duration(&a));
		json_t *ph = json_object_get(l, "phonemes");
		double end = json_real_value(json_object_get(json_array_get(ph, json_array_size(ph) - 1), "end"));
		CHECK(fabs(end - dur) <= 0.010, "line %zu: last phoneme %.4f, duration %.4f", i, end, dur);
		CHECK_STR(json_string_value(json_object_get(l, "character")), lines[i].character);
		media_audio_release(&a);
	}
	/* "..." is a beat of silence: no words. */
	CHECK(json_array_size(json_object_get(json_array_get(arr, 2), "words")) == 0);
	CHECK(json_real_value(json_object_get(json_array_get(arr, 2), "duration")) == 1.2);
	json_decref(root);
	free(one);
	free(two);
	perform_cast_release(&c);
}

/* A line that cannot be spoken names the screenplay and its line, and no
 * lines.json is written. */
static void test_bad_line_stops_the_job(void)
{
	perform_cast c;
	cast_for(&c);
	perform_script_line bad[] = { lines[0], { "BOB", "\xe4\xbd\xa0\xe5\xa5\xbd", NULL, NULL, 42 } };
	char *dir = strdup(test_path("bad"));
	mkdir(dir, 0777);
	perform_script_options o = PERFORM_SCRIPT_DEFAULTS;
	CHECK(perform_script_voice("film.fountain", bad, 2, &c, &o, dir) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "'film.fountain': line 42: cannot speak '\xe4\xbd\xa0\xe5\xa5\xbd': no "
	                              "English reading for '\xe4\xbd\xa0' (U+4F60)");
	char path[512];
	snprintf(path, sizeof path, "%s/lines.json", dir);
	struct stat st;
	CHECK(stat(path, &st) != 0, "lines.json written after a failure");
	free(dir);
	perform_cast_release(&c);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_voices_a_script),
		TEST_CASE(test_bad_line_stops_the_job),
		{ 0 },
	};
	return test_main(cases);
}
