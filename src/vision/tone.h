/*
 * tone.h - making a pasted face look shot on the same film: colour (CIE Lab
 * mean and spread), black and white, grain and blur measured on the footage
 * and applied to the face.
 *
 *     double want[6], have[6];
 *     vision_lab_stats(frame, mask, want);            // the footage's face
 *     vision_lab_stats(star, mask, have);             // the warped star face
 *     vision_lab_transfer(star, mask, have, want, vision_is_monochrome(frame, mask));
 *     vision_blur(star, box, vision_blur_to_match(star, frame, mask, box));
 *     vision_add_grain(star, mask, vision_noise_sigma(frame, mask), seed, 0, 0);
 *
 * Masks are one byte per pixel of the image (width x height); a pixel counts
 * when its mask value is 128 or more.  Images are RGB.  Colours are CIE L*a*b*
 * of sRGB with a D65 white: L 0..100, a and b about -100..100.
 */
#pragma once

#include <stdint.h>

#include "base/threads.h"
#include "media/image.h"

/* A rectangle of pixels: x0 <= x < x1, y0 <= y < y1. */
typedef struct vision_rect {
	int x0, y0, x1, y1;
} vision_rect;

/* r cut to a w x h image (it may come out empty: x1 <= x0 or y1 <= y0). */
static inline vision_rect vision_rect_clip(vision_rect r, int w, int h)
{
	return (vision_rect){ r.x0 < 0 ? 0 : r.x0, r.y0 < 0 ? 0 : r.y0, r.x1 > w ? w : r.x1, r.y1 > h ? h : r.y1 };
}

void vision_rgb_to_lab(const uint8_t rgb[3], float lab[3]);

/* The n pixels of an RGB row to L*a*b* (3 floats each in lab), those whose
 * mask byte is at least at (every pixel for a NULL mask); the others' lab is
 * left alone.  The same floats as vision_rgb_to_lab pixel by pixel, faster. */
void vision_rgb_to_lab_row(const uint8_t *rgb, int n, const uint8_t *mask, int at, float *lab);
void vision_lab_to_rgb(const float lab[3], uint8_t rgb[3]);

/* The n L*a*b* colours of lab (3 floats each) to the RGB row rgb, those whose
 * mask byte is at least at (all for a NULL mask); the same bytes as
 * vision_lab_to_rgb pixel by pixel, faster. */
void vision_lab_to_rgb_row(const float *lab, int n, const uint8_t *mask, int at, uint8_t *rgb);

/* Mean and standard deviation of L, a, b over the mask: stats = {mean L, a, b,
 * sd L, a, b}.  Returns the number of pixels counted (all zero for none). */
long vision_lab_stats(const media_image *img, const uint8_t *mask, double stats[6]);

/* Wherever the mask is not 0 (so a feathered mask's whole band is done), moves each Lab channel from the statistics `from` to `to`:
 * v' = (v - from.mean) * to.sd / from.sd + to.mean (the ratio kept within
 * 0.25..4).  mono: a and b become 0 (grey).  */
void vision_lab_transfer(media_image *img, const uint8_t *mask, const double from[6],
                         const double to[6], int mono);

/* RMS chroma sqrt(a^2 + b^2) over the mask, and whether it says black and
 * white (below 4: the tint of a sepia or blue-toned print still counts). */
double vision_chroma(const media_image *img, const uint8_t *mask);
int vision_is_monochrome(const media_image *img, const uint8_t *mask);

/* The grain: the standard deviation of white noise on the luma that explains
 * the high-pass residual (pixel minus its 3 x 3 mean), from the residual's
 * median absolute value (robust to edges).  Grey levels 0..255. */
double vision_noise_sigma(const media_image *img, const uint8_t *mask);

/* Adds grain of this sigma to the luma inside the mask (the same amount on R,
 * G and B).  The grain at pixel (x, y) depends only on seed and (x - ox,
 * y - oy): a sum of four uniforms hashed from them, near enough Gaussian.  So
 * the same seed and origin give the same grain wherever the mask lies, and a
 * pasted face whose origin moves with it keeps its grain from frame to frame
 * (fresh grain every frame would flicker on a still face). */
void vision_add_grain(media_image *img, const uint8_t *mask, double sigma, uint64_t seed, int ox, int oy);

/* The footage's own grain moved onto img: inside the mask and r, each pixel
 * gets gain times the footage's luma high-pass residual there (pixel minus its
 * 3 x 3 mean), clipped to +-limit so that the footage's edges (the old face's
 * eyes and brows) do not come through, only its noise.  Grain taken from the
 * footage changes from frame to frame exactly as the footage's does, so it
 * adds no flicker of its own.  For white noise of sigma s the residual has sd
 * 0.943 s: gain sigma / (0.943 s) adds about sigma. */
/* The rows run in fixed bands over pool (NULL: on the caller): the same
 * bytes whatever the pool's size, as each pixel is worked out on its own. */
void vision_add_footage_grain_on(bj_pool *pool, media_image *img, const media_image *footage, const uint8_t *mask,
                                 vision_rect r, double gain, double limit);

/* Sharpness: mean |pixel - 3x3 mean| over mean |pixel - 9x9 mean| of the luma
 * inside the mask, 0..1: fine detail against coarser detail; blurring lowers
 * it, independent of contrast. */
double vision_sharpness(const media_image *img, const uint8_t *mask);

/* Gaussian blur of the pixels in r (samples clamped to r), sigma in pixels;
 * sigma <= 0 does nothing. */
void vision_blur(media_image *img, vision_rect r, double sigma);

/* vision_blur, vision_sharpen and vision_soften_detail with the rows in
 * fixed bands over pool (NULL: on the caller): the same bytes whatever the
 * pool's size, as every row of each pass is worked out on its own. */
void vision_blur_on(bj_pool *pool, media_image *img, vision_rect r, double sigma);

/* The Gaussian sigma (0..3 in steps of 0.25) that brings face's sharpness
 * nearest to footage's, both measured inside the mask over r. */
double vision_blur_to_match(const media_image *face, const media_image *footage,
                            const uint8_t *mask, vision_rect r);

/* Unsharp masking of the pixels in r: each becomes itself plus amount times
 * itself less its Gaussian blur of sigma 1 pixel; amount <= 0 does nothing. */
void vision_sharpen(media_image *img, vision_rect r, double amount);
void vision_sharpen_on(bj_pool *pool, media_image *img, vision_rect r, double amount);

/* How much detail img has inside r where mask >= 128: the summed absolute
 * differences between neighbouring pixels (right and below), all channels. */
double vision_texture(const media_image *img, const uint8_t *mask, vision_rect r);

/* Scales img's detail finer than a Gaussian of VISION_DETAIL_SIGMA pixels
 * over r by gain (0..1; 1 or more leaves img as it is).  A star photo's
 * wrinkles, stubble and hard-lit brows against a soft old film face: the
 * pasted face then carries more detail than the face it covers, which looks
 * pasted on and, as the head moves, changes more from frame to frame than the
 * footage does (the flicker score rose with it, to 1.2-1.4). */
void vision_soften_detail(media_image *img, vision_rect r, double gain);
void vision_soften_detail_on(bj_pool *pool, media_image *img, vision_rect r, double gain);
#define VISION_DETAIL_SIGMA 1.5

/* The unsharp amount (0..1.5 in steps of 0.25) that brings face's sharpness
 * nearest to footage's: a small star photo enlarged onto a big footage face
 * is softer than it, and blurring (vision_blur_to_match) cannot help that. */
double vision_sharpen_to_match(const media_image *face, const media_image *footage,
                               const uint8_t *mask, vision_rect r);
