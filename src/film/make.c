/*
 * make.c - the whole pipeline, stage by stage, each cached (see make.h).
 *
 * A stage is one row of the table at the bottom: its name, what its key is
 * made of, how it runs and which of its files are products.
 */
#include "film/make.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"
#include "base/json.h"
#include "base/progress.h"
#include "film/casting.h"
#include "film/cut.h"
#include "film/demo.h"
#include "film/dialogue.h"
#include "film/render.h"
#include "film/report.h"
#include "film/stage.h"
#include "film/swapclips.h"
#include "film/timeline.h"
#include "library/faces.h"
#include "library/identities.h"
#include "library/ingest.h"
#include "library/library.h"
#include "perform/voice_cast.h"
#include "perform/voice_script.h"
#include "media/wav.h"
#include "score/composer.h"
#include "score/cuesheet.h"
#include "score/synth.h"
#include "text/fountain.h"
#include "text/layout.h"
#include "text/pdf.h"
#include "writer/write.h"

enum { WRITE, INDEX, CAST, VOICE, CUT, SCORE, SWAP, RENDER, REPORT, N_STAGES };

typedef struct make {
	const film_make_opts *o;
	char root[4096];            /* out_dir/.stages */
	film_stage st[N_STAGES];
	int picture_from;           /* the stage whose timeline.json is rendered */
	char **files;               /* the footage, absolute */
	size_t n_files;
	film_make_report *r;        /* the stages run so far */
} make;

typedef struct stage_def {
	const char *name;
	int keep;                   /* resumes its own half-done work */
	int (*wanted)(const make *m);
	int (*key)(make *m, film_stage *s);
	int (*run)(make *m, film_stage *s);
	const char *products[5];
} stage_def;

