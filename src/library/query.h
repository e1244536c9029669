/*
 * query.h - finding shots in the library by what a director asks for: length,
 * black-and-white or colour, brightness, speech, motion, day/night, place.
 *
 *     library_query q;
 *     library_query_init(&q);                    // everything unset: all shots
 *     q.min_duration = 2; q.bw = 1; q.speech = 1;
 *     library_shot *shots; size_t n;
 *     if (library_query_shots(lib, &q, &shots, &n) < 0)
 *         return bj_error_code();
 *     ... free(shots);
 *
 * Filters combine with AND; results come by film path, then shot number.  The
 * thresholds behind the yes/no filters are LIBRARY_SPEECH_MIN and
 * LIBRARY_MOTION_MIN (measured on ../shared/data/footage).
 */
#pragma once

#include <stddef.h>

#include "library/library.h"

#define LIBRARY_SPEECH_MIN 0.3   /* --speech: at least this fraction of voice frames */
#define LIBRARY_MOTION_MIN 0.015 /* --motion: subject motion at least this (or camera moving) */
#define LIBRARY_CAMERA_MIN 0.05  /* camera motion counted as motion, frame widths/s */

typedef struct library_query {
	double min_duration, max_duration;      /* seconds; < 0 unset */
	double min_brightness, max_brightness;  /* 0..1; < 0 unset */
	int bw;            /* 1 black-and-white only, 0 colour only, -1 either */
	int speech;        /* 1 shots with speech, 0 without, -1 either */
	int motion;        /* 1 moving (subject or camera), 0 still, -1 either */
	const char *daynight;  /* "day", "night" or NULL */
	const char *place;     /* "interior", "exterior" or NULL */
	int64_t film_id;   /* 0: every film */
	int limit;         /* 0: no limit */
} library_query;

void library_query_init(library_query *q);

/* The matching shots as a new array (free()). */
int library_query_shots(library *lib, const library_query *q, library_shot **shots, size_t *n);
