/*
 * swap_steady.h - a footage face's landmarks steadied for pasting: the head's
 * motion (a similarity: position, size, turn in the picture) and its shape
 * (the landmarks in the aligned frame of vision/align.h) are smoothed apart.
 *
 *     perform_steady *s = perform_steady_new();
 *     for each frame of the face:
 *         perform_steady_push(s, t_seconds, raw68, steady68);
 *     perform_steady_reset(s);        // the face was lost or the shot changed
 *     perform_steady_free(s);
 *
 * Why: the landmark fitter's noise is a few per cent of the eye span per frame
 * and, smoothed point by point, a filter fast enough to follow a turning head
 * lets it through, and every tremor of the points shimmers the whole pasted
 * face.  The similarity is fitted on 51 points, so its noise is far smaller and
 * it can follow the head closely; the shape changes slowly except at the mouth,
 * so it is smoothed hard, the mouth and chin (4-12, 48-67) less so that the
 * lips keep time with the footage's.  Each part is a one-euro filter (vision/smooth.h).
 *
 * A filter slow enough to hold a still head lags a moving one and then creeps
 * after it has stopped: on videoretalking_face_1 the face trailed the head by
 * up to 8 pixels (a tenth of the eye span) on a quick nod and was still
 * gliding on five frames where the footage stood still.  So when the caller
 * knows how the picture moved under the face (perform_steady_push_moved, from
 * vision/motion.h), a motion of more than GLUE_PX (1 pixel at the face's
 * corners in a frame) is followed exactly, and the filters smooth only what
 * is left: the head as seen from the picture's summed fast motion.
 */
#pragma once

#include "vision/align.h"

typedef struct perform_steady perform_steady;

/* A new steadier; free with perform_steady_free. */
perform_steady *perform_steady_new(void);

/* Steadies the 68 landmarks in (136 floats, pixels) of the frame at time t
 * (seconds, rising) into out (may be in).  Degenerate landmarks and the first
 * frame pass through unchanged. */
void perform_steady_push(perform_steady *s, double t, const float *in, float *out);

/* The same knowing how the picture moved under the face since the last frame
 * pushed (moved: that frame's picture coordinates to this one's, e.g.
 * vision_region_motion on the face; NULL: not known): a fast motion is
 * followed at once, without the filters' lag. */
void perform_steady_push_moved(perform_steady *s, double t, const float *in, const vision_similarity *moved,
                               float *out);

/* Forgets the past: the next frame passes through. */
void perform_steady_reset(perform_steady *s);

void perform_steady_free(perform_steady *s);
