/*
 * identities.h - footage actors: the face tracks of the whole library grouped
 * by who they are, with screen time and a representative face.
 *
 *     int n;
 *     library_identities_update(lib, &n);     // after indexing; re-clusters all
 *     library_identity *ids; size_t k;
 *     library_identities(lib, &ids, &k);       // by screen time; free()
 *
 * Each track carries the mean descriptor of its faces (library/faces.h,
 * vision/facedesc.h).  Updating clusters them by average linkage on cosine
 * distance (vision/faceid.h); two tracks seen at the same time in one shot are
 * never one person.  Identities are renumbered
 * 1, 2, ... by screen time (the longest first) each time; a name given to an
 * identity passes to the new identity that holds most of its tracks.  Screen
 * time is the sum of the tracks' spans, plus half a second each (the sampling
 * step: a face seen in one sampled frame was there for about that long).
 */
#pragma once

#include <stdint.h>

#include "library/library.h"

typedef struct library_identity {
	int64_t id;
	char name[64];        /* "" when unnamed */
	double screen_time;   /* seconds */
	int n_tracks, n_films, n_shots;
	int64_t face_id;      /* the representative face (largest, most frontal); 0 if none */
} library_identity;

/* Clusters every described track of the library into identities, replacing
 * the identities table and tracks.identity_id, in one transaction.  *count
 * (NULL-safe) gets the number of identities. */
int library_identities_update(library *lib, int *count);

/* Every identity, the most screen time first.  *ids is a new array (free()). */
int library_identities(library *lib, library_identity **ids, size_t *n);

/* Up to max thumbnails (JPEG, 64 x 64 aligned crops) of an identity's faces:
 * the representative first, then others from its tracks, longest tracks
 * first.  jpegs[i] are new buffers (free() each); returns the number found. */
int library_identity_thumbnails(library *lib, int64_t id, int max, uint8_t **jpegs, size_t *sizes);
