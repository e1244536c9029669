#include "perform/voice_cast.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "perform/voice_analysis.h"

static void write_text(const char *path, const char *text)
{
	test_write_file(path, text, strlen(text));
}

static void test_load_pins(void)
{
	const char *path = test_path("cast.json");
	write_text(path, "{\"title\": \"x\", \"characters\": {"
	                 "\"Eve\": {\"voice\": \"awb\", \"pitch\": 2.5, \"formant\": 0.9, \"rate\": 1.1, \"range\": 1.5},"
	                 "\"BOB\": {\"like\": \"samples/bob.wav\"}, \"HAL\": {}}}");
	perform_cast c;
	perform_cast_init(&c);
	CHECK(perform_cast_load(&c, path) == 0, "%s", bj_error_message());
	CHECK(c.n == 3);
	const perform_voice_setting *eve = perform_cast_find(&c, "EVE");
	CHECK(eve && strcmp(eve->voice, "awb") == 0 && eve->shift.semitones == 2.5 &&
	      eve->shift.formant == 0.9 && eve->shift.rate == 1.1 && eve->range == 1.5);
	perform_cast_entry *bob = perform_cast_entry_find(&c, "bob");
	CHECK(bob && bob->pinned && bob->like);
	char want[512];
	snprintf(want, sizeof want, "%s/samples/bob.wav", test_tmpdir());
	if (bob && bob->like)
		CHECK_STR(bob->like, want);
	perform_cast_release(&c);
}

/* The list form of `benjamin cast`: an entry with a voice is pinned, one with
 * only an identity and a star is left to the assignment. */
static void test_load_list(void)
{
	const char *path = test_path("cast.json");
	write_text(path, "{\"format\": \"benjamin-cast\", \"version\": 1, \"cast\": ["
	                 "{\"character\": \"EVE\", \"lines\": 3, \"identity\": 2, \"identity_seconds\": 4,"
	                 " \"star\": \"/faces/eve\", \"voice\": \"awb\", \"pitch\": -2, \"formant\": 1,"
	                 " \"rate\": 1, \"range\": 1},"
	                 "{\"character\": \"BOB\", \"identity\": null, \"star\": \"faces/bob\"}]}");
	perform_cast c;
	perform_cast_init(&c);
	CHECK(perform_cast_load(&c, path) == 0, "%s", bj_error_message());
	CHECK(c.n == 1);
	const perform_voice_setting *eve = perform_cast_find(&c, "EVE");
	CHECK(eve && strcmp(eve->voice, "awb") == 0 && eve->shift.semitones == -2);
	CHECK(perform_cast_find(&c, "BOB") == NULL);
	const char *names[] = { "EVE", "BOB" };
	CHECK(perform_cast_assign(&c, names, 2, 1) == 0);
	const perform_voice_setting *bob = perform_cast_find(&c, "BOB");
	CHECK(bob && !perform_voice_alike(bob, eve));
	perform_cast_release(&c);
}

static void test_load_errors(void)
{
	static const struct {
		const char *json, *message;
	} cases[] = {
		{ "[]", "expected an object with a \"cast\" array or a \"characters\" object" },
		{ "{\"cast\": [{\"identity\": 3}]}", "cast[0].character: missing" },
		{ "{\"cast\": [{\"character\": \"EVE\", \"star\": \"x\", \"vioce\": \"slt\"}]}",
		  "character 'EVE': unknown key 'vioce'" },
		{ "{\"characters\": {\"EVE\": {\"voice\": \"hal\"}}}",
		  "character 'EVE': unknown voice 'hal'; see 'benjamin voices'" },
		{ "{\"characters\": {\"EVE\": {\"pitch\": 30}}}",
		  "character 'EVE': 'pitch' must be a number in -24..24" },
		{ "{\"characters\": {\"EVE\": {\"formant\": \"big\"}}}",
		  "character 'EVE': 'formant' must be a number in 0.5..2" },
		{ "{\"characters\": {\"EVE\": {\"pich\": 3}}}", "character 'EVE': unknown key 'pich'" },
		{ "{\"characters\": {\"EVE\": 3}}", "character 'EVE': expected an object, not integer" },
		{ "{\"characters\": {\"EVE\": {}, \"eve\": {}}}", "character 'eve' is cast twice" },
	};
	const char *path = test_path("bad.json");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		write_text(path, cases[i].json);
		perform_cast c;
		perform_cast_init(&c);
		CHECK(perform_cast_load(&c, path) == BJ_EFORMAT, "case %zu", i);
		char want[512];
		snprintf(want, sizeof want, "'%s': %s", path, cases[i].message);
		CHECK_STR(bj_error_message(), want);
		perform_cast_release(&c);
	}
}

