/*
 * swap_pipe.h - a film's frames decoded, swapped and encoded at once: the
 * reading (decoding) and the writing (encoding) each on a thread of their
 * own beside the caller's, which swaps, so the swap is the only stage on the
 * critical path.
 *
 *     perform_pipe_stages st = { read_frame, swap_frame, write_frame, &job };
 *     if (perform_pipe_run(&st, threads) < 0)
 *         return bj_error_code();   // the first stage's error; nothing more written
 *
 * read fills the next frame (perform_pipe_copy copies a decoder's picture
 * into it), swap changes it in place on the calling thread, write takes it
 * away; each stage sees the frames one by one, in order, so the output is
 * the same bytes whatever the thread count.  A small ring of
 * PERFORM_PIPE_FRAMES frames sits between the stages: the reader runs at
 * most that far ahead of the writer.  The first stage to fail stops the
 * others at their next frame; perform_pipe_run then returns its code with
 * its message (set on the calling thread), and the caller leaves its output
 * unfinished (media_encoder_close without finish removes it).
 */
#pragma once

#include <pthread.h>
#include <stdint.h>

#include "media/decoder.h"
#include "media/image.h"

/* Frames in flight between the three stages. */
#define PERFORM_PIPE_FRAMES 4

typedef struct perform_pipe_frame {
	media_image *image;   /* RGB; the pipe's, (re)made by perform_pipe_copy */
	double time;          /* the frame's time in the film, seconds */
	int64_t index;        /* its number in the film */
} perform_pipe_frame;

typedef struct perform_pipe_stages {
	/* the next frame into f: 1, 0 after the last, or a negative code with the
	 * error set; on the reader thread */
	int (*read)(void *ctx, perform_pipe_frame *f);
	/* f changed in place: 0 or a negative code; on the calling thread */
	int (*swap)(void *ctx, perform_pipe_frame *f);
	/* f written: 0 or a negative code; on the writer thread */
	int (*write)(void *ctx, const perform_pipe_frame *f);
	void *ctx;
} perform_pipe_stages;

/* Runs the stages over every frame read.  threads 1: one frame after the
 * other on the calling thread; 2 or more: reader and writer on two threads
 * of their own (which block asynchronous signals, as bj_pool's do).
 * Returns 0, or the first failing stage's negative code with its error. */
int perform_pipe_run(const perform_pipe_stages *st, int threads);

/* Copies the decoder's frame src (RGB) into f, making f's image when it has
 * none or one of another size.  0, or a negative code with the error set. */
int perform_pipe_copy(perform_pipe_frame *f, const media_frame *src);

/* Starts fn(arg) on a new thread that blocks the asynchronous signals (SIGINT,
 * SIGTERM, ...: the main thread's to handle).  0, or BJ_ENOMEM with the error
 * set. */
int perform_pipe_thread(pthread_t *tid, void *(*fn)(void *), void *arg);
