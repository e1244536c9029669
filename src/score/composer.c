#include "score/composer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/safetensors.h"
#include "base/utf8.h"
#include "nn/charlm.h"
#include "nn/corpus.h"
#include "score/abc.h"
#include "score/music.h"
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

/* A point to come back to: the text's length and the model's state there. */
struct mark {
	size_t len;
	float *h, *c;        /* (L, 1, H) */
	float *next;         /* (V) */
};

static void mark_init(struct mark *k, const nn_charlm *m)
{
	size_t n = (size_t)m->cfg.layers * (size_t)m->cfg.hidden;
	k->h = bj_xmalloc(n * sizeof(float));
	k->c = bj_xmalloc(n * sizeof(float));
	k->next = bj_xmalloc((size_t)m->cfg.vocab * sizeof(float));
}

static void mark_release(struct mark *k)
{
	free(k->h);
	free(k->c);
	free(k->next);
}

static void mark_save(struct mark *k, const score_composer *c, size_t len)
{
	size_t n = (size_t)c->m.cfg.layers * (size_t)c->m.cfg.hidden;
	k->len = len;
	memcpy(k->h, c->s.h, n * sizeof(float));
	memcpy(k->c, c->s.c, n * sizeof(float));
	memcpy(k->next, c->m.next, (size_t)c->m.cfg.vocab * sizeof(float));
}

static void mark_restore(const struct mark *k, score_composer *c, score_sbuf *out)
{
	size_t n = (size_t)c->m.cfg.layers * (size_t)c->m.cfg.hidden;
	memcpy(c->s.h, k->h, n * sizeof(float));
	memcpy(c->s.c, k->c, n * sizeof(float));
	memcpy(c->m.next, k->next, (size_t)c->m.cfg.vocab * sizeof(float));
	out->len = k->len;
	out->s[out->len] = '\0';
}

/* Whether the tune in [from, out's end) parses and its bars so far fit. */
static int bars_fit(const score_sbuf *out, size_t from)
{
	score_abc_tune t;
	int ok = score_abc_parse(&t, out->s + from, out->len - from, "tune", 1) == 0 &&
	         score_music_fits_meter_so_far(&t, NULL, 0);
	score_abc_tune_release(&t);
	return ok;
}

/* What may still belong to a bar line: "|:", "||", "|]", "|1", "|[2". */
static int bar_goes_on(uint32_t cp)
{
	return cp == '|' || cp == ':' || cp == ']' || cp == '[' || (cp >= '0' && cp <= '9');
}

int score_composer_draw(score_composer *c, const char *prime, const nn_sample_opts *o,
                        bj_rng *rng, long max_chars, int redraws, score_sbuf *out)
{
	size_t len = strlen(prime), from = out->len;
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
	struct mark bar;
	mark_init(&bar, &c->m);
	mark_save(&bar, c, out->len);
	int tries = 0, pending = 0;
	for (long i = 0; i < max_chars; i++) {
		/* A logit far below any other: the unknown symbol is never drawn. */
		c->m.next[0] = -1e30f;
		int32_t id = nn_charlm_sample_next(&c->m, o, rng);
		uint32_t cp = c->m.codepoints[id];
		if (cp == '\n' && out->len && out->s[out->len - 1] == '\n')
			break;   /* the empty line that ends a tune */
		if (redraws > 0 && pending && !bar_goes_on(cp)) {
			/* A bar line is complete: keep the bar, or draw it again. */
			pending = 0;
			if (bars_fit(out, from)) {
				mark_save(&bar, c, out->len);
				tries = 0;
			} else if (tries++ < redraws) {
				mark_restore(&bar, c, out);
				continue;
			}
		}
		char buf[BJ_UTF8_MAX];
		int k = bj_utf8_encode(cp, buf);
		score_sbuf_add(out, buf, k > 0 ? (size_t)k : 0);
		pending |= cp == '|';
		if ((ret = nn_charlm_feed(&c->m, &c->s, &id, 1)) < 0)
			break;
	}
	mark_release(&bar);
	/* Without its last line break. */
	while (out->len > from && out->s[out->len - 1] == '\n')
		out->s[--out->len] = '\0';
	score_sbuf_putc(out, '\n');
	return ret;
}
