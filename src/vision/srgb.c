#include "vision/srgb.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "base/error.h"

double vision_cbrt(double t)
{
	if (t == 0 || !isfinite(t))
		return t;
	double a = fabs(t);
	/* dividing the bits by three divides the exponent by three: a guess
	 * within a few per cent, which each Halley step cubes */
	uint64_t bits;
	memcpy(&bits, &a, sizeof(bits));
	bits = bits / 3 + 0x2a9f7893782da1ceULL;
	double y;
	memcpy(&y, &bits, sizeof(y));
	for (int i = 0; i < 2; i++) {
		double y3 = y * y * y;
		y *= (y3 + 2 * a) / (2 * y3 + a);
	}
	return t < 0 ? -y : y;
}

/* threshold[k]: the least linear value that gives k (1..255), and +inf for
 * 256; first[i]: the output at linear value i / VISION_SRGB_STEPS. */
static struct vision_srgb_tables tables;
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
/* set once the tables are made: the hot path's one load instead of a call
 * into pthread_once */
static atomic_int tables_ready;

static uint8_t formula(float v)
{
	double c = v <= 0.0031308f ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055;
	c = c * 255 + 0.5;
	return (uint8_t)(c < 0 ? 0 : c > 255 ? 255 : c);
}

static void make_tables(void)
{
	/* each threshold by bisection on the formula itself, so the table and
	 * the formula agree to the last float */
	for (int k = 1; k < 256; k++) {
		float lo = 0, hi = 1;
		while (1) {
			float mid = lo + (hi - lo) / 2;
			if (mid == lo || mid == hi)
				break;
			if (formula(mid) >= k)
				hi = mid;
			else
				lo = mid;
		}
		tables.threshold[k] = hi;
	}
	tables.threshold[256] = INFINITY;
	for (int i = 0; i <= VISION_SRGB_STEPS; i++)
		tables.first[i] = formula((float)i / VISION_SRGB_STEPS);
	/* vision_srgb8 steps up at most once from first[]: no step of the
	 * index spans two thresholds */
	for (int i = 0; i < VISION_SRGB_STEPS; i++)
		BJ_ASSERT(tables.first[i + 1] - tables.first[i] <= 1);
	atomic_store_explicit(&tables_ready, 1, memory_order_release);
}

const struct vision_srgb_tables *vision_srgb_tables(void)
{
	if (!atomic_load_explicit(&tables_ready, memory_order_acquire))
		pthread_once(&tables_once, make_tables);
	return &tables;
}

uint8_t vision_linear_to_srgb8(float v)
{
	return vision_srgb8(vision_srgb_tables(), v);
}
