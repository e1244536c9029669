/*
 * rng.h - a seeded random number generator, passed explicitly (no global state).
 *
 *     bj_rng rng;
 *     bj_rng_init(&rng, seed);                   // --seed from the command line
 *     float w = 0.02f * (float)bj_rng_normal(&rng);
 *     uint64_t pick = bj_rng_below(&rng, n_shots);
 *     bj_rng t = bj_rng_fork(&rng, task);        // one stream per task or thread
 *
 * xoshiro256** (Blackman and Vigna, 2018) seeded through splitmix64, as its
 * authors recommend.  A bj_rng is a plain 32-byte value owned by the caller: copy
 * it to save a point in the sequence; there is nothing to free.  One generator
 * must not be drawn from by two threads at once; fork one per thread or per task.
 * Equal seeds give equal sequences on every platform for the integer functions
 * and bj_rng_uniform/bj_rng_double; bj_rng_normal calls log, sqrt and cos, so it
 * is bit-exact only with the same C library.  Not for cryptography.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The generator state.  Never all zero once initialised; the fields are public
 * so that tests can set a state, but callers should use the functions. */
typedef struct bj_rng {
	uint64_t s[4];
} bj_rng;

/* Seeds r from seed: the four state words are the first four outputs of
 * splitmix64 started at seed.  Any seed is valid, 0 included. */
void bj_rng_init(bj_rng *r, uint64_t seed);

/* The next 64 random bits. */
uint64_t bj_rng_u64(bj_rng *r);

/* The next 32 random bits: the top half of one bj_rng_u64() draw. */
uint32_t bj_rng_u32(bj_rng *r);

/* A uniform integer in [0, n), without modulo bias (Lemire 2019: multiply,
 * reject the rare low products that would bias the result).  n must be > 0
 * (BJ_ASSERT).  Takes one draw, or more when a draw is rejected. */
uint64_t bj_rng_below(bj_rng *r, uint64_t n);

/* A float in [0, 1): the top 24 bits of one draw times 2^-24, so every value is
 * a multiple of 2^-24 and 1.0f is never returned. */
float bj_rng_uniform(bj_rng *r);

/* A double in [0, 1): the top 53 bits of one draw times 2^-53. */
double bj_rng_double(bj_rng *r);

/* A standard normal (mean 0, variance 1) by the Box-Muller transform: exactly
 * two draws per call, u1 in (0, 1] and u2 in [0, 1), returning
 * sqrt(-2 ln u1) cos(2 pi u2).  The sine partner is discarded so that the state
 * after k calls does not depend on what else was drawn in between.  Always
 * finite: |result| <= sqrt(106 ln 2), about 8.57. */
double bj_rng_normal(bj_rng *r);

/* Shuffles n elements of size bytes at base in place (Fisher-Yates, with
 * bj_rng_below for each swap), so every permutation is equally likely.
 * base may be NULL when n is 0. */
void bj_rng_shuffle(bj_rng *r, void *base, size_t n, size_t size);

/* A new generator for stream number stream, derived from r's state by hashing
 * the four state words and stream with the splitmix64 finaliser and seeding
 * with the result.  r is not advanced: the same state and stream give the same
 * generator, which is what makes per-task streams independent of the thread
 * count.  Streams differ from each other and from r.  Because r does not move,
 * a second parallel region needs either a draw from r in between or stream
 * numbers the first region did not use. */
bj_rng bj_rng_fork(const bj_rng *r, uint64_t stream);
