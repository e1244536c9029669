/*
 * facedesc.h - who a face is, roughly: a descriptor of an aligned face made of
 * local binary pattern histograms (Ahonen, Hadid and Pietikainen 2004), and
 * the distance between two.
 *
 *     float d[VISION_FACEDESC_DIM];
 *     vision_facedesc(img, landmarks68, d);     // img grey or RGB
 *     double dist = vision_facedesc_distance(d, e);   // 0 same .. 2 unrelated
 *
 * The face is cropped with vision_align_crop to 64 x 64 grey; each interior
 * pixel gets its 8-neighbour pattern, counted in 59 bins (the 58 uniform
 * patterns and one for the rest) per cell of an 8 x 8 grid.  Each cell's
 * histogram is normalised to sum 1 and square-rooted, and the whole vector
 * scaled to length 1, so that the Euclidean distance is the Hellinger distance
 * of the cells (0..2).  Descriptors of one person's faces may be averaged (then
 * renormalised with vision_facedesc_normalise).
 */
#pragma once

#include "media/image.h"

#define VISION_FACEDESC_CROP 64
#define VISION_FACEDESC_GRID 8
#define VISION_FACEDESC_BINS 59
#define VISION_FACEDESC_DIM (VISION_FACEDESC_GRID * VISION_FACEDESC_GRID * VISION_FACEDESC_BINS)

/* Describes the face with these 68 landmarks in img.  Returns 0, or the error
 * of vision_align_crop (BJ_EINVAL for degenerate landmarks, BJ_ENOMEM). */
int vision_facedesc(const media_image *img, const float *landmarks, float *desc);

/* Scales desc to length 1 (an all-zero vector is left as it is). */
void vision_facedesc_normalise(float *desc);

/* The Euclidean distance between two descriptors. */
double vision_facedesc_distance(const float *a, const float *b);

/* Groups n descriptors (n x VISION_FACEDESC_DIM) by average-linkage
 * agglomerative clustering: the two groups whose mean pairwise distance is
 * smallest merge, until none is below threshold.  labels[i] is i's group,
 * numbered 0.. in order of each group's first member.  O(n^3) time and n^2
 * doubles of memory: for hundreds of tracks, not millions of faces.  Returns
 * the number of groups, or BJ_ENOMEM. */
int vision_facedesc_cluster(const float *desc, int n, double threshold, int *labels);
