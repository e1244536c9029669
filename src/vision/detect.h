/*
 * detect.h - find objects (faces) with a cascade (cascade.h) over a scale
 * pyramid, giving the boxes OpenCV 4.6's CascadeClassifier::detectMultiScale
 * gives for the same grey image and settings.
 *
 *     vision_detector *d = vision_detector_new(cascade, pool);   // pool: NULL or bj_pool
 *     vision_detect_params p = VISION_DETECT_DEFAULTS;
 *     p.min_neighbors = 5;
 *     const vision_box *faces;
 *     size_t n;
 *     if (vision_detect(d, img, &p, &faces, &n) < 0)     // img: grey or RGB
 *         return bj_error_code();
 *     ...                                               // faces valid until the next call
 *     vision_detector_free(d);
 *
 * How (OpenCV's procedure; the numbers must match it, not just the idea):
 *  - an RGB image becomes grey with OpenCV's 15-bit fixed-point BT.601 weights;
 *  - scales 1, f, f^2, ... (f = scale_factor, kept as float) while the window
 *    (width and height times the scale, rounded) fits the image and max_size,
 *    skipping those below min_size;
 *  - each level is the image resized to (round(W / s), round(H / s)) by
 *    OpenCV's bit-exact bilinear resize (integral.h), with integral images
 *    of the values, their squares
 *    (mod 2^32) and, for cascades with tilted features, 45-degree sums;
 *  - windows step 2 pixels on levels with s < 2 and 1 pixel above, and the
 *    next window along a row is skipped when one fails the first stage;
 *  - Haar feature values are normalised by the window's standard deviation
 *    (over the window less a 1-pixel border), and windows with almost none
 *    (deviation x area below 10 x area) are rejected;
 *  - hits (x * s, y * s, window * s, all rounded) are grouped by
 *    vision_group_boxes (eps 0.2) and clipped to the image.
 * Windows are evaluated four at a time (SSE2), LBP stumps eight at a time on
 * CPUs with AVX2, in the same float/double operations as one at a time, so the
 * hits are the same bit for bit.
 * Levels are built and scanned on the pool's threads; results do not depend
 * on the thread count.
 */
#pragma once

#include <stddef.h>

#include "base/threads.h"
#include "media/image.h"
#include "vision/cascade.h"
#include "vision/group.h"

typedef struct vision_detect_params {
	double scale_factor;       /* > 1 */
	int min_neighbors;         /* >= 0; 0 returns the raw hits */
	int min_width, min_height; /* smallest object, 0 for none */
	int max_width, max_height; /* largest object, 0 for the image size */
} vision_detect_params;

#define VISION_DETECT_DEFAULTS { 1.1, 3, 0, 0, 0, 0 }

typedef struct vision_detector vision_detector;

/* A detector for cascade c (which must outlive it), running on pool (NULL: the
 * calling thread only; the pool must outlive the detector too).  It keeps its
 * buffers between calls, so reuse it for every frame. */
vision_detector *vision_detector_new(const vision_cascade *c, bj_pool *pool);

/* Detects in img (grey or RGB, any size).  *boxes (owned by d, valid until the
 * next call) gets *n boxes.  Returns 0, or BJ_EINVAL with the error set for
 * settings out of range, BJ_ENOMEM for an image too large to scan. */
int vision_detect(vision_detector *d, const media_image *img, const vision_detect_params *p,
                  const vision_box **boxes, size_t *n);

void vision_detector_free(vision_detector *d);

/* Grey as OpenCV's cvtColor(COLOR_RGB2GRAY): (9798 R + 19235 G + 3735 B +
 * 2^14) >> 15.  A new image (grey input is copied), or NULL with the error set. */
media_image *vision_grey(const media_image *img);
