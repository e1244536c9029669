/*
 * activation.h - element-wise activations: ReLU, LeakyReLU, sigmoid, tanh
 * (PyTorch nn.ReLU, nn.LeakyReLU, torch.sigmoid, torch.tanh).
 *
 *     nn_leaky_relu_forward(x, n, 0.2f, x);        // in place: x becomes y
 *     ...
 *     nn_leaky_relu_backward(x, dy, n, 0.2f, dy);  // from y; dy becomes dx
 *
 * Each backward needs only the output y of forward, so forward may overwrite
 * its input (y == x) and backward its upstream gradient (dx == dy): a chain of
 * conv, norm and activation then needs no buffer for the activation.  Unlike
 * the layers with weights, backward therefore writes dx instead of adding to
 * it.  Large tensors are split over the nn_parallel pool; the results do not
 * depend on the thread count.  Nothing is allocated.
 */
#pragma once

#include <stddef.h>

/* y = max(x, 0); y may be x. */
void nn_relu_forward(const float *x,   // (n)
                     size_t n,
                     float *y);        // (n)

/* dx = dy where y > 0, else 0; dx may be dy. */
void nn_relu_backward(const float *y,    // (n), from forward
                      const float *dy,   // (n)
                      size_t n,
                      float *dx);        // (n)

/* y = x where x > 0, else slope * x, for slope >= 0 (BJ_ASSERT); y may be x. */
void nn_leaky_relu_forward(const float *x,   // (n)
                           size_t n, float slope,
                           float *y);        // (n)

/* dx = dy where y > 0, else slope * dy (PyTorch's gradient at 0 is slope too);
 * dx may be dy. */
void nn_leaky_relu_backward(const float *y,    // (n), from forward
                            const float *dy,   // (n)
                            size_t n, float slope,
                            float *dx);        // (n)

/* y = 1 / (1 + exp(-x)), without overflow for any x; y may be x. */
void nn_sigmoid_forward(const float *x,   // (n)
                        size_t n,
                        float *y);        // (n)

/* dx = dy y (1 - y); dx may be dy. */
void nn_sigmoid_backward(const float *y,    // (n), from forward
                         const float *dy,   // (n)
                         size_t n,
                         float *dx);        // (n)

/* y = tanh(x); y may be x. */
void nn_tanh_forward(const float *x,   // (n)
                     size_t n,
                     float *y);        // (n)

/* dx = dy (1 - y^2); dx may be dy. */
void nn_tanh_backward(const float *y,    // (n), from forward
                      const float *dy,   // (n)
                      size_t n,
                      float *dx);        // (n)
