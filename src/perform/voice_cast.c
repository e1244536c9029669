/*
 * voice_cast.c - cast.json and the assignment of distinct voices.
 */
#include "perform/voice_cast.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/json.h"
#include "base/rng.h"

void perform_cast_init(perform_cast *c)
{
	memset(c, 0, sizeof *c);
}

void perform_cast_release(perform_cast *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->entries[i].name);
		free(c->entries[i].like);
	}
	free(c->entries);
	memset(c, 0, sizeof *c);
}

perform_cast_entry *perform_cast_entry_find(perform_cast *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcasecmp(c->entries[i].name, name) == 0)
			return &c->entries[i];
	return NULL;
}

const perform_voice_setting *perform_cast_find(const perform_cast *c, const char *name)
{
	perform_cast_entry *e = perform_cast_entry_find((perform_cast *)c, name);
	return e ? &e->voice : NULL;
}

static perform_cast_entry *add(perform_cast *c, const char *name)
{
	BJ_GROW(c->entries, c->cap, c->n + 1);
	perform_cast_entry *e = &c->entries[c->n++];
	memset(e, 0, sizeof *e);
	e->name = bj_xstrdup(name);
	e->voice = PERFORM_VOICE_SETTING("slt");
	return e;
}

static int number(const char *path, const char *who, json_t *v, const char *key, double lo,
                  double hi, double *out)
{
	if (!json_is_number(v) || !(json_number_value(v) >= lo && json_number_value(v) <= hi))
		return bj_error_set(BJ_EFORMAT, "'%s': character '%s': '%s' must be a number in %g..%g",
		                    path, who, key, lo, hi);
	*out = json_number_value(v);
	return 0;
}

/* The folder part of path with a final '/', or "" for a bare name. */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return bj_xstrdup("");
	return bj_xasprintf("%.*s/", (int)(slash - path), path);
}

/* Keys of a cast.json entry that other stages read (film/cast.h). */
static int other_stage_key(const char *key)
{
	return !strcmp(key, "character") || !strcmp(key, "identity") || !strcmp(key, "star") ||
	       !strcmp(key, "model") ||
	       !strcmp(key, "lines") || !strcmp(key, "identity_seconds");
}

