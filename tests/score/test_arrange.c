/*
 * test_arrange.c - a hand-written tune arranged to an exact length: the
 * tempo map lands the last bar on the cut, the MIDI file read back holds the
 * same notes, programs and tempo map, and FluidSynth renders exactly the
 * cue's frames, the same samples twice.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error.h"
#include "harness.h"
#include "score/abc.h"
#include "score/arrange.h"
#include "score/midi.h"
#include "score/music.h"
#include "score/synth.h"

static const char tune[] =
	"M:6/8\nL:1/8\nK:Em\n"
	"B|:\"Em\"E2E GFE|\"D\"DED FED|\"Em\"E2E GAB|\"Am\"c2A \"B7\"B2A|\n"
	"\"Em\"GFE \"D\"FED|\"Em\"E3 \"B7\"B,3|1 \"Em\"E3 E2B:|2 \"Em\"E3 E3|]\n";

static void arrange(double seconds, score_arrangement *a)
{
	score_abc_tune t;
	score_music m[2];
	CHECK(score_abc_parse(&t, tune, strlen(tune), "t", 1) == 0, "%s", bj_error_message());
	CHECK(score_music_from_abc(&t, &m[0]) == 0 && score_music_from_abc(&t, &m[1]) == 0);
	score_arrange_opts o = { score_mood_find("tense"), seconds, 132.0 };
	CHECK(score_arrange(m, 2, &o, a) == 0, "%s", bj_error_message());
	score_music_release(&m[0]);
	score_music_release(&m[1]);
	score_abc_tune_release(&t);
}

static void test_cut(void)
{
	/* The two tunes last 2 x 16 bars of 6/8 = 12 whole notes = 21.8 s at
	 * 132 quarters a minute; cut at 15.1 s, on a bar line. */
	for (double s = 3.3; s < 30; s += 5.9) {
		score_arrangement a;
		arrange(s, &a);
		CHECK(fabs(score_arrangement_time(&a, a.ticks) - s) < 1e-3, "%.6f s, want %.3f",
		      score_arrangement_time(&a, a.ticks), s);
		/* Bars of 6/8 after the first tune's pickup (1/8), or the second's. */
		CHECK((a.ticks - 240) % 1440 == 0 || (a.ticks - 480) % 1440 == 0,
		      "cut at tick %lld: not on a bar line", (long long)a.ticks);
		/* Only the last phrase's tempo moves, and not by much past the tunes' end. */
		double q0 = 60e6 / a.tempo[0].usec_per_quarter;
		double q1 = 60e6 / a.tempo[a.n_tempo - 1].usec_per_quarter;
		if (s < 21)
			CHECK(q1 / q0 > 0.8 && q1 / q0 < 1.25, "tempo %.1f then %.1f", q0, q1);
		for (size_t i = 0; i < a.n; i++)
			CHECK(a.events[i].tick + a.events[i].dur <= a.ticks);
		/* The cadence: the last bar holds the tonic (E) in all three parts. */
		int tonic = 0;
		for (size_t i = 0; i < a.n; i++)
			if (a.events[i].tick + a.events[i].dur == a.ticks && a.events[i].pitch % 12 == 4)
				tonic++;
		CHECK(tonic >= 3, "%d tonic notes end on the cut", tonic);
		score_arrangement_release(&a);
	}
}

static void test_midi(void)
{
	score_arrangement a;
	arrange(12.0, &a);
	const char *path = test_path("cue.mid");
	CHECK(score_midi_save(path, &a) == 0, "%s", bj_error_message());
	score_midi_info info;
	CHECK(score_midi_load(path, &info) == 0, "%s", bj_error_message());
	CHECK(info.format == 1 && info.tracks == 4 && info.division == SCORE_PPQ);
	CHECK(info.n_notes == a.n, "%zu notes read, %zu written", info.n_notes, a.n);
	int64_t got = 0, want = 0;
	for (size_t i = 0; i < info.n_notes; i++)
	{
		got += info.notes[i].dur;
		CHECK(info.notes[i].dur > 0);
	}
	for (size_t i = 0; i < a.n; i++)
		want += a.events[i].dur;
	CHECK(got == want, "%lld ticks of notes read, %lld written", (long long)got, (long long)want);
	CHECK(info.n_tempo == (size_t)a.n_tempo);
	for (size_t i = 0; i < info.n_tempo && i < 2; i++)
		CHECK(info.tempo[i].tick == a.tempo[i].tick &&
		      info.tempo[i].usec_per_quarter == a.tempo[i].usec_per_quarter);
	CHECK(info.ticks == a.ticks, "ends at %lld", (long long)info.ticks);
	CHECK(info.programs[0] == 40 && info.programs[1] == 44 && info.programs[2] == 43);
	score_midi_info_release(&info);
	/* Truncated files: an error, never a crash. */
	size_t size;
	char *data = test_read_file(path, &size);
	for (size_t n = 0; data && n < size; n += n < 64 ? 1 : 97) {
		int ret = score_midi_parse((const uint8_t *)data, n, "cut.mid", &info);
		CHECK(ret == BJ_EFORMAT || (ret == 0 && info.n_notes <= a.n), "%zu bytes", n);
		score_midi_info_release(&info);
	}
	free(data);
	score_arrangement_release(&a);
}

static void test_render(void)
{
	struct stat st;
	if (stat(SCORE_SOUNDFONT, &st) != 0) {
		test_skip("no SoundFont at " SCORE_SOUNDFONT " (fluid-soundfont-gm)");
		return;
	}
	score_arrangement a;
	arrange(4.01, &a);
	score_synth *s, *s2;
	CHECK(score_synth_open(SCORE_SOUNDFONT, 48000, &s) == 0, "%s", bj_error_message());
	CHECK(score_synth_open(SCORE_SOUNDFONT, 48000, &s2) == 0, "%s", bj_error_message());
	media_audio x, y;
	CHECK(score_synth_render(s, &a, 0, &x) == 0 && score_synth_render(s, &a, 4800, &y) == 0);
	media_audio z;
	CHECK(score_synth_render(s2, &a, 0, &z) == 0 && z.frames == x.frames &&
	      memcmp(x.samples, z.samples, x.frames * 2 * sizeof(float)) == 0);
	media_audio_release(&z);
	CHECK(x.frames == 192480, "%zu frames", x.frames);
	CHECK(y.frames == 192480 + 4800, "%zu frames", y.frames);
	CHECK(x.channels == 2 && x.rate == 48000);
	CHECK(memcmp(x.samples, y.samples, x.frames * 2 * sizeof(float)) == 0,
	      "the same arrangement sounds different");
	double e = 0;
	for (size_t i = 0; i < x.frames * 2; i++)
		e += (double)x.samples[i] * x.samples[i];
	CHECK(e > 1.0, "silence: energy %g", e);
	media_audio_release(&x);
	media_audio_release(&y);
	score_synth_close(s);
	score_synth_close(s2);
	score_arrangement_release(&a);
	CHECK(score_synth_open("/nonexistent.sf2", 48000, &s) == BJ_ENOENT);
	CHECK_STR(bj_error_message(), "'/nonexistent.sf2': No such file or directory");
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_cut),
		TEST_CASE(test_midi),
		TEST_CASE(test_render),
		{ 0 },
	};
	return test_main(cases);
}
