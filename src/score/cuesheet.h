/*
 * cuesheet.h - a film's score: cues (start, length, mood for each scene)
 * composed and rendered one by one, each lasting exactly its length, joined
 * with crossfades, brought to the bed loudness and ducked under dialogue.
 *
 * cues.json (the editor writes it; times in seconds):
 *     { "cues": [ { "start": 0,    "length": 42.5, "mood": "calm" },
 *                 { "start": 42.5, "length": 30,   "mood": "tense",
 *                   "key": "Em", "tempo": 140, "seed": 9 } ] }
 * "key", "tempo" and "seed" are optional (the mood's, the mood's, the score's
 * seed plus the cue's index).  Cues may leave gaps but must not overlap.
 * dialogue.json: { "dialogue": [ { "start": 3.2, "end": 5.9 }, ... ] }
 *
 *     score_cues cues;
 *     score_cues_load("cues.json", &cues);
 *     score_cues_render(composer, synth, &cues, &opts, &audio, &report);
 *     score_cues_release(&cues);
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "media/audio.h"
#include "score/composer.h"
#include "score/loudness.h"
#include "score/mood.h"
#include "score/synth.h"

typedef struct score_cue {
	double start, length;     /* seconds */
	const score_mood *mood;
	char key[16];             /* "" for the mood's */
	double qpm;               /* 0 for the mood's */
	int64_t seed;             /* -1 for the score's seed + index */
} score_cue;

typedef struct score_cues {
	score_cue *cues;          /* (n) by start */
	size_t n;
} score_cues;

/* Reads and checks a cue sheet: "'cues.json': cue 2: 'mood' is 'angry', not
 * one of calm, ...", "'cues.json': cues 1 and 2 overlap", ... (BJ_EFORMAT),
 * or bj_json_load's errors.  Returns 0; release cues either way. */
int score_cues_load(const char *path, score_cues *cues);

void score_cues_release(score_cues *cues);

/* Reads dialogue intervals ("dialogue": [{ "start", "end" }]) into a new
 * array (free()) of *n.  Returns 0 or the error (BJ_EFORMAT: "'<path>': line
 * 3: 'end' must be after 'start'"). */
int score_dialogue_load(const char *path, score_interval **lines, size_t *n);

typedef struct score_render_opts {
	uint64_t seed;
	double crossfade;         /* seconds a cue rings into the next, default 1.5 */
	double bed_lufs;          /* loudness of the bed, default -23 */
	const score_interval *duck;   /* (n_duck) dialogue, or NULL */
	size_t n_duck;
	double duck_db;           /* default -12 */
	double attack, release;   /* of the ducking, default 0.2 and 0.6 s */
	const char *midi_dir;     /* a folder for each cue's MIDI file ("cue-01.mid", ...), or NULL */
} score_render_opts;

void score_render_opts_init(score_render_opts *o);

typedef struct score_render_report {
	double seconds;           /* of the score */
	double measured_lufs;     /* of the bed before normalising */
	double final_lufs;        /* after ducking */
	int draws, kept;          /* tunes drawn, and kept, for all cues */
} score_render_report;

/* Composes and renders every cue into out (48 kHz stereo, initialised here),
 * frames [round(start * rate), round((start + length) * rate)) for each;
 * where a cue follows another without a gap, the first one's last chord
 * rings on for o->crossfade seconds, fading, while the next fades in.  Cues
 * that end before a gap or at the end fade out inside their length.  Then
 * normalises to o->bed_lufs and ducks.  Returns 0 or the first error
 * ("cue 3: ..."). */
int score_cues_render(score_composer *c, score_synth *s, const score_cues *cues,
                      const score_render_opts *o, media_audio *out, score_render_report *r);
