/*
 * faceid.h - who is who among many faces: a projection of face descriptors
 * (vision/facedesc.h) learned from the faces at hand, and grouping them.
 *
 *     float *x = bj_xmalloc(n * k * sizeof *x);
 *     k = vision_faceid_project(desc, n, VISION_FACEDESC_DIM, track_of, k, x);
 *     int groups = vision_faceid_cluster(x, n, k, 0.9, apart, labels);
 *
 * Nothing here is trained beforehand: the projection is fitted on the very
 * faces it is asked about (transductive), so no model made from anyone's
 * photos ships.  It is principal components of the centred descriptors,
 * whitened (each component scaled to unit variance, regularised so that the
 * weakest, mostly noise, are not blown up); then, when the faces come in known
 * groups of one person each (the faces of one track), the within-group
 * covariance is whitened too (within-class covariance normalisation, a cousin
 * of linear discriminant analysis), so the directions in which one person's
 * faces vary (expression, light, pose) count less.  Vectors are scaled to
 * length 1 and compared by cosine distance (1 - cos, 0..2).
 *
 * Measured on 673 photos of two people (tests/vision/test_facedesc.c has the
 * figures): whitening 64 components barely changes the nearest neighbour
 * (99.4 % against 98.8 % on the descriptors as they are) but spreads one
 * person's photos apart as much as two people's; clustering works on the
 * descriptors themselves better, and library/identities.c clusters tracks
 * (means of several faces) without it.  vision_faceid_cluster takes any
 * vectors.
 */
#pragma once

/* Projects n descriptors of dim floats each (desc, row-major) to at most k
 * dimensions, written to out (n x k, rows of length 1; the result's size is
 * the returned k', n x k' of out is written, the rest of each row of k is 0).
 * group (NULL or n ints) names each face's group (e.g. its track; negative:
 * none): groups of two or more faces are used for within-group whitening.
 * Returns k' >= 1, or BJ_ENOMEM, BJ_EINVAL (n < 2 or k < 1). */
int vision_faceid_project(const float *desc, int n, int dim, const int *group, int k, float *out);

/* The cosine distance between two vectors of dim floats. */
double vision_faceid_distance(const float *a, const float *b, int dim);

/* Groups n vectors (x, n x dim) by average-linkage agglomerative clustering
 * on cosine distance: the two groups whose mean pairwise distance is the
 * smallest merge, until none is below threshold.  apart (NULL or n x n bytes)
 * marks pairs that must never end in one group (two faces seen at once).
 * labels[i] is i's group, numbered 0.. in order of each group's first member.
 * O(n^3) time, n^2 doubles: for hundreds of tracks, not millions of faces.
 * Returns the number of groups, or BJ_ENOMEM. */
int vision_faceid_cluster(const float *x, int n, int dim, double threshold, const unsigned char *apart,
                          int *labels);
