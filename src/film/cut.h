/*
 * cut.h - the director: walks a screenplay element by element, chooses a shot
 * of the footage library for each (film/pick.h), trims it, lays the voices on
 * it and writes the result as a timeline (film/timeline.h) and a score cue
 * sheet (film/mood.h).
 *
 *     film_voices v;  film_voices_load("voices/lines.json", &v);   // optional
 *     film_cast cast; film_cast_load("cast.json", &cast);           // optional
 *     film_cut_opts o = { .seed = 1, .score = "score.wav" };
 *     film_timeline t; film_cues cues;
 *     if (film_cut(sp, "film.fountain", lib, &v, &cast, &o, &t, &cues) < 0)
 *         return bj_error_code();
 *     film_timeline_save(&t, "timeline.json");  film_cues_save(&cues, "cues.json");
 *
 * The timeline: a title card (the title page's Title), then per scene an
 * establishing shot for the heading, a shot (or, when no shot is long enough,
 * several) per action paragraph and per spoken line, end to end; the credits
 * (film_credits_default, the cast taken from the screenplay's cues when there
 * are no voices) after the last clip.  Its length is exactly the title
 * card plus every clip plus the credits.  Each clip's "why" records the element,
 * what it needed, every weighted feature with its value and weight, the total
 * and the runner-up.  The same inputs and seed give the same timeline.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "film/mood.h"
#include "film/timeline.h"
#include "library/library.h"
#include "text/screenplay.h"

/* Screen time around a spoken line, seconds: before its first sound, after its end. */
#define FILM_LINE_LEAD 0.3
#define FILM_LINE_TAIL 0.4
/* The establishing shot of a scene heading, and the title card, seconds. */
#define FILM_HEADING_SECONDS 2.5
#define FILM_TITLE_SECONDS 4.0

/* One voiced line of voices/lines.json (the voice stage's output). */
typedef struct film_voice {
	char *character;
	char *text;
	char *audio;          /* the WAV, as a path from the current folder */
	double duration;      /* seconds */
	film_word *words;     /* (n_words) */
	size_t n_words;
	int source_line;      /* 0 when not given */
} film_voice;

typedef struct film_voices {
	char *path;           /* for messages */
	film_voice *lines;    /* (n) in script order */
	size_t n;
} film_voices;

/* Reads lines.json: { "lines": [ { "character", "text", "file", "duration",
 * "words": [ { "text", "start", "end" } ], "source_line" }, ... ] } (other keys
 * are ignored: the voice stage writes more).  "file" is relative to the
 * folder of lines.json.  Errors name the file and the line: "'voices/lines.json':
 * lines[2].duration: missing".  Release with film_voices_release. */
int film_voices_load(const char *path, film_voices *v);
void film_voices_release(film_voices *v);

/* cast.json, as far as the director and the swap read it (film/casting.h
 * writes it):
 *     { "cast": [ { "character": "EVE", "identity": 3, "star": "faces/eve",
 *                   "model": "swap-eve-3.safetensors" }, ... ] }
 * identity is an id of the library's identities table (0, null or absent:
 * none); star a folder of the star's photos and model a trained swap
 * (`benjamin train swap`), both relative to cast.json's folder (absent:
 * none).  Other keys are left to the voices (perform/voice_cast.h). */
typedef struct film_cast {
	char **characters;    /* (n) */
	int64_t *identities;  /* (n) */
	char **stars;         /* (n) resolved folders, NULL for none */
	char **models;        /* (n) resolved model files, NULL for none */
	size_t n;
} film_cast;

int film_cast_load(const char *path, film_cast *c);
/* The identity of a character (name without extensions), 0 if none. */
int64_t film_cast_identity(const film_cast *c, const char *character);
/* The star folder of a character, or NULL. */
const char *film_cast_star(const film_cast *c, const char *character);
/* The trained swap model of a character, or NULL. */
const char *film_cast_model(const film_cast *c, const char *character);
void film_cast_release(film_cast *c);

typedef struct film_cut_opts {
	uint64_t seed;
	const char *score;    /* score WAV or NULL */
} film_cut_opts;

/* Cuts sp (name: its file, for messages) from lib's footage.  voices and cast
 * may be NULL.  A voices file that does not match the screenplay's spoken lines
 * (count or speaker) is an error: "'voices/lines.json': line 3 is BOB's, the
 * screenplay's line 3 (film.fountain line 20) is EVE's".  Fills t (release with
 * film_timeline_release) and cues (film_cues_release). */
int film_cut(const text_screenplay *sp, const char *name, library *lib, const film_voices *voices,
             const film_cast *cast, const film_cut_opts *o, film_timeline *t, film_cues *cues);
