#include "score/composer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/safetensors.h"
#include "base/utf8.h"
#include "base/alloc.h"
#include "nn/charlm.h"
#include "nn/corpus.h"
#include "score/tunes.h"

void score_train_opts_init(score_train_opts *o)
{
	memset(o, 0, sizeof(*o));
	nn_trainer_opts_init(&o->t);
	o->t.label = "train composer";
}

/* The plain forms of the tunes in paths: those held out (with fraction) to
 * val, the others to train.  Returns the number of tunes kept, or < 0. */
static long gather(const char *const *paths, int n, double fraction, score_sbuf *train,
                   score_sbuf *val)
{
	score_tunes t;
	int ret = score_tunes_load(paths, n, &t);
	if (ret < 0) {
		score_tunes_release(&t);
		return ret;
	}
	score_sbuf one = { 0 };
	long kept = 0;
	for (size_t i = 0; i < t.n; i++) {
		score_sbuf_reset(&one);
		if (score_tune_plain(t.tunes[i].text, t.tunes[i].len, &one) < 0)
			continue;
		score_sbuf *to = val && score_tune_held_out(one.s, one.len, fraction) ? val : train;
		score_sbuf_add(to, one.s, one.len);
		kept++;
	}
	score_sbuf_release(&one);
	score_tunes_release(&t);
	return kept;
}

int score_composer_train(const score_train_opts *o, nn_trainer_result *r)
{
	score_sbuf train = { 0 }, val = { 0 };
	nn_corpus *corpus = NULL, *vcorpus = NULL;
	int split = o->n_val == 0 && o->t.val_fraction > 0.0;
	long kept = gather(o->abc, o->n_abc, o->t.val_fraction, &train, split ? &val : NULL);
	int ret = kept < 0 ? (int)kept : 0;
	if (ret == 0 && o->n_val > 0) {
		long v = gather(o->val_abc, o->n_val, 0.0, &val, NULL);
		if (v < 0)
			ret = (int)v;
		else if (v == 0)
			ret = bj_error_set(BJ_EFORMAT, "no tunes to validate on in '%s'", o->val_abc[0]);
	}
	if (ret == 0 && train.len == 0)
		ret = bj_error_set(BJ_EFORMAT, "no tunes to learn from in '%s'", o->abc[0]);
	if (ret == 0 && split && val.len == 0)
		ret = bj_error_set(BJ_EFORMAT, "too few tunes in '%s' to hold some out; "
		                   "give --val-fraction 0", o->abc[0]);
	if (ret == 0)
		ret = nn_corpus_from_text("training tunes", train.s, train.len, &corpus);
	if (ret == 0 && val.len)
		ret = nn_corpus_from_text("validation tunes", val.s, val.len, &vcorpus);
	if (ret == 0) {
		char tunes[32];
		snprintf(tunes, sizeof(tunes), "%ld", kept);
		const char *meta[] = {
			"composer.format", SCORE_COMPOSER_FORMAT,
			"composer.corpus.tunes", tunes,
			NULL,
		};
		nn_trainer_opts t = o->t;
		t.meta = meta;
		t.val = vcorpus;
		t.val_fraction = 0.0;
		ret = nn_trainer_run(&t, corpus, r);
	}
	nn_corpus_close(vcorpus);
	nn_corpus_close(corpus);
	score_sbuf_release(&train);
	score_sbuf_release(&val);
	return ret;
}

struct score_composer {
	nn_charlm m;
	nn_charlm_state s;
	int32_t *ids;        /* (cap_ids) the prime's ids */
	size_t cap_ids;
};

int score_composer_open(const char *path, score_composer **out)
{
	*out = NULL;
	bj_safetensors *st = NULL;
	int ret = bj_safetensors_load(path, &st);
	if (ret < 0)
		return ret;
	score_composer *c = bj_xcalloc(1, sizeof(*c));
	const char *format = bj_safetensors_meta(st, "composer.format");
	if (!format)
		ret = bj_error_set(BJ_EFORMAT, "'%s': not a composer model (no composer.format)", path);
	else if (strcmp(format, SCORE_COMPOSER_FORMAT) != 0)
		ret = bj_error_set(BJ_EFORMAT, "'%s': composer format '%s', expected '%s'", path,
		                   format, SCORE_COMPOSER_FORMAT);
	else
		ret = nn_charlm_read(&c->m, st, 0);
	bj_safetensors_free(st);
	if (ret < 0) {
		nn_charlm_release(&c->m);
		free(c);
		return ret;
	}
	nn_charlm_state_init(&c->s, &c->m, 1);
	*out = c;
	return 0;
}

void score_composer_close(score_composer *c)
{
	if (!c)
		return;
	nn_charlm_state_release(&c->s);
	nn_charlm_release(&c->m);
	free(c->ids);
	free(c);
}

/* Collects drawn characters; stops at the empty line that ends a tune. */
struct drawn {
	score_sbuf *out;
	long left;
};

/* What take returns to stop the drawing: no BJ_E* code is this low. */
#define END_OF_TUNE (-1000)

static int take(void *ctx, uint32_t cp)
{
	struct drawn *d = ctx;
	score_sbuf *b = d->out;
	if (cp == '\n' && b->len && b->s[b->len - 1] == '\n')
		return END_OF_TUNE;
	/* The vocabulary may hold a few non-ASCII characters: kept as UTF-8 (the
	 * parser reports them). */
	char buf[BJ_UTF8_MAX];
	int n = bj_utf8_encode(cp, buf);
	score_sbuf_add(b, buf, n > 0 ? (size_t)n : 0);
	return --d->left > 0 ? 0 : END_OF_TUNE;
}

int score_composer_draw(score_composer *c, const char *prime, const nn_sample_opts *o,
                        bj_rng *rng, long max_chars, score_sbuf *out)
{
	size_t len = strlen(prime);
	/* The model learnt that a tune follows an empty line. */
	BJ_GROW(c->ids, c->cap_ids, len + 2);
	c->ids[0] = nn_charlm_id(&c->m, '\n');
	c->ids[1] = nn_charlm_id(&c->m, '\n');
	size_t n = 2 + nn_charlm_encode(&c->m, prime, len, c->ids + 2);
	nn_charlm_state_reset(&c->s);
	int ret = nn_charlm_feed(&c->m, &c->s, c->ids, (int)n);
	if (ret < 0)
		return ret;
	score_sbuf_puts(out, prime);
	struct drawn d = { out, max_chars };
	ret = nn_charlm_generate(&c->m, &c->s, max_chars, o, NN_CHARLM_NO_UNKNOWN, rng, take, &d);
	if (ret == END_OF_TUNE)
		ret = 0;
	/* Without its last line break. */
	while (out->len && out->s[out->len - 1] == '\n')
		out->s[--out->len] = '\0';
	score_sbuf_putc(out, '\n');
	return ret;
}
