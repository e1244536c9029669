/*
 * track.h - faces followed through the sampled frames of a shot: detections
 * linked into tracks, short gaps filled, one-frame false positives dropped,
 * landmarks steadied.
 *
 *     vision_tracker *t = vision_tracker_new(68, NULL);    // default settings
 *     for each sampled frame (a shot change: vision_tracker_cut(t)):
 *         vision_tracker_add(t, time, n, boxes, points);   // boxes x y w h
 *     size_t n_tracks;
 *     const vision_track *tr;
 *     vision_tracker_finish(t, &tr, &n_tracks);
 *     vision_tracker_free(t);                               // frees the tracks too
 *
 * A detection lying mostly (80 %) inside a larger one of the same frame is
 * ignored: the cascade fires on parts of faces too.
 *
 * Linking: a detection joins the open track whose last box overlaps it most
 * (intersection over union at least min_iou) provided the landmarks moved by
 * less than max_shift box widths on average since (landmark continuity: a
 * neighbour's face that overlaps is not taken for this one).  Detections are
 * linked greedily, best overlap first, one per track per frame.  A track that
 * misses at most max_gap frames and is found again gets the missed frames
 * filled by linear interpolation of box and landmarks; one that stays missing
 * longer is closed.  When the tracker finishes, tracks with fewer than
 * min_detections real detections are dropped and each remaining track's
 * landmarks are smoothed with the one-euro filter (vision/smooth.h, scaled by
 * the outer eye-corner distance when there are 68 points, else the box width).
 */
#pragma once

#include <stddef.h>

#include "vision/smooth.h"

typedef struct vision_track_params {
	double min_iou;         /* 0.3 */
	double max_shift;       /* 0.5: mean landmark move, in box widths */
	int max_gap;            /* 2 frames */
	int min_detections;     /* 2 */
	vision_smooth_params smooth;
} vision_track_params;

extern const vision_track_params vision_track_defaults;

/* One face over consecutive sampled frames: entry i is frame first_frame + i
 * of those given to the tracker. */
typedef struct vision_track {
	int n;                  /* entries */
	int first_frame;
	double *time;           /* n seconds */
	float *boxes;           /* n x 4: x y w h */
	float *points;          /* n x 2 parts, smoothed (NULL without landmarks) */
	float *raw;             /* n x 2 parts, as given (interpolated in gaps) */
	unsigned char *detected;/* n: 1 a detection, 0 filled in */
	int n_detected;
} vision_track;

typedef struct vision_tracker vision_tracker;

/* A tracker of faces with parts landmarks each (0: boxes only); params NULL
 * means the defaults.  NULL with BJ_EINVAL for parts < 0 or bad params. */
vision_tracker *vision_tracker_new(int parts, const vision_track_params *params);

/* Adds the next sampled frame: n detections, boxes (n, 4) as x y w h and
 * points (n, 2 parts; NULL when parts is 0).  Times must rise.  Returns 0, or
 * BJ_EINVAL for a time that does not rise or an empty box. */
int vision_tracker_add(vision_tracker *t, double time, int n, const float *boxes, const float *points);

/* A shot change: no track continues across it. */
void vision_tracker_cut(vision_tracker *t);

/* Closes every track, drops the short ones, smooths the rest, and gives them
 * in order of their first frame (then of detection order); they live as long
 * as the tracker.  Later adds are refused.  Returns 0, or the error of the
 * one-euro filter (BJ_EINVAL for bad smoothing settings). */
int vision_tracker_finish(vision_tracker *t, const vision_track **tracks, size_t *n_tracks);

/* Frees the tracker and its tracks; NULL-safe. */
void vision_tracker_free(vision_tracker *t);
