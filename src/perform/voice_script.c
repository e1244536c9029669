/*
 * voice_script.c - lines in parallel, WAVs and lines.json.
 */
#include "perform/voice_script.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/atomic.h"
#include "base/error.h"
#include "base/progress.h"
#include "base/threads.h"
#include "media/wav.h"

/* What one task leaves for the caller. */
struct result {
	perform_speech sp;
	char *file;     /* name inside the folder */
	char *error;    /* message when the line failed */
	int code;
};

struct job {
	const char *name;
	const perform_script_line *lines;
	const perform_cast *cast;
	const perform_script_options *o;
	const char *folder;
	struct result *results;
	bj_progress *progress;
};

static int has_filter_extension(const char *ext)
{
	return ext && (strstr(ext, "V.O") || strstr(ext, "O.S") || strstr(ext, "O.C"));
}

/* "0012-dr_smith.wav" */
static char *file_name(size_t index, const char *character)
{
	char clean[48];
	size_t n = 0;
	char *ascii = perform_voice_ascii(character);
	for (const char *p = ascii; *p && n + 1 < sizeof clean; p++) {
		unsigned char ch = (unsigned char)*p;
		if (isalnum(ch))
			clean[n++] = (char)tolower(ch);
		else if ((ch == ' ' || ch == '.' || ch == '-' || ch == '\'') && n && clean[n - 1] != '_')
			clean[n++] = '_';
	}
	free(ascii);
	while (n && clean[n - 1] == '_')
		n--;
	clean[n] = 0;
	return bj_xasprintf("%04zu-%s.wav", index + 1, n ? clean : "line");
}

/* A beat of silence for a line with no words ("..."). */
static void silence(perform_speech *sp, double seconds)
{
	memset(sp, 0, sizeof *sp);
	media_audio_init(&sp->audio, PERFORM_VOICE_RATE, 1);
	size_t n = (size_t)(seconds * PERFORM_VOICE_RATE);
	media_audio_reserve(&sp->audio, n);
	memset(sp->audio.samples, 0, n * sizeof(float));
	sp->audio.frames = n;
	sp->phones = bj_xcalloc(1, sizeof *sp->phones);
	snprintf(sp->phones[0].name, sizeof sp->phones[0].name, "pau");
	sp->phones[0].end = seconds;
	sp->n_phones = 1;
}

static void run_line(void *ctx, int task, int thread)
{
	(void)thread;
	struct job *job = ctx;
	const perform_script_line *l = &job->lines[task];
	struct result *r = &job->results[task];
	const perform_voice_setting *v = perform_cast_find(job->cast, l->character);
	int ret;
	if (!v) {
		ret = bj_error_set(BJ_EINVAL, "no voice cast for '%s'", l->character);
	} else {
		perform_line_options lo = PERFORM_LINE_DEFAULTS;
		lo.target_lufs = job->o->target_lufs;
		lo.ceiling_db = job->o->ceiling_db;
		if (l->parenthetical)
			perform_delivery_parenthetical(&lo.delivery, l->parenthetical);
		perform_delivery_punctuation(&lo.delivery, l->text);
		if (has_filter_extension(l->extension))
			lo.filter = job->o->extension_filter;
		ret = perform_line_render(v, l->text, &lo, &r->sp);
		if (ret < 0 && strcmp(bj_error_message(), "nothing to say") == 0) {
			silence(&r->sp, 0.6 + lo.delivery.pause_before);
			ret = 0;
		}
	}
	if (ret == 0) {
		r->file = file_name((size_t)task, l->character);
		char *path = bj_xasprintf("%s/%s", job->folder, r->file);
		ret = media_wav_write(path, &r->sp.audio, MEDIA_WAV_PCM16);
		free(path);
	}
	if (ret < 0) {
		r->code = ret;
		r->error = bj_xstrdup(bj_error_message());
	}
	bj_progress_add(job->progress, 1);
}

/* Seconds rounded to 0.1 ms, so lines.json reads well and compares exactly. */
static json_t *seconds(double t)
{
	return json_real(round(t * 1e4) / 1e4);
}

