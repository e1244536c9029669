#include "perform/voice.h"

#include <math.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"

/* Phones run end to end from 0, words sit inside them, and the last phone
 * ends with the audio (within 10 ms). */
static void check_timings(const perform_speech *sp, const char *what)
{
	double dur = media_audio_duration(&sp->audio);
	CHECK(sp->n_phones > 0, "%s: no phones", what);
	if (!sp->n_phones)
		return;
	CHECK(sp->phones[0].start == 0, "%s", what);
	for (size_t i = 0; i < sp->n_phones; i++) {
		CHECK(sp->phones[i].end >= sp->phones[i].start, "%s: phone %zu", what, i);
		if (i)
			CHECK(sp->phones[i].start == sp->phones[i - 1].end, "%s: gap before phone %zu", what, i);
	}
	CHECK(fabs(perform_speech_end(sp) - dur) <= 0.010, "%s: last phone ends at %.4f, audio %.4f",
	      what, perform_speech_end(sp), dur);
	for (size_t i = 0; i < sp->n_words; i++) {
		CHECK(sp->words[i].start <= sp->words[i].end && sp->words[i].end <= dur + 1e-9,
		      "%s: word %zu '%s' %.3f..%.3f", what, i, sp->words[i].text, sp->words[i].start,
		      sp->words[i].end);
		if (i)
			CHECK(sp->words[i].start >= sp->words[i - 1].end - 1e-9, "%s: word %zu", what, i);
	}
}

static int has_word(const perform_speech *sp, const char *w)
{
	for (size_t i = 0; i < sp->n_words; i++)
		if (strcmp(sp->words[i].text, w) == 0)
			return 1;
	return 0;
}

/* Every base voice speaks numbers and abbreviations, with timings that fit
 * the audio, at Flite's rate and after resampling to 48 kHz. */
static void test_every_voice_speaks_with_timings(void)
{
	CHECK(perform_voice_count() == 5);
	for (size_t v = 0; v < perform_voice_count(); v++) {
		const char *name = perform_voice_at(v)->name;
		perform_speech sp;
		int ret = perform_voice_synth(name, "Dr. Smith, it's 3:45 and I have 12 cats!",
		                              &PERFORM_SYNTH_DEFAULTS, &sp);
		CHECK(ret == 0, "%s: %s", name, bj_error_message());
		CHECK(sp.audio.rate == (strcmp(name, "kal") == 0 ? 8000 : 16000), "%s: %d Hz", name,
		      sp.audio.rate);
		CHECK(has_word(&sp, "doctor") && has_word(&sp, "forty") && has_word(&sp, "five") &&
		      has_word(&sp, "twelve"), "%s: numbers and abbreviations spoken", name);
		check_timings(&sp, name);
		CHECK(perform_speech_resample(&sp, PERFORM_VOICE_RATE) == 0);
		CHECK(sp.audio.rate == PERFORM_VOICE_RATE);
		check_timings(&sp, name);
		perform_speech_release(&sp);
	}
	CHECK(perform_voice_find("slt") == perform_voice_at(0));
	CHECK(perform_voice_find("hal") == NULL);
}

/* Accented names are read as plain letters; typographic quotes and dashes
 * are punctuation. */
static void test_accents_and_typography(void)
{
	perform_speech sp;
	CHECK(perform_voice_synth("slt", "Jos\xc3\xa9 M\xc3\xbcller \xe2\x80\x94 \xe2\x80\x9cna\xc3\xafve\xe2\x80\x9d",
	                          &PERFORM_SYNTH_DEFAULTS, &sp) == 0, "%s", bj_error_message());
	CHECK(has_word(&sp, "jose") && has_word(&sp, "muller") && has_word(&sp, "naive"));
	check_timings(&sp, "accents");
	perform_speech_release(&sp);
}

static void test_refusals(void)
{
	perform_speech sp;
	CHECK(perform_voice_synth("slt", "", &PERFORM_SYNTH_DEFAULTS, &sp) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "nothing to say");
	CHECK(perform_voice_synth("slt", "  ... !", &PERFORM_SYNTH_DEFAULTS, &sp) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "nothing to say");
	CHECK(perform_voice_synth("slt", "Hello \xe4\xb8\x96\xe7\x95\x8c", &PERFORM_SYNTH_DEFAULTS, &sp) ==
	      BJ_EINVAL);
	CHECK_STR(bj_error_message(),
	          "cannot speak 'Hello \xe4\xb8\x96\xe7\x95\x8c': no English reading for '\xe4\xb8\x96' (U+4E16)");
	CHECK(perform_voice_synth("slt", "bad \xff byte", &PERFORM_SYNTH_DEFAULTS, &sp) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "invalid UTF-8 at byte 4");
	CHECK(perform_voice_synth("hal", "Hello", &PERFORM_SYNTH_DEFAULTS, &sp) == BJ_ENOENT);
	CHECK_STR(bj_error_message(), "no voice 'hal'; see 'benjamin voices'");
	char big[PERFORM_VOICE_MAX_TEXT + 2];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	CHECK(perform_voice_synth("slt", big, &PERFORM_SYNTH_DEFAULTS, &sp) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "text is 8193 bytes, limit 8192");
	CHECK(sp.audio.frames == 0 && sp.n_words == 0);
	perform_speech_release(&sp);
}

/* A long speech (~150 words) is spoken whole, timings and all. */
static void test_long_line(void)
{
	static const char one[] = "We walked for hours along the cold grey shore, and nobody spoke. ";
	char text[2048];
	for (int i = 0; i < 15; i++)
		memcpy(text + i * (sizeof one - 1), one, sizeof one);
	perform_speech sp;
	CHECK(perform_voice_synth("kal16", text, &PERFORM_SYNTH_DEFAULTS, &sp) == 0, "%s",
	      bj_error_message());
	CHECK(sp.n_words == 15 * 12, "%zu words", sp.n_words);
	CHECK(media_audio_duration(&sp.audio) > 40, "%.1f s", media_audio_duration(&sp.audio));
	check_timings(&sp, "long");
	perform_speech_release(&sp);
}

/* Flite's stretch slows speech down by its factor. */
static void test_stretch(void)
{
	perform_speech a, b;
	perform_synth_options slow = PERFORM_SYNTH_DEFAULTS;
	slow.stretch = 1.5;
	CHECK(perform_voice_synth("awb", "A quiet evening by the river.", &PERFORM_SYNTH_DEFAULTS, &a) == 0);
	CHECK(perform_voice_synth("awb", "A quiet evening by the river.", &slow, &b) == 0);
	double r = media_audio_duration(&b.audio) / media_audio_duration(&a.audio);
	CHECK(r > 1.35 && r < 1.65, "ratio %.3f", r);
	perform_speech_release(&a);
	perform_speech_release(&b);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_every_voice_speaks_with_timings),
		TEST_CASE(test_accents_and_typography),
		TEST_CASE(test_refusals),
		TEST_CASE(test_long_line),
		TEST_CASE(test_stretch),
		{ 0 },
	};
	return test_main(cases);
}
