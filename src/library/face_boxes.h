/*
 * face_boxes.h - where one person's face is in every frame of a stretch of a
 * film, from the faces the index stored along their tracks: what the swap is
 * given so that it changes that face and no other (perform/swap.h,
 * perform_swapper_target).
 *
 *     int64_t n = last - first + 1;
 *     float *boxes = malloc(4 * n * sizeof *boxes);
 *     int found = library_face_boxes(lib, film.id, 7, 0, first, last, boxes);
 *     // boxes[4 * k ...]: x, y, w, h of identity 7's face in frame first + k
 *
 * The index samples faces twice a second: between two samples of a track the
 * box moves linearly from one to the other, and a track's first and last
 * boxes hold for LIBRARY_FACE_BOX_SLACK seconds before and after it (a face
 * seen at one sample was there for about that long), never past its shot.
 * A frame where the person is not seen gets w = h = 0.  Boxes stored as
 * fractions of the frame (an old library) are turned into the film's pixels.
 */
#pragma once

#include <stdint.h>

#include "library/library.h"

#define LIBRARY_FACE_BOX_SLACK 0.5

/* Fills boxes (4 floats per frame first..last, pixels of the film film_id)
 * with the face of the tracks of identity (0: any identity) that are track
 * (0: any track); where two such tracks overlap, the lower track id wins.
 * Returns the number of frames with a box (0 when the person is never seen
 * there), or a negative code with the error set (BJ_EINVAL for an empty
 * range, or neither identity nor track given). */
int library_face_boxes(library *lib, int64_t film_id, int64_t identity, int64_t track, int64_t first,
                       int64_t last, float *boxes);
