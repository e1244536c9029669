#include "score/mood.h"

#include <string.h>

/* Keys and meters the folk corpus knows well (G, D, Em, Am, Gm; 6/8, 4/4,
 * 3/4), so the composer is on familiar ground; instruments from the General
 * MIDI program list (0-based). */
static const score_mood moods[] = {
	/* name        key     meter  qpm  melody          chords              bass */
	{ "calm",       "D",    "3/4",  72, 73 /* flute */,  89 /* warm pad */,  32 /* ac. bass */,
	  78, 52, 70, 0.8f },
	{ "tense",      "Em",   "6/8", 132, 40 /* violin */, 44 /* tremolo str */, 43 /* contrabass */,
	  90, 62, 84, 0.9f },
	{ "sad",        "Am",   "4/4",  60, 42 /* cello */,  48 /* strings */,   43 /* contrabass */,
	  84, 54, 70, 0.8f },
	{ "joyful",     "G",    "6/8", 120, 22 /* harmonica */, 24 /* nylon gtr */, 32 /* ac. bass */,
	  92, 66, 80, 0.9f },
	{ "eerie",      "Gm",   "6/8",  60, 11 /* vibraphone */, 94 /* halo pad */, 43 /* contrabass */,
	  80, 50, 66, 1.0f },
	{ "triumphant", "D",    "4/4", 112, 56 /* trumpet */, 61 /* brass */,    58 /* tuba */,
	  100, 74, 86, 0.8f },
};

const score_mood *score_mood_find(const char *name)
{
	for (size_t i = 0; i < sizeof(moods) / sizeof(moods[0]); i++)
		if (strcmp(moods[i].name, name) == 0)
			return &moods[i];
	return NULL;
}

const score_mood *score_mood_at(int i)
{
	return i >= 0 && (size_t)i < sizeof(moods) / sizeof(moods[0]) ? &moods[i] : NULL;
}

const char *score_mood_names(void)
{
	return "calm, tense, sad, joyful, eerie, triumphant";
}
