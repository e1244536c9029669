/*
 * subtitles.h - subtitle cues from the dialogue of a timeline, written as SRT.
 *
 *     film_subtitles s;
 *     film_subtitles_build(&timeline, &s);          // lines must be measured
 *     int ret = film_subtitles_save_srt(&s, "film.srt");   // atomic
 *     film_subtitles_release(&s);
 *
 * Each dialogue line becomes one cue of at most FILM_SUB_LINES lines of at most
 * FILM_SUB_CHARS characters (Unicode code points), broken at the word boundary
 * that balances the two lines best.  A line too long for one cue is split at word
 * boundaries into several, each timed by its words: from the line's word timings
 * when they match its words one to one, else spread over the words' span (or the
 * whole audio) in proportion to their lengths.  A cue stays up at least
 * FILM_SUB_MIN_SECONDS and ends FILM_SUB_GAP before the next one begins.
 */
#pragma once

#include <stddef.h>

#include "film/timeline.h"

#define FILM_SUB_CHARS 42
#define FILM_SUB_LINES 2
#define FILM_SUB_MIN_SECONDS 1.0
#define FILM_SUB_GAP 0.04

typedef struct film_cue {
	double start, end;  /* seconds on the timeline */
	char *text;         /* one or two lines, joined by '\n' */
} film_cue;

typedef struct film_subtitles {
	film_cue *cues;     /* (n), in time order */
	size_t n;
} film_subtitles;

/* Builds the cues of t's dialogue into s (release with film_subtitles_release). */
void film_subtitles_build(const film_timeline *t, film_subtitles *s);

/* Breaks text (words separated by single spaces) into at most FILM_SUB_LINES lines
 * of at most width code points.  Returns a new string (free()) with '\n' between
 * lines, or NULL when it does not fit (or a single word is longer than width). */
char *film_subtitle_wrap(const char *text, size_t width);

/* The SRT text of s: a new string (free()). */
char *film_subtitles_srt(const film_subtitles *s);

/* Writes film_subtitles_srt() to path atomically.  Returns 0 or a negative code
 * with the error set ("'<path>': cannot create file: ..."). */
int film_subtitles_save_srt(const film_subtitles *s, const char *path);

void film_subtitles_release(film_subtitles *s);
