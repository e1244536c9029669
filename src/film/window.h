/*
 * window.h - where to cut into and out of a shot: of the windows of the
 * length wanted inside the shot's usable span, the one whose ends fall on the
 * stillest frames, off blinks, and where the face is on screen (for a line)
 * or off it (for a description).
 *
 *     film_window_ask a = { .from = 12.1, .to = 19.4, .len = 3.2,
 *                           .start = shot->start, .start_frame = shot->start_frame,
 *                           .fps = 25, .motion = m, .n_motion = k };
 *     film_window w;
 *     film_window_choose(&a, &w);        // w.in, w.out; w.in_motion ...
 *
 * The cost of a window is the motion at its two cuts (the mean of the frame
 * differences of FILM_CUT_FRAMES frames each side, in units of the library's
 * motion threshold), a blink penalty for each cut within FILM_BLINK_SECONDS of
 * a sample with closed eyes, a face penalty for the part of the window without
 * the wanted face (with faces to avoid: the part with them), a repeat penalty
 * for the part already shown (a shot cut in again once the library is
 * exhausted shows other frames where it has them), and a small pull towards the middle of the span so that a
 * shot without motion stored, or all still, is cut centred as before.  In-points
 * are tried frame by frame; the first of equal costs wins.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Frames each side of a cut whose motion counts. */
#define FILM_CUT_FRAMES 2
/* A cut this close to a closed-eye sample may land in the blink, seconds. */
#define FILM_BLINK_SECONDS 0.2

typedef struct film_window_ask {
	double from, to;          /* the usable span, seconds of the film */
	double len;               /* the length wanted; at most to - from */
	double start;             /* the time motion[0]'s frame starts */
	double fps;               /* frames a second of the shot */
	const float *motion;      /* (n_motion) per frame from start; NULL: unknown */
	size_t n_motion;
	const double *blinks;     /* (n_blinks) times of closed-eye samples, sorted */
	size_t n_blinks;
	const double *faces;      /* (n_faces) times of samples showing the face wanted,
	                             sorted; NULL: the window's faces do not matter */
	size_t n_faces;
	int avoid_faces;          /* faces are to be kept out of the window, not in */
	const double *shown;      /* (n_shown, 2) spans of the shot already in the film */
	size_t n_shown;
} film_window_ask;

typedef struct film_window {
	double in, out;
	double cost;
	int has_motion;                 /* the shot's motion frame by frame was known */
	double in_motion, out_motion;   /* motion at the cuts, as library_shot.motion (0 without) */
	int blinks;                     /* cuts within FILM_BLINK_SECONDS of a blink (0..2) */
	double face;                    /* fraction of the window with the faces (1 if not asked) */
	double repeat;                  /* fraction of the window already shown */
	/* the same figures for the centred window, what the choice improved on */
	double centred_in, centred_cost, centred_in_motion, centred_out_motion;
	int centred_blinks;
	double centred_face, centred_repeat;
} film_window;

void film_window_choose(const film_window_ask *a, film_window *w);
