/*
 * shots.h - shot boundaries in a stream of small frames: hard cuts and gradual
 * transitions (dissolves, fades through black, wipes, irises).
 *
 *     vision_shots *s = vision_shots_new(25.0);          // the film's frame rate
 *     while (read a frame, scaled to 80x45 .. 160x90 RGB)
 *         vision_shots_push(s, &frame->image);          // frames in order, from 0
 *     vision_shots_finish(s);
 *     size_t n;
 *     const vision_transition *t = vision_shots_transitions(s, &n);
 *     ...                                               // t[i].start, t[i].end
 *     vision_shots_free(s);
 *
 * Each frame is reduced to a descriptor made brightness- and contrast-free
 * (luma normalised to zero mean and unit deviation, so flicker in old film does
 * not count): a histogram of normalised luma and one of chroma, a grid of
 * normalised block means compared under small shifts (camera motion), and
 * gradient-orientation histograms per cell (structure).  A cut is a spike of the
 * frame-to-frame distance above an adaptive threshold (median and spread of the
 * distances around it), that is not a flash (the picture after it must not
 * return to the one before).  A gradual transition is found over a window of
 * about 0.6 s each side: the frames w apart across it differ a lot while each
 * side is stable.  Decisions lag the input by about 1.5 s of frames; the detector
 * keeps only that many descriptors, so memory does not grow with the film.
 * Frames of any size work; the thresholds were tuned at about 160x90, and 80x45
 * frames (what indexing uses) score the same on ../shared/data/eval/shots.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "media/image.h"

enum vision_transition_type {
	VISION_CUT = 0,
	VISION_GRADUAL = 1,
};

typedef struct vision_transition {
	enum vision_transition_type type;
	int64_t start;  /* first frame that no longer belongs to the old shot */
	int64_t end;    /* first frame of the new shot; == start for a cut */
	float score;    /* the distance that decided it, 0..1 */
} vision_transition;

typedef struct vision_shots vision_shots;

/* A new detector for frames at fps frames per second (it sets the windows; any
 * value in 1..240, others are clamped).  Free with vision_shots_free(). */
vision_shots *vision_shots_new(double fps);

/* Adds the next frame (RGB or grey, at least 16x16; its index is the count of
 * frames pushed before).  Returns 0, or BJ_EINVAL with the error set when the
 * frame is too small or its size differs from the first frame's. */
int vision_shots_push(vision_shots *s, const media_image *frame);

/* Decides the last frames' transitions; call once after the last push. */
void vision_shots_finish(vision_shots *s);

/* The transitions decided so far, in order of start; owned by s, valid until the
 * next push or finish. */
const vision_transition *vision_shots_transitions(const vision_shots *s, size_t *n);

/* Transitions that end (end + 2) before this frame are final: later pushes
 * neither change nor remove them, nor add one before them.  All are final after
 * vision_shots_finish().  For callers that summarise shots as they go. */
int64_t vision_shots_settled(const vision_shots *s);

/* Frames pushed so far. */
int64_t vision_shots_frames(const vision_shots *s);

/* The distance between frame i and frame i-1 (0..1), for frames still held
 * (the last ~1.5 s); -1 otherwise.  For tuning and tests. */
float vision_shots_distance(const vision_shots *s, int64_t i);

void vision_shots_free(vision_shots *s);

/* Precision, recall and F1 of one kind of transition. */
typedef struct vision_shots_score {
	int truth, detected, matched;
	double precision, recall, f1;  /* 1 when there is nothing to find or find wrongly */
} vision_shots_score;

/* Scores det (n_det) against truth (n_truth), separately for cuts and gradual
 * transitions: a cut matches a true cut whose new-shot frame is within tol
 * frames; a gradual transition matches a true one when their frame ranges
 * [start, end - 1], each widened by tol, overlap.  Each true transition matches
 * at most one detected, greedily in order. */
void vision_shots_evaluate(const vision_transition *det, size_t n_det,
                           const vision_transition *truth, size_t n_truth, int tol,
                           vision_shots_score *cuts, vision_shots_score *gradual);
