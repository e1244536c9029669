#include "film/timeline.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/json.h"
#include "media/audio.h"
#include "media/wav.h"

/* What every check needs to name a problem: the file and where in it. */
struct ctx {
	const char *name;
	const char *dir;
};

/* "video[2]" + "out" -> "video[2].out"; where at the top: just the key. */
#define WHERE_MAX 128

/* Appends text to out (WHERE_MAX bytes), cutting it short if it does not fit. */
static void append(char *out, const char *text)
{
	size_t used = strlen(out), len = strlen(text);
	if (len > WHERE_MAX - 1 - used)
		len = WHERE_MAX - 1 - used;
	memcpy(out + used, text, len);
	out[used + len] = '\0';
}

static void join(char *out, const char *where, const char *key)
{
	out[0] = '\0';
	append(out, where);
	if (*where)
		append(out, ".");
	append(out, key);
}

/* "dialogue" + 3 -> "dialogue[3]" */
static void element(char *out, const char *where, size_t i)
{
	char num[32];
	snprintf(num, sizeof num, "[%zu]", i);
	out[0] = '\0';
	append(out, where);
	append(out, num);
}

__attribute__((format(printf, 3, 4)))
static int bad(const struct ctx *c, const char *where, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return bj_error_set(BJ_EFORMAT, "'%s': %s: %s", c->name, where, msg);
}

/* Every key of obj must be in allowed (NULL-terminated). */
static int check_keys(const struct ctx *c, const json_t *obj, const char *where,
                      const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		size_t i;
		for (i = 0; allowed[i] && strcmp(allowed[i], key); i++)
			;
		if (!allowed[i]) {
			char w[WHERE_MAX];
			join(w, where, key);
			return bad(c, w, "unknown key");
		}
	}
	return 0;
}

static int get_object(const struct ctx *c, const json_t *v, const char *where)
{
	if (!json_is_object(v))
		return bad(c, where, "must be an object, not %s", bj_json_type_name(v));
	return 0;
}

/* A number in [lo, hi]; absent: *out = def unless required. */
static int get_number(const struct ctx *c, const json_t *obj, const char *where, const char *key,
                      int required, double def, double lo, double hi, double *out)
{
	char w[WHERE_MAX];
	join(w, where, key);
	const json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			return bad(c, w, "missing");
		*out = def;
		return 0;
	}
	if (!json_is_number(v))
		return bad(c, w, "must be a number, not %s", bj_json_type_name(v));
	double x = json_number_value(v);
	if (!isfinite(x) || x < lo || x > hi)
		return bad(c, w, "%g is out of range (%g..%g)", x, lo, hi);
	*out = x;
	return 0;
}

static int get_int(const struct ctx *c, const json_t *obj, const char *where, const char *key,
                   long lo, long hi, int *out)
{
	char w[WHERE_MAX];
	join(w, where, key);
	const json_t *v = json_object_get(obj, key);
	if (!v)
		return 0;
	if (!json_is_integer(v))
		return bad(c, w, "must be a whole number, not %s", bj_json_type_name(v));
	json_int_t x = json_integer_value(v);
	if (x < lo || x > hi)
		return bad(c, w, "%lld is out of range (%ld..%ld)", (long long)x, lo, hi);
	*out = (int)x;
	return 0;
}

/* A UTF-8 string (non-empty when required); absent and optional: *out NULL. */
static int get_string(const struct ctx *c, const json_t *obj, const char *where, const char *key,
                      int required, char **out)
{
	char w[WHERE_MAX];
	join(w, where, key);
	const json_t *v = json_object_get(obj, key);
	*out = NULL;
	if (!v)
		return required ? bad(c, w, "missing") : 0;
	if (!json_is_string(v))
		return bad(c, w, "must be a string, not %s", bj_json_type_name(v));
	const char *s = json_string_value(v);
	size_t len = json_string_length(v);
	if (required && len == 0)
		return bad(c, w, "is empty");
	if (strlen(s) != len)
		return bad(c, w, "contains a NUL character");
	*out = bj_xstrdup(s);
	return 0;
}

/* A path: absolute, or relative to the timeline's folder. */
static int get_path(const struct ctx *c, const json_t *obj, const char *where, const char *key,
                    char **out)
{
	char *p;
	int ret = get_string(c, obj, where, key, 1, &p);
	if (ret < 0)
		return ret;
	if (p[0] == '/' || strcmp(c->dir, ".") == 0) {
		*out = p;
	} else {
		*out = bj_xasprintf("%s/%s", c->dir, p);
		free(p);
	}
	return 0;
}

