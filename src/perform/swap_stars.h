/*
 * swap_stars.h - a star's photos from a folder for the one-shot swap
 * (perform/swap.h): decoded and their faces found on all of a pool's threads,
 * then added to a swapper in the order of their names.
 *
 *     perform_star_photos *p;
 *     if (perform_star_photos_find("faces/star_George_W_Bush", 40, cascade, pool, &p) < 0)
 *         return bj_error_code();                 // no such file or folder
 *     ... the landmark model loads meanwhile, elsewhere ...
 *     perform_swapper *s = perform_swapper_new(cascade, model, pool, &opts);
 *     int skipped, added = perform_swapper_add_photos(s, p, &skipped);
 *     perform_star_photos_free(p);
 *
 * Finding the faces needs the cascade only, so it can run while the landmark
 * model, which takes longer to load, is read.  The photos are the same and
 * added in the same order whatever the pool's size, so the swapper is too.
 */
#pragma once

#include "base/threads.h"
#include "perform/swap.h"
#include "vision/cascade.h"

/* Star photos, decoded, with their faces found (opaque). */
typedef struct perform_star_photos perform_star_photos;

/* The star's photos: path is one image (.jpg, .jpeg, .png) or a folder of
 * them, of which at most max (>= 1), spread evenly over the names in order,
 * are used; each decoded and its largest face found with c, a photo a task of
 * pool (NULL: on the caller).  A photo that does not decode or has no face is
 * kept to be counted as skipped.  0 with *out set (free with
 * perform_star_photos_free), or BJ_ENOENT for a missing path, BJ_EIO for an
 * unreadable folder, with the error naming path. */
int perform_star_photos_find(const char *path, int max, const vision_cascade *c, bj_pool *pool,
                             perform_star_photos **out);

/* Adds the photos with a face to s in order (perform_swapper_add_star_at);
 * those without, or whose face cannot be fitted, are counted in *skipped (may
 * be NULL).  Returns the number added (> 0), or BJ_EINVAL when none was, with
 * the error naming the path the photos came from. */
int perform_swapper_add_photos(perform_swapper *s, const perform_star_photos *p, int *skipped);

void perform_star_photos_free(perform_star_photos *p);

/* Both steps at once with s's cascade and pool: returns what
 * perform_swapper_add_photos returns, or perform_star_photos_find's error. */
int perform_swapper_add_stars(perform_swapper *s, const char *path, int max, int *skipped);
