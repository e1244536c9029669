#include "writer/writer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"
#include "base/rng.h"
#include "base/utf8.h"
#include "nn/charlm.h"
#include "nn/corpus.h"
#include "text/fountain.h"
#include "text/normalize.h"

void writer_train_opts_init(writer_train_opts *o)
{
	memset(o, 0, sizeof(*o));
	nn_trainer_opts_init(&o->t);
	o->t.label = "train writer";
}

static bool is_fountain(const char *path)
{
	size_t n = strlen(path);
	return n > 9 && strcmp(path + n - 9, ".fountain") == 0;
}

/* Appends file i of raw to f as Fountain: as it is for *.fountain, else
 * normalised.  Each file ends in a page break, as `benjamin corpus normalize`
 * writes them.  Returns 1 when written, 0 when skipped (not a screenplay). */
static int append_fountain(const nn_corpus *raw, int i, FILE *f, writer_corpus_report *rep)
{
	const char *path = nn_corpus_file(raw, i);
	char *text;
	if (is_fountain(path)) {
		uint8_t *data;
		size_t size;
		int ret = bj_file_read(path, SIZE_MAX, &data, &size);
		if (ret < 0)
			return ret;
		text = (char *)data;
		rep->fountain++;
	} else {
		/* One file at a time: the Fountain parser's limit is per document,
		 * and a whole corpus may be larger. */
		text_screenplay *sp;
		int ret = text_normalize_load(path, &sp, NULL);
		if (ret == BJ_EUNSUPPORTED) {
			if (!rep->skipped++)
				snprintf(rep->first_skipped, sizeof(rep->first_skipped), "%s",
				         bj_error_message());
			return 0;
		}
		if (ret < 0)
			return ret;
		text = text_fountain_emit(sp);
		text_screenplay_free(sp);
		rep->normalized++;
	}
	size_t n = strlen(text);
	fputs(text, f);
	fputs(n && text[n - 1] != '\n' ? "\n\n===\n\n" : "\n===\n\n", f);
	free(text);
	return 1;
}

/* Opens paths as a corpus of Fountain: as they are when as_is or when every
 * file is *.fountain, else through a temporary file (removed at once, kept
 * mapped) holding each file normalised. */
static int open_corpus(const char *const *paths, int n_paths, int as_is,
                       writer_corpus_report *rep, nn_corpus **out)
{
	nn_corpus *raw;
	*out = NULL;
	int ret = nn_corpus_open(paths, n_paths, &raw);
	if (ret < 0)
		return ret;
	int files = nn_corpus_files(raw), fountain = 0;
	for (int i = 0; i < files; i++)
		fountain += is_fountain(nn_corpus_file(raw, i));
	if (as_is || fountain == files) {
		if (!as_is)
			rep->fountain += files;
		*out = raw;
		return 0;
	}
	const char *dir = getenv("TMPDIR");
	char *tmp = bj_xasprintf("%s/benjamin-corpus-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(tmp);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		ret = bj_error_set(BJ_EIO, "'%s': cannot create file: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd), unlink(tmp);
		goto out;
	}
	int written = 0, skipped_before = rep->skipped;
	for (int i = 0; i < files && ret >= 0; i++)
		if ((ret = append_fountain(raw, i, f, rep)) > 0)
			written++;
	if (fclose(f) != 0 && ret >= 0)
		ret = bj_error_set(BJ_EIO, "'%s': cannot write: %s", tmp, strerror(errno));
	if (ret >= 0 && !written)
		ret = bj_error_set(BJ_EUNSUPPORTED, "%s (--as-is learns any text)",
		                   rep->skipped > skipped_before ? rep->first_skipped : "no screenplay");
	if (ret >= 0) {
		const char *p = tmp;
		ret = nn_corpus_open(&p, 1, out);
	}
	unlink(tmp);
out:
	free(tmp);
	nn_corpus_close(raw);
	return ret < 0 ? ret : 0;
}

int writer_train(const writer_train_opts *o, nn_trainer_result *r)
{
	nn_corpus *corpus = NULL, *val = NULL;
	writer_corpus_report local, *rep = o->report ? o->report : &local;
	memset(rep, 0, sizeof(*rep));
	int ret = open_corpus(o->corpus, o->n_corpus, o->as_is, rep, &corpus);
	if (ret < 0)
		return ret;
	/* Files learnt from: those read, less the skipped ones. */
	int n_files = o->as_is ? nn_corpus_files(corpus) : rep->fountain + rep->normalized;
	int n_normalized = rep->normalized;
	if (o->n_val > 0 && (ret = open_corpus(o->val_corpus, o->n_val, o->as_is, rep, &val)) < 0) {
		nn_corpus_close(corpus);
		return ret;
	}
	char files[32], chars[32], normalized[32];
	snprintf(files, sizeof(files), "%d", n_files);
	snprintf(chars, sizeof(chars), "%" PRIu64, nn_corpus_chars(corpus));
	snprintf(normalized, sizeof(normalized), "%d", n_normalized);
	const char *meta[] = {
		"writer.format", WRITER_FORMAT,
		"writer.corpus.files", files,
		"writer.corpus.chars", chars,
		"writer.corpus.normalized", o->as_is ? "no" : normalized,
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
