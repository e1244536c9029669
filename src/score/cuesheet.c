#include "score/cuesheet.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/json.h"
#include "base/progress.h"
#include "score/cue.h"
#include "score/midi.h"

#define RATE 48000

/* A number member: 0 and *v set, 1 when absent (and optional), or an error. */
static int number(const char *path, size_t i, json_t *o, const char *key, int optional, double lo,
                  double hi, double *v)
{
	json_t *x = json_object_get(o, key);
	if (!x && optional)
		return 1;
	if (!x)
		return bj_error_set(BJ_EFORMAT, "'%s': cue %zu: no '%s'", path, i + 1, key);
	if (!json_is_number(x) || !isfinite(json_number_value(x)) || json_number_value(x) < lo ||
	    json_number_value(x) > hi)
		return bj_error_set(BJ_EFORMAT, "'%s': cue %zu: '%s' must be a number from %g to %g",
		                    path, i + 1, key, lo, hi);
	*v = json_number_value(x);
	return 0;
}

/* The array under key, or the document itself when it is an array. */
static json_t *list(json_t *doc, const char *key)
{
	return json_is_array(doc) ? doc : json_object_get(doc, key);
}

static int cmp_cue(const void *a, const void *b)
{
	const score_cue *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

int score_cues_load(const char *path, score_cues *cues)
{
	memset(cues, 0, sizeof(*cues));
	json_t *doc;
	int ret = bj_json_load(path, &doc);
	if (ret < 0)
		return ret;
	json_t *arr = list(doc, "cues");
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		json_decref(doc);
		return bj_error_set(BJ_EFORMAT, "'%s': no \"cues\" list", path);
	}
	cues->n = json_array_size(arr);
	cues->cues = bj_xcalloc(cues->n, sizeof(*cues->cues));
	for (size_t i = 0; i < cues->n && ret == 0; i++) {
		json_t *o = json_array_get(arr, i);
		score_cue *c = &cues->cues[i];
		c->seed = -1;
		double seed;
		if (!json_is_object(o)) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': cue %zu is not an object", path, i + 1);
			break;
		}
		if ((ret = number(path, i, o, "start", 0, 0, 86400, &c->start)) < 0 ||
		    (ret = number(path, i, o, "length", 0, 0.5, 3600, &c->length)) < 0 ||
		    (ret = number(path, i, o, "tempo", 1, 20, 400, &c->qpm)) < 0 ||
		    (ret = number(path, i, o, "seed", 1, 0, 2147483647, &seed)) < 0)
			break;
		if (ret == 0)
			c->seed = (int64_t)seed;
		ret = 0;
		json_t *m = json_object_get(o, "mood"), *k = json_object_get(o, "key");
		if (!json_is_string(m)) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': cue %zu: no \"mood\" (%s)", path, i + 1,
			                   score_mood_names());
		} else if (!(c->mood = score_mood_find(json_string_value(m)))) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': cue %zu: mood '%s' is not one of %s", path,
			                   i + 1, json_string_value(m), score_mood_names());
		} else if (k) {
			score_key key;
			if (!json_is_string(k) || strlen(json_string_value(k)) >= sizeof(c->key) ||
			    score_key_parse(json_string_value(k), &key) < 0)
				ret = bj_error_set(BJ_EFORMAT, "'%s': cue %zu: \"key\" is not a key ABC "
				                   "knows (such as \"Am\" or \"D\")", path, i + 1);
			else
				snprintf(c->key, sizeof(c->key), "%s", json_string_value(k));
		}
	}
	json_decref(doc);
	if (ret < 0)
		return ret;
	qsort(cues->cues, cues->n, sizeof(*cues->cues), cmp_cue);
	for (size_t i = 1; i < cues->n; i++)
		if (cues->cues[i].start < cues->cues[i - 1].start + cues->cues[i - 1].length - 1e-6)
			return bj_error_set(BJ_EFORMAT, "'%s': cues at %.3f s and %.3f s overlap", path,
			                    cues->cues[i - 1].start, cues->cues[i].start);
	return 0;
}

void score_cues_release(score_cues *cues)
{
	free(cues->cues);
	memset(cues, 0, sizeof(*cues));
}

