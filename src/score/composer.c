#include "score/composer.h"

#include <stdio.h>
#include <string.h>

#include "base/error.h"
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
