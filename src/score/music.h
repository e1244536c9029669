/*
 * music.h - what a parsed ABC tune (score/abc.h) sounds like: keys, meters and
 * lengths turned into notes with MIDI pitches and times, repeats and endings
 * played out, chord symbols placed in time; and whether every bar fits the
 * meter.
 *
 *     score_music m;
 *     if (score_music_from_abc(&abc, &m) < 0)        // "bar 3 is 7/8 long in 3/4"
 *         ...;
 *     for (size_t i = 0; i < m.n_notes; i++)
 *         play(m.notes[i].pitch, m.notes[i].start, m.notes[i].dur);   // whole notes
 *     score_music_release(&m);
 *
 * Times are in whole notes from the start (a quarter note is 0.25), computed
 * exactly and rounded once.  Grace notes take no time and are not played;
 * only the first voice of a tune with several (V:) is played.
 */
#pragma once

#include <stddef.h>

#include "score/abc.h"

/* A key signature: K:'s tonic and mode. */
typedef struct score_key {
	int tonic;          /* pitch class 0..11 of the tonic (C = 0) */
	int mode;           /* semitones of the mode's tonic above its relative major's:
	                     * 0 major (ionian), 2 dorian, 4 phrygian, 5 lydian,
	                     * 7 mixolydian, 9 minor (aeolian), 11 locrian */
	int acc[7];         /* accidental of A..G in the signature: -1, 0, 1 */
} score_key;

/* Parses a K: value ("G", "Amin", "D dor", "Bb", "F#m", "none", "HP", "Ador =c").
 * Returns 0, or -1 for a value that names no key. */
int score_key_parse(const char *value, score_key *k);

/* Parses an M: value into num/den ("6/8", "C" = 4/4, "C|" = 2/2, "2+3/8");
 * "none" gives 0/0.  Returns 0 or -1. */
int score_meter_parse(const char *value, int *num, int *den);

typedef struct score_note {
	double start, dur;  /* whole notes */
	int pitch;          /* MIDI note number, middle C 60 */
} score_note;

typedef struct score_chord {
	double start;       /* whole notes */
	char name[16];      /* the chord symbol as written ("Am", "G7", "D/F#") */
} score_chord;

typedef struct score_music {
	score_note *notes;   /* (n_notes) by start time */
	size_t n_notes, cap_notes;
	score_chord *chords; /* (n_chords) chord symbols, by time */
	size_t n_chords, cap_chords;
	double *bars;        /* (n_bars) times of the bar lines played */
	size_t n_bars, cap_bars;
	double length;       /* whole notes in all */
	int meter_num, meter_den;   /* the first meter; 0/0 when free */
	double qpm;          /* quarter notes per minute from Q:, 0 when not given */
	score_key key;       /* the tune's key (the header's K:) */
} score_music;

/* Plays t: fills m (release with score_music_release).  Returns 0, or
 * BJ_EFORMAT with the problem set ("unknown key 'Xyz'", "unit length '1/0'"). */
int score_music_from_abc(const score_abc_tune *t, score_music *m);

void score_music_release(score_music *m);

/* 1 when every bar of t lasts what its meter says: bars may fall short only
 * at the start and end of the tune and beside repeats, double bars and
 * endings (pickups, anacruses, first and second endings); none may be longer.
 * A free meter (M:none) always fits.  Otherwise 0, with why (size bytes)
 * saying which bar fails and how. */
int score_music_fits_meter(const score_abc_tune *t, char *why, size_t size);

/* The same check on a tune still being written, ending with a bar line: the
 * bars up to it must fit, and the last may be short only before a repeat, a
 * double bar or an ending (or as the first bar, a pickup). */
int score_music_fits_meter_so_far(const score_abc_tune *t, char *why, size_t size);
