/*
 * casting.h - `benjamin cast`: each speaking character of a screenplay given a
 * footage identity to play it, a star's face to wear (when asked for) and a
 * voice, written as cast.json for the director to read, edit and re-run.
 *
 *     film_dialogue d;  film_dialogue_extract(sp, &d);
 *     film_cast_opts o = { .stars = stars, .n_stars = 1, .seed = 7 };
 *     film_roles r;
 *     if (film_cast_choose(&d, lib, &o, &r) < 0) ... bj_error_message() ...
 *     film_roles_save(&r, "cast.json");
 *     film_roles_release(&r);
 *
 * Characters are served most lines first.  Identities are ranked by
 * library_identity_screen (screen time, frontal close-ups, speech in their
 * shots); the k-th character gets the k-th identity while there are enough,
 * then they are used again from the best.  A star given with a name binds that
 * character; one without binds the first character (most lines) still without
 * a star.  A trained swap model (`benjamin train swap`) may be named for a
 * character: it is checked to load (a missing or broken file is an error
 * naming it) and written as "model"; make's swap stage uses it for that
 * character's clips (film/swapclips.h).  The voices are those of `benjamin voice` (film_cast_voices, the one
 * place they are chosen).  The same screenplay, library, options and seed give
 * the same cast.json.
 *
 * cast.json:
 *     { "format": "benjamin-cast", "version": 1,
 *       "cast": [ { "character": "EVE", "lines": 4, "identity": 3, "identity_seconds": 12.5,
 *                   "star": "/abs/faces/eve",  "model": "/abs/swap-eve-3.safetensors",
 *                   "like": "/abs/eve.wav",
 *                   "voice": "slt", "pitch": 0, "formant": 1, "rate": 1, "range": 1 }, ... ] }
 * identity null: no identity; star, model and like absent when not given.  It is
 * read by film_cast_load (identity, star) and perform_cast_load (the voice).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "film/cut.h"
#include "film/dialogue.h"
#include "library/library.h"
#include "perform/voice_cast.h"

/* A name bound to a path: a star's face folder or a voice sample. */
typedef struct film_binding {
	const char *name;   /* a character, or NULL: the next lead without one (stars) */
	const char *path;
} film_binding;

typedef struct film_cast_opts {
	const film_binding *stars;   /* (n_stars) */
	size_t n_stars;
	const film_binding *likes;   /* (n_likes): voices like these recordings */
	size_t n_likes;
	uint64_t seed;
	/* Called with what matching a voice to a sample found (may be NULL). */
	void (*on_match)(void *ctx, const char *character, const char *description);
	void *ctx;
	const film_binding *models;  /* (n_models): trained swap models, each named */
	size_t n_models;
} film_cast_opts;

typedef struct film_role {
	char *character;
	size_t lines;
	int64_t identity;           /* 0: none */
	double identity_seconds;    /* its screen time */
	char *star;                 /* absolute folder, or NULL */
	char *like;                 /* absolute sample, or NULL */
	char *model;                /* absolute trained swap model, or NULL */
	perform_voice_setting voice;
} film_role;

typedef struct film_roles {
	film_role *roles;           /* (n) most lines first */
	size_t n;
} film_roles;

/* Casts every speaking character of d.  lib may be NULL (no identities).
 * Errors: "--star 'BOB': no character 'BOB' speaks in the screenplay",
 * "'faces/x': not a folder", a sample's error.  Fills r (film_roles_release). */
int film_cast_choose(const film_dialogue *d, library *lib, const film_cast_opts *o, film_roles *r);

/* Writes r as cast.json at path, atomically.  Returns 0 or the error. */
int film_roles_save(const film_roles *r, const char *path);

void film_roles_release(film_roles *r);

/* The voices of d's characters into c, which may hold pinned ones already
 * (perform_cast_load): those with a sample to be like are matched to it (the
 * rate kept; on_match told), then the others assigned from seed.  Returns 0 or
 * the error. */
int film_cast_voices(perform_cast *c, const film_dialogue *d, uint64_t seed,
                     void (*on_match)(void *ctx, const char *character, const char *description),
                     void *ctx);
