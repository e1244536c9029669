/*
 * timeline.h - the cut of a film: what is shown and heard when, as loaded from
 * timeline.json (the file `benjamin cut` writes and a director may edit).
 *
 *     film_timeline t;
 *     if (film_timeline_load("work/timeline.json", &t) < 0)
 *         return bj_error_code();   // "'work/timeline.json': video[2].out: 3.5 is not after in (4)"
 *     ... t.clips[i], t.lines[j] ...
 *     film_timeline_save(&t, "work/timeline.json");   // `benjamin cut` writes it so
 *     film_timeline_release(&t);
 *
 * timeline.json, version 1 (times in seconds, relative paths from the file's folder):
 *
 *     { "format": "benjamin-timeline", "version": 1,
 *       "title": "Sunspring",
 *       "width": 1280, "height": 720,        optional: the most common footage size, capped at 1280x720
 *       "fps": 24 or "30000/1001",           optional: the most common footage rate (stills only: 25)
 *       "title_card": { "at": 0, "duration": 4, "text": "Sunspring" },      optional; text defaults to title
 *       "video": [ { "source": "reels/a.mp4", "in": 12.5, "out": 15.0, "at": 4.0,
 *                    "scene": 1, "why": { anything },
 *                    "media": "swap/clip-0003.mp4", "media_at": 12.48 },       optional
 *                  { "source": "stills/b.jpg", "duration": 3, "at": 6.5, "scene": 2,
 *                    "effect": { "type": "ken_burns", "from": { "zoom": 1, "x": 0.5, "y": 0.5 },
 *                                "to": { "zoom": 1.2, "x": 0.4, "y": 0.45 } } } ],
 *       "dialogue": [ { "audio": "voices/001.wav", "at": 4.2, "character": "H",
 *                       "text": "I am not a doctor.",
 *                       "words": [ { "text": "I", "start": 0.0, "end": 0.18 }, ... ] } ],
 *       "ambience": { "gain_db": 0, "duck_db": -15, "attack": 0.08, "release": 0.4 },   optional
 *       "score": { "audio": "score.wav", "at": 0, "gain_db": -8, "duck_db": -8 },       optional
 *       "credits": { "at": 40, "duration": 10, "lines": [ "..." ] } }                     optional
 *
 * Video clips sit on one track and may not overlap; where none is, the picture is
 * black.  A source ending in .png, .jpg or .jpeg is a still: it has "duration"
 * instead of "in"/"out" and is animated with a Ken Burns pan and zoom ("effect";
 * without one, render chooses a gentle one from its seed).  Zoom >= 1 crops the
 * largest frame-shaped window of the image by that factor around the centre
 * (x, y), a fraction of the image.  "media" replaces a video clip's picture
 * (not its place in the cut, nor the EDL's and OTIO's reference to the source):
 * a film whose time 0 shows the source at time "media_at" (the swap stage's
 * clips with a star's face on the actor).  Word times are seconds from the start of the
 * line's audio.  "why" is kept as compact JSON text for the report and the OTIO
 * metadata.  Credit lines default to film_credits_default() (titles.h).
 * Unknown keys are errors, so a misspelt key never passes silently.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define FILM_TIMELINE_VERSION 1
/* Longest film and largest time accepted (seconds): 10 hours. */
#define FILM_TIMELINE_MAX_TIME 36000.0

typedef struct film_view {
	double zoom;  /* >= 1 */
	double x, y;  /* centre, fractions of the image (0..1) */
} film_view;

typedef struct film_clip {
	char *source;       /* path, resolved against the timeline's folder */
	double in, out;     /* seconds in the source (a still: 0 and its duration) */
	double at;          /* seconds on the timeline */
	int scene;          /* 0 when not given */
	int still;          /* source is an image */
	int has_effect;     /* from/to given in the file */
	film_view from, to; /* Ken Burns views at the first and last frame */
	char *why;          /* compact JSON text, or NULL */
	char *media;        /* replacement picture, resolved, or NULL */
	double media_at;    /* the source's time at media's time 0 */
} film_clip;

