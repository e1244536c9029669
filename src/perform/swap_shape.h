/*
 * swap_shape.h - the star's face proportions for the swap: where to warp the
 * star's photo so that the pasted face has the star's eye spacing, eye size,
 * brow height and nose, on the actor's pose and expression.
 *
 *     perform_swap_shape *sh = perform_swap_shape_new();
 *     perform_swap_shape_add_star(sh, photo_landmarks);   // each star photo
 *     for each frame of a followed face:
 *         perform_swap_shape_move(sh, pts, moved);        // warp the star onto moved
 *     perform_swap_shape_reset(sh);                      // the face was lost or the shot changed
 *     perform_swap_shape_free(sh);
 *
 * The landmarks are moved (vision/shape_transfer.h) from the actor's mean
 * shape, averaged over the frames of the face so far, to the star's: the mean
 * of the star photos' shapes weighted by how near each photo's head pose is
 * to the actor's mean pose (POSE_SIGMA degrees), so that only proportions,
 * not a turn of the head, are carried across.  Both means change little from
 * frame to frame once a few frames are in, so the move adds no flicker; the
 * actor's own changes of expression (blinks, speech) pass through unchanged.
 */
#pragma once

typedef struct perform_swap_shape perform_swap_shape;

/* A new shape mover with no star shapes (it then moves nothing); free with
 * perform_swap_shape_free. */
perform_swap_shape *perform_swap_shape_new(void);

/* Adds a star photo's 68 landmarks (pixels).  Returns 0, or BJ_EINVAL for
 * degenerate landmarks. */
int perform_swap_shape_add_star(perform_swap_shape *sh, const float *pts);

/* The face's 68 landmarks pts moved to the star's proportions, into out (136
 * floats, may be pts); pts also goes into the actor's mean shape.  With no
 * star shape, or degenerate landmarks, out is pts. */
void perform_swap_shape_move(perform_swap_shape *sh, const float *pts, float *out);

/* Forgets the actor's shape (a new face or shot). */
void perform_swap_shape_reset(perform_swap_shape *sh);

void perform_swap_shape_free(perform_swap_shape *sh);
