#include "perform/swap_glasses.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "vision/glasses.h"

/* The score (vision_glasses_score) averaged over the shot at RATE a frame
 * above which the face wears glasses: on the 13 clips of issue 8 face_5's
 * frames scored 0.857 to 0.976, the other twelve faces' 0.286 and less
 * (docs/swap-measurements.md). */
#define WEARS 0.6f
#define RATE 0.2f

struct perform_swap_glasses {
	int seen;                                       /* frames of this face looked at */
	float score;                                    /* the score, averaged */
	float prior[2 * VISION_GLASSES_ANGLES];         /* the rims' radii over the span, averaged */
	uint8_t *mask;
	size_t cap;
};

perform_swap_glasses *perform_swap_glasses_new(void)
{
	return bj_xcalloc(1, sizeof(perform_swap_glasses));
}

void perform_swap_glasses_reset(perform_swap_glasses *g)
{
	g->seen = 0;
}

void perform_swap_glasses_free(perform_swap_glasses *g)
{
	if (!g)
		return;
	free(g->mask);
	free(g);
}

int perform_swap_glasses_apply(perform_swap_glasses *g, media_image *swapped, const media_image *footage,
                               const float *pts)
{
	vision_glasses gl;
	if (vision_glasses_find(footage, pts, g->seen ? g->prior : NULL, &gl) < 0)
		return 0;
	float s = vision_glasses_score(&gl);
	g->score = g->seen ? (1 - RATE) * g->score + RATE * s : s;
	for (int e = 0; e < 2; e++)
		for (int k = 0; k < VISION_GLASSES_ANGLES; k++) {
			float r = gl.radius[e][k] / gl.span, *p = &g->prior[e * VISION_GLASSES_ANGLES + k];
			*p = g->seen ? (1 - RATE) * *p + RATE * r : r;
		}
	g->seen++;
	if (g->score < WEARS)
		return 0;
	int w = footage->width, h = footage->height;
	size_t need = (size_t)w * h;
	if (need > g->cap) {
		free(g->mask);
		g->mask = bj_xmalloc(need);
		g->cap = need;
	}
	vision_rect b;
	vision_glasses_mask(footage, &gl, g->mask, w, h, &b);
	for (int y = b.y0; y < b.y1; y++)
		for (int x = b.x0; x < b.x1; x++) {
			int m = g->mask[(size_t)y * w + x];
			if (!m)
				continue;
			uint8_t *d = swapped->data + (size_t)y * swapped->stride + 3 * (size_t)x;
			const uint8_t *f = footage->data + (size_t)y * footage->stride + 3 * (size_t)x;
			for (int c = 0; c < 3; c++)
				d[c] = (uint8_t)((d[c] * (255 - m) + f[c] * m + 127) / 255);
		}
	return 1;
}
