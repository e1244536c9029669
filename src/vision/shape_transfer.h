/*
 * shape_transfer.h - one person's face proportions on another's face: the
 * landmarks of a face moved, in the aligned frame of vision/align.h, by the
 * difference between two mean shapes (a star's and the actor's), keeping the
 * face's pose and its expression of the moment.
 *
 *     float from[136], to[136];                  // mean aligned shapes
 *     vision_shape_aligned(actor_pts, from);      // (summed and averaged over a shot)
 *     vision_shape_aligned(star_pts, to);         // (averaged over the star's photos)
 *     vision_shape_transfer(frame_pts, from, to, 1.0, moved);
 *
 * Why: a face warped onto the footage's landmarks keeps the actor's eye
 * spacing, nose length and mouth width, and only the star's skin comes
 * across; people tell faces apart by those proportions as much as by texture.
 *
 * What moves: the brows (17-26) and the nose (27-35), each point by its own
 * difference of the means; each eye (36-41, 42-47) as a whole, its centre by
 * the difference of the means' eye centres, its width and height scaled by
 * theirs, so a blink still closes it.  The jaw (0-16) bounds the pasted
 * face's mask and stays.  The mouth (48-67) stays too: the footage's open
 * mouth is kept (face_mask.h) and the star's lips must stay on its edge; moved
 * there, they left it (on Casablanca the seam score rose from 1.13 to 1.34 for
 * a margin 0.003 better).
 * No point moves by more than VISION_SHAPE_MAX_MOVE of the eye span and no
 * ratio exceeds VISION_SHAPE_MAX_RATIO (landmark fits of odd photos).
 */
#pragma once

/* Size of the aligned frame the shapes are in (vision_align_template's). */
#define VISION_SHAPE_SIZE 256
/* The most a point moves, of the outer eye-corner distance. */
#define VISION_SHAPE_MAX_MOVE 0.08
/* The most an eye's width or height is scaled by (or 1 / it). */
#define VISION_SHAPE_MAX_RATIO 1.2

/* The 68 landmarks pts (pixels) in the aligned frame of side
 * VISION_SHAPE_SIZE, into aligned (136 floats).  Returns 0, or BJ_EINVAL for
 * degenerate landmarks. */
int vision_shape_aligned(const float *pts, float *aligned);

/* The 68 landmarks pts (pixels) moved by amount (0 none .. 1 all) of the way
 * from the mean shape from to the mean shape to (both aligned), into out (136
 * floats, may be pts).  Returns 0, or BJ_EINVAL for degenerate landmarks
 * (out is then a copy of pts). */
int vision_shape_transfer(const float *pts, const float *from, const float *to, double amount, float *out);
