/*
 * pixel_loss.h - losses that compare or regularise maps element by element:
 * L1, weighted L1, MSE (PyTorch F.l1_loss, F.mse_loss, reduction "mean"), and
 * the mean and total variation of a map (e.g. a predicted mask).
 *
 *     double l = nn_l1_forward(pred, target, n)
 *              + nn_weighted_l1_forward(pred, target, weight, N, C, HW);
 *     nn_l1_backward(pred, target, n, 1.0f, dpred);        // adds dl/dpred
 *     nn_weighted_l1_backward(pred, target, weight, N, C, HW, 1.0f, dpred);
 *     double r = nn_mean_forward(mask, n) + nn_tv_forward(mask, N, H, W);
 *     nn_mean_backward(n, 0.01f, dmask);  nn_tv_backward(mask, N, H, W, 0.1f, dmask);
 *
 * Every forward returns the loss, accumulated in double; every backward adds
 * scale times the loss's gradient to its output, so weighted terms of one loss
 * add up in one buffer (callers zero it).  The gradient of |u| at u = 0 is 0,
 * as PyTorch's.  Nothing is allocated.
 */
#pragma once

#include <stddef.h>

/* mean |pred - target| over n > 0 elements. */
double nn_l1_forward(const float *pred,     // (n)
                     const float *target,   // (n)
                     size_t n);

/* dpred += scale sign(pred - target) / n. */
void nn_l1_backward(const float *pred,     // (n)
                    const float *target,   // (n)
                    size_t n, float scale,
                    float *dpred);         // (n)

/* mean over (N, C, HW) of weight[n, hw] |pred - target|: a per-pixel weight map
 * shared by the channels (torch: (w[:, None] * (p - t).abs()).mean()). */
double nn_weighted_l1_forward(const float *pred,     // (N, C, HW)
                              const float *target,   // (N, C, HW)
                              const float *weight,   // (N, HW)
                              int N, int C, int HW);

/* dpred += scale weight sign(pred - target) / (N C HW). */
void nn_weighted_l1_backward(const float *pred,     // (N, C, HW)
                             const float *target,   // (N, C, HW)
                             const float *weight,   // (N, HW)
                             int N, int C, int HW, float scale,
                             float *dpred);         // (N, C, HW)

/* mean (pred - target)^2 over n > 0 elements. */
double nn_mse_forward(const float *pred,     // (n)
                      const float *target,   // (n)
                      size_t n);

/* dpred += scale 2 (pred - target) / n. */
void nn_mse_backward(const float *pred,     // (n)
                     const float *target,   // (n)
                     size_t n, float scale,
                     float *dpred);         // (n)

/* mean x over n > 0 elements. */
double nn_mean_forward(const float *x,   // (n)
                       size_t n);

/* dx += scale / n. */
void nn_mean_backward(size_t n, float scale,
                      float *dx);        // (n)

/* The anisotropic total variation of P planes of H x W:
 *     mean |x[i+1, j] - x[i, j]| + mean |x[i, j+1] - x[i, j]|,
 * each mean over its own P (H-1) W and P H (W-1) differences (a term with no
 * differences, H or W 1, is 0). */
double nn_tv_forward(const float *x,   // (P, H, W)
                     int P, int H, int W);

/* dx += scale times the gradient of nn_tv_forward. */
void nn_tv_backward(const float *x,   // (P, H, W)
                    int P, int H, int W, float scale,
                    float *dx);       // (P, H, W)
