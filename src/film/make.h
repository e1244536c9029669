/*
 * make.h - `benjamin make`: footage and a brief made into a finished film by
 * running every stage in turn, each cached (film/stage.h) so that a second run
 * does nothing, a changed setting redoes only the stages that depend on it and
 * a killed run resumes.
 *
 *     film_make_opts o;
 *     film_make_opts_init(&o);
 *     o.footage = "reels";  o.writer = "writer.safetensors";  o.out_dir = "film";
 *     o.title = "Sunspring";  o.seed = 7;
 *     film_make_report r;
 *     if (film_make(&o, &r) < 0) ... bj_error_message() ...
 *     film_make_report_release(&r);
 *
 * The stages, in order:
 *   write   the screenplay to the brief     writer model, brief, pages, seed
 *   index   the footage library, faces      the footage files' content hashes
 *   cast    cast.json (film/casting.h)      write, index, stars (their folders'
 *                                           files), models, voice samples, seed; or the
 *                                           director's cast.json (cast)
 *   voice   a WAV per line, lines.json      write, cast, seed
 *   cut     timeline.json and cues.json     write, index, cast, voice, seed
 *   score   score.wav, the scored timeline  cut, composer model, seed (only with a composer)
 *   swap    star faces: clip films, swaps.json   cut, cast, the trained models cast.json
 *                                           names (their content), seed (nothing to
 *                                           do without stars or models)
 *   render  film.mp4, .srt, .edl, .otio     cut or score, swap, size, seed
 *   report  report.html (film/report.h)     write, render
 * Each runs in out_dir/.stages/<stage>-<key>/, its key the hash of what the
 * table says.  The products are then placed at the top of out_dir (hard
 * links): film.fountain, film.pdf, timeline.json, film.mp4, film.srt, film.edl,
 * film.otio, report.html, and cast.json (a copy, to edit and give back as
 * cast); make.json says what each stage did and how long it took, and which
 * models and library the film used.  The same inputs and seed give the same
 * bytes.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "film/casting.h"
#include "library/hash.h"

typedef struct film_make_opts {
	const char *footage;     /* folder (or file) of footage; NULL: the demo footage (film/demo.h) */
	const char *writer;      /* writer model (safetensors) */
	const char *composer;    /* composer model, or NULL: a film without music */
	const char *title, *line, *prop, *action;   /* the brief; NULL for none */
	int pages;               /* 1..WRITER_MAX_PAGES */
	uint64_t seed;
	int width, height;       /* 0: chosen from the footage */
	const film_binding *stars;   /* (n_stars) --star [NAME=]DIR */
	size_t n_stars;
	const film_binding *likes;   /* (n_likes) --voice-like NAME=WAV */
	size_t n_likes;
	const film_binding *models;  /* (n_models) --model NAME=SWAP: trained swaps */
	size_t n_models;
	const char *cast;        /* a director's cast.json used instead of casting, or NULL */
	const char *out_dir;
	int progress;            /* show the stages' progress displays */
	/* Called at the start of every stage (may be NULL): k of n, its name, and
	 * the seconds the stages to come took last time (< 0: unknown). */
	void (*on_stage)(void *ctx, int k, int n, const char *name, int skipped, double eta);
	/* Told what a stage wants the director to know (may be NULL): why a
	 * character's trained model is not used. */
	void (*on_note)(void *ctx, const char *stage, const char *note);
	void *ctx;
} film_make_opts;

/* Defaults: 1 page, seed 1, size from the footage, no progress. */
void film_make_opts_init(film_make_opts *o);

typedef struct film_make_stage_report {
	char name[32];
	char key[LIBRARY_HASH_LEN + 1];
	double seconds;
	int skipped;             /* its folder was complete */
	double made_seconds;     /* what making it took (this run or the last), < 0 unknown */
} film_make_stage_report;

typedef struct film_make_report {
	film_make_stage_report stages[16];
	int n;
	int ran;                 /* stages that did work */
	double seconds;
} film_make_report;

/* Runs the stages.  Returns 0, or the first stage's error with the error set
 * and prefixed by the stage ("cut: ..."); finished stages stay cached. */
int film_make(const film_make_opts *o, film_make_report *r);
