/*
 * skin.h - a pasted face lit and tinted like the face it covers: the colour
 * of the bare skin, smoothed over the face, moved from the footage onto the
 * star while the star keeps its own features and their contrast.
 *
 *     vision_skin_mask(landmarks, mask, w, box, skin);     // cheeks, forehead, nose, chin
 *     vision_skin_relight(star, frame, skin, mask, box, vision_skin_sigma(landmarks), mono);
 *
 * Why not one mean and spread for the whole face (vision_lab_transfer): the
 * spread of a face is mostly its eyes, brows, nostrils, hair and shadows, not
 * its skin, and two faces differ there.  Matching spreads scaled the star's
 * dark brows and eye sockets by the footage's (a soft-lit actress's face
 * against dark hair gave 1.6x: a dark mottled mask) and squeezed its skin's
 * reds (grey-green patches); one mean for a face lit from the side left the
 * light's ramp for the seamless clone to pull in from the edge.  Here the
 * correction is a smooth field, the ratio of the two skins' low-pass colours
 * in linear light (light multiplies what a face reflects), so a shadow over
 * the footage's cheek darkens the star's cheek by as much, and the star's
 * features are scaled by the light on them, not stretched.
 */
#pragma once

#include <stdint.h>

#include "base/threads.h"
#include "media/image.h"
#include "vision/tone.h"

/* Writes into skin (one byte per pixel of a w-wide image; only inside box)
 * 255 where mask >= 128 and the 68 landmarks say bare skin: not the eyes with
 * their lids, the brows, the nostrils or the lips (each grown by a part of the
 * eye's width, as the landmarks sit on their middles and edges), 0 elsewhere. */
void vision_skin_mask(const float *landmarks, const uint8_t *mask, int w, vision_rect box, uint8_t *skin);

/* The low-pass width for a face: 0.6 times the outer eye-corner distance, in
 * pixels: wide enough to smooth over pores and stubble, narrow enough to keep
 * a light's fall-off across the face. */
double vision_skin_sigma(const float *landmarks);

/* Multiplies each pixel's luminance in img where mask is not 0 (all of a
 * feathered band) by ref's low-pass skin luminance over img's at that pixel,
 * and shifts its a* b* by ref's low-pass skin colour less img's as far as
 * the pixel is skin-like (brows, eyes and lips keep their colour): a
 * Gaussian of sigma pixels over the skin pixels only (normalised convolution),
 * each image's skin first cleared of what is not skin there (hair, a shadow's
 * black, a background showing through: pixels more than 30 L* from the skin's
 * median or 20 from its median a*b*).  The ratio is kept within 1/6..6.
 * mono: img is made grey first (ref's tint, a sepia print's, still comes
 * through).  For vision_skin_clone: alien (w-wide like mask, written inside
 * box) gets 255 where ref is unlike its skin by that rule, 0 elsewhere, and
 * fill (an RGB image of ref's size) ref's low-pass skin colour at those
 * pixels.  Returns 0, or BJ_EINVAL when the images differ in size or either
 * has no skin in box (alien then all 0). */
int vision_skin_relight(media_image *img, const media_image *ref, const uint8_t *skin, const uint8_t *mask,
                        vision_rect box, double sigma, int mono, uint8_t *alien, media_image *fill);

/* vision_seamless_clone of src into dst over box, except that where dst is
 * alien and outside the mask's core (under 255) the clone meets fill (the
 * skin that would be there), moved in lightness halfway to dst at the face's
 * sides (not at the top, the hairline), instead of dst: a seamless clone
 * makes the face meet whatever lies around it, and hair, a dark background
 * or the open mouth pulled their dark and colour smoothly into the face (a
 * dark mask on a face framed by black hair); met with fill alone, the face
 * ended as a light band over the hair.  The feathered edge still blends onto
 * dst itself.  Inside the mask's core (255) the clone's offset from src fades
 * with the depth, to three quarters a sixth of the box's width in: a seamless clone
 * moves the whole face by what src and dst differ by at its edge (a relit
 * star whose edge stays lighter than the footage's shadowed jaw came out
 * darker and pinker all over than it had been relit), where the fade keeps
 * src's colour inside and meets dst at the edge.  A hole in the mask (the
 * mouth, vision_mask_fill_holes) is solved and faded as if it were filled and
 * only shown through the hole: dst stays inside it, and its edge is not a
 * boundary the clone meets (it moved with the lips, and the face around
 * them with it).  Only pixels with mask above 0 change.  Returns as
 * vision_seamless_clone. */
int vision_skin_clone(media_image *dst, const media_image *src, const uint8_t *mask, const uint8_t *alien,
                      const media_image *fill, vision_rect box);

/* vision_skin_mask, vision_skin_relight and vision_skin_clone over pool's
 * threads (NULL: on the caller) in fixed bands of rows: the same bytes. */
void vision_skin_mask_on(bj_pool *pool, const float *landmarks, const uint8_t *mask, int w, vision_rect box,
                         uint8_t *skin);
int vision_skin_relight_on(bj_pool *pool, media_image *img, const media_image *ref, const uint8_t *skin,
                           const uint8_t *mask, vision_rect box, double sigma, int mono, uint8_t *alien,
                           media_image *fill);
int vision_skin_clone_on(bj_pool *pool, media_image *dst, const media_image *src, const uint8_t *mask,
                         const uint8_t *alien, const media_image *fill, vision_rect box);

/* vision_skin_clone_on with the clone's guidance weighted by weights (laid
 * out as mask; vision_seamless_clone_guided_on) where the mask is not a
 * filled hole, by no more than mask: vision_face_mask_guided's jaw, steeper
 * than the mask, takes the footage's gradient over the feather's outer part
 * there.  weights == mask is vision_skin_clone_on. */
int vision_skin_clone_guided_on(bj_pool *pool, media_image *dst, const media_image *src, const uint8_t *mask,
                                const uint8_t *weights, const uint8_t *alien, const media_image *fill,
                                vision_rect box);