void film_make_opts_init(film_make_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->pages = 1;
	o->seed = 1;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int add_int(film_stage *s, const char *what, long long v)
{
	char text[32];
	snprintf(text, sizeof(text), "%lld", v);
	return film_stage_key_add(s, what, text);
}

static int add_file(film_stage *s, const char *what, const char *path)
{
	char hex[LIBRARY_HASH_LEN + 1];
	if (library_hash_file(path, hex) < 0)
		return bj_error_code();
	return film_stage_key_add(s, what, hex);
}

static char *in(const make *m, int stage, const char *file, char *buf, size_t size)
{
	return film_stage_path(&m->st[stage], file, buf, size);
}

/* A folder in a key: its path and its files' names and sizes. */
static int add_folder(film_stage *s, const char *what, const char *path)
{
	char *real = realpath(path, NULL);
	if (!real)
		return bj_error_set_errno(errno, "'%s'", path);
	char **files;
	size_t n;
	int ret = bj_dir_files(real, &files, &n);
	if (ret == 0)
		ret = film_stage_key_add(s, what, real);
	for (size_t i = 0; i < n && ret == 0; i++) {
		struct stat st;
		if (stat(files[i], &st) < 0)
			ret = bj_error_set_errno(errno, "'%s'", files[i]);
		else
			ret = add_int(s, files[i], (long long)st.st_size);
	}
	if (ret == 0)
		bj_free_strings(files, n);
	free(real);
	return ret;
}

/* ---- write: the screenplay ---- */

static int write_key(make *m, film_stage *s)
{
	const film_make_opts *o = m->o;
	int ret = add_file(s, "writer", o->writer);
	if (ret == 0)
		ret = film_stage_key_add(s, "title", o->title);
	if (ret == 0)
		ret = film_stage_key_add(s, "line", o->line);
	if (ret == 0)
		ret = film_stage_key_add(s, "prop", o->prop);
	if (ret == 0)
		ret = film_stage_key_add(s, "action", o->action);
	if (ret == 0)
		ret = add_int(s, "pages", o->pages);
	if (ret == 0)
		ret = add_int(s, "seed", (long long)o->seed);
	return ret;
}

static int write_run(make *m, film_stage *s)
{
	writer_write_opts w;
	writer_write_opts_init(&w);
	w.model_path = m->o->writer;
	w.title = m->o->title;
	w.line = m->o->line;
	w.prop = m->o->prop;
	w.action = m->o->action;
	w.pages = m->o->pages;
	w.seed = m->o->seed;
	w.progress = m->o->progress;
	text_screenplay *sp;
	if (writer_write_check(&w) < 0 || writer_write(&w, &sp, NULL) < 0)
		return bj_error_code();
	char path[4400];
	text_layout l;
	text_layout_init(&l, sp, NULL);
	int ret = text_fountain_save(sp, film_stage_path(s, "film.fountain", path, sizeof(path)));
	if (ret == 0)
		ret = text_pdf_save(&l, film_stage_path(s, "film.pdf", path, sizeof(path)));
	text_layout_release(&l);
	text_screenplay_free(sp);
	return ret;
}

/* ---- index: the footage library ---- */

static int index_key(make *m, film_stage *s)
{
	/* A newer schema stores more per shot (e.g. motion profiles for the cut
	 * points); a library of an older one is migrated but its films are not
	 * decoded again, so the version is part of the key. */
	char schema[16];
	snprintf(schema, sizeof(schema), "%d", LIBRARY_SCHEMA_VERSION);
	if (film_stage_key_add(s, "faces", "yes") < 0 || film_stage_key_add(s, "schema", schema) < 0)
		return bj_error_code();
	for (size_t i = 0; i < m->n_files; i++)
		if (add_file(s, m->files[i], m->files[i]) < 0)
			return bj_error_code();
	return 0;
}

struct index_bar {
	bj_progress *bar;
	size_t film;
};

static void index_progress(void *ctx, const library_index_progress *p)
{
	struct index_bar *b = ctx;
	const char *name = strrchr(p->path, '/');
	char item[300];
	int pct = p->duration > 0 ? (int)(100 * p->seconds_done / p->duration) : 0;
	snprintf(item, sizeof(item), "%s %d%%", name ? name + 1 : p->path, pct > 100 ? 100 : pct);
	bj_progress_set(b->bar, b->film, item);
}

static int index_run(make *m, film_stage *s)
{
	char path[4400];
	library *lib;
	if (library_open(film_stage_path(s, "library.db", path, sizeof(path)), &lib) < 0)
		return bj_error_code();
	library_faces *faces = library_faces_new();
	if (!faces) {
		library_close(lib);
		return bj_error_code();
	}
	struct index_bar b = { m->o->progress ? bj_progress_new("index", m->n_files, "films") : NULL,
	                       0 };
	library_index_options opts = { .progress = b.bar ? index_progress : NULL, .progress_ctx = &b,
		                       .faces = faces };
	int ret = 0;
	for (size_t i = 0; i < m->n_files && ret == 0; i++) {
		library_index_report r;
		b.film = i;
		ret = library_index_file(lib, m->files[i], &opts, &r);
		bj_progress_set(b.bar, i + 1, NULL);
	}
	bj_progress_finish(b.bar);
	/* The footage actors: tracks clustered into identities across the library */
	if (ret == 0)
		ret = library_identities_update(lib, NULL);
	library_faces_free(faces);
	library_close(lib);
	return ret;
}

/* ---- cast: characters to identities, stars and voices ---- */

static int cast_key(make *m, film_stage *s)
{
	const film_make_opts *o = m->o;
	if (o->cast) {
		/* The director's cast.json, taken as it is; its relative paths are
		 * read from its folder. */
		char *real = realpath(o->cast, NULL);
		int ret = real ? film_stage_key_add(s, "cast path", real)
		               : bj_error_set_errno(errno, "'%s'", o->cast);
		free(real);
		return ret == 0 ? add_file(s, "cast", o->cast) : ret;
	}
	int ret = film_stage_key_add(s, "write", m->st[WRITE].key);
	if (ret == 0)
		ret = film_stage_key_add(s, "index", m->st[INDEX].key);
	for (size_t i = 0; i < o->n_stars && ret == 0; i++) {
		ret = film_stage_key_add(s, "star", o->stars[i].name);
		if (ret == 0)
			ret = add_folder(s, "star folder", o->stars[i].path);
	}
	for (size_t i = 0; i < o->n_models && ret == 0; i++) {
		ret = film_stage_key_add(s, "model", o->models[i].name);
		if (ret == 0)
			ret = add_file(s, "model file", o->models[i].path);
	}
	for (size_t i = 0; i < o->n_likes && ret == 0; i++) {
		ret = film_stage_key_add(s, "like", o->likes[i].name);
		if (ret == 0)
			ret = add_file(s, "like sample", o->likes[i].path);
	}
	if (ret == 0)
		ret = add_int(s, "seed", (long long)o->seed);
	return ret;
}

/* The director's cast.json checked by both its readers and saved with its
 * relative paths made absolute. */
static int cast_given(const char *path, const char *dest)
{
	film_cast fc;
	perform_cast pc;
	perform_cast_init(&pc);
	int ret = film_cast_load(path, &fc);
	if (ret < 0)
		return ret;
	film_cast_release(&fc);
	if ((ret = perform_cast_load(&pc, path)) < 0)
		return ret;
	perform_cast_release(&pc);
	json_t *root;
	if ((ret = bj_json_load(path, &root)) < 0)
		return ret;
	char *real = realpath(path, NULL);
	char *slash = real ? strrchr(real, '/') : NULL;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(root, "cast"), i, e) {
		static const char *const keys[] = { "star", "like", "model" };
		for (int k = 0; k < 3 && slash; k++) {
			const char *v = json_string_value(json_object_get(e, keys[k]));
			if (v && v[0] != '/') {
				char *abs = bj_xasprintf("%.*s/%s", (int)(slash - real), real, v);
				json_object_set_new(e, keys[k], json_string(abs));
				free(abs);
			}
		}
	}
	ret = bj_json_save(dest, root, 0);
	json_decref(root);
	free(real);
	return ret;
}

