/*
 * warp.h - piecewise-affine warps: an image moved from one set of points to
 * another, triangle by triangle (the star's face onto the footage's landmarks).
 *
 *     float box_src[2 * 76], box_dst[2 * 76];
 *     vision_warp_frame(src_pts, 68, box_src);       // 68 landmarks + 8 boundary points
 *     vision_warp_frame(dst_pts, 68, box_dst);
 *     vision_delaunay(box_src, 76, &tris, &n_tris);   // one triangulation for both
 *     vision_warp_affine(src, box_src, dst, box_dst, tris, n_tris, covered);
 *
 * Every pixel of dst inside a destination triangle is sampled (bilinear) from
 * src through that triangle's affine map; other pixels are left alone.  Pixel
 * (x, y)'s centre is at (x, y), as in vision/align.h.
 */
#pragma once

#include <stdint.h>

#include "base/threads.h"
#include "media/image.h"

/* The number of points vision_warp_frame adds. */
#define VISION_WARP_FRAME_POINTS 8

/* Copies n points (x y ...) to out and adds VISION_WARP_FRAME_POINTS around
 * them: the corners and edge middles of their bounding box grown by 30 % of
 * its size on each side (the forehead side by 60 %, so the brows' triangles
 * reach above them).  out holds 2 * (n + 8) floats. */
void vision_warp_frame(const float *pts, int n, float *out);

/* Warps src (RGB or grey) into dst (same channels): each triangle tris[i]
 * (indices into the point lists) from src_pts onto dst_pts.  Triangles that
 * are flat in src or dst are skipped.  covered (dst's width x height, or NULL)
 * gets 255 where a pixel was written.  Returns 0, or BJ_EINVAL when the
 * channels differ. */
int vision_warp_affine(const media_image *src, const float *src_pts, media_image *dst,
                       const float *dst_pts, const int *tris, int n_tris, uint8_t *covered);

/* The same over pool's threads (NULL: on the caller) in fixed bands of dst's
 * rows: the same bytes. */
int vision_warp_affine_on(bj_pool *pool, const media_image *src, const float *src_pts, media_image *dst,
                          const float *dst_pts, const int *tris, int n_tris, uint8_t *covered);
