/*
 * pixel_shuffle.h - depth to space: the upsampling of sub-pixel convolution
 * (Shi et al., "Real-time single image and video super-resolution using an
 * efficient sub-pixel convolutional neural network", 2016), PyTorch
 * nn.PixelShuffle.  Channel c*r*r + i*r + j of the input becomes the pixels
 * (h*r + i, w*r + j) of output channel c.
 *
 *     nn_conv2d_forward(&conv, x, B, 8, 8, t, work);       // t (B, 4*C, 8, 8)
 *     nn_pixel_shuffle_forward(t, B, C, 8, 8, 2, y);      // y (B, C, 16, 16)
 *     nn_pixel_shuffle_backward(dy, B, C, 8, 8, 2, dt);   // adds to dt
 *
 * A permutation, so backward is the inverse one (and adds).  No parameters;
 * nothing is allocated.  Split over nn/parallel.h's threads by image and
 * channel; every element is written once, so any thread count gives the same
 * bytes.
 */
#pragma once

/* y[b][c][h*r + i][w*r + j] = x[b][c*r*r + i*r + j][h][w].  C, H, W, r >= 1. */
void nn_pixel_shuffle_forward(const float *x,   // (B, C*r*r, H, W)
                              int B, int C, int H, int W, int r,
                              float *y);        // (B, C, H*r, W*r)

/* dx[b][c*r*r + i*r + j][h][w] += dy[b][c][h*r + i][w*r + j]. */
void nn_pixel_shuffle_backward(const float *dy,   // (B, C, H*r, W*r)
                               int B, int C, int H, int W, int r,
                               float *dx);        // (B, C*r*r, H, W), added to
