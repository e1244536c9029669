/*
 * swap.h - the one-shot face swap: a star's face from a few photos put onto
 * the largest face of every frame, warped to its landmarks, matched in colour,
 * grain and blur, and blended with seamless (Poisson) cloning.
 *
 *     perform_swapper *s = perform_swapper_new(cascade, shape_model, NULL, &opts);
 *     for each star photo:
 *         perform_swapper_add_star(s, photo, name);   // skipped with a reason if faceless
 *     for each frame of a shot:
 *         perform_swapper_frame(s, frame, t, &report); // frame changed in place
 *     perform_swapper_stats(s, &stats);                // flicker and seam scores
 *     perform_swapper_free(s);
 *
 * Per frame: detect faces (vision/detect.h; if none, the last face's box for a
 * few frames, so one missed detection does not drop the face; a followed face
 * is looked for near its last box first), fit the 68
 * landmarks and steady them with the one-euro filter, pick the star photo whose
 * head pose is nearest (yaw, pitch; a new photo only when it is 5 degrees
 * nearer, so the choice does not flicker), warp it piecewise-affinely onto the
 * landmarks, move its Lab colour statistics onto the footage face's (both
 * smoothed over time), make it grey if the footage is black and white, blur it
 * to the footage's sharpness and add the footage's grain, then clone it in.
 *
 * Scores over the frames since the last reset: flicker is the mean absolute
 * frame-to-frame change of the swapped frames inside the face mask over the
 * same for the original frames (1: the swap adds no flicker); seam is the
 * seam score of vision/face_mask.h on the swapped frames (about 1: no seam),
 * with the original frames' figure for comparison.
 */
#pragma once

#include <stdint.h>

#include "base/threads.h"
#include "media/image.h"
#include "vision/cascade.h"
#include "vision/shape_model.h"

typedef struct perform_swap_opts {
	double strength;   /* 0..1: how much of the star, 1 for all */
	uint64_t seed;     /* the grain's seed */
	int min_face;      /* faces narrower than this (pixels) are left alone */
} perform_swap_opts;

#define PERFORM_SWAP_DEFAULTS { 1.0, 1, 48 }

/* What happened to one frame. */
typedef struct perform_swap_report {
	int swapped;         /* 1 if a face was swapped */
	int star;            /* the star photo used, -1 if none */
	char reason[96];     /* why not, when not swapped: "no face", "face 30 px < 48 px" */
} perform_swap_report;

typedef struct perform_swap_stats {
	long frames, swapped;
	double flicker;            /* swapped / original change inside the face; 0 if unmeasured */
	double seam, seam_original;
} perform_swap_stats;

typedef struct perform_swapper perform_swapper;

/* A swapper using cascade c and landmark model m (both must outlive it) on
 * pool (NULL: the calling thread).  NULL with BJ_EINVAL for options out of
 * range (strength outside 0..1, min_face below 16). */
perform_swapper *perform_swapper_new(const vision_cascade *c, const vision_shape_model *m, bj_pool *pool,
                                     const perform_swap_opts *o);

/* Adds a star photo (RGB): its largest face is found and fitted.  Returns 0,
 * or BJ_EINVAL with the error naming `name` when it has no usable face. */
int perform_swapper_add_star(perform_swapper *s, const media_image *photo, const char *name);

/* The number of star photos added. */
int perform_swapper_stars(const perform_swapper *s);

/* How a trained swap redraws a face: crop (RGB, size x size, aligned as
 * vision_align_crop cuts it) is replaced in place by the star's face, e.g. by
 * perform_swap_net_redraw with decoder B.  Returns 0 or a negative code with
 * the error set. */
typedef int perform_swap_redraw_fn(void *ctx, media_image *crop);

/* From now on the star's face is the footage face's own aligned crop of side
 * size redrawn by fn(ctx, crop), instead of the nearest star photo; no star
 * photo is needed then.  Everything after (warp onto the landmarks, colour,
 * grain, blur, seamless clone, scores) is the same. */
void perform_swapper_set_redraw(perform_swapper *s, perform_swap_redraw_fn *fn, void *ctx, int size);

/* Swaps the largest face of frame (RGB) in place; t is the frame's time in
 * seconds.  A frame without a (large enough) face is left unchanged and the
 * report says why.  Returns 0, or a negative code with the error set (BJ_EINVAL
 * when no star photo was added). */
int perform_swapper_frame(perform_swapper *s, media_image *frame, double t, perform_swap_report *rep);

/* Starts a new shot: forgets the face's past (smoothing, colour) and the scores. */
void perform_swapper_reset(perform_swapper *s);

void perform_swapper_stats(const perform_swapper *s, perform_swap_stats *out);

void perform_swapper_free(perform_swapper *s);
