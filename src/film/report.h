/*
 * report.h - report.html: a film's making, for its director to read.  One
 * self-contained file (every picture inlined) that opens offline:
 *   - the film at a glance: title, length, scenes, shots, and a contact sheet
 *     with a frame of every clip;
 *   - the screenplay beside the shots cut for each element, with frames of
 *     each clip and why it was chosen (features x weights, the runner-up);
 *   - the cast with faces (cast.json, the library's faces, the stars' folders);
 *   - the models used and their learning curves (charts drawn with cairo);
 *   - how long each stage of `benjamin make` took (a bar chart).
 *
 *     film_report_opts o = { .film_dir = "film" };
 *     if (film_report_save(&o) < 0) ... bj_error_message() ...
 *
 * It reads from film_dir what `benjamin make` leaves there: timeline.json
 * (required), film.fountain, make.json (stage times, the models, library and
 * seed used), cast.json, film.mp4 (its frame size); each but the timeline may
 * be missing.  The sources of the clips are opened read-only.
 */
#pragma once

#include <stddef.h>

typedef struct film_report_opts {
	const char *film_dir;
	const char *out;                 /* NULL: <film_dir>/report.html */
	const char *const *models;       /* more models to show (n_models), besides make.json's */
	size_t n_models;
	long long seed;                  /* the render's seed (moves of stills); < 0: make.json's, else 0 */
	int progress;                    /* a progress bar over the clips */
} film_report_opts;

/* Writes the report atomically.  Returns 0, or the error: the timeline cannot
 * be loaded ("'film/timeline.json': ..."), the report cannot be written. */
int film_report_save(const film_report_opts *o);
