/*
 * poisson.h - gradient-domain (Poisson) image editing: a multigrid solver for
 * the discrete Poisson equation on a rectangle, and seamless cloning with it
 * (Perez, Gangnet and Blake, "Poisson Image Editing", SIGGRAPH 2003).
 *
 *     vision_rect r = { x0, y0, x1, y1 };      // holds the mask with a pixel to spare
 *     vision_seamless_clone(frame, warped_star, mask, r);
 *
 * The equation: 4 u(p) - sum of u over p's 4 neighbours = f(p) at every
 * interior point of a w x h grid, with u fixed on the grid's border (Dirichlet).
 * The solver runs one full-multigrid pass (the right-hand side restricted to
 * the coarsest grid, solved there, and each finer grid started from the
 * coarser's solution) and then multigrid V-cycles (red-black Gauss-Seidel
 * smoothing, full-weighting restriction, bilinear prolongation, coarsening to
 * (n - 1) / 2 points a side) until the largest residual is below the
 * tolerance: a few cycles, each about 10 sweeps' work, where Gauss-Seidel
 * alone needs on the order of n^2 sweeps.  Inside, four equations are solved
 * at once as one vector per point: the clone's three channels together (so
 * vision_poisson_solve's one equation costs about what the clone's three do).
 */
#pragma once

#include <stdint.h>

#include "base/threads.h"
#include "media/image.h"
#include "vision/tone.h"

/* Solves for u (w x h, row-major; its border values are the boundary condition
 * and its interior the starting guess) given f (w x h, only the interior is
 * read).  Stops when max |f - A u| <= tol or after 100 cycles; *cycles (may be
 * NULL) gets the number run.  Returns 0, or BJ_EINVAL for w or h below 3. */
int vision_poisson_solve(float *u, int w, int h, const float *f, double tol, int *cycles);

/* Seamless cloning of src into dst (same size, RGB) inside rectangle r (clipped
 * to the image): the result keeps dst on r's border and takes between two
 * neighbouring pixels src's gradient weighted by their mean mask / 255 and
 * dst's by the rest (src's inside a mask of 255, dst's outside, a blend of
 * the two across a feathered edge, so that a mask moved by a fraction of a
 * pixel moves the result by as little); then each pixel moves from dst
 * towards the result by mask / 255, so a feathered mask also feathers the
 * clone.  Solved to a residual of 0.5
 * from src inside the mask and dst outside: within a grey level of the exact
 * solution (a start from dst left errors of several).  Returns 0, or BJ_EINVAL when
 * the images differ in size or are not RGB, or r is under 3 x 3 pixels. */
int vision_seamless_clone(media_image *dst, const media_image *src, const uint8_t *mask,
                          vision_rect r);

/* The same over pool's threads (NULL: on the caller) in fixed bands of rows:
 * the same bytes. */
int vision_seamless_clone_on(bj_pool *pool, media_image *dst, const media_image *src, const uint8_t *mask,
                             vision_rect r);

/* vision_seamless_clone_on with the guidance's weights from guide (laid out
 * as mask) instead of mask: src's gradient between two pixels by their mean
 * guide / 255, dst's by the rest; mask still chooses the start and how far
 * each pixel moves.  guide == mask is vision_seamless_clone_on. */
int vision_seamless_clone_guided_on(bj_pool *pool, media_image *dst, const media_image *src, const uint8_t *mask,
                                    const uint8_t *guide, vision_rect r);
