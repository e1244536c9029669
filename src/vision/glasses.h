/*
 * glasses.h - the rims of a pair of glasses on a face, found from its 68
 * landmarks (iBUG 300-W order) and the picture: so that a face swap can give
 * the footage's glasses back instead of painting skin over them.
 *
 *     vision_glasses g;
 *     vision_glasses_find(footage, pts, NULL, &g);   // or the shot's radii so far as a prior
 *     if (vision_glasses_score(&g) > 0.6)            // most of both rims found
 *         vision_glasses_mask(footage, &g, mask, w, h, &box);   // 0..255 on the rims
 *
 * How: a rim is a thin line, darker (or brighter) than the picture on both
 * its sides, that goes round each eye; a brow or the edge of an eye is a
 * band or a step, not a line.  From each eye's centre, rays at
 * VISION_GLASSES_ANGLES angles (ray k at 2 pi k / ANGLES from u, the
 * direction from the left eye to the right, turning towards v, down the
 * face) are sampled between a quarter and six tenths of the distance between
 * the eyes' centres.  The line response at each radius is the gap between
 * the pixel and the nearer of its two neighbours a rim's width away along
 * the ray (averaged with the points a pixel to either side), for dark lines
 * and for bright ones; a dynamic programme picks per ray the radius that
 * makes the strongest smooth loop, for whichever kind makes the stronger.
 * A face without glasses has such a line on few rays (a wrinkle, a crease),
 * one with glasses on nearly all.  Across the nose the bridge is found the
 * same way, along vertical profiles between the two rims.
 */
#pragma once

#include <stdint.h>

#include "media/image.h"
#include "vision/tone.h"

enum { VISION_GLASSES_ANGLES = 32, VISION_GLASSES_BRIDGE = 16 };

/* The line response (grey levels, 0..255) above which a ray counts as
 * crossing a rim. */
#define VISION_GLASSES_LINE 15.0f

typedef struct vision_glasses {
	float centre[2][2];   /* the eyes' centres (mean of points 36-41, 42-47), pixels */
	float u[2], v[2];     /* unit vectors: from the left eye's centre to the right's, and across it (down) */
	float span;           /* the distance between the eyes' centres, pixels */
	float delta;          /* a rim's width: how far either side a line's neighbours are sampled */
	int bright;           /* the rims are brighter than what is around them (else darker) */
	float radius[2][VISION_GLASSES_ANGLES];     /* per eye and ray: the rim's distance from the centre */
	float strength[2][VISION_GLASSES_ANGLES];   /* ... and its line response there */
	float bridge_at[VISION_GLASSES_BRIDGE];     /* across the nose: the bridge's offset along v ... */
	float bridge_strength[VISION_GLASSES_BRIDGE];   /* ... and its line response */
	float bridge_x0, bridge_x1;   /* the bridge's ends along u, from the left eye's centre */
} vision_glasses;

/* Finds the most likely rims around both eyes of the face with landmarks pts
 * in img (RGB).  prior (may be NULL): per eye and ray the radius over span
 * seen so far in the shot; the rims are drawn towards it.  Returns 0, or
 * BJ_EINVAL when the eyes' centres coincide. */
int vision_glasses_find(const media_image *img, const float *pts, const float *prior /* (2, ANGLES) */,
                        vision_glasses *g);

/* The share of rays (both eyes) whose rim's response is at least
 * VISION_GLASSES_LINE, leaving out the top third of each loop (rays between
 * 210 and 330 degrees), where the rim often runs inside the brow and no line
 * shows: 0.85 or more on a face with glasses, 0.3 or less without (measured
 * on the 13 clips of issue 8). */
float vision_glasses_score(const vision_glasses *g);

/* Writes into mask (w x h bytes, only inside *box, which it returns clipped
 * to the image; an empty box when out of memory) up to 255 on the rims and
 * the bridge of g - the pixels near the found loops that are themselves a
 * line of g's kind, by ramps rather than thresholds so that grain does not
 * make the mask flicker - feathered to 0 over a pixel beside them. */
void vision_glasses_mask(const media_image *img, const vision_glasses *g, uint8_t *mask, int w, int h,
                         vision_rect *box);
