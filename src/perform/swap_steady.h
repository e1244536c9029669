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
 */
#pragma once

typedef struct perform_steady perform_steady;

/* A new steadier; free with perform_steady_free. */
perform_steady *perform_steady_new(void);

/* Steadies the 68 landmarks in (136 floats, pixels) of the frame at time t
 * (seconds, rising) into out (may be in).  Degenerate landmarks and the first
 * frame pass through unchanged. */
void perform_steady_push(perform_steady *s, double t, const float *in, float *out);

/* Forgets the past: the next frame passes through. */
void perform_steady_reset(perform_steady *s);

void perform_steady_free(perform_steady *s);
