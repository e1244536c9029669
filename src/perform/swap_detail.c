#include "perform/swap_detail.h"

#include <math.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "vision/detail.h"

#define MIN_GAIN 0.8      /* the least of a band kept */
#define MAX_GAIN 1.8      /* the most a band is raised */
#define FEATURE_AIM 1.3   /* the star's features aimed at this much of the footage's ... */
#define SKIN_AIM 1.15     /* ... and its bare skin at this much, on a photo at its own size: */
#define OWN_SIZE_TO 1.3   /* enlarged up to this much, ... */
#define OWN_SIZE_END 1.7  /* ... by degrees to 1 (both) here */
#define MIN_SKIN_GAIN 0.4 /* the limits on the bare skin of a photo enlarged */
#define MAX_SKIN_GAIN 1.4
#define SKIN_MID_AIM 1.3  /* its mid band aimed at this much of the footage skin's (coarse: 1) */
#define MAX_EDGE_GAIN 3.0 /* the most the features' mid band is raised there */
#define ENLARGED_FROM 1.5 /* enlargements from which the skin's limits turn ... */
#define ENLARGED_TO 2.5   /* ... to the values above, reached here */
#define GAIN_RATE 0.3     /* how far a gain moves towards its aim a measurement (in log) */
#define MIN_ENERGY 0.1    /* grey levels of a band below which there is nothing to match */
#define MEASURE_EVERY 3   /* frames between measurements of the swapped result */
#define MIN_CALM 0.6      /* the most the flicker takes off the gains */
#define CALM_RATE 0.2     /* how fast the flicker steers them */
#define CHANGE_KEEP 0.97  /* weight of the past in the change sums */
#define CALM_AFTER 10     /* frames of change summed before they steer */

struct perform_swap_detail {
	vision_detail *bands;
	int have, age;
	double aim[2][VISION_DETAIL_BANDS];    /* where the measurements steer the gains (features, skin) */
	double gain[2][VISION_DETAIL_BANDS];   /* the gains applied, following aim frame by frame */
	double calm;
	double enlarged;   /* 0..1: from ENLARGED_FROM to ENLARGED_TO */
	double own_size;   /* 1..0: from OWN_SIZE_TO to OWN_SIZE_END */
	double change_swap, change_orig;
	int changes;   /* frames summed in them */
};

perform_swap_detail *perform_swap_detail_new(void)
{
	perform_swap_detail *d = bj_xcalloc(1, sizeof(*d));
	d->bands = vision_detail_new();
	d->own_size = 1;   /* a photo at its own size until told otherwise */
	perform_swap_detail_reset(d);
	return d;
}

void perform_swap_detail_free(perform_swap_detail *d)
{
	if (!d)
		return;
	vision_detail_free(d->bands);
	free(d);
}

void perform_swap_detail_reset(perform_swap_detail *d)
{
	d->have = 0;
	d->age = 0;
	d->calm = 1;
	d->change_swap = d->change_orig = 0;
	d->changes = 0;
	for (int p = 0; p < 2; p++)
		for (int k = 0; k < VISION_DETAIL_BANDS; k++)
			d->aim[p][k] = d->gain[p][k] = 1;
}

/* Moves each band's aim towards calm times want over have: all the way
 * (first, and the gain with it), or by GAIN_RATE in log. */
