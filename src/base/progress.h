/*
 * progress.h - progress bars for long work: done/total, rate, ETA, current item.
 *
 *     bj_progress *p = bj_progress_new("index", n_frames, "frames");
 *     for (i = 0; i < n_frames; i++) {
 *         ...
 *         bj_progress_set(p, i + 1, film_name);    // cheap: redraws at most 10 times/s
 *     }
 *     bj_progress_finish(p);                         // final line; frees p
 *
 * On a terminal the bar redraws in place on one line:
 *     index  [#########.........]  47%  1204/2560 frames  310 frames/s  ETA 0:04  reel2.mp4
 * When the output is not a terminal (a log file, CI) it prints a plain line every
 * few seconds and one at the end, so logs stay readable.  A total of 0 means
 * unknown: no bar, percentage or ETA.  Output goes to stderr unless the CLI
 * chooses otherwise (bj_progress_set_output); tests turn it off.  Updates may come
 * from several threads.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>

typedef struct bj_progress bj_progress;

enum bj_progress_mode {
	BJ_PROGRESS_AUTO,  /* bar on a terminal, plain lines otherwise */
	BJ_PROGRESS_BAR,
	BJ_PROGRESS_PLAIN,
	BJ_PROGRESS_OFF,
};

/* Where and how every progress display is shown (default stderr, AUTO).
 * plain_interval: seconds between plain lines (default 5). */
void bj_progress_set_output(FILE *out, enum bj_progress_mode mode, double plain_interval);

/* Starts a display.  label and unit are copied; total 0 = unknown. */
bj_progress *bj_progress_new(const char *label, uint64_t total, const char *unit);

/* Sets the amount done and the current item (copied; NULL keeps the last). */
void bj_progress_set(bj_progress *p, uint64_t done, const char *item);

/* Adds n to the amount done. */
void bj_progress_add(bj_progress *p, uint64_t n);

/* Changes the total (when it becomes known on the way). */
void bj_progress_set_total(bj_progress *p, uint64_t total);

/* Prints the final state with the total time and frees p.  NULL-safe. */
void bj_progress_finish(bj_progress *p);

/* Formats one status line into buf (at most size bytes, at most width columns
 * wide for the bar form): the pure part of the display, exposed for tests. */
void bj_progress_format(char *buf, size_t size, int bar, int width, const char *label,
                        uint64_t done, uint64_t total, const char *unit, double elapsed,
                        double rate, const char *item);

/* "1:05" for 65 s, "2:03:04" past an hour, "--:--" when unknown (< 0 or inf). */
void bj_progress_format_duration(char *buf, size_t size, double seconds);
