/*
 * samples.h - every face the library holds, one row per sampled frame of a
 * track, with what the director asks of it: how large, how frontal, which
 * identity, and how open its eyes and mouth are (from the stored landmarks,
 * vision/openness.h).
 *
 *     library_face_sample *s; size_t n;
 *     if (library_face_samples(lib, &s, &n) < 0)
 *         return bj_error_code();
 *     for (i = 0; i < n; i++) ... s[i].shot_id, s[i].frame, s[i].eyes ...
 *     free(s);
 *
 * Faces are sampled twice a second while indexing (library/faces.h), so a
 * blink (a tenth to a third of a second) is seen only when a sample falls on
 * it.  Face boxes are read as fractions of the frame when at most 1, else as
 * pixels of the film's frame.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "library/library.h"

typedef struct library_face_sample {
	int64_t shot_id;
	int64_t track_id;     /* 0: a face not on a track */
	int64_t identity_id;  /* the track's identity; 0 none */
	int64_t frame;        /* of the film */
	float height;         /* box height, fraction of the frame height */
	float yaw, pitch;     /* degrees (vision/align.h); NAN when not estimated */
	float eyes, mouth;    /* vision_eye_openness, vision_mouth_openness; NAN without landmarks */
	int detected;         /* 0: filled in along the track */
} library_face_sample;

/* Every face sample, by shot, track and frame: *out is a new array (free()). */
int library_face_samples(library *lib, library_face_sample **out, size_t *n);

/* The spacing, in frames, of the frames the indexer samples for keyframes and
 * faces in a film at fps: round(fps / 2), twice a second (at least 1). */
int library_sample_every(double fps);

/* How many of the frames first..last (of a film at fps) are sampled. */
int64_t library_sampled_frames(int64_t first, int64_t last, double fps);