static void on_match(void *ctx, const char *character, const char *description)
{
	(void)ctx;
	(void)character;
	(void)description;
}

static int cast_run(make *m, film_stage *s)
{
	char path[4400], db[4400];
	film_stage_path(s, "cast.json", path, sizeof(path));
	if (m->o->cast)
		return cast_given(m->o->cast, path);
	text_screenplay *sp = NULL;
	library *lib = NULL;
	film_dialogue d = { 0 };
	film_roles r = { 0 };
	film_cast_opts co = { m->o->stars, m->o->n_stars, m->o->likes, m->o->n_likes, m->o->seed,
		              on_match, NULL, m->o->models, m->o->n_models };
	int ret = text_fountain_load(in(m, WRITE, "film.fountain", path, sizeof(path)), &sp);
	if (ret == 0)
		ret = library_open_readonly(in(m, INDEX, "library.db", db, sizeof(db)), &lib);
	if (ret == 0)
		ret = film_dialogue_extract(sp, &d);
	if (ret == 0)
		ret = film_cast_choose(&d, lib, &co, &r);
	if (ret == 0)
		ret = film_roles_save(&r, film_stage_path(s, "cast.json", path, sizeof(path)));
	film_roles_release(&r);
	film_dialogue_release(&d);
	library_close(lib);
	text_screenplay_free(sp);
	return ret;
}

/* ---- voice: every line spoken ---- */

static int voice_key(make *m, film_stage *s)
{
	int ret = film_stage_key_add(s, "write", m->st[WRITE].key);
	if (ret == 0)
		ret = film_stage_key_add(s, "cast", m->st[CAST].key);
	if (ret == 0)
		ret = add_int(s, "seed", (long long)m->o->seed);
	return ret;
}

static int voice_run(make *m, film_stage *s)
{
	char script[4400], path[4400];
	text_screenplay *sp = NULL;
	film_dialogue d = { 0 };
	perform_cast pc;
	perform_cast_init(&pc);
	perform_script_options so = PERFORM_SCRIPT_DEFAULTS;
	so.threads = 2;
	int ret = text_fountain_load(in(m, WRITE, "film.fountain", script, sizeof(script)), &sp);
	if (ret == 0)
		ret = film_dialogue_extract(sp, &d);
	if (ret == 0)
		ret = perform_cast_load(&pc, in(m, CAST, "cast.json", path, sizeof(path)));
	if (ret == 0)
		ret = film_cast_voices(&pc, &d, m->o->seed, on_match, NULL);
	if (ret == 0)
		ret = perform_script_voice(script, d.lines, d.n, &pc, &so, s->dir);
	perform_cast_release(&pc);
	film_dialogue_release(&d);
	text_screenplay_free(sp);
	return ret;
}

/* ---- cut: the director's timeline ---- */

