/*
 * internal.h - declarations private to src/nn, shared by its files and tests.
 *
 *     nn_gemm_force_blas(1);     // tests: run nn_gemm_packed through OpenBLAS
 *     ...
 *     nn_gemm_force_blas(0);     // back to the CPU's best
 *     nn_lstm_activations(x, n, sig, th);   // the LSTM's sigmoid and tanh, to test
 *
 * Nothing here is part of the layer's interface; callers outside src/nn and
 * tests/nn must not include it.
 */
#pragma once

#include <stddef.h>

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