typedef struct film_word {
	char *text;
	double start, end;  /* seconds from the start of the line's audio */
} film_word;

typedef struct film_line {
	char *audio;        /* WAV path, resolved */
	double at;          /* seconds on the timeline */
	char *character;
	char *text;
	film_word *words;   /* (n_words), may be 0 */
	size_t n_words;
	double duration;    /* seconds of audio: 0 until film_timeline_measure() */
} film_line;

typedef struct film_card {
	int present;
	double at, duration;
	char *text;         /* title card only */
} film_card;

typedef struct film_bed {
	char *audio;        /* score WAV, resolved; NULL for ambience or when absent */
	double at;
	double gain_db;     /* level of the bed */
	double duck_db;     /* extra gain under dialogue (<= 0) */
	double attack;      /* seconds to fall to the ducked level before a line */
	double release;     /* seconds to come back after it */
} film_bed;

typedef struct film_timeline {
	char *path;             /* the file it came from, for messages */
	char *title;
	int width, height;      /* 0 = choose from the footage */
	int fps_num, fps_den;   /* 0/0 = choose from the footage */
	film_card title_card;
	film_card credits;
	char **credit_lines;    /* (n_credit_lines); NULL = the default credits */
	size_t n_credit_lines;
	film_clip *clips;       /* (n_clips), in timeline order */
	size_t n_clips;
	film_line *lines;       /* (n_lines), in timeline order */
	size_t n_lines;
	film_bed ambience;      /* the footage's own sound */
	film_bed score;         /* score.audio NULL when there is none */
} film_timeline;

/* A clip's place in frames at a given rate: frames [rec_in, rec_out) of the film
 * show the source from frame src_in on (src_in + k at rec_in + k). */
typedef struct film_span {
	int64_t rec_in, rec_out;
	int64_t src_in;
} film_span;

/* Loads and validates path.  Returns 0 and fills t (release with
 * film_timeline_release), or a negative code with the error set and t zeroed:
 * BJ_ENOENT/BJ_EIO ("'<path>': cannot open: ..."), BJ_EFORMAT for bad JSON or a
 * bad value, named by its JSON path ("'<path>': dialogue[0].words[3].end: 1.2 is
 * before start (1.5)", "'<path>': video[1]: overlaps video[0] (4.0 s < 6.5 s)"). */
int film_timeline_load(const char *path, film_timeline *t);

/* As film_timeline_load, from len bytes of JSON; name is used in messages and
 * dir resolves relative paths ("." for none). */
int film_timeline_parse(const char *name, const char *dir, const char *json, size_t len,
                        film_timeline *t);

/* Writes t as timeline.json version 1 to path, atomically, in the key order
 * above.  A relative source path inside path's folder is written relative to
 * it, any other relative path made absolute (from the current folder), so
 * film_timeline_load(path) gives t back.  Defaults are written out; a clip
 * whose source is a still is written as one (its duration, out - in).  Returns 0
 * or a negative code with the error set ("'<path>': cannot create file: ..."). */
int film_timeline_save(const film_timeline *t, const char *path);

/* Reads the length of every dialogue WAV into lines[i].duration.  Returns 0 or
 * the first error ("'<wav>': not a WAVE file", ...). */
int film_timeline_measure(film_timeline *t);

/* The end of the last thing on the timeline, in seconds (dialogue counts once
 * measured). */
double film_timeline_duration(const film_timeline *t);

/* seconds at fps_num/fps_den, rounded to the nearest frame. */
int64_t film_frames(double seconds, int fps_num, int fps_den);

/* The spans of t's clips at the rate, into spans (n_clips): rounded to frames,
 * each at least one frame long and starting no earlier than the previous one
 * ends, so the film, the EDL and the OTIO file agree to the frame. */
void film_timeline_spans(const film_timeline *t, int fps_num, int fps_den, film_span *spans);

/* Frees everything and zeroes t; safe on a zeroed struct. */
void film_timeline_release(film_timeline *t);
