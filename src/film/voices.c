/*
 * voices.c - reading the voice stage's lines.json for the director.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/json.h"
#include "film/cut.h"

static int bad(const char *path, const char *where, size_t i, const char *what)
{
	return bj_error_set(BJ_EFORMAT, "'%s': %s[%zu]%s", path, where, i, what);
}

/* A number from 0 to FILM_TIMELINE_MAX_TIME. */
static int seconds(const json_t *o, const char *key, double *out)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return isfinite(*out) && *out >= 0 && *out <= FILM_TIMELINE_MAX_TIME ? 0 : -1;
}

static int words(const char *path, size_t i, const json_t *arr, film_voice *l)
{
	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return bad(path, "lines", i, ".words: not an array");
	l->words = bj_xcalloc(json_array_size(arr) + 1, sizeof *l->words);
	for (size_t k = 0; k < json_array_size(arr); k++) {
		const json_t *w = json_array_get(arr, k);
		const json_t *text = json_object_get(w, "text");
		film_word *fw = &l->words[l->n_words];
		if (!json_is_string(text) || seconds(w, "start", &fw->start) < 0 ||
		    seconds(w, "end", &fw->end) < 0 || fw->end < fw->start)
			return bj_error_set(BJ_EFORMAT, "'%s': lines[%zu].words[%zu]: needs text, and "
			                    "start <= end in seconds", path, i, k);
		fw->text = bj_xstrdup(json_string_value(text));
		l->n_words++;
	}
	return 0;
}

static int line(const char *path, const char *dir, size_t i, const json_t *o, film_voice *l)
{
	if (!json_is_object(o))
		return bad(path, "lines", i, ": not an object");
	const json_t *who = json_object_get(o, "character"), *text = json_object_get(o, "text");
	const json_t *file = json_object_get(o, "file"), *src = json_object_get(o, "source_line");
	if (!json_is_string(who) || !*json_string_value(who))
		return bad(path, "lines", i, ".character: missing");
	if (!json_is_string(file) || !*json_string_value(file))
		return bad(path, "lines", i, ".file: missing");
	if (seconds(o, "duration", &l->duration) < 0)
		return bad(path, "lines", i, ".duration: missing or not a time in seconds");
	l->character = bj_xstrdup(json_string_value(who));
	l->text = bj_xstrdup(json_is_string(text) ? json_string_value(text) : "");
	const char *f = json_string_value(file);
	l->audio = f[0] == '/' ? bj_xstrdup(f) : bj_xasprintf("%s/%s", dir, f);
	l->source_line = json_is_integer(src) ? (int)json_integer_value(src) : 0;
	int ret = words(path, i, json_object_get(o, "words"), l);
	for (size_t k = 0; ret == 0 && k < l->n_words; k++)
		if (l->words[k].end > l->duration + 0.05)
			ret = bj_error_set(BJ_EFORMAT, "'%s': lines[%zu].words[%zu]: ends after the "
			                   "line's duration (%.3f s > %.3f s)", path, i, k,
			                   l->words[k].end, l->duration);
	return ret;
}

int film_voices_load(const char *path, film_voices *v)
{
	memset(v, 0, sizeof *v);
	json_t *root;
	int ret = bj_json_load(path, &root);
	if (ret < 0)
		return ret;
	const json_t *arr = json_object_get(root, "lines");
	if (!json_is_array(arr)) {
		json_decref(root);
		return bj_error_set(BJ_EFORMAT, "'%s': no \"lines\" array: not a lines.json of "
		                    "`benjamin voice`", path);
	}
	const char *slash = strrchr(path, '/');
	char *dir = slash ? bj_xasprintf("%.*s", (int)(slash - path), path) : bj_xstrdup(".");
	if (!*dir) {
		free(dir);
		dir = bj_xstrdup("/");
	}
	v->path = bj_xstrdup(path);
	v->lines = bj_xcalloc(json_array_size(arr) + 1, sizeof *v->lines);
	for (size_t i = 0; ret == 0 && i < json_array_size(arr); i++) {
		ret = line(path, dir, i, json_array_get(arr, i), &v->lines[i]);
		v->n = i + 1;
	}
	free(dir);
	json_decref(root);
	if (ret < 0)
		film_voices_release(v);
	return ret;
}

void film_voices_release(film_voices *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		film_voice *l = &v->lines[i];
		for (size_t k = 0; k < l->n_words; k++)
			free(l->words[k].text);
		free(l->words);
		free(l->character);
		free(l->text);
		free(l->audio);
	}
	free(v->lines);
	free(v->path);
	memset(v, 0, sizeof *v);
}
