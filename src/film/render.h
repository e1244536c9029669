/*
 * render.h - a timeline made into a film: film.mp4 (H.264 + AAC) with the
 * subtitles (film.srt) and the cut for editors (film.edl, film.otio) beside it.
 *
 *     film_timeline t;
 *     film_timeline_load("timeline.json", &t);
 *     film_render_opts o = film_render_defaults("out/film.mp4");
 *     o.burn_subtitles = 1;
 *     film_render_report r;
 *     if (film_render(&t, &o, &r) < 0)
 *         return bj_error_code();
 *     film_timeline_release(&t);
 *
 * Picture: each frame shows the title card (faded in and out over up to a
 * second), the credits roll, the clip whose span covers it (film_timeline_spans:
 * video decoded from its in point with accurate seeking, the source frame
 * nearest in time shown, letterboxed or pillarboxed into the frame; a still
 * panned and zoomed) or black; then the subtitles if burned, and the
 * "AI-generated" label in the bottom-right corner of every frame.
 * Sound: film_mix_build() at 48 kHz stereo, normalised to -16 LUFS with true
 * peak at most -1 dBTP.  The MP4 carries the tags title, artist "benjamin" and
 * comment "AI-generated film ...".
 *
 * Every output is written under a temporary name and renamed when complete; the
 * film first, then the three files beside it (the output's name with .srt, .edl
 * and .otio for its extension), so a killed render leaves no half-written file,
 * and temporaries a killed render left behind are removed by the next.  The same
 * timeline, options and seed give the same bytes.
 */
#pragma once

#include <stdint.h>

#include "film/mix.h"
#include "film/timeline.h"

#define FILM_RENDER_RATE 48000
#define FILM_RENDER_LUFS (-16.0)
#define FILM_RENDER_TRUE_PEAK (-1.0)
/* The largest size chosen from the footage (a larger one may be asked for). */
#define FILM_RENDER_MAX_WIDTH 1280
#define FILM_RENDER_MAX_HEIGHT 720

typedef struct film_render_opts {
	const char *output;      /* the .mp4 path */
	int width, height;       /* 0: the timeline's, else chosen from the footage */
	int fps_num, fps_den;    /* 0: the timeline's, else chosen from the footage */
	int burn_subtitles;
	uint64_t seed;           /* chooses the moves of stills without an effect */
	int threads;             /* encoder threads (the bytes depend on it) */
	const char *preset;      /* x264 preset */
	int crf;
} film_render_opts;

typedef struct film_render_report {
	int width, height;
	int fps_num, fps_den;
	int64_t frames;          /* video frames written */
	double seconds;          /* the film's length */
	size_t cues;             /* subtitle cues */
	film_loudness loudness;
	double render_seconds;   /* wall time of the picture loop (decode, draw, encode) */
} film_render_report;

/* The move of clip (its index in the timeline) when it is a still without an
 * effect: in or out by 8-20 %, drifting up to 8 % of the picture, chosen by
 * the seed and the clip's place (the report shows the same). */
void film_still_move(uint64_t seed, size_t clip, film_view *from, film_view *to);

/* Defaults: size and rate from the footage, no burned subtitles, seed 0, 2
 * threads, preset "medium", crf 18. */
film_render_opts film_render_defaults(const char *output);

/* Chooses the size and rate for t's footage: the size of the most footage time
 * (display aspect applied), scaled down to fit FILM_RENDER_MAX_WIDTH x
 * FILM_RENDER_MAX_HEIGHT, even; the rate of the most footage time (25 when all
 * clips are stills).  Returns 0 or the error opening a source. */
int film_render_choose_format(const film_timeline *t, int *width, int *height, int *fps_num,
                              int *fps_den);

/* Renders t (its dialogue is measured here) as described above; fills rep (may
 * be NULL).  Returns 0, or a negative code with the error set and no output
 * changed: a source that cannot be read ("'<path>': ..."), an output that cannot
 * be written. */
int film_render(film_timeline *t, const film_render_opts *o, film_render_report *rep);

/* The path beside output with extension ext (".srt"): a new string (free()). */
char *film_render_sibling(const char *output, const char *ext);
