/*
 * profile.h - a shot's motion frame by frame, kept in the library so that the
 * director can cut on still moments: one byte per frame of the shot, in the
 * shots table's motion_profile column (schema version 4).
 *
 *     uint8_t *bytes = bj_xmalloc(n);
 *     library_profile_encode(motion, n, bytes);      // while indexing
 *     float *m; size_t k;
 *     library_shot_profile(lib, shot_id, &m, &k);    // m[i]: frame start_frame + i
 *     ... free(m);
 *
 * A frame's motion is the mean absolute difference to the previous frame
 * after camera motion and brightness are matched, 0..1, at the analysis size
 * (80 pixels wide: library/look.h); the shot's first frame, whose difference
 * is the cut itself, gets its second's.  Byte b stands for (b / 255)^2: a
 * square-root scale keeps resolution where cut points are judged (0.002 is
 * byte 11, 0.02 byte 36), and an hour at 25 frames a second takes 90 kB.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "library/library.h"

/* motion (n values, 0..1; outside clamped) into n bytes. */
void library_profile_encode(const float *motion, size_t n, uint8_t *out);

/* One byte back to a motion value. */
float library_profile_decode(uint8_t b);

/* The profile of a shot, decoded: *motion is a new array (free()) of *n
 * values, one per frame from the shot's start_frame, or NULL and 0 when the
 * shot has none (indexed before version 4).  An unknown shot is BJ_ENOENT
 * ("'<library>': no shot <id>"). */
int library_shot_profile(library *lib, int64_t shot_id, float **motion, size_t *n);
