/*
 * ingest.h - indexing films into the library: find the video files under some
 * paths, cut each into shots and describe them, one transaction per film.
 *
 *     char **files; size_t n;
 *     library_collect_files(paths, n_paths, &files, &n);   // sorted, recursive
 *     for (i = 0; i < n; i++) {
 *         library_index_report r;
 *         if (library_index_file(lib, files[i], &opts, &r) < 0)
 *             return bj_error_code();          // the library itself failed: stop
 *         if (r.status == LIBRARY_SKIPPED || r.status == LIBRARY_DAMAGED)
 *             warn(r.message);                 // that file only; go on
 *     }
 *     library_files_free(files, n);
 *
 * A film is keyed by its content hash (library/hash.h): a file whose hash is in
 * the library is not decoded again (LIBRARY_UNCHANGED), a changed file at a path
 * already indexed replaces that film, and a new file is added.  Everything about a
 * film is written in one transaction at its end, so a run killed mid-film leaves
 * the library as it was before that film and the next run indexes it again.
 * Files are opened read-only.  Three threads: one decodes the pictures (without
 * the in-loop deblocking filter, media_decoder_set_rough), shrunk by the decoder
 * straight from YUV to 80 pixels wide for analysis (and to 320 wide twice a
 * second for keyframe candidates), one streams the soundtrack, and the calling
 * thread analyses.  Each shot's keyframe is the candidate nearest its middle,
 * the only one encoded as JPEG; a shot shorter than the candidates' spacing gets
 * its middle frame by seeking after the pass.  Per-frame work is kept to a fraction of the
 * decode's (bench/bench_index.c), with room left for per-sampled-frame work such
 * as face detection through the sampled hook.
 *
 * A still (PNG, JPEG: what FFmpeg reads as a single picture) is indexed as a
 * film of one shot LIBRARY_STILL_SECONDS long, without motion or sound, its
 * keyframe the picture itself; the renderer pans and zooms over it.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "library/faces.h"
#include "library/library.h"
#include "media/image.h"

/* The length of the one shot a still is indexed as (seconds). */
#define LIBRARY_STILL_SECONDS 10.0

enum library_index_status {
	LIBRARY_INDEXED,    /* decoded and written */
	LIBRARY_UNCHANGED,  /* its content is in the library already */
	LIBRARY_SKIPPED,    /* not a video (message says why) */
	LIBRARY_DAMAGED,    /* a video that could not be read to the end (message) */
};

typedef struct library_index_progress {
	const char *path;
	int64_t frames_done;
	int64_t frames_total;   /* the container's count or an estimate; 0 unknown */
	double seconds_done;    /* of footage */
	double duration;
} library_index_progress;

typedef struct library_index_options {
	/* called on the indexing thread every few frames; may be NULL */
	void (*progress)(void *ctx, const library_index_progress *p);
	void *progress_ctx;
	/* called on the indexing thread for each sampled frame (the keyframe
	 * candidates: twice a second, 320 pixels wide, RGB; valid during the call),
	 * in order; may be NULL */
	void (*sampled)(void *ctx, int64_t frame, double time, const media_image *img);
	void *sampled_ctx;
	/* finds, tracks and stores the faces of the sampled frames (library/faces.h);
	 * NULL: no faces */
	library_faces *faces;
} library_index_options;

typedef struct library_index_report {
	enum library_index_status status;
	int64_t film_id;        /* 0 when skipped or damaged */
	int shots;
	int64_t frames;
	int64_t faces, tracks;  /* with options.faces: faces (per sampled frame) and tracks stored */
	double duration;        /* seconds of footage */
	char message[512];      /* for SKIPPED and DAMAGED: one line, as bj_error_message */
} library_index_report;

/* Indexes one file.  Returns 0 with *report filled (problems with the file are a
 * status, not an error), or a negative code with the error set when the library
 * cannot be read or written. */
int library_index_file(library *lib, const char *path, const library_index_options *opts,
                        library_index_report *report);

/* The files under paths (files as given; folders walked recursively, names
 * sorted, hidden entries skipped), as new strings in a new array.  A path that
 * does not exist is an error: BJ_ENOENT "'<path>': No such file or directory". */
int library_collect_files(char *const *paths, size_t n_paths, char ***files, size_t *n);

void library_files_free(char **files, size_t n);
