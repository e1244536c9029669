/*
 * pick.c - shot scoring: features, weights by need, the choice with its
 * runner-up, reuse only when the library is exhausted.
 */
#include <math.h>
#include <string.h>

#include "base/error.h"
#include "film/pick.h"
#include "library/query.h"

static const char *const names[FILM_FEATURES] = {
	"length", "trim", "speech", "identity", "face", "close", "frontal", "mouth", "no_face",
	"no_cast", "motion", "still", "daynight", "place", "same_film", "look", "variety",
};

/* Weights per kind of need, in feature order.  Length dominates: a shot that
 * cannot hold the line makes a jump cut inside it.  For a line, the speaker's
 * identity and a face on screen, close, frontal and speaking come next, and
 * continuity (same film, similar look) weighs about as much as they do
 * together, so that a conversation stays in one film where that film has the
 * faces; the heading's day/night and place follow; variety only breaks near
 * ties.  Descriptions and action lines keep off faces, above all the cast's,
 * which leaves the faces for the lines.  Tuned on ../shared/data/footage with
 * screenplays of 1 to 18 pages (docs/timeline.md has the figures). */
static const double weights[3][FILM_FEATURES] = {
	/*                        len trim speech ident face close front mouth noface nocast
	 *                        motion still d/n place film look variety */
	[FILM_NEED_DIALOGUE]    = { 3, 0.5, 1.5, 3, 2, 1, 1, 1, 0, 0,
	                            0, 0.3, 1, 1, 4, 2, 0.05 },
	[FILM_NEED_DESCRIPTION] = { 3, 0.5, 0, 0, 0, 0, 0, 0, 3, 1.5,
	                            0, 1, 1, 1, 2, 1.5, 0.05 },
	[FILM_NEED_ACTION]      = { 3, 0.5, 0, 0, 0, 0, 0, 0, 2, 1.5,
	                            2, 0, 1, 1, 2, 1.5, 0.05 },
};

const char *film_feature_name(int f)
{
	return f >= 0 && f < FILM_FEATURES ? names[f] : "?";
}

void film_weights_for(const film_need *need, film_weights *w)
{
	memcpy(w->w, weights[need->kind], sizeof w->w);
	if (!need->identity)
		w->w[FILM_F_IDENTITY] = 0;
	if (!need->cast)
		w->w[FILM_F_NO_CAST] = 0;
}

static double clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

void film_usable(const film_candidate *c, double *from, double *to)
{
	*from = c->shot->start + (c->fade_in ? FILM_EDGE_FADE : FILM_EDGE_CUT);
	*to = c->shot->end - (c->fade_out ? FILM_EDGE_FADE : FILM_EDGE_CUT);
	if (*to < *from)
		*to = *from;
}

/* 1 for the same look, 0 for very different: brightness, black-and-white and
 * colourfulness, weighted as a viewer notices a jump in each. */
static double look_similarity(const library_shot *a, const library_shot *b)
{
	double d = 0.4 * clamp01(fabs(a->brightness - b->brightness) / 0.3) +
	           0.3 * (a->bw != b->bw) +
	           0.3 * clamp01(fabs(a->colourfulness - b->colourfulness) / 60.0);
	return 1 - d;
}

/* 1 when the guess matches what the heading asks, 0 when it contradicts it,
 * 0.5 when the heading asks nothing. */
static double match(const char *want, const char *have)
{
	if (!want)
		return 0.5;
	return !strcmp(want, have);
}

