/*
 * shrink.h - a quick area-average shrink of a planar 8-bit YUV picture straight
 * to RGB or grey, for the decoder's fast mode (media_decoder_set_fast).
 *
 *     media_shrink sh = { 0 };
 *     media_yuv_planes p = { {y, u, v}, {ys, us, vs}, 640, 360, 1, 1, 0, 0.299, 0.114 };
 *     if (media_shrink_yuv(&sh, &p, &out) == 0) ...   // out: 160x90 RGB, allocated by the caller
 *     media_shrink_release(&sh);
 *
 * Each output pixel is the mean of the source pixels under it (luma and chroma
 * planes each averaged over their own box; a box 4 or more pixels tall is
 * sampled on every other row; chroma at half the output's size
 * when the source's is subsampled), then converted with the stream's
 * matrix and range to full-range RGB, or full-range luma for grey.  Reading the
 * planes the decoder produced once, with integer sums, costs less than a quarter
 * of swscale's fast bilinear path to RGB at the same size, because no full-size
 * RGB or filter taps are ever computed.  Only shrinking (output no larger than
 * the picture each way); the caller falls back to swscale otherwise.
 */
#pragma once

#include <stdint.h>

#include "media/image.h"

typedef struct media_yuv_planes {
	const uint8_t *plane[3];   /* Y, Cb, Cr; Cb and Cr NULL for grey pictures */
	int stride[3];
	int width, height;         /* of the luma plane */
	int shift_x, shift_y;      /* chroma subsampling: chroma is width >> shift_x (rounded up) */
	int full_range;            /* 1: 0..255 (JPEG); 0: video range, luma 16..235 */
	double kr, kb;             /* the matrix's luma weights of red and blue */
} media_yuv_planes;

/* Column tables kept between frames of one size. */
typedef struct media_shrink {
	int src_w, src_cw, dst_w, dst_cw;   /* dst_cw: chroma boxes per output row */
	int *x0, *cx0;             /* (dst_w, 2) first and end column of each box, luma and chroma */
	uint32_t *acc;             /* (src_w) column sums of the rows of a box */
	uint32_t *cacc[2];         /* (src_cw) the same for Cb and Cr */
	uint8_t *row[3];           /* (dst_w) box means of one output row: Y, Cb, Cr */
	uint32_t *recip;           /* (n_recip) 2^24 / pixels in a box */
	int xq, cxq;               /* the narrowest box, luma and chroma, if all are that or one
	                              column wider, else 0 */
	int n_recip;
	int have_tables, full_range;
	double kr, kb;
	int ylut[256], rv[256], gu[256], gv[256], bu[256];  /* see tables() */
} media_shrink;

/* Shrinks p into out (its size and channels say what to make: 1..p->width by
 * 1..p->height, grey or RGB).  Returns 0, or BJ_EINVAL with the error set when out
 * is larger than the picture either way. */
int media_shrink_yuv(media_shrink *sh, const media_yuv_planes *p, media_image *out);

void media_shrink_release(media_shrink *sh);