static const char *const eight[] = { "ANNA", "BEN", "CLARA", "DAVID", "ÉLODIE", "FRANK", "GRACE", "HUGO" };

/* Eight characters get eight voices, and measured on a sentence every two of
 * them differ: median F0 by 4 % or more, or spectral centroid by 5 % or more. */
static void test_eight_characters_sound_different(void)
{
	perform_cast c;
	perform_cast_init(&c);
	CHECK(perform_cast_assign(&c, eight, 8, 1) == 0);
	CHECK(c.n == 8);
	perform_voice_profile p[8];
	for (size_t i = 0; i < 8; i++) {
		for (size_t j = 0; j < i; j++)
			CHECK(!perform_voice_alike(&c.entries[i].voice, &c.entries[j].voice), "%s and %s",
			      eight[i], eight[j]);
		perform_speech sp;
		CHECK(perform_line_render(&c.entries[i].voice,
		                          "When the sunlight strikes raindrops in the air, they act as a "
		                          "prism and form a rainbow.", &PERFORM_LINE_DEFAULTS, &sp) == 0,
		      "%s", bj_error_message());
		CHECK(perform_voice_analyse(&sp.audio, &p[i]) == 0);
		perform_speech_release(&sp);
	}
	for (size_t i = 0; i < 8; i++)
		for (size_t j = 0; j < i; j++) {
			double df = fabs(p[i].f0_median / p[j].f0_median - 1);
			double dc = fabs(p[i].centroid / p[j].centroid - 1);
			char a[96], b[96];
			perform_voice_setting_describe(&c.entries[i].voice, a, sizeof a);
			perform_voice_setting_describe(&c.entries[j].voice, b, sizeof b);
			CHECK(df >= 0.04 || dc >= 0.05, "%s (%s) and %s (%s): F0 %.1f/%.1f Hz, centroid %.0f/%.0f Hz",
			      eight[i], a, eight[j], b, p[i].f0_median, p[j].f0_median, p[i].centroid,
			      p[j].centroid);
		}
	perform_cast_release(&c);
}

/* The seed decides who gets which voice, the same seed the same way; pinned
 * characters keep theirs and nobody else gets one like it. */
static void test_seed_and_pins(void)
{
	perform_cast a, b, d;
	perform_cast_init(&a);
	perform_cast_init(&b);
	perform_cast_init(&d);
	perform_cast_assign(&a, eight, 8, 1);
	perform_cast_assign(&b, eight, 8, 1);
	perform_cast_assign(&d, eight, 8, 2);
	int same = 1, differ = 0;
	for (size_t i = 0; i < 8; i++) {
		same &= memcmp(&a.entries[i].voice, &b.entries[i].voice, sizeof a.entries[i].voice) == 0;
		differ |= strcmp(a.entries[i].voice.voice, d.entries[i].voice.voice) != 0;
	}
	CHECK(same && differ);
	perform_cast_release(&a);
	perform_cast_release(&b);
	perform_cast_release(&d);

	const char *path = test_path("cast.json");
	write_text(path, "{\"characters\": {\"HUGO\": {\"voice\": \"slt\"}}}");
	perform_cast c;
	perform_cast_init(&c);
	CHECK(perform_cast_load(&c, path) == 0);
	perform_cast_assign(&c, eight, 8, 1);
	CHECK(c.n == 8);
	CHECK(strcmp(perform_cast_find(&c, "HUGO")->voice, "slt") == 0);
	for (size_t i = 0; i < c.n; i++)
		if (strcmp(c.entries[i].name, "HUGO") != 0)
			CHECK(!perform_voice_alike(&c.entries[i].voice, perform_cast_find(&c, "HUGO")), "%s",
			      c.entries[i].name);
	perform_cast_release(&c);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_load_pins),
		TEST_CASE(test_load_list),
		TEST_CASE(test_load_errors),
		TEST_CASE(test_eight_characters_sound_different),
		TEST_CASE(test_seed_and_pins),
		{ 0 },
	};
	return test_main(cases);
}
