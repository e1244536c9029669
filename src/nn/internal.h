/*
 * internal.h - declarations private to src/nn, shared by its files and tests.
 *
 *     nn_gemm_force_blas(1);     // tests: run nn_gemm_packed through OpenBLAS
 *     ...
 *     nn_gemm_force_blas(0);     // back to the CPU's best
 *     nn_lstm_activations(x, n, sig, th);   // the LSTM's sigmoid and tanh, to test
 *     nn_conv_add_params(p, "enc0", shape, out, &w, &dw, &b, &db, &i);   // conv layers
 *     nn_conv2d_set_chunk_floats(1);   // tests: unroll one image at a time
 *
 * Nothing here is part of the layer's interface; callers outside src/nn and
 * tests/nn must not include it.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "nn/params.h"

/* With on, nn_gemm_pack leaves B unpacked and nn_gemm_packed calls OpenBLAS,
 * as on CPUs without AVX-512; with 0, the CPU decides again.  Not thread-safe
 * against packing in progress. */
void nn_gemm_force_blas(int on);

/* The sigmoid and tanh of the LSTM's cell pass (polynomial approximations,
 * vectorised) of n floats x, into sig and th. */
void nn_lstm_activations(const float *x, size_t n, float *sig, float *th);

/* A kernel compiled three times, for AVX-512, AVX2 and the baseline, the best
 * chosen at load time.  Without -ffast-math and with -std=c11 (no contraction
 * into fused multiply-adds) every version gives the same bytes, as long as
 * the kernel fixes its order of summation itself. */
#define NN_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

/* Adds "<name>.weight" of the 4-D shape wshape and, when bias > 0,
 * "<name>.bias" (bias) to p, with the slots of nn_params_add; *w_index is the
 * weight's view (the bias's is the next).  For the convolution layers. */
void nn_conv_add_params(nn_params *p, const char *name,
                        const int64_t *wshape,   // (4)
                        int64_t bias, float **w, float **dw, float **b, float **db,
                        int *w_index);

/* Sets the size, in floats, that nn_conv2d's unrolled path keeps each chunk of
 * the unrolled batch near (at least one image per chunk); 0 restores the
 * default (4 Mi floats).  For tests; call between passes, not during one. */
void nn_conv2d_set_chunk_floats(size_t n);