void film_score_shot(const film_need *need, const film_candidate *c, const library_shot *prev,
                     double variety, const film_weights *w, film_score *s)
{
	const library_shot *sh = c->shot;
	double from, to;
	film_usable(c, &from, &to);
	double usable = fmax(0, to - from - c->shown), spare = (sh->end - sh->start) - need->seconds;
	double motion = fmax(sh->motion / (2 * LIBRARY_MOTION_MIN),
	                     fabs(sh->camera_motion) / (2 * LIBRARY_CAMERA_MIN));
	double *f = s->f;
	f[FILM_F_LENGTH] = need->seconds > 0 ? clamp01(usable / need->seconds) : 1;
	f[FILM_F_TRIM] = clamp01(spare / 1.0);
	f[FILM_F_SPEECH] = clamp01(sh->speech);
	/* screen time with (or without) faces, against the time wanted: the cut
	 * points put the clip where the faces are (or are not), film/window.h */
	double len = sh->end - sh->start, want = need->seconds > 0 ? need->seconds : 1;
	f[FILM_F_IDENTITY] = need->identity ? clamp01(c->seen * len / want) : 0;
	f[FILM_F_FACE] = clamp01(c->face_seen * len / want);
	f[FILM_F_CLOSE] = clamp01(c->face_height / 0.3);
	f[FILM_F_FRONTAL] = clamp01(c->frontal);
	f[FILM_F_MOUTH] = clamp01(c->mouth);
	f[FILM_F_NO_FACE] = clamp01((1 - clamp01(c->face_seen)) * len / want);
	f[FILM_F_NO_CAST] = need->cast ? clamp01((1 - clamp01(c->cast_seen)) * len / want) : 0;
	f[FILM_F_MOTION] = clamp01(motion);
	f[FILM_F_STILL] = 1 - f[FILM_F_MOTION];
	f[FILM_F_DAYNIGHT] = match(need->daynight, sh->daynight);
	f[FILM_F_PLACE] = match(need->place, sh->place);
	f[FILM_F_SAME_FILM] = !prev ? 0.5 : prev->film_id == sh->film_id ? 1 : c->in_scene ? 0.5 : 0;
	f[FILM_F_LOOK] = prev ? look_similarity(prev, sh) : 0.5;
	f[FILM_F_VARIETY] = clamp01(variety);
	s->total = 0;
	for (int i = 0; i < FILM_FEATURES; i++)
		s->total += w->w[i] * f[i];
}

/* Eligibility: -1 for a shot used more often than the least used (never
 * chosen: no reuse while a fresher shot is left), else 0 when long enough to
 * cut to and 1 when not (chosen only when no long enough one is left). */
static int tier(const film_candidate *c, int min_uses)
{
	if (c->uses != min_uses)
		return -1;
	double from, to;
	film_usable(c, &from, &to);
	return to - from < FILM_MIN_CLIP;
}

int film_pick(const film_need *need, const film_candidate *cands, size_t n,
              const library_shot *prev, bj_rng *rng, film_pick_result *r)
{
	memset(r, 0, sizeof *r);
	r->runner_up = -1;
	if (!n)
		return bj_error_set(BJ_ENOENT, "the library has no shots");
	film_weights w;
	film_weights_for(need, &w);
	int min_uses = cands[0].uses;
	for (size_t i = 1; i < n; i++)
		if (cands[i].uses < min_uses)
			min_uses = cands[i].uses;
	int best_tier = 1;
	for (size_t i = 0; i < n && best_tier; i++)
		if (tier(&cands[i], min_uses) == 0)
			best_tier = 0;
	long best = -1;
	for (size_t i = 0; i < n; i++) {
		double variety = bj_rng_double(rng);  /* drawn for every shot: same stream per pick */
		if (tier(&cands[i], min_uses) != best_tier)
			continue;
		film_score s;
		film_score_shot(need, &cands[i], prev, variety, &w, &s);
		if (best < 0 || s.total > r->score.total) {
			if (best >= 0) {
				r->runner_up = best;
				r->runner_score = r->score;
			}
			best = (long)i;
			r->score = s;
		} else if (r->runner_up < 0 || s.total > r->runner_score.total) {
			r->runner_up = (long)i;
			r->runner_score = s;
		}
	}
	r->best = (size_t)best;
	r->reused = cands[best].uses > 0;
	return 0;
}
