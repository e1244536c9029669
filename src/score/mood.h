/*
 * mood.h - what a cue's mood asks of the music: the key and meter the composer
 * is primed with, the tempo, the General MIDI instruments of the melody, the
 * chords and the bass, and how loud each plays.
 *
 *     const score_mood *m = score_mood_find("eerie");   // NULL: unknown
 *     prime: "M:<m->meter>\nL:1/8\nK:<m->key>\n"
 */
#pragma once

typedef struct score_mood {
	const char *name;
	const char *key;        /* K: value, e.g. "Am" */
	const char *meter;      /* M: value, e.g. "6/8" */
	double qpm;             /* tempo, quarter notes per minute */
	int melody, chords, bass;       /* GM programs, 0..127 */
	int melody_vel, chords_vel, bass_vel;   /* MIDI velocities */
	float temperature;      /* of the composer's draws */
} score_mood;

/* The mood named name, or NULL. */
const score_mood *score_mood_find(const char *name);

/* The i-th mood (0..), or NULL past the last. */
const score_mood *score_mood_at(int i);

/* The mood names, comma separated, for messages and help. */
const char *score_mood_names(void);
