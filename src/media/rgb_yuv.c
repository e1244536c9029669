#include "media/rgb_yuv.h"

#include <math.h>

#include "base/error.h"

/* Fixed point: weights times 2^16. */
enum { FRAC = 16 };

struct weights {
	int32_t y[3], cb[3], cr[3];
};

/* BT.709 (ITU-R BT.709-6, 3.2-3.3): E'Y = Kr R + Kg G + Kb B, E'Cb = (B - E'Y) /
 * 1.8556, E'Cr = (R - E'Y) / 1.5748; limited range scales luma by 219 / 255 and
 * chroma by 224 / 255.  The last weight of each row is chosen so that a row sums
 * exactly to its value for white (luma) or 0 (chroma): grey stays neutral. */
static struct weights bt709(void)
{
	const double kr = 0.2126, kb = 0.0722, one = 1 << FRAC;
	const double ys = 219.0 / 255 * one, cs = 224.0 / 255 * one;
	struct weights w;
	w.y[0] = (int32_t)lround(kr * ys);
	w.y[2] = (int32_t)lround(kb * ys);
	w.y[1] = (int32_t)lround(ys) - w.y[0] - w.y[2];
	w.cb[0] = (int32_t)lround(-kr / (2 * (1 - kb)) * cs);
	w.cb[2] = (int32_t)lround(0.5 * cs);
	w.cb[1] = -w.cb[0] - w.cb[2];
	w.cr[0] = (int32_t)lround(0.5 * cs);
	w.cr[2] = (int32_t)lround(-kb / (2 * (1 - kr)) * cs);
	w.cr[1] = -w.cr[0] - w.cr[2];
	return w;
}

/* One row of luma: ch channels a pixel (1 or 3; a constant where inlined, so
 * that the loop vectorises: the weights are copied to locals and the pointers
 * are restrict, or every byte stored could change them). */
static inline void luma_row(const int32_t wy[3], const uint8_t *restrict p, int ch, int width,
                            uint8_t *restrict y)
{
	const int32_t wr = wy[0], wg = wy[1], wb = wy[2];
	const int g = ch == 3 ? 1 : 0, b = ch == 3 ? 2 : 0;
	for (int x = 0; x < width; x++) {
		const uint8_t *q = p + x * ch;
		y[x] = (uint8_t)((wr * q[0] + wg * q[g] + wb * q[b] + (16 << FRAC) + (1 << (FRAC - 1))) >>
		                 FRAC);
	}
}

/* One row of Cb and Cr from two rows of pixels: each the mean over a 2x2 block,
 * rounded.  The result is in 16..240, so the shifted value is never negative. */
static inline void chroma_row(const struct weights *w, const uint8_t *restrict p0,
                              const uint8_t *restrict p1, int ch, int width, uint8_t *restrict u,
                              uint8_t *restrict v)
{
	const int32_t ur = w->cb[0], ug = w->cb[1], ub = w->cb[2];
	const int32_t vr = w->cr[0], vg = w->cr[1], vb = w->cr[2];
	const int32_t half = (128 << (FRAC + 2)) + (1 << (FRAC + 1));
	const int g = ch == 3 ? 1 : 0, b = ch == 3 ? 2 : 0;
	for (int x = 0; x < width / 2; x++) {
		const uint8_t *a = p0 + 2 * x * ch, *c = p1 + 2 * x * ch;
		int32_t r = a[0] + a[ch] + c[0] + c[ch];
		int32_t gs = a[g] + a[ch + g] + c[g] + c[ch + g];
		int32_t bs = a[b] + a[ch + b] + c[b] + c[ch + b];
		u[x] = (uint8_t)((ur * r + ug * gs + ub * bs + half) >> (FRAC + 2));
		v[x] = (uint8_t)((vr * r + vg * gs + vb * bs + half) >> (FRAC + 2));
	}
}

static inline void convert(const struct weights *w, const media_image *img, int ch,
                           uint8_t *const planes[3], const int strides[3])
{
	for (int y = 0; y < img->height; y += 2) {
		const uint8_t *p0 = img->data + (size_t)y * img->stride, *p1 = p0 + img->stride;
		uint8_t *y0 = planes[0] + (size_t)y * (size_t)strides[0];
		luma_row(w->y, p0, ch, img->width, y0);
		luma_row(w->y, p1, ch, img->width, y0 + strides[0]);
		chroma_row(w, p0, p1, ch, img->width, planes[1] + (size_t)(y / 2) * (size_t)strides[1],
		           planes[2] + (size_t)(y / 2) * (size_t)strides[2]);
	}
}

void media_rgb_to_yuv420p(const media_image *img, uint8_t *const planes[3], const int strides[3])
{
	BJ_ASSERT((img->channels == 1 || img->channels == 3) && img->width % 2 == 0 &&
	          img->height % 2 == 0);
	const struct weights w = bt709();
	if (img->channels == 3)
		convert(&w, img, 3, planes, strides);
	else
		convert(&w, img, 1, planes, strides);
}