int score_dialogue_load(const char *path, score_interval **lines, size_t *n)
{
	*lines = NULL;
	*n = 0;
	json_t *doc;
	int ret = bj_json_load(path, &doc);
	if (ret < 0)
		return ret;
	json_t *arr = list(doc, "dialogue");
	if (!json_is_array(arr)) {
		json_decref(doc);
		return bj_error_set(BJ_EFORMAT, "'%s': no \"dialogue\" list", path);
	}
	size_t m = json_array_size(arr);
	score_interval *iv = bj_xcalloc(m ? m : 1, sizeof(*iv));
	for (size_t i = 0; i < m && ret == 0; i++) {
		json_t *o = json_array_get(arr, i);
		json_t *s = json_object_get(o, "start"), *e = json_object_get(o, "end");
		if (!json_is_number(s) || !json_is_number(e) || !isfinite(json_number_value(s)) ||
		    !isfinite(json_number_value(e)) || json_number_value(s) < 0)
			ret = bj_error_set(BJ_EFORMAT, "'%s': line %zu: needs \"start\" and \"end\" in "
			                   "seconds", path, i + 1);
		else if (json_number_value(e) <= json_number_value(s))
			ret = bj_error_set(BJ_EFORMAT, "'%s': line %zu: 'end' must be after 'start'",
			                   path, i + 1);
		else
			iv[i] = (score_interval){ json_number_value(s), json_number_value(e) };
	}
	json_decref(doc);
	if (ret < 0) {
		free(iv);
		return ret;
	}
	*lines = iv;
	*n = m;
	return 0;
}

void score_render_opts_init(score_render_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->crossfade = 1.5;
	o->bed_lufs = -23.0;
	o->duck_db = -12.0;
	o->attack = 0.2;
	o->release = 0.6;
}

/* Adds src into dst from frame at on, as far as dst goes. */
static void mix(media_audio *dst, const media_audio *src, size_t at)
{
	for (size_t f = 0; f < src->frames && at + f < dst->frames; f++)
		for (int ch = 0; ch < 2; ch++)
			dst->samples[(at + f) * 2 + (size_t)ch] += src->samples[f * 2 + (size_t)ch];
}

int score_cues_render(score_composer *c, score_synth *s, const score_cues *cues,
                      const score_render_opts *o, media_audio *out, score_render_report *r)
{
	memset(r, 0, sizeof(*r));
	media_audio_init(out, RATE, 2);
	double end = 0;
	for (size_t i = 0; i < cues->n; i++)
		end = fmax(end, cues->cues[i].start + cues->cues[i].length);
	size_t total = (size_t)llround(end * RATE);
	media_audio_reserve(out, total);
	memset(out->samples, 0, total * 2 * sizeof(float));
	out->frames = total;
	r->seconds = end;
	int ret = 0;
	bj_progress *bar = bj_progress_new("score", cues->n, "cues");
	for (size_t i = 0; i < cues->n && ret == 0; i++) {
		const score_cue *q = &cues->cues[i];
		score_cue_opts co;
		score_cue_opts_init(&co, q->mood, q->length);
		co.key = q->key[0] ? q->key : NULL;
		co.qpm = q->qpm;
		co.seed = q->seed >= 0 ? (uint64_t)q->seed : o->seed + i;
		/* The cue's frames, exactly; its length in seconds follows from them. */
		size_t f0 = (size_t)llround(q->start * RATE);
		size_t f1 = (size_t)llround((q->start + q->length) * RATE);
		co.seconds = (double)(f1 - f0) / RATE;
		int joined = i + 1 < cues->n &&
		             llround(cues->cues[i + 1].start * RATE) == (long long)f1;
		int follows = i > 0 && llround((cues->cues[i - 1].start + cues->cues[i - 1].length) *
		                               RATE) == (long long)f0;
		score_arrangement a;
		score_cue_stats st;
		media_audio audio = { 0 };
		ret = score_cue_compose(c, &co, &a, NULL, &st);
		r->draws += st.draws, r->kept += st.kept;
		size_t tail = joined ? (size_t)llround(o->crossfade * RATE) : 0;
		if (ret == 0 && o->midi_dir) {
			char *path = bj_xasprintf("%s/cue-%02zu.mid", o->midi_dir, i + 1);
			ret = score_midi_save(path, &a);
			free(path);
		}
		if (ret == 0)
			ret = score_synth_render(s, &a, tail, &audio);
		if (ret == 0) {
			if (follows)
				score_fade_in(&audio, (size_t)llround(0.5 * RATE));
			if (joined) {
				score_fade_out(&audio, tail);
			} else {
				double fade = fmin(1.5, co.seconds / 4);
				score_fade_out(&audio, (size_t)llround(fade * RATE));
			}
			mix(out, &audio, f0);
		} else {
			bj_error_prefix("cue %zu at %.3f s", i + 1, q->start);
		}
		media_audio_release(&audio);
		score_arrangement_release(&a);
		bj_progress_set(bar, i + 1, q->mood->name);
	}
	bj_progress_finish(bar);
	if (ret == 0)
		ret = score_loudness_normalize(out, o->bed_lufs, &r->measured_lufs);
	if (ret == 0) {
		score_duck(out, o->duck, o->n_duck, o->duck_db, o->attack, o->release);
		ret = score_loudness(out, &r->final_lufs);
	}
	return ret;
}
