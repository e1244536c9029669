/*
 * swap_augment.h - training batches for a swap autoencoder from a crop set:
 * each face moved at random (similarity, flip, colour), and the network's
 * input further bent by a smooth random warp while its target is not, so the
 * network learns to turn a distorted face into a clean one - which is what
 * lets one identity's decoder redraw another's face (the recipe of
 * DeepFaceLab and faceswap-GAN).
 *
 *     perform_augmenter *a = perform_augmenter_new(set, &opts, pool);  // pool may be NULL
 *     perform_batch b;
 *     perform_batch_init(&b, 16, set->size);
 *     bj_rng rng;
 *     bj_rng_init(&rng, seed);
 *     for each step:
 *         perform_augment_batch(a, &rng, &b);   // b.input, b.target, b.mask, b.weight
 *     perform_batch_release(&b);
 *     perform_augmenter_free(a);
 *
 * Per face: a rotation within +-rotate degrees, a scale within 1 +- scale and a
 * shift within +-shift of the side, about the crop's centre, and a horizontal
 * flip with probability flip; brightness (+-, added), contrast (1 +-, about
 * mid-grey) and saturation (1 +-, about each pixel's luma) within their
 * bounds.  Target, mask and weight see the same move.  The warp displaces each
 * of a grid x grid lattice of control points spread over the crop by a normal
 * of sigma warp_sigma sides per axis and interpolates the displacements to
 * every pixel with a cubic (Catmull-Rom) spline, a smooth field; the input is
 * the target sampled through it.  Bilinear sampling, edges repeated.
 *
 * Batches are NCHW float32 in [0, 1], what src/nn's layers take.  The mask
 * target is the face's hull (vision/face_mask.h) with the mouth filled in (the
 * one-shot swap keeps the footage's mouth; a trained decoder redraws it too),
 * and the weight map 1 with
 * feature_weight over the eyes and the mouth (a loss weighted there learns
 * them first, as the eyes and mouth carry the identity and the speech).
 * Masks and weights are drawn once per crop when the augmenter is made.
 * The same rng state gives the same batch, bit for bit, on any number of
 * threads: each face draws from its own fork of one draw (bj_rng_fork).
 */
#pragma once

#include <stdint.h>

#include "base/rng.h"
#include "base/threads.h"
#include "perform/swap_crops.h"

typedef struct perform_augment_opts {
	float rotate;          /* degrees, 0..45 */
	float scale;           /* fraction, 0..0.5 */
	float shift;           /* fraction of the side, 0..0.5 */
	float flip;            /* probability, 0..1 */
	float brightness;      /* added, 0..0.5 */
	float contrast;        /* fraction, 0..0.5 */
	float saturation;      /* fraction, 0..1 */
	int grid;              /* control points per side, 2..16 */
	float warp_sigma;      /* fraction of the side, 0..0.2; 0 turns the warp off */
	float feature_weight;  /* weight of eyes and mouth, 1..100 */
} perform_augment_opts;

#define PERFORM_AUGMENT_DEFAULTS { 10.0f, 0.05f, 0.05f, 0.5f, 0.04f, 0.08f, 0.1f, 5, 0.02f, 3.0f }

/* One batch; the buffers belong to it. */
typedef struct perform_batch {
	int n, size;        /* faces, side S */
	float *input;       /* (n, 3, S, S) warped face */
	float *target;      /* (n, 3, S, S) the same face unwarped */
	float *mask;        /* (n, 1, S, S) 1 inside the face's hull, feathered */
	float *weight;      /* (n, 1, S, S) per-pixel loss weight, >= 1 */
	int32_t *index;     /* (n) the crop each face came from */
} perform_batch;

typedef struct perform_augmenter perform_augmenter;

/* An augmenter for set (borrowed, must outlive it) whose batches are spread
 * over pool's threads (NULL: the caller's; the pool must outlive it too).
 * NULL with BJ_EINVAL for options out of range or an empty set. */
perform_augmenter *perform_augmenter_new(const perform_crops *set, const perform_augment_opts *o, bj_pool *pool);

void perform_augmenter_free(perform_augmenter *a);

/* Allocates b for n faces of side size (n >= 1, size 16..512: BJ_ASSERT). */
void perform_batch_init(perform_batch *b, int n, int size);

/* Frees b's buffers; a zeroed b is fine. */
void perform_batch_release(perform_batch *b);

/* Fills b (whose size must be the set's) with b->n faces drawn uniformly from
 * the set: one draw from rng seeds the faces' streams, then one draw per face
 * picks its crop. */
void perform_augment_batch(perform_augmenter *a, bj_rng *rng, perform_batch *b);

/* One face on the caller's thread: crop `crop` moved and warped with
 * randomness from rng, written to slot k of b (b->index[k] = crop).  Not while
 * a batch of the same augmenter runs. */
void perform_augment_face(perform_augmenter *a, int crop, bj_rng *rng, perform_batch *b, int k);