static int cut_key(make *m, film_stage *s)
{
	int ret = film_stage_key_add(s, "write", m->st[WRITE].key);
	if (ret == 0)
		ret = film_stage_key_add(s, "index", m->st[INDEX].key);
	if (ret == 0)
		ret = film_stage_key_add(s, "cast", m->st[CAST].key);
	if (ret == 0)
		ret = film_stage_key_add(s, "voice", m->st[VOICE].key);
	if (ret == 0)
		ret = add_int(s, "seed", (long long)m->o->seed);
	return ret;
}

static int cut_run(make *m, film_stage *s)
{
	char script[4400], db[4400], path[4400];
	in(m, WRITE, "film.fountain", script, sizeof(script));
	text_screenplay *sp = NULL;
	library *lib = NULL;
	film_timeline t = { 0 };
	film_cues cues = { 0 };
	film_voices voices = { 0 };
	film_cast cast = { 0 };
	film_cut_opts co = { .seed = m->o->seed };
	int ret = text_fountain_load(script, &sp);
	if (ret == 0)
		ret = library_open_readonly(in(m, INDEX, "library.db", db, sizeof(db)), &lib);
	if (ret == 0)
		ret = film_voices_load(in(m, VOICE, "lines.json", path, sizeof(path)), &voices);
	if (ret == 0)
		ret = film_cast_load(in(m, CAST, "cast.json", path, sizeof(path)), &cast);
	if (ret == 0)
		ret = film_cut(sp, script, lib, &voices, &cast, &co, &t, &cues);
	if (ret == 0)
		ret = film_cues_save(&cues, film_stage_path(s, "cues.json", path, sizeof(path)));
	if (ret == 0)
		ret = film_timeline_save(&t, film_stage_path(s, "timeline.json", path, sizeof(path)));
	film_timeline_release(&t);
	film_cues_release(&cues);
	film_cast_release(&cast);
	film_voices_release(&voices);
	library_close(lib);
	text_screenplay_free(sp);
	return ret;
}

/* ---- score: the music, laid under the cut ---- */

static int scoring_wanted(const make *m)
{
	return m->o->composer != NULL;
}

static int scoring_key(make *m, film_stage *s)
{
	int ret = film_stage_key_add(s, "cut", m->st[CUT].key);
	if (ret == 0)
		ret = add_file(s, "composer", m->o->composer);
	if (ret == 0)
		ret = add_int(s, "seed", (long long)m->o->seed);
	return ret;
}

static int scoring_run(make *m, film_stage *s)
{
	char path[4400], wav[4400];
	score_cues cues = { 0 };
	score_composer *c = NULL;
	score_synth *syn = NULL;
	media_audio audio = { 0 };
	film_timeline t = { 0 };
	score_render_opts so;
	score_render_opts_init(&so);
	so.seed = m->o->seed;
	score_render_report r;
	film_stage_path(s, "score.wav", wav, sizeof(wav));
	int ret = score_cues_load(in(m, CUT, "cues.json", path, sizeof(path)), &cues);
	if (ret == 0)
		ret = score_composer_open(m->o->composer, &c);
	if (ret == 0)
		ret = score_synth_open(SCORE_SOUNDFONT, 48000, &syn);
	if (ret == 0)
		ret = score_cues_render(c, syn, &cues, &so, &audio, &r);
	if (ret == 0)
		ret = media_wav_write(wav, &audio, MEDIA_WAV_PCM16);
	if (ret == 0)
		ret = film_timeline_load(in(m, CUT, "timeline.json", path, sizeof(path)), &t);
	if (ret == 0) {
		free(t.score.audio);
		t.score.audio = strdup(wav);
		ret = t.score.audio ? film_timeline_save(&t, film_stage_path(s, "timeline.json", path,
		                                                              sizeof(path)))
		                    : bj_error_set(BJ_ENOMEM, "out of memory");
	}
	film_timeline_release(&t);
	media_audio_release(&audio);
	score_synth_close(syn);
	score_composer_close(c);
	score_cues_release(&cues);
	return ret;
}

/* ---- swap: the stars' faces on their characters' clips ---- */