static json_t *words_json(const perform_speech *sp)
{
	json_t *words = json_array();
	for (size_t k = 0; k < sp->n_words; k++) {
		const perform_word *w = &sp->words[k];
		json_array_append_new(words, json_pack("{s:s, s:o, s:o}", "text", w->text, "start",
		                                       seconds(w->start), "end", seconds(w->end)));
	}
	return words;
}

static json_t *phones_json(const perform_speech *sp)
{
	json_t *phones = json_array();
	for (size_t k = 0; k < sp->n_phones; k++) {
		const perform_phone *p = &sp->phones[k];
		json_array_append_new(phones, json_pack("{s:s, s:o, s:o}", "phone", p->name, "start",
		                                        seconds(p->start), "end", seconds(p->end)));
	}
	return phones;
}

static json_t *line_json(size_t i, const perform_script_line *l, const struct result *r,
                         const perform_voice_setting *v)
{
	json_t *words = words_json(&r->sp), *phones = phones_json(&r->sp);
	json_t *voice = json_pack("{s:s, s:f, s:f, s:f, s:f}", "base", v->voice, "pitch",
	                          v->shift.semitones, "formant", v->shift.formant, "rate",
	                          v->shift.rate, "range", v->range);
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:i, s:s, s:o, s:o, s:o, s:o}", "index",
	                 (json_int_t)(i + 1), "character", l->character, "text", l->text,
	                 "parenthetical", l->parenthetical ? json_string(l->parenthetical) : json_null(),
	                 "extension", l->extension ? json_string(l->extension) : json_null(),
	                 "source_line", l->source_line, "file", r->file, "duration",
	                 seconds(media_audio_duration(&r->sp.audio)), "voice", voice, "words", words,
	                 "phonemes", phones);
}

static int save_json(const char *path, json_t *root)
{
	char *s = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	if (!s)
		return bj_error_set(BJ_ENOMEM, "'%s': cannot format JSON", path);
	bj_atomic *a;
	int ret = bj_atomic_open(path, &a);
	if (ret == 0) {
		fputs(s, bj_atomic_stream(a));
		fputc('\n', bj_atomic_stream(a));
		ret = bj_atomic_commit(a);
	}
	free(s);
	return ret;
}

int perform_speech_save_json(const char *path, const perform_speech *sp)
{
	json_t *root = json_pack("{s:o, s:o, s:o}", "duration", seconds(media_audio_duration(&sp->audio)),
	                         "words", words_json(sp), "phonemes", phones_json(sp));
	int ret = save_json(path, root);
	json_decref(root);
	return ret;
}

int perform_script_voice(const char *name, const perform_script_line *lines, size_t n,
                         const perform_cast *cast, const perform_script_options *o,
                         const char *folder)
{
	bj_pool *pool = bj_pool_new(o->threads);
	if (!pool)
		return bj_error_code();
	struct result *results = bj_xcalloc(n ? n : 1, sizeof *results);
	struct job job = { name, lines, cast, o, folder, results,
		           bj_progress_new("voice", n, "lines") };
	bj_pool_run(pool, (int)n, run_line, &job);
	bj_progress_finish(job.progress);
	bj_pool_free(pool);
	int ret = 0;
	for (size_t i = 0; i < n && ret == 0; i++)
		if (results[i].error) {
			if (lines[i].source_line)
				ret = bj_error_set(results[i].code, "'%s': line %d: %s", name,
				                   lines[i].source_line, results[i].error);
			else
				ret = bj_error_set(results[i].code, "'%s': %s", name, results[i].error);
		}
	if (ret == 0) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, line_json(i, &lines[i], &results[i],
			                                     perform_cast_find(cast, lines[i].character)));
		json_t *root = json_pack("{s:i, s:f, s:o}", "rate", PERFORM_VOICE_RATE, "lufs",
		                         o->target_lufs, "lines", arr);
		char *path = bj_xasprintf("%s/lines.json", folder);
		ret = save_json(path, root);
		free(path);
		json_decref(root);
	}
	for (size_t i = 0; i < n; i++) {
		perform_speech_release(&results[i].sp);
		free(results[i].file);
		free(results[i].error);
	}
	free(results);
	return ret;
}
