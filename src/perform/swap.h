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
 * Which face: the largest, unless the caller says where the wanted one is
 * (perform_swapper_target, e.g. from the library's tracks of one identity):
 * then the detected face that overlaps that box most (intersection over
 * union at least PERFORM_TARGET_IOU) and no other, and a frame where the
 * wanted face is not on screen passes through untouched.  A face already
 * followed is kept while the box stays near it (its centre within 0.8 of a
 * face, about the same size), as a box interpolated between samples trails
 * a head that moves fast between them.  Without a target, a face that
 * appears after a shot's first frame is swapped from its second frame on
 * (the first is left alone, reason "new face ..."): a false detection or a
 * face flickering in and out at the frame's edge is never swapped for one
 * frame.
 *
 * Per frame: find the face (vision/detect.h on the whole frame while no face
 * is followed; a followed face is only looked for near its last box, and
 * kept for two frames without a detection, so neither a missed detection nor
 * a false hit elsewhere moves the swap), fit the 68 landmarks from the box
 * the last frame's landmarks give while the detector agrees (a detector box
 * wobbles from frame to frame, and every wobble moves the landmarks), steady
 * them (perform/swap_steady.h, told how the picture moved under the brows,
 * eyes and nose since the last frame by vision/motion.h, so a head that moves
 * fast is followed without lag), pick the star photo whose head pose is
 * nearest (yaw, pitch) and whose expression is calmest (vision/expression.h:
 * each step from the median of the star's photos counts as 2 degrees, so a
 * shouting or frowning photo is used only when no calm one is near its
 * pose; a new photo only when it is 5 degrees nearer, so the choice does not
 * flicker; none, and the frame is skipped, when the nearest is more than 30
 * degrees away: a profile is not made from a frontal photo),
 * warp it piecewise-affinely onto the landmarks, move its Lab colour
 * statistics onto the footage face's (both smoothed over time), make it grey
 * if the footage is black and white, blur it to the footage's sharpness and
 * give it the footage's own grain (vision_add_footage_grain_on), then clone it
 * in, and blend what the swap changed with the last frame's change carried
 * along the face's motion (perform/swap_temporal.h).  A footage frame that repeats the last one (films converted to a higher
 * frame rate) repeats the swap's change instead of swapping anew.
 *
 * Scores over the frames since the last reset: flicker is the mean absolute
 * frame-to-frame change of the swapped frames inside the face mask over the
 * same for the original frames (1: the swap adds no flicker), between two
 * frames that were both swapped (a face coming or going is no flicker); seam is the
 * seam score of vision/face_mask.h on the swapped frames (about 1: no seam),
 * with the original frames' figure for comparison.
 */
#pragma once

#include <stdint.h>

#include "base/threads.h"
#include "media/image.h"
#include "vision/cascade.h"
#include "vision/detect.h"
#include "vision/facedesc.h"
#include "vision/shape_model.h"

typedef struct perform_swap_opts {
	double strength;   /* 0..1: how much of the star, 1 for all */
	uint64_t seed;     /* the grain's seed */
	int min_face;      /* faces narrower than this (pixels) are left alone */
} perform_swap_opts;

#define PERFORM_SWAP_DEFAULTS { 1.0, 1, 48 }

/* Why a frame was left alone. */
enum perform_swap_skip {
	PERFORM_SKIP_NONE = 0,
	PERFORM_SKIP_NO_FACE,   /* no face found (or it was lost) */
	PERFORM_SKIP_SMALL,     /* the face is narrower than min_face */
	PERFORM_SKIP_TURNED,    /* no star photo within 30 degrees of the head's pose */
	PERFORM_SKIP_OTHER,     /* degenerate landmarks, face outside the frame */
	PERFORM_SKIP_ABSENT,    /* the target says the wanted face is not on screen */
};

/* What happened to one frame. */
typedef struct perform_swap_report {
	int swapped;         /* 1 if a face was swapped */
	int star;            /* the star photo used, -1 if none */
	enum perform_swap_skip skip;
	char reason[96];     /* why not, when not swapped: "no face", "face 30 px < 48 px" */
} perform_swap_report;