static int swap_key(make *m, film_stage *s)
{
	int ret = film_stage_key_add(s, "cut", m->st[CUT].key);
	if (ret == 0)
		ret = film_stage_key_add(s, "cast", m->st[CAST].key);
	/* The models' content: one trained on can be named the same and must
	 * still redo the swap.  A missing one is the cast's error to report. */
	film_cast cast;
	char path[4400];
	if (ret == 0 && (ret = film_cast_load(in(m, CAST, "cast.json", path, sizeof(path)), &cast)) == 0) {
		for (size_t i = 0; i < cast.n && ret == 0; i++)
			if (cast.models[i] && (ret = film_stage_key_add(s, "model", cast.characters[i])) == 0)
				ret = add_file(s, cast.models[i], cast.models[i]);
		film_cast_release(&cast);
	}
	if (ret == 0)
		ret = add_int(s, "seed", (long long)m->o->seed);
	return ret;
}

static void swap_note(void *ctx, const char *note)
{
	const make *m = ctx;
	if (m->o->on_note)
		m->o->on_note(m->o->ctx, "swap", note);
}

static int swap_run(make *m, film_stage *s)
{
	char path[4400];
	film_timeline t = { 0 };
	film_cast cast = { 0 };
	library *lib = NULL;
	film_swap_opts so = FILM_SWAP_DEFAULTS;
	so.seed = m->o->seed;
	so.progress = m->o->progress;
	so.on_note = swap_note;
	so.ctx = m;
	film_swap_report r = { 0 };
	int ret = film_timeline_load(in(m, CUT, "timeline.json", path, sizeof(path)), &t);
	if (ret == 0)
		ret = film_cast_load(in(m, CAST, "cast.json", path, sizeof(path)), &cast);
	if (ret == 0)
		ret = library_open_readonly(in(m, INDEX, "library.db", path, sizeof(path)), &lib);
	if (ret == 0)
		ret = film_swap_clips(&t, &cast, lib, s->dir, &so, &r);
	if (ret == 0)
		ret = film_swaps_save(&t, &r, film_stage_path(s, "swaps.json", path, sizeof(path)));
	film_swap_report_release(&r);
	library_close(lib);
	film_cast_release(&cast);
	film_timeline_release(&t);
	return ret;
}

/* ---- render: the film ---- */

/* The timeline to render: the cut (or the scored cut) with the swapped clips. */
static int final_timeline(const make *m, film_timeline *t)
{
	char path[4400];
	int ret = film_timeline_load(in(m, m->picture_from, "timeline.json", path, sizeof(path)), t);
	if (ret == 0 && (ret = film_swaps_apply(t, in(m, SWAP, "swaps.json", path, sizeof(path)))) < 0)
		film_timeline_release(t);
	return ret;
}

static int render_key(make *m, film_stage *s)
{
	int ret = film_stage_key_add(s, "timeline", m->st[m->picture_from].key);
	if (ret == 0)
		ret = film_stage_key_add(s, "swap", m->st[SWAP].key);
	if (ret == 0)
		ret = add_int(s, "width", m->o->width);
	if (ret == 0)
		ret = add_int(s, "height", m->o->height);
	if (ret == 0)
		ret = add_int(s, "seed", (long long)m->o->seed);
	return ret;
}

static int render_run(make *m, film_stage *s)
{
	char mp4[4400];
	film_timeline t;
	if (final_timeline(m, &t) < 0)
		return bj_error_code();
	film_render_opts ro = film_render_defaults(film_stage_path(s, "film.mp4", mp4, sizeof(mp4)));
	ro.width = m->o->width;
	ro.height = m->o->height;
	ro.seed = m->o->seed;
	int ret = film_render(&t, &ro, NULL);
	film_timeline_release(&t);
	return ret;
}

/* ---- report: report.html ---- */

static int save_report(const make *m, const film_make_report *r);

static int report_key(make *m, film_stage *s)
{
	int ret = film_stage_key_add(s, "write", m->st[WRITE].key);
	if (ret == 0)
		ret = film_stage_key_add(s, "render", m->st[RENDER].key);
	return ret;
}

/* make.json is saved first: the report shows the times of the stages before it. */
static int report_run(make *m, film_stage *s)
{
	char path[4400];
	film_report_opts ro = { .film_dir = m->o->out_dir, .progress = m->o->progress,
	                        .seed = (long long)m->o->seed,
	                        .out = film_stage_path(s, "report.html", path, sizeof(path)) };
	if (save_report(m, m->r) < 0)
		return bj_error_code();
	return film_report_save(&ro);
}

