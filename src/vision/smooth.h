/*
 * smooth.h - landmarks steadied over time: a one-euro filter (Casiez, Roussel
 * and Vogel, "1 Euro Filter", CHI 2012) on each point of a face track.
 *
 *     vision_smooth *s = vision_smooth_new(68, NULL);        // default settings
 *     for each frame of the track:
 *         vision_smooth_push(s, t_seconds, eye_span_px, pts, steady);
 *     vision_smooth_free(s);
 *
 * Each point is low-pass filtered with a cutoff that rises with its speed: a
 * still face barely jitters (cutoff min_cutoff), a moving one is followed with
 * little lag (cutoff + beta * speed).  Speeds are in units of `scale` per second:
 * pass the face's size (the outer eye-corner distance in pixels) so that one
 * setting suits faces of every size, or 1 to work in pixels.  The filter keeps
 * the last output and speed of each point and nothing else.
 */
#pragma once

typedef struct vision_smooth_params {
	double min_cutoff;  /* Hz: the cutoff of a still point */
	double beta;        /* Hz per (scale per second): how fast the cutoff rises with speed */
	double d_cutoff;    /* Hz: the cutoff of the speed estimate itself */
} vision_smooth_params;

/* min_cutoff 1 Hz, beta 4, d_cutoff 1 Hz: tuned on faces at 25-30 fps with
 * landmark noise of about 2 % of the eye span (tests/vision/test_smooth.c). */
extern const vision_smooth_params vision_smooth_defaults;

typedef struct vision_smooth vision_smooth;

/* A filter for n_points (x, y) points; params NULL means the defaults.  NULL
 * with BJ_EINVAL when n_points < 1 or a parameter is not positive (beta may be
 * 0). */
vision_smooth *vision_smooth_new(int n_points, const vision_smooth_params *params);

/* Filters one frame: in and out are (n_points, 2), and may be the same array.
 * t is the frame's time in seconds; scale > 0 (see above).  The first frame,
 * and any frame whose time does not move forward, passes through unchanged and
 * restarts the filter from it. */
void vision_smooth_push(vision_smooth *s, double t, double scale, const float *in, float *out);

/* Forgets the past (e.g. after a cut): the next frame passes through. */
void vision_smooth_reset(vision_smooth *s);

/* Frees the filter; NULL-safe. */
void vision_smooth_free(vision_smooth *s);