static void steer(perform_swap_detail *d, const double want[2][VISION_DETAIL_BANDS],
                  const double have[2][VISION_DETAIL_BANDS], int first)
{
	double t = d->enlarged, feature_aim = 1 + d->own_size * (FEATURE_AIM - 1);
	double skin_aim = 1 + d->own_size * (SKIN_AIM - 1);
	for (int p = 0; p < 2; p++)
		for (int k = 0; k < VISION_DETAIL_BANDS; k++) {
			if (!(have[p][k] >= MIN_ENERGY) || !(want[p][k] >= MIN_ENERGY))
				continue;
			/* p 0 the features, 1 the bare skin; k 0 the mid band, 1 the coarse */
			double over = !p ? feature_aim : skin_aim + t * ((k ? 1 : SKIN_MID_AIM) - skin_aim);
			double lo = !p ? MIN_GAIN : MIN_GAIN + t * (MIN_SKIN_GAIN - MIN_GAIN);
			double hi = p ? MAX_GAIN + t * (MAX_SKIN_GAIN - MAX_GAIN)
			              : k ? MAX_GAIN : MAX_GAIN + t * (MAX_EDGE_GAIN - MAX_GAIN);
			double r = d->calm * over * want[p][k] / have[p][k];
			double a = first ? r : d->aim[p][k] * pow(r, GAIN_RATE);
			d->aim[p][k] = fmin(hi, fmax(lo * d->calm, a));
			if (first)
				d->gain[p][k] = d->aim[p][k];
		}
}

void perform_swap_detail_apply(perform_swap_detail *d, bj_pool *pool, media_image *face, const media_image *frame,
                               const uint8_t *mask, const uint8_t *skin, vision_rect box)
{
	double want[2][VISION_DETAIL_BANDS], have[2][VISION_DETAIL_BANDS];
	if (!d->have)
		vision_detail_split_skin_on(pool, d->bands, frame, mask, skin, box, want[0], want[1]);
	vision_detail_split_skin_on(pool, d->bands, face, mask, skin, box, have[0], have[1]);
	if (d->changes >= CALM_AFTER && d->change_orig > 0)
		d->calm = fmin(1, fmax(MIN_CALM, d->calm * pow(d->change_swap / d->change_orig, -CALM_RATE)));
	if (!d->have)
		steer(d, want, have, 1);
	d->have = 1;
	/* a step every MEASURE_EVERY frames would show as a pulse of change:
	 * spread over the frames */
	for (int p = 0; p < 2; p++)
		for (int k = 0; k < VISION_DETAIL_BANDS; k++)
			d->gain[p][k] *= pow(d->aim[p][k] / d->gain[p][k], 1.0 / MEASURE_EVERY);
	vision_detail_scale_skin_on(pool, d->bands, face, d->gain[0], d->gain[1]);
}

void perform_swap_detail_measure(perform_swap_detail *d, bj_pool *pool, const media_image *swapped,
                                 const media_image *footage, const uint8_t *mask, const uint8_t *skin,
                                 vision_rect box)
{
	if (!d->have || ++d->age < MEASURE_EVERY)
		return;
	d->age = 0;
	double want[2][VISION_DETAIL_BANDS], got[2][VISION_DETAIL_BANDS];
	vision_detail_split_skin_on(pool, d->bands, footage, mask, skin, box, want[0], want[1]);
	vision_detail_split_skin_on(pool, d->bands, swapped, mask, skin, box, got[0], got[1]);
	steer(d, want, got, 0);
}

void perform_swap_detail_enlarged(perform_swap_detail *d, double factor)
{
	d->enlarged = fmin(1, fmax(0, (factor - ENLARGED_FROM) / (ENLARGED_TO - ENLARGED_FROM)));
	d->own_size = fmin(1, fmax(0, (OWN_SIZE_END - factor) / (OWN_SIZE_END - OWN_SIZE_TO)));
}

void perform_swap_detail_changed(perform_swap_detail *d, double change_swap, double change_orig)
{
	d->change_swap = CHANGE_KEEP * d->change_swap + change_swap;
	d->change_orig = CHANGE_KEEP * d->change_orig + change_orig;
	d->changes++;
}

void perform_swap_detail_gains(const perform_swap_detail *d, double gain[2])
{
	gain[0] = d->gain[0][0];
	gain[1] = d->gain[0][1];
}

void perform_swap_detail_skin_gains(const perform_swap_detail *d, double gain[2])
{
	gain[0] = d->gain[1][0];
	gain[1] = d->gain[1][1];
}