static const stage_def stages[N_STAGES] = {
	[WRITE] = { "write", 0, NULL, write_key, write_run, { "film.fountain", "film.pdf" } },
	[INDEX] = { "index", 1, NULL, index_key, index_run, { NULL } },
	[CAST] = { "cast", 0, NULL, cast_key, cast_run, { NULL } },
	[VOICE] = { "voice", 0, NULL, voice_key, voice_run, { NULL } },
	[CUT] = { "cut", 0, NULL, cut_key, cut_run, { NULL } },
	[SCORE] = { "score", 0, scoring_wanted, scoring_key, scoring_run, { NULL } },
	[SWAP] = { "swap", 0, NULL, swap_key, swap_run, { NULL } },
	[RENDER] = { "render", 0, NULL, render_key, render_run,
	             { "film.mp4", "film.srt", "film.edl", "film.otio" } },
	[REPORT] = { "report", 0, NULL, report_key, report_run, { "report.html" } },
};

/* ---- the run ---- */

/* The seconds making each stage took when it was last made (make.json), for
 * the ETA. */
static void last_times(const char *out_dir, double seconds[N_STAGES])
{
	for (int i = 0; i < N_STAGES; i++)
		seconds[i] = -1;
	char path[4400];
	snprintf(path, sizeof(path), "%s/make.json", out_dir);
	json_t *root;
	if (bj_json_load(path, &root) < 0) {
		bj_error_clear();
		return;
	}
	size_t i;
	json_t *st;
	json_array_foreach(json_object_get(root, "stages"), i, st) {
		const char *name = json_string_value(json_object_get(st, "name"));
		json_t *secs = json_object_get(st, "made_seconds");
		for (int k = 0; k < N_STAGES && name; k++)
			if (!strcmp(name, stages[k].name) && json_is_number(secs))
				seconds[k] = json_number_value(secs);
	}
	json_decref(root);
}

/* make.json: each stage's key and times, and the models and library used
 * (absolute paths, for the report). */
static int save_report(const make *m, const film_make_report *r)
{
	const char *out_dir = m->o->out_dir;
	json_t *root = json_object(), *list = json_array(), *models = json_object();
	json_object_set_new(root, "format", json_string("benjamin-make"));
	json_object_set_new(root, "version", json_integer(1));
	for (int i = 0; i < r->n; i++) {
		json_t *st = json_object();
		json_object_set_new(st, "name", json_string(r->stages[i].name));
		json_object_set_new(st, "key", json_string(r->stages[i].key));
		json_object_set_new(st, "seconds", json_real(r->stages[i].seconds));
		json_object_set_new(st, "skipped", json_boolean(r->stages[i].skipped));
		if (r->stages[i].made_seconds >= 0)
			json_object_set_new(st, "made_seconds", json_real(r->stages[i].made_seconds));
		json_array_append_new(list, st);
	}
	json_object_set_new(root, "stages", list);
	json_object_set_new(root, "seconds", json_real(r->seconds));
	const char *roles[] = { "writer", "composer" }, *paths[] = { m->o->writer, m->o->composer };
	for (int i = 0; i < 2; i++) {
		char *real = paths[i] ? realpath(paths[i], NULL) : NULL;
		if (real)
			json_object_set_new(models, roles[i], json_string(real));
		free(real);
	}
	json_object_set_new(root, "models", models);
	json_object_set_new(root, "seed", json_integer((json_int_t)m->o->seed));
	char db[4400];
	char *lib = m->st[INDEX].key[0] ? realpath(in(m, INDEX, "library.db", db, sizeof(db)), NULL)
	                                : NULL;
	if (lib)
		json_object_set_new(root, "library", json_string(lib));
	free(lib);
	char path[4400];
	snprintf(path, sizeof(path), "%s/make.json", out_dir);
	int ret = bj_json_save(path, root, 0);
	json_decref(root);
	return ret;
}

/* The products at the top of out_dir; timeline.json saved again so that its
 * paths hold from there. */
