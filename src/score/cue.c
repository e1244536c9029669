#include "score/cue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/rng.h"
#include "score/abc.h"
#include "score/music.h"

/* Characters per draw: ten times a typical tune, so a tune ends on its own. */
#define MAX_TUNE_CHARS 3000

void score_cue_opts_init(score_cue_opts *o, const score_mood *mood, double seconds)
{
	memset(o, 0, sizeof(*o));
	o->mood = mood;
	o->seconds = seconds;
	o->seed = 1;
	o->redraws = 8;
}

void score_cue_prime(const score_cue_opts *o, score_sbuf *out)
{
	score_sbuf_addf(out, "M:%s\nL:1/8\nK:%s\n", o->mood->meter, o->key ? o->key : o->mood->key);
}

int score_cue_compose(score_composer *c, const score_cue_opts *o, score_arrangement *a,
                      score_sbuf *abc, score_cue_stats *stats)
{
	memset(a, 0, sizeof(*a));
	memset(stats, 0, sizeof(*stats));
	score_key key;
	if (o->key && score_key_parse(o->key, &key) < 0)
		return bj_error_set(BJ_EINVAL, "unknown key '%s'", o->key);
	double qpm = o->qpm > 0 ? o->qpm : o->mood->qpm;
	score_sbuf prime = { 0 }, text = { 0 };
	score_cue_prime(o, &prime);
	nn_sample_opts so = { .temperature = o->temperature > 0 ? o->temperature
	                                                         : o->mood->temperature };
	bj_rng rng;
	bj_rng_init(&rng, o->seed);
	score_music *tunes = NULL;
	size_t n = 0, cap = 0;
	double seconds = 0.0;
	int ret = 0;
	while (seconds < o->seconds && stats->draws < SCORE_CUE_MAX_DRAWS) {
		score_sbuf_reset(&text);
		stats->draws++;
		if ((ret = score_composer_draw(c, prime.s, &so, &rng, MAX_TUNE_CHARS, o->redraws, &text)) < 0)
			break;
		score_abc_tune t;
		score_music m;
		int ok = score_abc_parse(&t, text.s, text.len, "drawn tune", 1) == 0 &&
		         score_music_fits_meter(&t, NULL, 0) && score_music_from_abc(&t, &m) == 0;
		score_abc_tune_release(&t);
		if (!ok)
			continue;
		if (m.length <= 0 || m.n_notes == 0) {
			score_music_release(&m);
			continue;
		}
		stats->kept++;
		BJ_GROW(tunes, cap, n + 1);
		tunes[n++] = m;
		seconds += m.length * 240.0 / qpm;
		if (abc)
			score_sbuf_addf(abc, "X:%d\n%s\n", stats->kept, text.s);
	}
	bj_error_clear();
	if (ret == 0 && n == 0)
		ret = bj_error_set(BJ_EFORMAT, "the composer drew no tune that fits its meter in %d "
		                   "tries", stats->draws);
	if (ret == 0) {
		/* Too short: the kept tunes again, in order. */
		size_t kept = n;
		for (size_t i = 0; seconds < o->seconds; i = (i + 1) % kept) {
			BJ_GROW(tunes, cap, n + 1);
			tunes[n++] = tunes[i];
			seconds += tunes[i].length * 240.0 / qpm;
		}
		stats->used = (int)n;
		score_arrange_opts ao = { .mood = o->mood, .seconds = o->seconds, .qpm = qpm };
		ret = score_arrange(tunes, n, &ao, a);
		for (size_t i = 0; i < kept; i++)
			score_music_release(&tunes[i]);
	}
	free(tunes);
	score_sbuf_release(&prime);
	score_sbuf_release(&text);
	return ret;
}

int score_cue_check(score_composer *c, const score_cue_opts *o, bj_rng *rng, int *parsed,
                    int *fits, score_sbuf *text)
{
	score_sbuf prime = { 0 }, t = { 0 };
	score_cue_prime(o, &prime);
	nn_sample_opts so = { .temperature = o->temperature > 0 ? o->temperature
	                                                         : o->mood->temperature };
	int ret = score_composer_draw(c, prime.s, &so, rng, MAX_TUNE_CHARS, o->redraws, &t);
	*parsed = *fits = 0;
	if (ret == 0) {
		score_abc_tune tune;
		*parsed = score_abc_parse(&tune, t.s, t.len, "drawn tune", 1) == 0;
		*fits = *parsed && score_music_fits_meter(&tune, NULL, 0);
		score_abc_tune_release(&tune);
		bj_error_clear();
		if (text)
			score_sbuf_add(text, t.s, t.len);
	}
	score_sbuf_release(&prime);
	score_sbuf_release(&t);
	return ret;
}

void score_fade_out(media_audio *a, size_t frames)
{
	if (frames > a->frames)
		frames = a->frames;
	size_t start = a->frames - frames;
	for (size_t i = 0; i < frames; i++) {
		float g = (float)(0.5 + 0.5 * cos(M_PI * (double)(i + 1) / (double)frames));
		for (int ch = 0; ch < a->channels; ch++)
			a->samples[(start + i) * (size_t)a->channels + (size_t)ch] *= g;
	}
}

void score_fade_in(media_audio *a, size_t frames)
{
	if (frames > a->frames)
		frames = a->frames;
	for (size_t i = 0; i < frames; i++) {
		float g = (float)(0.5 - 0.5 * cos(M_PI * (double)i / (double)frames));
		for (int ch = 0; ch < a->channels; ch++)
			a->samples[i * (size_t)a->channels + (size_t)ch] *= g;
	}
}
