#include "film/otio.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/atomic.h"
#include "base/error.h"

/* The objects every OTIO item carries, then its schema-specific fields. */
static json_t *item(const char *schema, const char *name)
{
	json_t *o = json_object();
	json_object_set_new(o, "OTIO_SCHEMA", json_string(schema));
	json_object_set_new(o, "metadata", json_object());
	json_object_set_new(o, "name", json_string(name));
	return o;
}

static json_t *rational(int64_t frames, double rate)
{
	json_t *o = json_object();
	json_object_set_new(o, "OTIO_SCHEMA", json_string("RationalTime.1"));
	json_object_set_new(o, "rate", json_real(rate));
	json_object_set_new(o, "value", json_real((double)frames));
	return o;
}

static json_t *range(int64_t start, int64_t duration, double rate)
{
	json_t *o = json_object();
	json_object_set_new(o, "OTIO_SCHEMA", json_string("TimeRange.1"));
	json_object_set_new(o, "duration", rational(duration, rate));
	json_object_set_new(o, "start_time", rational(start, rate));
	return o;
}

static void composable(json_t *o, json_t *source_range)
{
	json_object_set_new(o, "source_range", source_range ? source_range : json_null());
	json_object_set_new(o, "effects", json_array());
	json_object_set_new(o, "markers", json_array());
	json_object_set_new(o, "enabled", json_true());
}

static json_t *gap(int64_t frames, double rate)
{
	json_t *o = item("Gap.1", "");
	composable(o, range(0, frames, rate));
	return o;
}

/* file:// URL of path (made absolute; characters outside RFC 3986's unreserved
 * set and '/' percent-encoded). */
static char *file_url(const char *path)
{
	char *abs = NULL;
	if (path[0] != '/') {
		char cwd[PATH_MAX];
		abs = bj_xasprintf("%s/%s", getcwd(cwd, sizeof cwd) ? cwd : ".", path);
		path = abs;
	}
	size_t len = strlen(path);
	char *url = bj_xmalloc(7 + 3 * len + 1), *p = url;
	memcpy(p, "file://", 7);
	p += 7;
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    strchr("-._~/", *s))
			*p++ = (char)*s;
		else
			p += snprintf(p, 4, "%%%02X", *s);
	}
	*p = '\0';
	free(abs);
	return url;
}

static json_t *clip(const char *path, int64_t src_in, int64_t frames, double rate, json_t *meta)
{
	const char *name = strrchr(path, '/');
	json_t *o = item("Clip.1", name ? name + 1 : path);
	json_object_set_new(o, "metadata", meta);
	composable(o, range(src_in, frames, rate));
	json_t *ref = item("ExternalReference.1", "");
	char *url = file_url(path);
	json_object_set_new(ref, "target_url", json_string(url));
	json_object_set_new(ref, "available_range", json_null());
	free(url);
	json_object_set_new(o, "media_reference", ref);
	return o;
}

static json_t *track(const char *name, const char *kind)
{
	json_t *o = item("Track.1", name);
	composable(o, NULL);
	json_object_set_new(o, "children", json_array());
	json_object_set_new(o, "kind", json_string(kind));
	return o;
}

/* Appends a gap up to frame at (from *cursor), then the item, moving *cursor. */
static void place(json_t *tr, int64_t *cursor, int64_t at, int64_t frames, double rate, json_t *it)
{
	json_t *children = json_object_get(tr, "children");
	if (at > *cursor)
		json_array_append_new(children, gap(at - *cursor, rate));
	json_array_append_new(children, it);
	*cursor = (at > *cursor ? at : *cursor) + frames;
}

static json_t *benjamin_meta(json_t *fields)
{
	json_t *m = json_object();
	json_object_set_new(m, "benjamin", fields);
	return m;
}

static json_t *video_track(const film_timeline *t, int fps_num, int fps_den, double rate)
{
	json_t *tr = track("V1", "Video");
	film_span *spans = bj_xcalloc(t->n_clips ? t->n_clips : 1, sizeof *spans);
	film_timeline_spans(t, fps_num, fps_den, spans);
	int64_t cursor = 0;
	for (size_t i = 0; i < t->n_clips; i++) {
		const film_clip *c = &t->clips[i];
		json_t *f = json_object();
		json_object_set_new(f, "scene", json_integer(c->scene));
		json_t *why = c->why ? json_loads(c->why, JSON_DECODE_ANY, NULL) : NULL;
		json_object_set_new(f, "why", why ? why : json_null());
		int64_t n = spans[i].rec_out - spans[i].rec_in;
		place(tr, &cursor, spans[i].rec_in, n, rate,
		      clip(c->source, spans[i].src_in, n, rate, benjamin_meta(f)));
	}
	free(spans);
	return tr;
}

static json_t *dialogue_track(const film_timeline *t, int fps_num, int fps_den, double rate)
{
	json_t *tr = track("A1", "Audio");
	int64_t cursor = 0;
	for (size_t i = 0; i < t->n_lines; i++) {
		const film_line *l = &t->lines[i];
		int64_t at = film_frames(l->at, fps_num, fps_den);
		int64_t n = film_frames(l->duration, fps_num, fps_den);
		/* A line that starts before the last one ends is moved after it. */
		if (at < cursor)
			at = cursor;
		json_t *f = json_object();
		json_object_set_new(f, "character", json_string(l->character));
		json_object_set_new(f, "text", json_string(l->text));
		place(tr, &cursor, at, n > 0 ? n : 1, rate, clip(l->audio, 0, n > 0 ? n : 1, rate,
		                                                   benjamin_meta(f)));
	}
	return tr;
}

char *film_otio_text(const film_timeline *t, int fps_num, int fps_den)
{
	double rate = (double)fps_num / fps_den;
	json_t *root = item("Timeline.1", t->title);
	json_object_set_new(root, "global_start_time", rational(0, rate));
	json_t *stack = item("Stack.1", "tracks");
	composable(stack, NULL);
	json_t *children = json_array();
	json_array_append_new(children, video_track(t, fps_num, fps_den, rate));
	json_array_append_new(children, dialogue_track(t, fps_num, fps_den, rate));
	if (t->score.audio) {
		json_t *tr = track("A2", "Audio");
		int64_t cursor = 0, at = film_frames(t->score.at, fps_num, fps_den);
		int64_t end = film_frames(film_timeline_duration(t), fps_num, fps_den);
		if (end > at)
			place(tr, &cursor, at, end - at, rate,
			      clip(t->score.audio, 0, end - at, rate, json_object()));
		json_array_append_new(children, tr);
	}
	json_object_set_new(stack, "children", children);
	json_object_set_new(root, "tracks", stack);
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(root);
	BJ_ASSERT(text);
	return text;
}

int film_otio_save(const film_timeline *t, int fps_num, int fps_den, const char *path)
{
	bj_atomic *a;
	int ret = bj_atomic_open(path, &a);
	if (ret < 0)
		return ret;
	char *text = film_otio_text(t, fps_num, fps_den);
	FILE *f = bj_atomic_stream(a);
	fputs(text, f);
	fputc('\n', f);
	free(text);
	return bj_atomic_commit(a);
}