static int load_character(perform_cast *c, const char *path, const char *name, json_t *obj,
                          int in_list)
{
	if (!json_is_object(obj))
		return bj_error_set(BJ_EFORMAT, "'%s': character '%s': expected an object, not %s", path,
		                    name, bj_json_type_name(obj));
	if (perform_cast_entry_find(c, name))
		return bj_error_set(BJ_EFORMAT, "'%s': character '%s' is cast twice", path, name);
	const char *key;
	json_t *v;
	int ret = 0;
	/* In the list form an entry may name only the character's identity or
	 * star: the voice is then assigned as for any character. */
	int voiced = !in_list;
	json_object_foreach(obj, key, v)
		voiced |= !other_stage_key(key);
	if (!voiced)
		return 0;
	perform_cast_entry *e = add(c, name);
	e->pinned = 1;
	json_object_foreach(obj, key, v) {
		if (strcmp(key, "voice") == 0) {
			if (!json_is_string(v) || !perform_voice_find(json_string_value(v)))
				return bj_error_set(BJ_EFORMAT,
				                    "'%s': character '%s': unknown voice '%s'; see 'benjamin voices'",
				                    path, name, json_is_string(v) ? json_string_value(v) : "?");
			snprintf(e->voice.voice, sizeof e->voice.voice, "%s", json_string_value(v));
		} else if (strcmp(key, "pitch") == 0) {
			ret = number(path, name, v, key, -24, 24, &e->voice.shift.semitones);
		} else if (strcmp(key, "formant") == 0) {
			ret = number(path, name, v, key, 0.5, 2, &e->voice.shift.formant);
		} else if (strcmp(key, "rate") == 0) {
			ret = number(path, name, v, key, 0.25, 4, &e->voice.shift.rate);
		} else if (strcmp(key, "range") == 0) {
			ret = number(path, name, v, key, 0, 10, &e->voice.range);
		} else if (strcmp(key, "like") == 0) {
			if (!json_is_string(v) || !*json_string_value(v))
				return bj_error_set(BJ_EFORMAT, "'%s': character '%s': 'like' must be a file name",
				                    path, name);
			const char *s = json_string_value(v);
			char *dir = folder_of(path);
			e->like = s[0] == '/' ? bj_xstrdup(s) : bj_xasprintf("%s%s", dir, s);
			free(dir);
		} else if (!(in_list && other_stage_key(key))) {
			return bj_error_set(BJ_EFORMAT, "'%s': character '%s': unknown key '%s'", path, name,
			                    key);
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

int perform_cast_load(perform_cast *c, const char *path)
{
	json_t *root;
	int ret = bj_json_load(path, &root);
	if (ret < 0)
		return ret;
	json_t *chars = json_is_object(root) ? json_object_get(root, "characters") : NULL;
	json_t *list = json_is_object(root) ? json_object_get(root, "cast") : NULL;
	if (!json_is_object(chars) && !json_is_array(list)) {
		json_decref(root);
		return bj_error_set(BJ_EFORMAT, "'%s': expected an object with a \"cast\" array or "
		                    "a \"characters\" object", path);
	}
	const char *name;
	json_t *obj;
	if (json_is_object(chars)) {
		json_object_foreach(chars, name, obj) {
			if ((ret = load_character(c, path, name, obj, 0)) < 0)
				break;
		}
	}
	size_t i;
	json_array_foreach(list, i, obj) {
		if (ret < 0)
			break;
		json_t *who = json_object_get(obj, "character");
		if (!json_is_string(who) || !*json_string_value(who)) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': cast[%zu].character: missing", path, i);
			break;
		}
		ret = load_character(c, path, json_string_value(who), obj, 1);
	}
	json_decref(root);
	return ret;
}

/* The speaker behind a base voice: kal and kal16 are one man. */
static const char *speaker(const char *voice)
{
	return strncmp(voice, "kal", 3) == 0 ? "kal" : voice;
}

static double predicted_f0(const perform_voice_setting *v)
{
	const perform_voice_info *info = perform_voice_find(v->voice);
	return (info ? info->f0 : 120.0) * pow(2.0, v->shift.semitones / 12.0);
}

int perform_voice_alike(const perform_voice_setting *a, const perform_voice_setting *b)
{
	double st = fabs(12.0 * log2(predicted_f0(a) / predicted_f0(b)));
	/* A formant change alone is heard less than the measurements suggest
	 * (the spectral centroid barely moves for 6 %): pitch decides. */
	return st < (strcmp(speaker(a->voice), speaker(b->voice)) == 0 ? 3.0 : 1.5);
}

/* Rounds of shifts: semitones and the formant scale that goes with them (a
 * higher voice from a smaller vocal tract).  Later rounds fill in between. */
static const struct {
	double semitones, formant;
} rounds[] = {
	{ 0, 1.0 }, { 4, 1.06 }, { -4, 0.94 }, { 8, 1.12 }, { -8, 0.89 }, { 2, 1.03 },
	{ -2, 0.97 }, { 6, 1.09 }, { -6, 0.92 }, { 10, 1.15 }, { -10, 0.87 }, { 12, 1.18 },
};

/* The most plausible base voices first; kal (8 kHz) last. */
static const char *const bases[] = { "slt", "rms", "awb", "kal16", "kal" };

int perform_cast_pin_like(perform_cast *c, const char *name, const char *sample)
{
	if (perform_cast_entry_find(c, name))
		return bj_error_set(BJ_EINVAL, "character '%s' is cast twice", name);
	perform_cast_entry *e = add(c, name);
	e->pinned = 1;
	e->like = bj_xstrdup(sample);
	return 0;
}

int perform_cast_assign(perform_cast *c, const char *const *names, size_t n, uint64_t seed)
{
	bj_rng rng;
	bj_rng_init(&rng, seed);
	size_t n_rounds = sizeof rounds / sizeof rounds[0], n_bases = sizeof bases / sizeof bases[0];
	/* The candidate order: round by round, the first four bases shuffled by the
	 * seed within each round, kal after them. */
	size_t n_cand = n_rounds * n_bases, next = 0;
	perform_voice_setting *cand = bj_xmalloc(n_cand * sizeof *cand);
	for (size_t r = 0; r < n_rounds; r++) {
		size_t order[4] = { 0, 1, 2, 3 };
		bj_rng_shuffle(&rng, order, 4, sizeof order[0]);
		for (size_t b = 0; b < n_bases; b++) {
			perform_voice_setting *v = &cand[r * n_bases + b];
			*v = PERFORM_VOICE_SETTING("");
			snprintf(v->voice, sizeof v->voice, "%s", bases[b < 4 ? order[b] : b]);
			v->shift.semitones = rounds[r].semitones;
			v->shift.formant = rounds[r].formant;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (perform_cast_entry_find(c, names[i]))
			continue;
		perform_cast_entry *e = add(c, names[i]);
		int found = 0;
		for (; next < n_cand && !found; next++) {
			double f0 = predicted_f0(&cand[next]);
			if (f0 < 70 || f0 > 320)
				continue; /* beyond what a human voice does in speech */
			const perform_voice_info *info = perform_voice_find(cand[next].voice);
			if (!info->flite_pitch && cand[next].shift.semitones != 0)
				continue; /* Rubber Band's pitch shifts leave rms unintelligible
				           * (bench_voice_wer: PocketSphinx gets no word right) */
			found = 1;
			for (size_t j = 0; j + 1 < c->n && found; j++)
				if (perform_voice_alike(&cand[next], &c->entries[j].voice))
					found = 0;
			if (found)
				e->voice = cand[next];
		}
		if (!found && c->n > 1) {
			/* More characters than distinct voices: reuse in order, the
			 * least bad choice; 60 candidates make this a cast of dozens. */
			e->voice = c->entries[i % (c->n - 1)].voice;
		}
	}
	free(cand);
	return 0;
}
