#include "writer/writer.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/rng.h"
#include "base/utf8.h"
#include "nn/charlm.h"
#include "nn/corpus.h"

void writer_train_opts_init(writer_train_opts *o)
{
	memset(o, 0, sizeof(*o));
	nn_trainer_opts_init(&o->t);
	o->t.label = "train writer";
}

int writer_train(const writer_train_opts *o, nn_trainer_result *r)
{
	nn_corpus *corpus = NULL, *val = NULL;
	int ret = nn_corpus_open(o->corpus, o->n_corpus, &corpus);
	if (ret < 0)
		return ret;
	if (o->n_val > 0 && (ret = nn_corpus_open(o->val_corpus, o->n_val, &val)) < 0) {
		nn_corpus_close(corpus);
		return ret;
	}
	char files[32], chars[32];
	snprintf(files, sizeof(files), "%d", nn_corpus_files(corpus));
	snprintf(chars, sizeof(chars), "%" PRIu64, nn_corpus_chars(corpus));
	const char *meta[] = {
		"writer.format", WRITER_FORMAT,
		"writer.corpus.files", files,
		"writer.corpus.chars", chars,
		NULL,
	};
	nn_trainer_opts t = o->t;
	t.meta = meta;
	t.val = val;
	ret = nn_trainer_run(&t, corpus, r);
	nn_corpus_close(val);
	nn_corpus_close(corpus);
	return ret;
}

struct emitter {
	writer_emit_fn *emit;
	void *ctx;
};

static int emit_codepoint(void *arg, uint32_t cp)
{
	struct emitter *e = arg;
	char buf[BJ_UTF8_MAX];
	int n = bj_utf8_encode(cp, buf);
	BJ_ASSERT(n > 0);   /* the vocabulary holds scalar values only */
	return e->emit(e->ctx, buf, (size_t)n);
}

int writer_sample(const writer_sample_opts *o, writer_emit_fn *emit, void *ctx)
{
	BJ_ASSERT(o->length >= 0);
	const char *prime = o->prime && *o->prime ? o->prime : NULL;
	size_t len = prime ? strlen(prime) : 0;
	size_t bad;
	if (prime && !bj_utf8_validate(prime, len, &bad))
		return bj_error_set(BJ_EINVAL, "the prime is not UTF-8 (invalid byte at %zu)", bad);
	nn_charlm m;
	int ret = nn_charlm_load(&m, o->model_path, 0);
	if (ret < 0) {
		nn_charlm_release(&m);
		return ret;
	}
	nn_charlm_state s;
	nn_charlm_state_init(&s, &m, 1);
	/* Without a prime the model starts on a fresh line, as a screenplay's
	 * elements do.  It never writes the unknown symbol, which stands for the
	 * characters too rare to learn. */
	int32_t *ids = bj_xmalloc((prime ? len : 1) * sizeof(*ids));
	size_t n = prime ? nn_charlm_encode(&m, prime, len, ids) : 1;
	if (!prime)
		ids[0] = nn_charlm_id(&m, '\n');
	bj_rng rng;
	bj_rng_init(&rng, o->seed);
	if (prime)
		ret = emit(ctx, prime, len);
	if (ret >= 0)
		ret = nn_charlm_feed(&m, &s, ids, (int)n);
	struct emitter e = { emit, ctx };
	if (ret >= 0)
		ret = nn_charlm_generate(&m, &s, o->length, &o->sample, NN_CHARLM_NO_UNKNOWN, &rng,
		                         emit_codepoint, &e);
	free(ids);
	nn_charlm_state_release(&s);
	nn_charlm_release(&m);
	return ret < 0 ? ret : 0;
}
