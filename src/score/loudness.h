/*
 * loudness.h - the score's loudness and ducking: integrated loudness (EBU R128
 * with libebur128) brought to a target, and a gain envelope that lowers the
 * music under dialogue.
 *
 *     double lufs;
 *     score_loudness_normalize(&mix, -23.0, &lufs);       // lufs: as measured before
 *     score_duck(&mix, lines, n, -12.0, 0.2, 0.6);        // under dialogue
 */
#pragma once

#include <stddef.h>

#include "media/audio.h"

/* A stretch of time, in seconds. */
typedef struct score_interval {
	double start, end;
} score_interval;

/* Integrated loudness of a in LUFS (-HUGE_VAL for silence).  Returns 0 or
 * BJ_ENOMEM. */
int score_loudness(const media_audio *a, double *lufs);

/* Measures a's integrated loudness into *measured and scales a to target
 * LUFS (silence is left alone).  Returns 0 or BJ_ENOMEM. */
int score_loudness_normalize(media_audio *a, double target, double *measured);

/* Lowers a by depth_db (negative) during each interval: the gain falls over
 * attack seconds to reach depth at the interval's start, holds, and rises
 * over release seconds after its end (raised-cosine ramps, in dB). */
void score_duck(media_audio *a, const score_interval *iv, size_t n, double depth_db,
                double attack, double release);
