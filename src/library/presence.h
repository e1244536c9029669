/*
 * presence.h - who is on screen in each shot, as the faces stage leaves it in
 * the faces and tracks tables: per shot, how many face detections there are and
 * how large the largest is; per identity, how much of each shot it is seen in.
 *
 *     library_presence *p; size_t n;
 *     library_shot_presence(lib, 0, &p, &n);      // every shot with a face, by shot id
 *     library_shot_presence(lib, 7, &p, &n);      // the shots identity 7 is tracked in
 *     ... free(p);
 *
 * Shots without any face are absent from the result.  Face boxes are read as
 * fractions of the frame when at most 1, else as pixels of the film's frame.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "library/library.h"

typedef struct library_presence {
	int64_t shot_id;
	int faces;           /* face detections in the shot (of that identity's tracks if given) */
	double face_height;  /* the largest face's height, a fraction of the frame height */
	double seen;         /* identity given: fraction of the shot's frames its tracks cover */
} library_presence;

/* identity 0: every face; else only faces of tracks of that identity.  A new
 * array by shot id (free()). */
int library_shot_presence(library *lib, int64_t identity, library_presence **out, size_t *n);
