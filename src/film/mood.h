/*
 * mood.h - the mood of a scene for its score cue, guessed from the scene's
 * words (a small lexicon) and from the look of its shots (night and dark are
 * eerie or tense, bright colour is joyful), and the cue sheet `benjamin score`
 * reads:
 *
 *     { "cues": [ { "start": 0, "length": 42.5, "mood": "calm" }, ... ] }
 *
 *     film_mood_votes v; film_mood_votes_init(&v);
 *     film_mood_text(&v, "She screams and runs into the dark.");
 *     film_mood_look(&v, shot);
 *     const char *mood = film_mood_pick(&v);     // "tense"
 */
#pragma once

#include <stddef.h>

#include "library/library.h"

/* The moods of the score, as `benjamin score` names them. */
typedef enum film_mood {
	FILM_MOOD_CALM, FILM_MOOD_TENSE, FILM_MOOD_SAD, FILM_MOOD_JOYFUL, FILM_MOOD_EERIE,
	FILM_MOOD_TRIUMPHANT, FILM_MOODS
} film_mood;

const char *film_mood_name(film_mood m);

typedef struct film_mood_votes {
	double v[FILM_MOODS];
} film_mood_votes;

void film_mood_votes_init(film_mood_votes *v);

/* One vote per lexicon word in text (case and punctuation ignored). */
void film_mood_text(film_mood_votes *v, const char *text);

/* Half a vote from a shot's look, weighted by its share of the scene (0..1). */
void film_mood_look(film_mood_votes *v, const library_shot *s, double share);

/* The mood with most votes; calm when none has any (ties: the first in enum order). */
film_mood film_mood_pick(const film_mood_votes *v);

typedef struct film_cue {
	double start, length;
	film_mood mood;
} film_cue;

typedef struct film_cues {
	film_cue *cues;   /* (n) */
	size_t n;
} film_cues;

/* Writes the cue sheet atomically; 0 or the error ("'<path>': cannot write: ..."). */
int film_cues_save(const film_cues *c, const char *path);
void film_cues_release(film_cues *c);