static const json_t *get_array(const struct ctx *c, const json_t *obj, const char *key, int *err)
{
	const json_t *v = json_object_get(obj, key);
	*err = 0;
	if (v && !json_is_array(v))
		*err = bad(c, key, "must be an array, not %s", bj_json_type_name(v));
	return v;
}

static int is_still(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (!strcasecmp(dot, ".png") || !strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg"));
}

static int parse_view(const struct ctx *c, const json_t *obj, const char *where, film_view *v)
{
	static const char *const keys[] = { "zoom", "x", "y", NULL };
	int ret;
	if ((ret = get_object(c, obj, where)) < 0 || (ret = check_keys(c, obj, where, keys)) < 0 ||
	    (ret = get_number(c, obj, where, "zoom", 0, 1.0, 1.0, 10.0, &v->zoom)) < 0 ||
	    (ret = get_number(c, obj, where, "x", 0, 0.5, 0.0, 1.0, &v->x)) < 0 ||
	    (ret = get_number(c, obj, where, "y", 0, 0.5, 0.0, 1.0, &v->y)) < 0)
		return ret;
	return 0;
}

static int parse_effect(const struct ctx *c, const json_t *obj, const char *where, film_clip *clip)
{
	static const char *const keys[] = { "type", "from", "to", NULL };
	char w[WHERE_MAX];
	int ret;
	if ((ret = get_object(c, obj, where)) < 0 || (ret = check_keys(c, obj, where, keys)) < 0)
		return ret;
	const json_t *type = json_object_get(obj, "type");
	join(w, where, "type");
	if (!json_is_string(type) || strcmp(json_string_value(type), "ken_burns"))
		return bad(c, w, "must be \"ken_burns\"");
	clip->from = clip->to = (film_view){ 1.0, 0.5, 0.5 };
	const json_t *from = json_object_get(obj, "from"), *to = json_object_get(obj, "to");
	join(w, where, "from");
	if (from && (ret = parse_view(c, from, w, &clip->from)) < 0)
		return ret;
	join(w, where, "to");
	if (to && (ret = parse_view(c, to, w, &clip->to)) < 0)
		return ret;
	clip->has_effect = 1;
	return 0;
}

static int parse_clip(const struct ctx *c, const json_t *obj, const char *where, film_clip *clip)
{
	static const char *const keys[] = { "source", "in", "out", "duration", "at", "scene",
	                                    "effect", "media", "media_at", "why", NULL };
	char w[WHERE_MAX];
	int ret;
	if ((ret = get_object(c, obj, where)) < 0 || (ret = check_keys(c, obj, where, keys)) < 0 ||
	    (ret = get_path(c, obj, where, "source", &clip->source)) < 0 ||
	    (ret = get_number(c, obj, where, "at", 1, 0, 0, FILM_TIMELINE_MAX_TIME, &clip->at)) < 0 ||
	    (ret = get_int(c, obj, where, "scene", 0, 100000, &clip->scene)) < 0)
		return ret;
	clip->still = is_still(clip->source);
	if (clip->still) {
		double d;
		join(w, where, json_object_get(obj, "in") ? "in" : "out");
		if (json_object_get(obj, "in") || json_object_get(obj, "out"))
			return bad(c, w, "a still has a duration, not in and out");
		if ((ret = get_number(c, obj, where, "duration", 1, 0, 0.04, FILM_TIMELINE_MAX_TIME, &d)) < 0)
			return ret;
		clip->in = 0;
		clip->out = d;
	} else {
		join(w, where, "duration");
		if (json_object_get(obj, "duration"))
			return bad(c, w, "a video clip has in and out, not a duration");
		if ((ret = get_number(c, obj, where, "in", 0, 0, 0, FILM_TIMELINE_MAX_TIME, &clip->in)) < 0 ||
		    (ret = get_number(c, obj, where, "out", 1, 0, 0, FILM_TIMELINE_MAX_TIME, &clip->out)) < 0)
			return ret;
		join(w, where, "out");
		if (clip->out <= clip->in)
			return bad(c, w, "%g is not after in (%g)", clip->out, clip->in);
	}
	const json_t *effect = json_object_get(obj, "effect");
	join(w, where, "effect");
	if (effect && !clip->still)
		return bad(c, w, "only stills take an effect");
	if (effect && (ret = parse_effect(c, effect, w, clip)) < 0)
		return ret;
	if (json_object_get(obj, "media")) {
		join(w, where, "media");
		if (clip->still)
			return bad(c, w, "only video clips take a replacement");
		if ((ret = get_path(c, obj, where, "media", &clip->media)) < 0 ||
		    (ret = get_number(c, obj, where, "media_at", 0, clip->in, 0, FILM_TIMELINE_MAX_TIME,
		                      &clip->media_at)) < 0)
			return ret;
	} else if (json_object_get(obj, "media_at")) {
		join(w, where, "media_at");
		return bad(c, w, "given without media");
	}
	const json_t *why = json_object_get(obj, "why");
	if (why)
		clip->why = json_dumps(why, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER);
	return 0;
}

static int parse_words(const struct ctx *c, const json_t *arr, const char *where, film_line *line)
{
	static const char *const keys[] = { "text", "start", "end", NULL };
	if (!json_is_array(arr))
		return bad(c, where, "must be an array, not %s", bj_json_type_name(arr));
	size_t n = json_array_size(arr);
	line->words = bj_xcalloc(n ? n : 1, sizeof *line->words);
	for (size_t i = 0; i < n; i++) {
		char w[WHERE_MAX], we[WHERE_MAX];
		film_word *wd = &line->words[i];
		const json_t *o = json_array_get(arr, i);
		int ret;
		element(w, where, i);
		line->n_words = i + 1;
		if ((ret = get_object(c, o, w)) < 0 || (ret = check_keys(c, o, w, keys)) < 0 ||
		    (ret = get_string(c, o, w, "text", 1, &wd->text)) < 0 ||
		    (ret = get_number(c, o, w, "start", 1, 0, 0, FILM_TIMELINE_MAX_TIME, &wd->start)) < 0 ||
		    (ret = get_number(c, o, w, "end", 1, 0, 0, FILM_TIMELINE_MAX_TIME, &wd->end)) < 0)
			return ret;
		join(we, w, "end");
		if (wd->end < wd->start)
			return bad(c, we, "%g is before start (%g)", wd->end, wd->start);
		join(we, w, "start");
		if (i > 0 && wd->start < line->words[i - 1].start)
			return bad(c, we, "%g is before the previous word's start (%g)", wd->start,
			           line->words[i - 1].start);
	}
	return 0;
}

static int parse_line(const struct ctx *c, const json_t *obj, const char *where, film_line *line)
{
	static const char *const keys[] = { "audio", "at", "character", "text", "words", NULL };
	int ret;
	if ((ret = get_object(c, obj, where)) < 0 || (ret = check_keys(c, obj, where, keys)) < 0 ||
	    (ret = get_path(c, obj, where, "audio", &line->audio)) < 0 ||
	    (ret = get_number(c, obj, where, "at", 1, 0, 0, FILM_TIMELINE_MAX_TIME, &line->at)) < 0 ||
	    (ret = get_string(c, obj, where, "character", 1, &line->character)) < 0 ||
	    (ret = get_string(c, obj, where, "text", 1, &line->text)) < 0)
		return ret;
	const json_t *words = json_object_get(obj, "words");
	if (words) {
		char w[WHERE_MAX];
		join(w, where, "words");
		if ((ret = parse_words(c, words, w, line)) < 0)
			return ret;
	}
	return 0;
}

static int parse_card(const struct ctx *c, const json_t *obj, const char *where, int with_lines,
                      film_card *card, film_timeline *t)
{
	static const char *const title_keys[] = { "at", "duration", "text", NULL };
	static const char *const credit_keys[] = { "at", "duration", "lines", NULL };
	int ret;
	if ((ret = get_object(c, obj, where)) < 0 ||
	    (ret = check_keys(c, obj, where, with_lines ? credit_keys : title_keys)) < 0 ||
	    (ret = get_number(c, obj, where, "at", 1, 0, 0, FILM_TIMELINE_MAX_TIME, &card->at)) < 0 ||
	    (ret = get_number(c, obj, where, "duration", 1, 0, 0.5, 600, &card->duration)) < 0)
		return ret;
	card->present = 1;
	if (!with_lines)
		return get_string(c, obj, where, "text", 0, &card->text);
	const json_t *lines = json_object_get(obj, "lines");
	if (!lines)
		return 0;
	char w[WHERE_MAX];
	join(w, where, "lines");
	if (!json_is_array(lines))
		return bad(c, w, "must be an array, not %s", bj_json_type_name(lines));
	size_t n = json_array_size(lines);
	t->credit_lines = bj_xcalloc(n ? n : 1, sizeof *t->credit_lines);
	for (size_t i = 0; i < n; i++) {
		const json_t *s = json_array_get(lines, i);
		char wi[WHERE_MAX];
		element(wi, w, i);
		if (!json_is_string(s) || strlen(json_string_value(s)) != json_string_length(s))
			return bad(c, wi, "must be a string, not %s", bj_json_type_name(s));
		t->credit_lines[i] = bj_xstrdup(json_string_value(s));
		t->n_credit_lines = i + 1;
	}
	return 0;
}

static int parse_bed(const struct ctx *c, const json_t *obj, const char *where, int with_audio,
                     film_bed *bed)
{
	static const char *const amb_keys[] = { "gain_db", "duck_db", "attack", "release", NULL };
	static const char *const score_keys[] = { "audio", "at", "gain_db", "duck_db", "attack",
	                                          "release", NULL };
	int ret;
	if ((ret = get_object(c, obj, where)) < 0 ||
	    (ret = check_keys(c, obj, where, with_audio ? score_keys : amb_keys)) < 0 ||
	    (ret = get_number(c, obj, where, "gain_db", 0, bed->gain_db, -60, 20, &bed->gain_db)) < 0 ||
	    (ret = get_number(c, obj, where, "duck_db", 0, bed->duck_db, -60, 0, &bed->duck_db)) < 0 ||
	    (ret = get_number(c, obj, where, "attack", 0, bed->attack, 0, 5, &bed->attack)) < 0 ||
	    (ret = get_number(c, obj, where, "release", 0, bed->release, 0, 5, &bed->release)) < 0)
		return ret;
	if (!with_audio)
		return 0;
	if ((ret = get_path(c, obj, where, "audio", &bed->audio)) < 0 ||
	    (ret = get_number(c, obj, where, "at", 0, 0, 0, FILM_TIMELINE_MAX_TIME, &bed->at)) < 0)
		return ret;
	return 0;
}

/* "fps": 25, 23.976 is refused (say "24000/1001"), or "30000/1001". */
static int parse_fps(const struct ctx *c, const json_t *v, film_timeline *t)
{
	long num = 0, den = 1;
	if (json_is_integer(v)) {
		num = (long)json_integer_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		num = strtol(s, &end, 10);
		if (*end == '/')
			den = strtol(end + 1, &end, 10);
		if (*end || end == s)
			return bad(c, "fps", "'%s' is not a rate such as 25 or \"30000/1001\"", s);
	} else {
		return bad(c, "fps", "must be a whole number or a string such as \"30000/1001\", not %s",
		           bj_json_type_name(v));
	}
	if (num < 1 || den < 1 || num > 1000000 || den > 1000000 || (double)num / den > 240 ||
	    (double)num / den < 1)
		return bad(c, "fps", "%ld/%ld is out of range (1..240 frames a second)", num, den);
	t->fps_num = (int)num;
	t->fps_den = (int)den;
	return 0;
}

static int parse_top(const struct ctx *c, const json_t *root, film_timeline *t)
{
	static const char *const keys[] = { "format", "version", "title", "width", "height", "fps",
	                                    "title_card", "video", "dialogue", "ambience", "score",
	                                    "credits", NULL };
	char w[WHERE_MAX];
	int ret;
	if (!json_is_object(root))
		return bj_error_set(BJ_EFORMAT, "'%s': the top level must be an object, not %s", c->name,
		                    bj_json_type_name(root));
	if ((ret = check_keys(c, root, "", keys)) < 0)
		return ret;
	const json_t *format = json_object_get(root, "format");
	if (!json_is_string(format) || strcmp(json_string_value(format), "benjamin-timeline"))
		return bad(c, "format", "must be \"benjamin-timeline\"");
	int version = 0;
	if ((ret = get_int(c, root, "", "version", 0, 1000000, &version)) < 0)
		return ret;
	if (version != FILM_TIMELINE_VERSION)
		return bad(c, "version", "%d is not a version this program reads (%d)", version,
		           FILM_TIMELINE_VERSION);
	if ((ret = get_string(c, root, "", "title", 1, &t->title)) < 0 ||
	    (ret = get_int(c, root, "", "width", 16, 4096, &t->width)) < 0 ||
	    (ret = get_int(c, root, "", "height", 16, 4096, &t->height)) < 0)
		return ret;
	if ((t->width & 1) || (t->height & 1))
		return bad(c, t->width & 1 ? "width" : "height", "%d is odd (H.264 needs even sides)",
		           t->width & 1 ? t->width : t->height);
	if (!t->width != !t->height)
		return bad(c, t->width ? "height" : "width", "missing (give both sides or neither)");
	const json_t *fps = json_object_get(root, "fps");
	if (fps && (ret = parse_fps(c, fps, t)) < 0)
		return ret;
	const json_t *card = json_object_get(root, "title_card");
	if (card && (ret = parse_card(c, card, "title_card", 0, &t->title_card, t)) < 0)
		return ret;
	card = json_object_get(root, "credits");
	if (card && (ret = parse_card(c, card, "credits", 1, &t->credits, t)) < 0)
		return ret;

	const json_t *video = get_array(c, root, "video", &ret);
	if (ret < 0)
		return ret;
	if (!video || json_array_size(video) == 0)
		return bad(c, "video", "the timeline has no video clips");
	t->clips = bj_xcalloc(json_array_size(video), sizeof *t->clips);
	for (size_t i = 0; i < json_array_size(video); i++) {
		element(w, "video", i);
		t->n_clips = i + 1;
		if ((ret = parse_clip(c, json_array_get(video, i), w, &t->clips[i])) < 0)
			return ret;
		const film_clip *a = &t->clips[i - (i > 0)], *b = &t->clips[i];
		if (i > 0 && b->at < a->at + (a->out - a->in) - 1e-6)
			return bad(c, w, "overlaps video[%zu] (%g s < %g s); clips must be in order", i - 1,
			           b->at, a->at + (a->out - a->in));
	}
	const json_t *dialogue = get_array(c, root, "dialogue", &ret);
	if (ret < 0)
		return ret;
	size_t n = dialogue ? json_array_size(dialogue) : 0;
	t->lines = bj_xcalloc(n ? n : 1, sizeof *t->lines);
	for (size_t i = 0; i < n; i++) {
		element(w, "dialogue", i);
		t->n_lines = i + 1;
		if ((ret = parse_line(c, json_array_get(dialogue, i), w, &t->lines[i])) < 0)
			return ret;
		if (i > 0 && t->lines[i].at < t->lines[i - 1].at) {
			char wa[WHERE_MAX];
			join(wa, w, "at");
			return bad(c, wa, "%g is before dialogue[%zu] (%g); lines must be in order",
			           t->lines[i].at, i - 1, t->lines[i - 1].at);
		}
	}
	const json_t *bed = json_object_get(root, "ambience");
	if (bed && (ret = parse_bed(c, bed, "ambience", 0, &t->ambience)) < 0)
		return ret;
	bed = json_object_get(root, "score");
	if (bed && (ret = parse_bed(c, bed, "score", 1, &t->score)) < 0)
		return ret;
	return 0;
}

static void set_defaults(film_timeline *t)
{
	/* Footage sound sits under speech by 15 dB; the score lower still. */
	t->ambience = (film_bed){ .gain_db = 0, .duck_db = -15, .attack = 0.08, .release = 0.4 };
	t->score = (film_bed){ .gain_db = -8, .duck_db = -8, .attack = 0.15, .release = 0.8 };
}

/* The folder part of path: "a/b/t.json" -> "a/b", "t.json" -> "." (new string). */
static char *folder_of(const char *path)
{
	char *dir = bj_xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (!slash) {
		free(dir);
		return bj_xstrdup(".");
	}
	*(slash == dir ? slash + 1 : slash) = '\0';
	return dir;
}

/* Fills t from a parsed root (borrowed); t is released on failure. */
static int build(const char *name, const char *dir, const json_t *root, film_timeline *t)
{
	struct ctx c = { name, dir };
	set_defaults(t);
	t->path = bj_xstrdup(name);
	int ret = parse_top(&c, root, t);
	if (ret < 0)
		film_timeline_release(t);
	return ret;
}

int film_timeline_parse(const char *name, const char *dir, const char *json, size_t len,
                        film_timeline *t)
{
	json_t *root;
	memset(t, 0, sizeof *t);
	int ret = bj_json_parse(name, json, len, &root);
	if (ret < 0)
		return ret;
	ret = build(name, dir, root, t);
	json_decref(root);
	return ret;
}

int film_timeline_load(const char *path, film_timeline *t)
{
	json_t *root;
	memset(t, 0, sizeof *t);
	int ret = bj_json_load(path, &root);
	if (ret < 0)
		return ret;
	char *dir = folder_of(path);
	ret = build(path, dir, root, t);
	json_decref(root);
	free(dir);
	return ret;
}

/* p as the file at dir should name it: relative to dir when inside it, else
 * absolute. */
static json_t *path_value(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	if (p[0] != '/' && !strcmp(dir, "."))
		return json_string(p);
	if (!strncmp(p, dir, n) && p[n] == '/' && strcmp(dir, "/"))
		return json_string(p + n + 1);
	if (p[0] == '/')
		return json_string(p);
	char cwd[4096];
	char *abs = bj_xasprintf("%s/%s", getcwd(cwd, sizeof cwd) ? cwd : ".", p);
	json_t *v = json_string(abs);
	free(abs);
	return v;
}

static json_t *view_value(const film_view *v)
{
	return json_pack("{s:f,s:f,s:f}", "zoom", v->zoom, "x", v->x, "y", v->y);
}

static json_t *bed_value(const film_bed *b, const char *dir)
{
	json_t *o = json_object();
	if (b->audio) {
		json_object_set_new(o, "audio", path_value(b->audio, dir));
		json_object_set_new(o, "at", json_real(b->at));
	}
	json_object_set_new(o, "gain_db", json_real(b->gain_db));
	json_object_set_new(o, "duck_db", json_real(b->duck_db));
	json_object_set_new(o, "attack", json_real(b->attack));
	json_object_set_new(o, "release", json_real(b->release));
	return o;
}

static json_t *card_value(const film_card *c)
{
	json_t *o = json_pack("{s:f,s:f}", "at", c->at, "duration", c->duration);
	if (c->text)
		json_object_set_new(o, "text", json_string(c->text));
	return o;
}

static json_t *clip_value(const film_clip *c, const char *dir)
{
	json_t *o = json_object();
	json_object_set_new(o, "source", path_value(c->source, dir));
	/* a still cut from the library comes as a shot of it (in, out): written
	 * as the still it is */
	if (c->still || is_still(c->source)) {
		json_object_set_new(o, "duration", json_real(c->out - c->in));
	} else {
		json_object_set_new(o, "in", json_real(c->in));
		json_object_set_new(o, "out", json_real(c->out));
	}
	json_object_set_new(o, "at", json_real(c->at));
	if (c->scene)
		json_object_set_new(o, "scene", json_integer(c->scene));
	if (c->has_effect)
		json_object_set_new(o, "effect", json_pack("{s:s,s:o,s:o}", "type", "ken_burns", "from",
		                                           view_value(&c->from), "to", view_value(&c->to)));
	if (c->media) {
		json_object_set_new(o, "media", path_value(c->media, dir));
		json_object_set_new(o, "media_at", json_real(c->media_at));
	}
	json_t *why = c->why ? json_loads(c->why, JSON_DECODE_ANY, NULL) : NULL;
	if (why)
		json_object_set_new(o, "why", why);
	return o;
}

static json_t *line_value(const film_line *l, const char *dir)
{
	json_t *o = json_object();
	json_object_set_new(o, "audio", path_value(l->audio, dir));
	json_object_set_new(o, "at", json_real(l->at));
	json_object_set_new(o, "character", json_string(l->character));
	json_object_set_new(o, "text", json_string(l->text));
	if (l->n_words) {
		json_t *words = json_array();
		for (size_t i = 0; i < l->n_words; i++)
			json_array_append_new(words, json_pack("{s:s,s:f,s:f}", "text", l->words[i].text,
			                                       "start", l->words[i].start, "end",
			                                       l->words[i].end));
		json_object_set_new(o, "words", words);
	}
	return o;
}

int film_timeline_save(const film_timeline *t, const char *path)
{
	char *dir = folder_of(path);
	json_t *root = json_object();
	json_object_set_new(root, "format", json_string("benjamin-timeline"));
	json_object_set_new(root, "version", json_integer(FILM_TIMELINE_VERSION));
	json_object_set_new(root, "title", json_string(t->title));
	if (t->width) {
		json_object_set_new(root, "width", json_integer(t->width));
		json_object_set_new(root, "height", json_integer(t->height));
	}
	if (t->fps_num) {
		char fps[32];
		snprintf(fps, sizeof fps, "%d/%d", t->fps_num, t->fps_den);
		json_object_set_new(root, "fps", json_string(fps));
	}
	if (t->title_card.present)
		json_object_set_new(root, "title_card", card_value(&t->title_card));
	json_t *video = json_array();
	for (size_t i = 0; i < t->n_clips; i++)
		json_array_append_new(video, clip_value(&t->clips[i], dir));
	json_object_set_new(root, "video", video);
	json_t *dialogue = json_array();
	for (size_t i = 0; i < t->n_lines; i++)
		json_array_append_new(dialogue, line_value(&t->lines[i], dir));
	json_object_set_new(root, "dialogue", dialogue);
	json_object_set_new(root, "ambience", bed_value(&t->ambience, dir));
	if (t->score.audio)
		json_object_set_new(root, "score", bed_value(&t->score, dir));
	if (t->credits.present) {
		json_t *c = card_value(&t->credits);
		if (t->credit_lines) {
			json_t *lines = json_array();
			for (size_t i = 0; i < t->n_credit_lines; i++)
				json_array_append_new(lines, json_string(t->credit_lines[i]));
			json_object_set_new(c, "lines", lines);
		}
		json_object_set_new(root, "credits", c);
	}
	int ret = bj_json_save(path, root, 0);
	json_decref(root);
	free(dir);
	return ret;
}

int film_timeline_measure(film_timeline *t)
{
	for (size_t i = 0; i < t->n_lines; i++) {
		media_audio a;
		int ret = media_wav_read(t->lines[i].audio, &a);
		if (ret < 0)
			return ret;
		t->lines[i].duration = media_audio_duration(&a);
		media_audio_release(&a);
	}
	return 0;
}

double film_timeline_duration(const film_timeline *t)
{
	double end = 0;
	for (size_t i = 0; i < t->n_clips; i++)
		end = fmax(end, t->clips[i].at + t->clips[i].out - t->clips[i].in);
	for (size_t i = 0; i < t->n_lines; i++)
		end = fmax(end, t->lines[i].at + t->lines[i].duration);
	if (t->title_card.present)
		end = fmax(end, t->title_card.at + t->title_card.duration);
	if (t->credits.present)
		end = fmax(end, t->credits.at + t->credits.duration);
	return end;
}

int64_t film_frames(double seconds, int fps_num, int fps_den)
{
	return llround(seconds * fps_num / fps_den);
}

void film_timeline_spans(const film_timeline *t, int fps_num, int fps_den, film_span *spans)
{
	int64_t end = 0;
	for (size_t i = 0; i < t->n_clips; i++) {
		const film_clip *c = &t->clips[i];
		film_span *s = &spans[i];
		s->rec_in = film_frames(c->at, fps_num, fps_den);
		if (s->rec_in < end)
			s->rec_in = end;
		s->rec_out = film_frames(c->at + c->out - c->in, fps_num, fps_den);
		if (s->rec_out <= s->rec_in)
			s->rec_out = s->rec_in + 1;
		s->src_in = film_frames(c->in, fps_num, fps_den);
		end = s->rec_out;
	}
}

void film_timeline_release(film_timeline *t)
{
	if (!t)
		return;
	free(t->path);
	free(t->title);
	free(t->title_card.text);
	free(t->credits.text);
	for (size_t i = 0; i < t->n_credit_lines; i++)
		free(t->credit_lines[i]);
	free(t->credit_lines);
	for (size_t i = 0; i < t->n_clips; i++) {
		free(t->clips[i].source);
		free(t->clips[i].media);
		free(t->clips[i].why);
	}
	free(t->clips);
	for (size_t i = 0; i < t->n_lines; i++) {
		film_line *l = &t->lines[i];
		free(l->audio);
		free(l->character);
		free(l->text);
		for (size_t j = 0; j < l->n_words; j++)
			free(l->words[j].text);
		free(l->words);
	}
	free(t->lines);
	free(t->ambience.audio);
	free(t->score.audio);
	memset(t, 0, sizeof *t);
}
