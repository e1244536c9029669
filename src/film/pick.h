/*
 * pick.h - the director's eye: how well a shot of the library serves one
 * element of the screenplay, as a weighted sum of explicit features, and the
 * choice of the best shot with its runner-up.
 *
 *     film_need need = { FILM_NEED_DIALOGUE, 2.4, "night", "interior", 3 };
 *     film_pick_result r;
 *     if (film_pick(&need, cands, n, prev, &rng, &r) == 0)
 *         ... cands[r.best], r.score.total, r.runner_up ...
 *
 * Every feature is a value from 0 to 1; the weights depend on the kind of need
 * (film_weights_for).  A shot already used is chosen only when every usable shot
 * has been (then the least used); shots shorter than FILM_MIN_CLIP after their
 * edges are trimmed are chosen only when nothing else is left.  Ties and near
 * ties are broken by the "variety" feature, a small seeded random number, so
 * that the same seed gives the same cut and another seed another one.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/rng.h"
#include "library/library.h"

/* The shortest piece of a shot worth cutting to, seconds. */
#define FILM_MIN_CLIP 0.8
/* Frames kept away from a hard cut, and from a fade, at a shot's ends (seconds). */
#define FILM_EDGE_CUT 0.12
#define FILM_EDGE_FADE 0.5

typedef enum film_need_kind {
	FILM_NEED_DIALOGUE,     /* a line spoken by a character */
	FILM_NEED_DESCRIPTION,  /* a scene heading or a quiet action line: wide, no faces */
	FILM_NEED_ACTION,       /* an action line with action verbs: motion */
} film_need_kind;

/* What one element asks of a shot. */
typedef struct film_need {
	film_need_kind kind;
	double seconds;        /* screen time wanted */
	const char *daynight;  /* "day", "night" or NULL when the heading says neither */
	const char *place;     /* "interior", "exterior" or NULL */
	int64_t identity;      /* dialogue: the cast identity of the speaker; 0 unknown */
	int cast;              /* the cast has library identities (no_cast means something) */
} film_need;

/* A shot as the director sees it.  The face figures are of the need's
 * identity when it is on screen in the shot, else of any face (film/onscreen.h). */
typedef struct film_candidate {
	const library_shot *shot;
	int fade_in, fade_out;  /* the shot begins / ends with a gradual transition */
	double face_seen;       /* fraction of the shot with any face on screen */
	double face_height;     /* the largest face, fraction of the frame height */
	double frontal;         /* how squarely the face looks into the camera, 0..1 */
	double mouth;           /* how much its mouth moves (speaking), 0..1 */
	double seen;            /* fraction of the shot the need's identity is tracked in */
	double cast_seen;       /* fraction of the shot showing any of the cast's identities */
	int in_scene;           /* its film has been cut into the scene already */
	double shown;           /* seconds of its usable part the film shows already */
	int uses;               /* times already cut into the film */
} film_candidate;

enum film_feature {
	FILM_F_LENGTH,     /* usable length not shown yet / wanted length, at most 1 */
	FILM_F_TRIM,       /* room to leave the shot's edges out (0.5 s spare each side = 1) */
	FILM_F_SPEECH,     /* fraction of the shot's sound that is voice */
	FILM_F_IDENTITY,   /* screen time of the speaker's identity / wanted time, at most 1 */
	FILM_F_FACE,       /* screen time with a face / wanted time, at most 1 */
	FILM_F_CLOSE,      /* largest face height / 0.3 of the frame, at most 1 (close-up) */
	FILM_F_FRONTAL,    /* the face looks into the camera (candidate's frontal) */
	FILM_F_MOUTH,      /* the face's mouth moves: someone speaks on screen */
	FILM_F_NO_FACE,    /* screen time without faces / wanted time, at most 1 (descriptions) */
	FILM_F_NO_CAST,    /* screen time without the cast's identities / wanted time, at most 1 */
	FILM_F_MOTION,     /* subject or camera motion, 1 at twice the library's motion threshold */
	FILM_F_STILL,      /* 1 - motion */
	FILM_F_DAYNIGHT,   /* the look's day/night guess matches the heading (0.5: heading silent) */
	FILM_F_PLACE,      /* the interior/exterior guess matches the heading (0.5: silent) */
	FILM_F_SAME_FILM,  /* same film as the scene's previous clip; 0.5 first in scene, or
	                      cutting back to a film the scene has shown (shot, reverse shot) */
	FILM_F_LOOK,       /* similar brightness, black-and-white, colourfulness (0.5 first) */
	FILM_F_VARIETY,    /* seeded random 0..1: breaks ties */
	FILM_FEATURES
};

/* The feature's name in timeline.json's "why" ("length", "same_film", ...). */
const char *film_feature_name(int f);

typedef struct film_weights {
	double w[FILM_FEATURES];
} film_weights;

/* The weights for a kind of need; identity weight is 0 when need->identity is
 * 0, and no_cast weight 0 when need->cast is 0. */
void film_weights_for(const film_need *need, film_weights *w);

typedef struct film_score {
	double f[FILM_FEATURES];
	double total;          /* sum of weight * value */
} film_score;

/* The usable part of a shot: its span without FILM_EDGE_* at each end. */
void film_usable(const film_candidate *c, double *from, double *to);

/* Scores c for need after prev (the scene's previous shot, or NULL), variety
 * being the seeded random value. */
void film_score_shot(const film_need *need, const film_candidate *c, const library_shot *prev,
                     double variety, const film_weights *w, film_score *s);

typedef struct film_pick_result {
	size_t best;
	film_score score;
	long runner_up;        /* index of the second best, -1 when there is none */
	film_score runner_score;
	int reused;            /* every usable shot had been used already */
} film_pick_result;

/* Chooses among cands[0..n) (n >= 1) for need; draws n numbers from rng.
 * Returns 0, or BJ_ENOENT with the error set when n is 0. */
int film_pick(const film_need *need, const film_candidate *cands, size_t n,
              const library_shot *prev, bj_rng *rng, film_pick_result *r);
