/*
 * portrait.h - where to find a good picture of an identity's face: the film,
 * the moment and the box of its largest detected face, for a cast sheet or
 * the report.
 *
 *     library_portrait p;
 *     if (library_identity_portrait(lib, 3, &p) == 0)
 *         ... decode p.film at p.time, crop (p.x, p.y, p.w, p.h) ...
 *     library_portrait_release(&p);
 *
 * The library holds no face pictures of its own: the caller decodes the frame
 * (the film is the library's path for it, opened read-only).
 */
#pragma once

#include <stdint.h>

#include "library/library.h"

typedef struct library_portrait {
	char *film;             /* the film's path */
	char *name;             /* the identity's name, or NULL when it has none */
	double time;            /* seconds into the film */
	double x, y, w, h;      /* the face's box, in the video's pixels */
} library_portrait;

/* Fills p for identity (release with library_portrait_release).  Returns 0,
 * BJ_ENOENT with the error set when the identity has no face ("'<db>':
 * identity 3 has no face"), or BJ_EIO. */
int library_identity_portrait(library *lib, int64_t identity, library_portrait *p);

/* Frees the strings and zeroes p; safe on a zeroed struct. */
void library_portrait_release(library_portrait *p);
