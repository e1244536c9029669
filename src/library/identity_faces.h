/*
 * identity_faces.h - the faces one footage identity was seen with, as the
 * index stored them: which film, which frame, and the 68 landmarks, for
 * cropping that person's face to train a swap (perform/swap_footage.h).
 *
 *     library_identity_face *f; size_t n;
 *     library_identity_faces(lib, 7, &f, &n);   // faces of tracks of identity 7
 *     ...
 *     library_identity_faces_free(f, n);
 *
 * Only faces the detector found are returned (not those filled in along a
 * track), with landmarks, by film path and frame.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "library/library.h"

typedef struct library_identity_face {
	char *path;             /* the film, as indexed */
	double fps;             /* its frame rate */
	int64_t frame;          /* 0-based frame index */
	float landmarks[136];   /* x y x y ... in the film's pixels */
} library_identity_face;

/* The faces of identity's tracks into a new array (free with
 * library_identity_faces_free).  n is 0 for an identity without faces.
 * Returns 0, or a negative code with the error set (BJ_EFORMAT for a stored
 * landmark blob that is not 136 float32). */
int library_identity_faces(library *lib, int64_t identity, library_identity_face **out, size_t *n);

void library_identity_faces_free(library_identity_face *faces, size_t n);
