/*
 * ssim.h - the structural similarity loss 1 - SSIM(x, y) between two NCHW
 * images with values in [0, 1], and its gradient with respect to x.
 *
 *     float *cache = ...;                                   // nn_ssim_cache_size(P, H, W) floats
 *     double l = nn_ssim_loss_forward(pred, target, N * C, H, W, cache);
 *     nn_ssim_loss_backward(pred, target, N * C, H, W, 1.0f, cache, dpred);
 *     printf("SSIM %.4f\n", 1.0 - l);
 *
 * The formulation is pytorch-ssim's (Po-Hsun Su's ssim() with size_average,
 * the one PyTorch face-swap code uses), not skimage's: each of the P = N C
 * planes is filtered on its own with an 11 x 11 Gaussian window of sigma 1.5
 * (normalised to sum 1) and zero padding, so the SSIM map has the image's
 * size, with population variances
 *     mu_x = G*x,  s_xx = G*(x x) - mu_x^2,  s_xy = G*(x y) - mu_x mu_y,
 *     SSIM = (2 mu_x mu_y + C1)(2 s_xy + C2) / ((mu_x^2 + mu_y^2 + C1)(s_xx + s_yy + C2)),
 * C1 = 0.01^2, C2 = 0.03^2, and the loss is 1 minus the mean of the map over all
 * planes and pixels.  (skimage's structural_similarity instead keeps only the
 * pixels the window fits in and uses sample variances.)  The window is applied
 * as two 11-tap passes, which gives the 2-D window's result exactly.  The
 * cache, owned by the caller, carries the filtered moments from forward to
 * backward, which overwrites it.  The sum is accumulated in double; planes are
 * split over the nn_parallel pool with results independent of the thread
 * count.  Nothing is allocated.
 */
#pragma once

#include <stddef.h>

/* The window's side and the widest image. */
#define NN_SSIM_WINDOW 11
#define NN_SSIM_MAX_WIDTH 1024

/* Floats of cache for P planes of H x W. */
size_t nn_ssim_cache_size(int P, int H, int W);

/* 1 - mean SSIM of x against y over P >= 1 planes of H x W (1 <= W <=
 * NN_SSIM_MAX_WIDTH); fills cache for backward. */
double nn_ssim_loss_forward(const float *x,   // (P, H, W)
                            const float *y,   // (P, H, W)
                            int P, int H, int W,
                            float *cache);    // (nn_ssim_cache_size(P, H, W))

/* dx += scale times the gradient of the loss with respect to x (y is taken as
 * constant), from forward's cache, which it overwrites. */
void nn_ssim_loss_backward(const float *x,   // (P, H, W), as given to forward
                           const float *y,   // (P, H, W)
                           int P, int H, int W, float scale,
                           float *cache,     // from forward
                           float *dx);       // (P, H, W)
