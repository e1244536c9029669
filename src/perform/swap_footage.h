/*
 * swap_footage.h - face crops from films: the frames a footage identity was
 * seen in are decoded and its faces cropped with the landmarks the index
 * stored (the library's faces table; the caller reads it, this layer does not
 * know the library).
 *
 *     perform_face_ref refs[] = { { "reel.mp4", 25.0, 120, { x0, y0, ... } }, ... };
 *     perform_crops_add_footage(set, refs, n, progress);  // skips counted in set
 *
 * Faces are visited film by film in frame order, each film decoded once at its
 * own size: forward through nearby frames, seeking only over gaps of more than
 * two seconds.  A frame the film does not have (past its end) is an error.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/progress.h"
#include "perform/swap_crops.h"

typedef struct perform_face_ref {
	const char *video;      /* the film's path (borrowed) */
	double fps;             /* its frame rate, to find the frame */
	int64_t frame;          /* 0-based frame index, as media_frame.index counts */
	float landmarks[2 * PERFORM_CROPS_POINTS];  /* in the film's pixels */
} perform_face_ref;

/* Adds the faces of refs (n; any order) to set; progress (may be NULL)
 * advances by one per face.  Returns the number added, or a negative code with
 * the error set (the decoder's, or "'<video>': no frame 1234 (the film ends at
 * frame 1000)"). */
int perform_crops_add_footage(perform_crops *set, const perform_face_ref *refs, size_t n,
                              bj_progress *progress);
