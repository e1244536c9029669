/*
 * facedesc.h - who a face is: a descriptor of an aligned face made of local
 * binary pattern histograms (Ahonen, Hadid and Pietikainen 2004) taken around
 * its landmarks at several scales (the "high-dimensional LBP" of Chen, Cao,
 * Wen and Sun 2013, smaller), and the distance between two.
 *
 *     float d[VISION_FACEDESC_DIM];
 *     vision_facedesc(img, landmarks68, d);     // img grey or RGB
 *     double dist = vision_facedesc_distance(d, e);   // 0 same .. 2 unrelated
 *
 * The face is cropped with vision_align_crop to 64 x 64 grey and shrunk to 45,
 * 32 and 23 pixels.  At each scale, around each of 20 landmarks (brows, eye
 * corners, nose, mouth, chin: the face's own points, not a fixed grid, so a
 * patch covers the same part of every face) a 3 x 3 grid of 4-pixel cells
 * each gets its histogram of 8-neighbour patterns in 59 bins (the 58 uniform
 * patterns and one for the rest), normalised to sum 1 and square-rooted; the
 * whole vector is scaled to length 1, so that the Euclidean distance is the
 * Hellinger distance of the cells (0..2).  The smaller scales see a larger
 * part of the face with coarser patterns.  Descriptors of one person's faces
 * may be averaged (then renormalised with vision_facedesc_normalise); to tell
 * many people apart, project them first (vision/faceid.h).
 *
 * On 673 photos of two people (../shared/data/faces, tests/vision/test_facedesc.c)
 * the nearest neighbour is the same person for 99.1 % (the former 8 x 8 grid of
 * one 64-pixel scale: 88.3 %).
 */
#pragma once

#include <stdint.h>

#include "media/image.h"

#define VISION_FACEDESC_CROP 64
#ifndef VISION_FACEDESC_SCALES
#define VISION_FACEDESC_SCALES 4
#define VISION_FACEDESC_SIZES { 64, 45, 32, 23 }
#endif
#ifndef VISION_FACEDESC_CELLS
#define VISION_FACEDESC_CELLS 3
#endif
#ifndef VISION_FACEDESC_CELL_PX
#define VISION_FACEDESC_CELL_PX 4
#endif
#define VISION_FACEDESC_POINTS 20
#define VISION_FACEDESC_BINS 59
#define VISION_FACEDESC_DIM (VISION_FACEDESC_SCALES * VISION_FACEDESC_POINTS * VISION_FACEDESC_CELLS * \
                             VISION_FACEDESC_CELLS * VISION_FACEDESC_BINS)

/* Describes the face with these 68 landmarks in img.  Returns 0, or the error
 * of vision_align_crop (BJ_EINVAL for degenerate landmarks, BJ_ENOMEM). */
int vision_facedesc(const media_image *img, const float *landmarks, float *desc);

/* The same from an aligned grey crop already made (VISION_FACEDESC_CROP
 * square, vision_facedesc_grey) and the 68 landmarks in its coordinates: for
 * callers that keep crops and describe them later. */
void vision_facedesc_crop(const uint8_t *grey, const float *points_in_crop, float *desc);

/* The grey pixels (VISION_FACEDESC_CROP squared, row by row) of a crop of
 * that size from vision_align_crop (grey or RGB). */
void vision_facedesc_grey(const media_image *crop, uint8_t *grey);

/* Scales desc to length 1 (an all-zero vector is left as it is). */
void vision_facedesc_normalise(float *desc);

/* The Euclidean distance between two descriptors. */
double vision_facedesc_distance(const float *a, const float *b);
