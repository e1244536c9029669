/*
 * bands.h - per-pixel work in fixed bands of rows over a thread pool.
 *
 *     struct job j = { ... };
 *     vision_bands_run(pool, band_fn, &j);     // band_fn(&j, band, thread), band 0..7
 *     // in band_fn: vision_band_rows(band, y0, y1, &a, &b); for (y = a; y < b; y++) ...
 *
 * Always VISION_BANDS bands whatever the pool's size, so that work whose
 * result depends on how rows are grouped (sums added band by band) gives the
 * same bytes on one thread as on many.  A NULL pool runs the bands in order on
 * the caller.
 */
#pragma once

#include "base/threads.h"

#define VISION_BANDS 8

static inline void vision_bands_run(bj_pool *pool, bj_pool_fn *fn, void *ctx)
{
	if (pool)
		bj_pool_run(pool, VISION_BANDS, fn, ctx);
	else
		for (int b = 0; b < VISION_BANDS; b++)
			fn(ctx, b, 0);
}

/* Band number band's rows [*a, *b) of the rows [y0, y1). */
static inline void vision_band_rows(int band, int y0, int y1, int *a, int *b)
{
	*a = y0 + (int)((long)(y1 - y0) * band / VISION_BANDS);
	*b = y0 + (int)((long)(y1 - y0) * (band + 1) / VISION_BANDS);
}
