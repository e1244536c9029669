#include "perform/swap_shape.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "vision/align.h"
#include "vision/shape_transfer.h"

#define POSE_SIGMA 8.0   /* degrees of head pose over which a star photo's weight falls to 0.6 */
#define MIN_WEIGHT 1e-3  /* summed weight of star photos below which none is near the pose */

struct star_shape {
	float aligned[136];
	float yaw, pitch;
};

struct perform_swap_shape {
	struct star_shape *stars;
	size_t n_stars, cap_stars;
	/* the actor's face so far: aligned shapes and poses summed */
	double sum[136], yaw, pitch;
	long n;
};

perform_swap_shape *perform_swap_shape_new(void)
{
	return bj_xcalloc(1, sizeof(perform_swap_shape));
}

int perform_swap_shape_add_star(perform_swap_shape *sh, const float *pts)
{
	struct star_shape st;
	vision_pose pose;
	if (vision_pose_estimate(pts, &pose) < 0 || vision_shape_aligned(pts, st.aligned) < 0)
		return bj_error_code();
	st.yaw = pose.yaw;
	st.pitch = pose.pitch;
	BJ_GROW(sh->stars, sh->cap_stars, sh->n_stars + 1);
	sh->stars[sh->n_stars++] = st;
	return 0;
}

/* The star's mean shape at head pose (yaw, pitch) into to; 0, or -1 when no
 * photo is near that pose. */
static int star_shape(const perform_swap_shape *sh, double yaw, double pitch, float *to)
{
	double sum[136] = { 0 }, wsum = 0;
	for (size_t k = 0; k < sh->n_stars; k++) {
		const struct star_shape *st = &sh->stars[k];
		double d2 = (st->yaw - yaw) * (st->yaw - yaw) + (st->pitch - pitch) * (st->pitch - pitch);
		double w = exp(-d2 / (2 * POSE_SIGMA * POSE_SIGMA));
		for (int i = 0; i < 136; i++)
			sum[i] += w * st->aligned[i];
		wsum += w;
	}
	if (wsum < MIN_WEIGHT)
		return -1;
	for (int i = 0; i < 136; i++)
		to[i] = (float)(sum[i] / wsum);
	return 0;
}

void perform_swap_shape_move(perform_swap_shape *sh, const float *pts, float *out)
{
	float a[136], from[136], to[136];
	vision_pose pose;
	if (out != pts)
		memcpy(out, pts, 136 * sizeof(*out));
	if (!sh->n_stars || vision_pose_estimate(pts, &pose) < 0 || vision_shape_aligned(pts, a) < 0)
		return;
	for (int i = 0; i < 136; i++)
		sh->sum[i] += a[i];
	sh->yaw += pose.yaw;
	sh->pitch += pose.pitch;
	sh->n++;
	for (int i = 0; i < 136; i++)
		from[i] = (float)(sh->sum[i] / (double)sh->n);
	if (star_shape(sh, sh->yaw / (double)sh->n, sh->pitch / (double)sh->n, to) < 0)
		return;
	vision_shape_transfer(pts, from, to, 1.0, out);
}

void perform_swap_shape_reset(perform_swap_shape *sh)
{
	memset(sh->sum, 0, sizeof(sh->sum));
	sh->yaw = sh->pitch = 0;
	sh->n = 0;
}

void perform_swap_shape_free(perform_swap_shape *sh)
{
	if (!sh)
		return;
	free(sh->stars);
	free(sh);
}
