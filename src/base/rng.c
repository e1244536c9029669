#include "base/rng.h"

#include <math.h>
#include <string.h>

#include "base/error.h"

/* The golden ratio in 64-bit fixed point, splitmix64's increment. */
#define GOLDEN 0x9E3779B97F4A7C15u

/* splitmix64's output function (Steele, Lea and Flood 2014, with the
 * constants of Vigna's splitmix64.c): a bijection on 64-bit words in which
 * every input bit affects every output bit. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void bj_rng_init(bj_rng *r, uint64_t seed)
{
	/* Four consecutive splitmix64 outputs: mix64 is a bijection and its inputs
	 * differ, so at most one word is zero and the state never is. */
	for (int i = 0; i < 4; i++) {
		seed += GOLDEN;
		r->s[i] = mix64(seed);
	}
}

/* xoshiro256** as in xoshiro256starstar.c: the ** scrambler (multiply by 5,
 * rotate by 7, multiply by 9) over the xoshiro256 linear engine. */
uint64_t bj_rng_u64(bj_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

uint32_t bj_rng_u32(bj_rng *r)
{
	return (uint32_t)(bj_rng_u64(r) >> 32);
}

/*
 * Lemire, "Fast random integer generation in an interval" (ACM TOMACS 2019).
 * The high word of the 128-bit product x*n is in [0, n); each
 * value is hit by floor(2^64/n) or ceil(2^64/n) draws, and the surplus draws
 * are exactly those whose low word is below 2^64 mod n, so rejecting them
 * leaves every value equally likely.  The division that computes 2^64 mod n
 * (as (2^64 - n) mod n) only runs when the low word is below n, which is rare
 * unless n is huge.
 */
uint64_t bj_rng_below(bj_rng *r, uint64_t n)
{
	BJ_ASSERT(n > 0);
	unsigned __int128 m = (unsigned __int128)bj_rng_u64(r) * n;
	uint64_t low = (uint64_t)m;
	if (low < n) {
		uint64_t threshold = (0 - n) % n;
		while (low < threshold) {
			m = (unsigned __int128)bj_rng_u64(r) * n;
			low = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

float bj_rng_uniform(bj_rng *r)
{
	/* 24 bits fit a float's significand exactly, so the product is exact and
	 * cannot round up to 1. */
	return (float)(bj_rng_u64(r) >> 40) * 0x1.0p-24f;
}

double bj_rng_double(bj_rng *r)
{
	return (double)(bj_rng_u64(r) >> 11) * 0x1.0p-53;
}

/*
 * Box and Muller (1958).  u1 is taken in (0, 1] so that log(u1) is finite; its
 * smallest value 2^-53 bounds the result by sqrt(-2 ln 2^-53).  The polar method
 * would avoid cos but rejects about 21% of pairs, which makes the number of
 * draws per call vary; a fixed two draws keeps streams easy to reason about.
 */
double bj_rng_normal(bj_rng *r)
{
	double u1 = (double)((bj_rng_u64(r) >> 11) + 1) * 0x1.0p-53;
	double u2 = (double)(bj_rng_u64(r) >> 11) * 0x1.0p-53;
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* Swaps two non-overlapping elements of size bytes through a small buffer. */
static void swap_elements(unsigned char *a, unsigned char *b, size_t size)
{
	unsigned char tmp[64];
	while (size > 0) {
		size_t k = size < sizeof(tmp) ? size : sizeof(tmp);
		memcpy(tmp, a, k);
		memcpy(a, b, k);
		memcpy(b, tmp, k);
		a += k, b += k, size -= k;
	}
}

/* Durstenfeld's in-place form of the Fisher-Yates shuffle (Knuth vol. 2,
 * 3.4.2, algorithm P): position i takes a uniform pick among 0..i. */
void bj_rng_shuffle(bj_rng *r, void *base, size_t n, size_t size)
{
	unsigned char *p = base;
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)bj_rng_below(r, i);
		if (j != i - 1)
			swap_elements(p + j * size, p + (i - 1) * size, size);
	}
}

/*
 * Each step h = mix64(h ^ word) is a bijection of the word for a fixed h, so
 * parents that differ in one word always give different seeds, and mix64's
 * avalanche spreads stream numbers that differ in one bit over all 64 bits.
 * Seeding the child through bj_rng_init puts it at an unrelated point of the
 * 2^256 - 1 period; two of k streams drawing n numbers each overlap with a
 * probability of about k^2 n / 2^256.  Vigna's jump() would guarantee disjoint
 * streams, but costs 256 steps per jump and stream-many jumps per fork.
 */
bj_rng bj_rng_fork(const bj_rng *r, uint64_t stream)
{
	uint64_t h = mix64(stream + GOLDEN);
	for (int i = 0; i < 4; i++)
		h = mix64(h ^ r->s[i]);
	bj_rng child;
	bj_rng_init(&child, h);
	return child;
}