typedef struct perform_swap_stats {
	long frames, swapped;
	long no_face, small, turned, absent;   /* frames skipped for each reason */
	double flicker;            /* swapped / original change inside the face; 0 if unmeasured */
	double seam, seam_original;
	/* identity margin: the face descriptor (vision/facedesc.h) distance from
	 * the swapped face to the star's photos minus that to the original face,
	 * averaged over every 5th swapped frame: below 0 the swap looks more like
	 * the star than like the actor; 0 when margin_frames is 0 */
	double margin;
	long margin_frames;
	/* detail inside the face mask (neighbouring pixels' differences),
	 * swapped / original: a face glued to a moving head changes from frame to
	 * frame about this much more than the footage's, so a flicker score up
	 * to this figure is the star's detail, not added motion; 0 if unmeasured */
	double texture;
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

/* perform_swapper_add_star in two steps, so that the first may run for many
 * photos at once (perform/swap_stars.h): the face perform_swapper_add_star
 * takes, found by det (x, y, w, h in box): 1, 0 for none, or a negative code;
 * then the star photo with its face at box added (0, or BJ_EINVAL naming
 * name as perform_swapper_add_star does). */
int perform_swap_star_face(vision_detector *det, const media_image *photo, float box[4]);
int perform_swapper_add_star_at(perform_swapper *s, const media_image *photo, const float box[4], const char *name);

/* perform_swapper_add_star_at in two steps in turn: what it works out from the
 * photo alone (landmarks, head pose, face descriptor), which changes nothing
 * in s and so may run for many photos at once on other threads; then the
 * photo added with it (in the photos' order, as perform_swapper_add_star_at
 * would add them: the same swapper).  fit returns 0, or BJ_EINVAL when the
 * landmarks are degenerate, leaving *f marked unusable; add returns what
 * perform_swapper_add_star_at would. */
typedef struct perform_star_fit {
	int usable;                          /* landmarks and pose found */
	int described;                       /* desc made (else its error code in code) */
	int code;
	float lm[136];                       /* the 68 landmarks */
	float yaw, pitch;                    /* head pose, degrees */
	float desc[VISION_FACEDESC_DIM];
} perform_star_fit;
int perform_swapper_fit_star(const perform_swapper *s, const media_image *photo, const float box[4],
                             perform_star_fit *f);
int perform_swapper_add_fitted(perform_swapper *s, const media_image *photo, const perform_star_fit *f,
                               const char *name);

/* The cascade and the pool the swapper was made with. */
const vision_cascade *perform_swapper_cascade(const perform_swapper *s);
bj_pool *perform_swapper_pool(const perform_swapper *s);

/* The number of star photos added. */
int perform_swapper_stars(const perform_swapper *s);

/* How a trained swap redraws a face: crop (RGB, size x size, aligned as
 * vision_align_crop cuts it) is replaced in place by the star's face, e.g. by
 * perform_swap_net_redraw with decoder B, and mask (size x size floats, all 1
 * when called) may be given where the redrawn crop is face (0..1; the
 * decoder's mask): the blend then takes the footage where it is not
 * (perform/swap_mask.h).  Returns 0 or a negative code with the error set. */
typedef int perform_swap_redraw_fn(void *ctx, media_image *crop, float *mask);

/* From now on the star's face is the footage face's own aligned crop of side
 * size redrawn by fn(ctx, crop), instead of the nearest star photo; no star
 * photo is needed then.  Everything after (warp onto the landmarks, colour,
 * grain, blur, seamless clone, scores) is the same, but for the mask: the
 * landmark mask times the redraw's own (feathered, steadied). */
void perform_swapper_set_redraw(perform_swapper *s, perform_swap_redraw_fn *fn, void *ctx, int size);

/* Swaps the largest (or the target's) face of frame (RGB) in place; t is the frame's time in
 * seconds.  A frame without a (large enough) face is left unchanged and the
 * report says why.  Returns 0, or a negative code with the error set (BJ_EINVAL
 * when no star photo was added). */
int perform_swapper_frame(perform_swapper *s, media_image *frame, double t, perform_swap_report *rep);

/* The least intersection over union of a detected face with the target box
 * for it to be the wanted face. */
#define PERFORM_TARGET_IOU 0.25

/* Says where the wanted face is in the next frame given to
 * perform_swapper_frame (box: x, y, width, height in its pixels; a width of 0
 * or less: not on screen).  Only for that frame: without a call, the largest
 * face is followed.  A followed face that no longer overlaps the target is let
 * go and the wanted one looked for in the whole frame. */
void perform_swapper_target(perform_swapper *s, const float box[4]);

/* Starts a new shot: forgets the face's past (smoothing, colour) and starts
 * the shot's scores afresh (the totals keep them). */
void perform_swapper_reset(perform_swapper *s);

/* The scores of the frames since the last reset (this shot). */
void perform_swapper_stats(const perform_swapper *s, perform_swap_stats *out);

/* The scores of every frame since the swapper was made (flicker and seam
 * pooled over the shots, not averaged per shot). */
void perform_swapper_totals(const perform_swapper *s, perform_swap_stats *out);

void perform_swapper_free(perform_swapper *s);
