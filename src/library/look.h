/*
 * look.h - what a shot looks like: brightness, contrast, colourfulness,
 * black-and-white, dominant colours, motion (camera and subject), and a day/night
 * and interior/exterior guess, from small RGB frames.
 *
 *     library_look *lk = library_look_new();
 *     library_frame_look f;
 *     for each frame (about 80x45 RGB, in order):
 *         library_look_frame(lk, &frame, &f);        // per-frame figures into f
 *     ... keep the f of a shot's frames ...
 *     library_look_shot(fs, n, fps, &shot);          // the shot's look fields
 *     library_look_free(lk);
 *
 * Per-frame figures are small fixed structs (no allocation per frame).  The
 * day/night and interior/exterior guesses are heuristics over the picture inside
 * any black bars (sky and texture in the top third, texture overall, light
 * falling off towards the top, darkness), measured against hand labels of 71
 * shots of ../shared/data/footage (tests/library/look_labels.txt): day/night
 * 78 % -> 90 %, interior/exterior 59 % -> 90 % (tuned on those same shots, so
 * expect less elsewhere).  They are labelled guesses in the library and the
 * help text.
 */
#pragma once

#include <stdint.h>

#include "library/library.h"
#include "media/image.h"

#define LIBRARY_LOOK_BINS 64   /* 4x4x4 RGB cells for dominant colours */

typedef struct library_frame_look {
	float brightness;      /* mean luma, 0..1 */
	float contrast;        /* luma deviation, 0..1 */
	float rg, yb;          /* means of R-G and (R+G)/2-B, on 0..255 */
	float rg2, yb2;        /* means of their squares */
	float motion;          /* mean |difference| to the previous frame after the
	                          best global shift and brightness match, 0..1 */
	float shift;           /* that shift, in frame widths */
	/* the scene, inside any black bars: */
	float scene_brightness;/* mean luma */
	float dark;            /* fraction of pixels with luma < 0.2 */
	float top_minus_bottom;/* mean luma of the top third minus the bottom third */
	float sky;             /* fraction of top-third pixels bright (> 0.5) and smooth */
	float blue_sky;        /* fraction of top-third pixels bright and blue */
	float texture;         /* mean |luma difference| to the right and lower neighbours */
	float top_texture;     /* the same in the top third */
	uint16_t bins[LIBRARY_LOOK_BINS];  /* pixel counts per colour cell (subsampled 1/4) */
	float bin_rgb[LIBRARY_LOOK_BINS][3]; /* mean colour of each cell */
} library_frame_look;

typedef struct library_look library_look;

library_look *library_look_new(void);

/* Measures img (RGB, at least 16x16) into out; motion is against the previous
 * frame given (0 for the first, or after a size change). */
void library_look_frame(library_look *lk, const media_image *img, library_frame_look *out);

/* Forgets the previous frame (at a shot boundary motion starts afresh). */
void library_look_reset(library_look *lk);

void library_look_free(library_look *lk);

/* Fills shot's brightness, contrast, colourfulness, bw, colours, motion,
 * camera_motion, daynight and place from the n (>= 1) frames of one shot. */
void library_look_shot(const library_frame_look *frames, int n, double fps, library_shot *shot);
