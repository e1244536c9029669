/*
 * arrange.h - from tunes (score/music.h) to a cue: a melody, chords and a bass
 * line on three MIDI channels, cut at a bar line to last exactly the cue's
 * seconds, the last phrase's tempo nudged so that its final bar lands on the
 * cut, and a cadence (the tonic chord held) in that bar.
 *
 *     score_arrangement a;
 *     score_arrange(tunes, n, &opts, &a);     // a.events, a.tempo, a.ticks
 *     score_midi_save("cue.mid", &a);  score_synth_render(&a, sf2, &audio);
 *     score_arrangement_release(&a);
 *
 * Harmony comes from the tune's chord symbols ("Am", "D7", "G/B") where it has
 * them, otherwise from the diatonic triad that best fits the melody of each
 * bar (or half bar in 4/4 and 6/8), the tonic at the start and the end.
 * Times are MIDI ticks, SCORE_PPQ per quarter note.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "score/mood.h"
#include "score/music.h"

#define SCORE_PPQ 480
#define SCORE_CHANNELS 3     /* melody, chords, bass */

typedef struct score_event {
	int64_t tick, dur;       /* ticks */
	uint8_t channel, pitch, velocity;
} score_event;

typedef struct score_tempo {
	int64_t tick;
	uint32_t usec_per_quarter;
} score_tempo;

typedef struct score_arrangement {
	score_event *events;     /* (n) sorted by tick, channel, pitch */
	size_t n, cap;
	score_tempo tempo[2];    /* (n_tempo) the tempo map: the tune's, the last phrase's */
	int n_tempo;
	int program[SCORE_CHANNELS];   /* GM programs */
	int64_t ticks;           /* the end (the cut) */
	int meter_num, meter_den;
	double seconds;          /* what the cue must last */
} score_arrangement;

typedef struct score_arrange_opts {
	const score_mood *mood;  /* instruments and velocities */
	double seconds;          /* > 0 */
	double qpm;              /* the tempo, quarter notes per minute */
} score_arrange_opts;

/* Arranges the tunes one after another (each score_music_from_abc'd, in the
 * same key), cut to o->seconds.  The tunes should last at least that long at
 * o->qpm: otherwise the last phrase is slowed, however much it takes, to fill
 * the cue.  Returns 0, or BJ_EINVAL ("no bars to arrange") with the error
 * set; release a either way. */
int score_arrange(const score_music *tunes, size_t n_tunes, const score_arrange_opts *o,
                  score_arrangement *a);

void score_arrangement_release(score_arrangement *a);

/* Seconds from the start to tick in a's tempo map. */
double score_arrangement_time(const score_arrangement *a, int64_t tick);
