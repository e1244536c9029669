/*
 * dropout.h - inverted dropout: zero each element with probability p during
 * training and scale the survivors by 1/(1-p), so evaluation needs no change.
 *
 *     nn_dropout_mask(mask, n, 0.2f, &rng);     // per step, from an explicit rng
 *     nn_dropout_forward(x, mask, y, n);        // y = x * mask
 *     nn_dropout_backward(dy, mask, dx, n);     // dx += dy * mask
 *
 * The mask is a float buffer of 0 and 1/(1-p), kept by the caller between
 * forward and backward.  It draws exactly one bj_rng_uniform per element, in
 * order, so the same rng state gives the same mask on every machine and for any
 * thread count.  Nothing is allocated.
 */
#pragma once

#include <stddef.h>

#include "base/rng.h"

/* Fills mask with 0 (where a uniform draw u < p) or 1/(1-p) (where u >= p), one
 * draw per element.  0 <= p < 1 (BJ_ASSERT); p == 0 still draws, so the stream
 * does not depend on p. */
void nn_dropout_mask(float *mask,   // (n)
                     size_t n, float p, bj_rng *rng);

/* y = x * mask, element by element; y may be x. */
void nn_dropout_forward(const float *x,      // (n)
                        const float *mask,   // (n)
                        float *y,            // (n)
                        size_t n);

/* dx += dy * mask. */
void nn_dropout_backward(const float *dy,    // (n)
                         const float *mask,  // (n)
                         float *dx,          // (n)
                         size_t n);