static int publish(make *m, int k)
{
	char file[4400], dest[4400];
	for (int p = 0; p < 5 && stages[k].products[p]; p++) {
		film_stage_path(&m->st[k], stages[k].products[p], file, sizeof(file));
		snprintf(dest, sizeof(dest), "%s/%s", m->o->out_dir, stages[k].products[p]);
		if (film_stage_publish(file, dest) < 0)
			return bj_error_code();
	}
	if (k == CAST) {
		/* A copy, not a link: the director edits it and gives it back with
		 * --cast, and the stage's own file must stay as it was made. */
		uint8_t *data;
		size_t size;
		snprintf(dest, sizeof(dest), "%s/cast.json", m->o->out_dir);
		int ret = bj_file_read(in(m, CAST, "cast.json", file, sizeof(file)), 1 << 24, &data, &size);
		if (ret == 0) {
			ret = bj_file_write(dest, data, size);
			free(data);
		}
		return ret;
	}
	if (k != RENDER)
		return 0;
	film_timeline t;
	if (final_timeline(m, &t) < 0)
		return bj_error_code();
	snprintf(dest, sizeof(dest), "%s/timeline.json", m->o->out_dir);
	int ret = film_timeline_save(&t, dest);
	film_timeline_release(&t);
	return ret;
}

static int collect_footage(make *m)
{
	if (!m->o->footage)
		return film_demo_footage(NULL, &m->files, &m->n_files);
	char *real = realpath(m->o->footage, NULL);
	if (!real)
		return bj_error_set_errno(errno, "'%s'", m->o->footage);
	int ret = library_collect_files(&real, 1, &m->files, &m->n_files);
	free(real);
	if (ret == 0 && m->n_files == 0)
		ret = bj_error_set(BJ_EINVAL, "'%s': no footage in it", m->o->footage);
	return ret;
}

static int run_stages(make *m, film_make_report *r)
{
	double last[N_STAGES];
	last_times(m->o->out_dir, last);
	int n = 0;
	for (int k = 0; k < N_STAGES; k++)
		n += !stages[k].wanted || stages[k].wanted(m);
	double t_all = now();
	for (int k = 0, i = 0; k < N_STAGES; k++) {
		if (stages[k].wanted && !stages[k].wanted(m))
			continue;
		film_stage *s = &m->st[k];
		double t0 = now();
		film_stage_key_init(s, stages[k].name);
		if (stages[k].key(m, s) < 0 || film_stage_open(s, m->root, stages[k].keep) < 0)
			return bj_error_prefix("%s", stages[k].name);
		if (m->o->on_stage) {
			double eta = 0;
			for (int j = k; j < N_STAGES && eta >= 0; j++)
				if (!(j == k && s->done) && (!stages[j].wanted || stages[j].wanted(m)))
					eta = last[j] < 0 ? -1 : eta + last[j];
			m->o->on_stage(m->o->ctx, i + 1, n, stages[k].name, s->done, eta);
		}
		int skipped = s->done;
		if (!s->done && (stages[k].run(m, s) < 0 || film_stage_commit(s) < 0))
			return bj_error_prefix("%s", stages[k].name);
		if (publish(m, k) < 0)
			return bj_error_prefix("%s", stages[k].name);
		film_make_stage_report *sr = &r->stages[r->n++];
		snprintf(sr->name, sizeof(sr->name), "%s", stages[k].name);
		memcpy(sr->key, s->key, sizeof(sr->key));
		sr->seconds = now() - t0;
		sr->skipped = skipped;
		sr->made_seconds = skipped ? last[k] : sr->seconds;
		r->ran += !sr->skipped;
		if (k == CUT || k == SCORE)
			m->picture_from = k;
		i++;
	}
	r->seconds = now() - t_all;
	return save_report(m, r);
}

int film_make(const film_make_opts *o, film_make_report *r)
{
	memset(r, 0, sizeof(*r));
	if (!o->writer || !o->out_dir)
		return bj_error_set(BJ_EINVAL, "make needs a writer model and an output folder");
	make m = { .o = o, .picture_from = CUT, .r = r };
	if ((size_t)snprintf(m.root, sizeof(m.root), "%s/.stages", o->out_dir) >= sizeof(m.root))
		return bj_error_set(BJ_EINVAL, "'%s': path too long", o->out_dir);
	if (bj_make_dirs(o->out_dir) < 0)
		return bj_error_code();
	int ret = collect_footage(&m);
	if (ret == 0)
		ret = run_stages(&m, r);
	for (int k = 0; k < N_STAGES; k++)
		film_stage_release(&m.st[k]);
	library_files_free(m.files, m.n_files);
	return ret;
}
