/*
 * cue.h - one music cue: tunes drawn from the composer in the mood's key and
 * meter (kept only when they parse and fit their meter, drawn again
 * otherwise, a bounded number of times), arranged to last exactly the cue's
 * seconds, and faded out at the end.
 *
 *     score_cue_opts o;
 *     score_cue_opts_init(&o, score_mood_find("sad"), 30.0);
 *     o.seed = 7;
 *     score_cue_compose(composer, &o, &arrangement, &abc, &stats);
 */
#pragma once

#include <stdint.h>

#include "base/rng.h"
#include "media/audio.h"
#include "score/arrange.h"
#include "score/composer.h"
#include "score/mood.h"
#include "score/sbuf.h"

/* Draws per cue at most: past this the composer is not up to it. */
#define SCORE_CUE_MAX_DRAWS 40

typedef struct score_cue_opts {
	const score_mood *mood;
	double seconds;          /* > 0 */
	const char *key;         /* K: value, or NULL for the mood's */
	double qpm;              /* quarter notes per minute, or 0 for the mood's */
	float temperature;       /* of the draws, or 0 for the mood's */
	int redraws;             /* a bar that does not fit is drawn again up to this
	                          * many times (score_composer_draw); default 8 */
	uint64_t seed;
} score_cue_opts;

typedef struct score_cue_stats {
	int draws;               /* tunes drawn */
	int kept;                /* of which parsed and fit their meter */
	int used;                /* tunes in the arrangement (kept ones, repeated if short) */
} score_cue_stats;

void score_cue_opts_init(score_cue_opts *o, const score_mood *mood, double seconds);

/* The prime for o: "M:<meter>\nL:1/8\nK:<key>\n". */
void score_cue_prime(const score_cue_opts *o, score_sbuf *out);

/* Composes the cue into a (release with score_arrangement_release), the tunes
 * used appended to abc (may be NULL) as ABC with X: numbers.  Returns 0, or
 * BJ_EINVAL ("unknown key 'H#'"), BJ_EFORMAT ("the composer drew no tune that
 * fits its meter in 40 tries") with the error set. */
int score_cue_compose(score_composer *c, const score_cue_opts *o, score_arrangement *a,
                      score_sbuf *abc, score_cue_stats *stats);

/* Draws one tune with o's prime and temperature from rng, and tells whether
 * it parses (*parsed) and also fits its meter (*fits).  The tune is appended
 * to text (may be NULL).  Returns 0 or the drawing's error. */
int score_cue_check(score_composer *c, const score_cue_opts *o, bj_rng *rng, int *parsed,
                    int *fits, score_sbuf *text);

/* Fades the last `frames` frames of a out (a raised cosine to silence). */
void score_fade_out(media_audio *a, size_t frames);

/* Fades the first `frames` frames of a in. */
void score_fade_in(media_audio *a, size_t frames);
