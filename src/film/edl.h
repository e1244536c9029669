/*
 * edl.h - the cut as a CMX 3600 edit decision list, for editors that import one
 * (DaVinci Resolve, Premiere, Avid).
 *
 *     int ret = film_edl_save(&timeline, 25, 1, "film.edl");   // atomic
 *
 * Layout: "TITLE: <title>", "FCM: NON-DROP FRAME", then one cut ("C") event per
 * video clip (track V) and per dialogue line (track A), numbered 001.. in record
 * order, each followed by "* FROM CLIP NAME: <file name>" and
 * "* SOURCE FILE: <path>" comments.  Timecodes are HH:MM:SS:FF at the film's rate
 * rounded to whole frames a second (29.97 counts as 30, non-drop); record time
 * starts at 01:00:00:00, as editing systems expect.  Reel names are the source
 * file's name in capitals, letters and digits only, at most 8 characters, made
 * unique with a number.  Record frames come from film_timeline_spans(); dialogue
 * must be measured.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include "film/timeline.h"

/* The record timecode of the film's first frame, in hours. */
#define FILM_EDL_START_HOURS 1

/* Writes the EDL of t at fps_num/fps_den to f. */
void film_edl_write(const film_timeline *t, int fps_num, int fps_den, FILE *f);

/* As film_edl_write, to path atomically.  Returns 0 or a negative code with the
 * error set. */
int film_edl_save(const film_timeline *t, int fps_num, int fps_den, const char *path);

/* "01:00:04:12" for frame count frames at base frames a second (24, 25, 30, ...). */
void film_edl_timecode(int64_t frames, int base, char out[12]);

/* The timecode base of a rate: the nearest whole number of frames a second. */
int film_edl_base(int fps_num, int fps_den);
