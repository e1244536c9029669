/*
 * voice_cast.h - a voice for every character: pinned ones from cast.json,
 * the others assigned so that no two sound alike.
 *
 *     perform_cast c;
 *     perform_cast_init(&c);
 *     if (perform_cast_load(&c, "cast.json") < 0)      // optional
 *         return bj_error_code();
 *     if (perform_cast_assign(&c, names, n_names, seed) < 0)
 *         return bj_error_code();
 *     const perform_voice_setting *v = perform_cast_find(&c, "EVE");
 *     perform_cast_release(&c);
 *
 * cast.json (the casting step will write it; people may edit it):
 *
 *     { "characters": {
 *         "EVE":  { "voice": "slt", "pitch": 2.0, "formant": 1.05, "rate": 1.0, "range": 1.0 },
 *         "BOB":  { "like": "samples/bob.wav" },
 *         "HAL":  { "voice": "kal16", "rate": 0.9 } } }
 *
 * The list form of `benjamin cast` is read as well, its entries' other keys
 * (identity, star, lines, identity_seconds) left to the other stages; an
 * entry with neither voice nor like is not pinned:
 *
 *     { "cast": [ { "character": "EVE", "identity": 3, "star": "faces/eve",
 *                   "voice": "slt", "pitch": 2.0, "formant": 1.05 }, ... ] }
 *
 * Every key is optional: voice (a base voice, `benjamin voices`), pitch
 * (semitones, -24..24), formant (scale, 0.5..2), rate (0.25..4), range (F0
 * range factor, 0..10), like (a recording of the speaker to match, relative to
 * the folder of cast.json; the caller matches it with perform_voice_match,
 * which sets voice, pitch, formant and range; rate is kept).  Names match cues without regard to case;
 * other top-level keys are kept for the other stages and ignored here.
 *
 * Assignment: the candidates are the base voices (kal16 before the 8 kHz
 * kal), then each shifted by +-4, +-8 and +-2 semitones with formants moved
 * the same way (6, 12, 3 %), then more; within each round the seed shuffles
 * the base voices; rms, whose pitch only Rubber Band can move (at a great cost
 * in intelligibility), is used unshifted only.  A candidate is taken when its
 * predicted median F0 is at least 3 semitones from every voice already cast of
 * the same speaker, and at least 1.5 semitones from those of other speakers.  The
 * characters are served in the order given (most lines first, say).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "perform/voice_line.h"

typedef struct perform_cast_entry {
	char *name;                  /* owned, as given */
	perform_voice_setting voice;
	int pinned;                  /* 1 when cast.json set it */
	char *like;                  /* owned path of a sample to match, or NULL */
} perform_cast_entry;

typedef struct perform_cast {
	perform_cast_entry *entries; /* (n) */
	size_t n, cap;
} perform_cast;

void perform_cast_init(perform_cast *c);

/* Frees what c holds and zeroes it.  Safe on a zeroed struct. */
void perform_cast_release(perform_cast *c);

/* Reads the pinned characters of cast.json at path into c.  Returns 0 or a
 * negative code with the error set: bj_json_load()'s, or BJ_EFORMAT "'<path>':
 * character 'EVE': unknown voice 'xx'; see 'benjamin voices'", "... 'pitch'
 * must be a number in -24..24", "... unknown key 'pich'". */
int perform_cast_load(perform_cast *c, const char *path);

/* Pins name to the voice matched to the recording at sample (a path); the
 * caller matches it (perform_voice_match).  Returns 0, or BJ_EINVAL when name
 * is cast already. */
int perform_cast_pin_like(perform_cast *c, const char *name, const char *sample);

/* Gives every name in names (n) that c lacks a voice, distinct from every
 * voice in c, drawing the order of base voices from seed.  Returns 0. */
int perform_cast_assign(perform_cast *c, const char *const *names, size_t n, uint64_t seed);

/* The voice of name (case-insensitive), or NULL. */
const perform_voice_setting *perform_cast_find(const perform_cast *c, const char *name);

/* The entry of name (case-insensitive), or NULL. */
perform_cast_entry *perform_cast_entry_find(perform_cast *c, const char *name);

/* True when a and b would sound alike by the rule above. */
int perform_voice_alike(const perform_voice_setting *a, const perform_voice_setting *b);
