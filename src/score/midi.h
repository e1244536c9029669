/*
 * midi.h - Standard MIDI Files (SMF 1.0): an arrangement written as format 1
 * (track 0 the tempo map and time signature, then one track per channel with
 * its program change and notes), and a small reader that checks such a file
 * and tells what it holds.
 *
 *     score_midi_save("cue.mid", &arrangement);     // atomically
 *     score_midi_info info;
 *     score_midi_load("cue.mid", &info);            // notes, tempo map, length
 *     score_midi_info_release(&info);
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "score/arrange.h"
#include "score/sbuf.h"

/* Appends a's file to out. */
void score_midi_write(const score_arrangement *a, score_sbuf *out);

/* score_midi_write to path, atomically.  Returns 0 or BJ_EIO with the error set. */
int score_midi_save(const char *path, const score_arrangement *a);

/* A note read back: its channel, pitch and ticks. */
typedef struct score_midi_note {
	int64_t tick, dur;
	int channel, pitch, velocity;
} score_midi_note;

typedef struct score_midi_info {
	int format, tracks, division;       /* division: ticks per quarter note */
	score_midi_note *notes;             /* (n_notes) in file order per track */
	size_t n_notes, cap_notes;
	score_tempo *tempo;                 /* (n_tempo) set-tempo events */
	size_t n_tempo, cap_tempo;
	int programs[16];                   /* the last program change per channel, -1 none */
	int64_t ticks;                      /* the last event (end of track) of any track */
} score_midi_info;

/* Reads an SMF of len bytes (name for messages), checking every chunk and
 * event against the data's end.  Returns 0, or BJ_EFORMAT ("'<name>': not a
 * MIDI file", "'<name>': track 2 ends inside an event", ...).  Release info
 * either way. */
int score_midi_parse(const uint8_t *data, size_t len, const char *name, score_midi_info *info);

/* Reads path and parses it. */
int score_midi_load(const char *path, score_midi_info *info);

void score_midi_info_release(score_midi_info *info);
