/*
 * swap_clip.h - the one-shot swap (perform/swap.h) on whole films and shots:
 * a star's photos loaded from a folder, a film's shots found, and one shot
 * (a range of frames) swapped into a clip of its own, for the renderer.
 *
 *     perform_swapper *s = perform_swapper_new(cascade, model, pool, &opts);
 *     int skipped;
 *     if (perform_swapper_add_stars(s, "faces/star_George_W_Bush", 40, &skipped) < 0)
 *         return bj_error_code();                 // no photo with a face
 *     perform_swap_stats st;
 *     perform_swap_range(s, "reel.mp4", 120, 239, "shot3.mp4", NULL, &st);
 *     perform_swap_range_opts ro = { .boxes = boxes };  // the wanted face per frame
 *     perform_swap_range(s, "reel.mp4", 120, 239, "shot3b.mp4", &ro, &st);
 *     printf("flicker %.2f margin %.3f\n", st.flicker, st.margin);
 *
 * A range is one shot: the swapper is reset before it, so nothing of an
 * earlier shot carries over.  The clip has the film's frame rate and size
 * (an odd last row or column dropped: H.264 wants even sides) and no sound;
 * the range is found by seeking, so a shot late in a long film is quick;
 * the renderer lays the sound.  It is written to a temporary name and renamed
 * when complete (media/encoder.h).
 */
#pragma once

#include <stdint.h>
#include <stddef.h>

#include "perform/swap.h"
#include "perform/swap_stars.h"   /* perform_swapper_add_stars */

/* The first frame of every shot of the film at path after the first (frames
 * counted from 0 in presentation order), from vision/shots.h on small frames:
 * *starts (malloc'd, free() it; NULL when there is one shot) gets *n values in
 * rising order.  Returns 0, or the decoder's error. */
int perform_swap_shots(const char *path, int64_t **starts, size_t *n);

/* perform_swap_shots on a thread of its own (with threads >= 2; else in
 * perform_swap_shots_finish), so that a command finds the shots while it
 * loads its models and star photos.  finish waits for it and gives its
 * result (*starts to free(), error set on the caller's thread) and frees the
 * job; every start needs its finish. */
typedef struct perform_shots_job perform_shots_job;
perform_shots_job *perform_swap_shots_start(const char *path, int threads);
int perform_swap_shots_finish(perform_shots_job *j, int64_t **starts, size_t *n);

/* While the search goes on: 1 if frame (asked in rising order) starts a shot
 * after the first, 0 if not, as the finished search will say; waits only
 * until the search has decided that far (vision_shots_settled), so a swap can
 * start at once and ask frame by frame.  A negative code with the error set
 * when the search failed before it got there. */
int perform_swap_shots_due(perform_shots_job *j, int64_t frame);

/* Ends the search at its next frame, for a caller that gave up (the swap
 * failed): perform_swap_shots_finish then waits no longer, and what it gives
 * is the search's so far. */
void perform_swap_shots_stop(perform_shots_job *j);

/* The frames of the film at path shown from in to out seconds: *first the
 * first at or after in, *last the last starting before out (at least
 * *first), by the frame rate perform_swap_range uses.  Returns 0, or the
 * decoder's error. */
int perform_swap_frames(const char *path, double in, double out, int64_t *first, int64_t *last);

/* How a range is swapped and encoded; all zero (or NULL) for the defaults. */
typedef struct perform_swap_range_opts {
	/* where the wanted face is in each frame first..last, 4 floats a frame
	 * (perform_swapper_target; a width of 0: not on screen), e.g. from
	 * library/face_boxes.h; NULL: the largest face.  Needs last >= 0. */
	const float *boxes;
	int crf;        /* x264's rate factor, 0: the encoder's default */
	/* 2 or more: decoding and encoding on threads of their own beside the
	 * swap (perform/swap_pipe.h); 0 or 1: one after the other.  The
	 * encoder's own threads stay at its default either way, so the clip's
	 * bytes do not depend on it. */
	int threads;
} perform_swap_range_opts;

/* Swaps frames first..last (inclusive, 0-based, last < 0 for the film's end)
 * of the film at path into a new film out (.mp4), after resetting s; *stats
 * (may be NULL) gets the range's scores.  *start_time (may be NULL) gets the
 * time in the film of the range's first frame, seconds.  Returns 0, or
 * BJ_EINVAL for a range that is empty or starts after the film's end (or
 * boxes without last), or the decoder's, encoder's or swapper's error (the
 * output is then not created). */
int perform_swap_range(perform_swapper *s, const char *path, int64_t first, int64_t last, const char *out,
                       const perform_swap_range_opts *opts, perform_swap_stats *stats, double *start_time);
