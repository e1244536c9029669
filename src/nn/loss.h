/*
 * loss.h - softmax cross-entropy over a vocabulary, averaged over tokens
 * (PyTorch F.cross_entropy with reduction "mean" and ignore_index < 0).
 *
 *     double loss = nn_xent_forward(logits, targets, N, V, probs);
 *     nn_xent_backward(probs, targets, N, V, dlogits);    // adds (p - onehot) / n
 *
 * Each row is normalised with its maximum subtracted and the log-sum-exp
 * accumulated in double, so large logits neither overflow nor lose the loss.
 * A target < 0 marks a token that is ignored: it adds nothing to the loss or the
 * gradient, and the mean is over the other tokens (0 if there are none).
 * probs is the caller's cache from forward to backward.  Nothing is allocated.
 */
#pragma once

#include <stdint.h>

/* Writes softmax(logits) row by row to probs and returns the mean over counted
 * tokens of -log p[n][targets[n]], computed in double.  Targets must be < V,
 * and >= 0 unless ignored (BJ_ASSERT).  probs may be logits (in place). */
double nn_xent_forward(const float *logits,    // (N, V)
                       const int32_t *targets,   // (N)
                       int N, int V,
                       float *probs);            // (N, V)

/* Adds the gradient of the mean loss to dlogits: (probs - onehot(target)) / n
 * for counted rows, n the number of them; ignored rows get nothing. */
void nn_xent_backward(const float *probs,       // (N, V), from forward
                      const int32_t *targets,   // (N)
                      int N, int V,
                      float *dlogits);          // (N, V)
