#include "nn/charlm.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/safetensors.h"
#include "base/utf8.h"
#include "nn/gemm.h"
#include "nn/loss.h"
#include "nn/parallel.h"

#define MAX_CODEPOINT 0x10FFFFu

static int check_config(const nn_charlm_config *c)
{
	if (c->vocab < 2 || c->vocab > NN_CHARLM_MAX_VOCAB)
		return bj_error_set(BJ_EINVAL, "vocabulary of %d symbols is outside 2..%d", c->vocab,
		                    NN_CHARLM_MAX_VOCAB);
	if (c->embed < 1 || c->embed > NN_CHARLM_MAX_WIDTH)
		return bj_error_set(BJ_EINVAL, "embedding size %d is outside 1..%d", c->embed,
		                    NN_CHARLM_MAX_WIDTH);
	if (c->hidden < 1 || c->hidden > NN_CHARLM_MAX_WIDTH)
		return bj_error_set(BJ_EINVAL, "hidden size %d is outside 1..%d", c->hidden,
		                    NN_CHARLM_MAX_WIDTH);
	if (c->layers < 1 || c->layers > NN_LSTM_MAX_LAYERS)
		return bj_error_set(BJ_EINVAL, "%d layers is outside 1..%d", c->layers,
		                    NN_LSTM_MAX_LAYERS);
	if (!(c->dropout >= 0.0f && c->dropout < 1.0f))
		return bj_error_set(BJ_EINVAL, "dropout %g is outside [0, 1)", c->dropout);
	return 0;
}

static int check_codepoints(const uint32_t *cp, int V)
{
	for (int i = 1; i < V; i++) {
		if (cp[i] > MAX_CODEPOINT)
			return bj_error_set(BJ_EINVAL, "vocabulary id %d is %" PRIu32 ", not a code point",
			                    i, cp[i]);
		if (i > 1 && cp[i] <= cp[i - 1])
			return bj_error_set(BJ_EINVAL, "vocabulary is not in increasing order at id %d", i);
	}
	return 0;
}

/* Everything but the parameter blocks: the views, the vocabulary, scratch. */
static int build(nn_charlm *m, const nn_charlm_config *cfg, const uint32_t *codepoints,
                 unsigned flags)
{
	memset(m, 0, sizeof(*m));
	nn_params_init(&m->params);
	nn_arena_init(&m->arena);
	int ret = check_config(cfg);
	if (ret < 0 || (ret = check_codepoints(codepoints, cfg->vocab)) < 0)
		return ret;
	m->cfg = *cfg;
	m->flags = flags;
	size_t V = (size_t)cfg->vocab;
	m->codepoints = bj_try_malloc(V * sizeof(*m->codepoints));
	m->next = bj_try_malloc(V * sizeof(*m->next));
	m->scratch = bj_try_malloc(V * sizeof(*m->scratch));
	if (!m->codepoints || !m->next || !m->scratch)
		return bj_error_code();
	memcpy(m->codepoints, codepoints, V * sizeof(*m->codepoints));
	nn_embedding_init(&m->embed, &m->params, "embed", cfg->vocab, cfg->embed);
	nn_lstm_init(&m->lstm, &m->params, "lstm", cfg->embed, cfg->hidden, cfg->layers,
	             cfg->dropout);
	nn_linear_init(&m->head, &m->params, "head", cfg->hidden, cfg->vocab, 1);
	nn_adamw_init(&m->opt, 0.0);
	return 0;
}

static int alloc_params(nn_charlm *m)
{
	return nn_params_alloc(&m->params, m->flags & NN_CHARLM_TRAIN ? NN_WITH_GRAD | NN_WITH_ADAM : 0);
}

int nn_charlm_init(nn_charlm *m, const nn_charlm_config *cfg, const uint32_t *codepoints,
                   unsigned flags)
{
	int ret = build(m, cfg, codepoints, flags);
	return ret < 0 ? ret : alloc_params(m);
}

void nn_charlm_init_weights(nn_charlm *m, bj_rng *rng)
{
	if (m->plan_state > 0)
		m->plan_state = 0;
	nn_embedding_init_weights(&m->embed, &m->params, rng);
	nn_lstm_init_weights(&m->lstm, &m->params, rng);
	nn_linear_init_weights(&m->head, &m->params, rng);
}

void nn_charlm_release(nn_charlm *m)
{
	nn_params_release(&m->params);
	nn_arena_release(&m->arena);
	free(m->plan_buf);
	free(m->codepoints);
	free(m->next);
	free(m->scratch);
	memset(m, 0, sizeof(*m));
}

int32_t nn_charlm_id(const nn_charlm *m, uint32_t cp)
{
	int lo = 1, hi = m->cfg.vocab - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (m->codepoints[mid] == cp)
			return mid;
		if (m->codepoints[mid] < cp)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

size_t nn_charlm_encode(const nn_charlm *m, const char *text, size_t len, int32_t *ids)
{
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int k = bj_utf8_decode(text + i, len - i, &cp);
		i += k < 0 ? (size_t)-k : (size_t)k;
		ids[n++] = k < 0 ? 0 : nn_charlm_id(m, cp);
	}
	return n;
}

void nn_charlm_state_init(nn_charlm_state *s, const nn_charlm *m, int B)
{
	BJ_ASSERT(B >= 1);
	s->B = B;
	s->L = m->cfg.layers;
	s->H = m->cfg.hidden;
	size_t n;
	BJ_ASSERT(bj_size_mul3(&n, (size_t)s->L, (size_t)B, (size_t)s->H));
	s->h = bj_xcalloc(n, sizeof(float));
	s->c = bj_xcalloc(n, sizeof(float));
}

void nn_charlm_state_reset(nn_charlm_state *s)
{
	size_t n = (size_t)s->L * s->B * s->H;
	if (n) {
		memset(s->h, 0, n * sizeof(float));
		memset(s->c, 0, n * sizeof(float));
	}
}

void nn_charlm_state_release(nn_charlm_state *s)
{
	free(s->h);
	free(s->c);
	memset(s, 0, sizeof(*s));
}

static size_t mul(size_t a, size_t b)
{
	size_t n;
	BJ_ASSERT(bj_size_mul(&n, a, b));
	return n;
}

static void take_buffers(nn_charlm *m, int B, int T)
{
	size_t bt = mul((size_t)B, (size_t)T);
	int train = !!(m->flags & NN_CHARLM_TRAIN);
	m->x = nn_arena_take(&m->arena, mul(bt, (size_t)m->cfg.embed));
	m->h = nn_arena_take(&m->arena, mul(bt, (size_t)m->cfg.hidden));
	m->logits = nn_arena_take(&m->arena, mul(bt, (size_t)m->cfg.vocab));
	m->dlogits = train ? nn_arena_take(&m->arena, mul(bt, (size_t)m->cfg.vocab)) : NULL;
	m->dh = train ? nn_arena_take(&m->arena, mul(bt, (size_t)m->cfg.hidden)) : NULL;
	m->dx = train ? nn_arena_take(&m->arena, mul(bt, (size_t)m->cfg.embed)) : NULL;
	m->row_loss = (double *)nn_arena_take(&m->arena, mul(bt, sizeof(double) / sizeof(float)));
	nn_lstm_cache_take(&m->cache, &m->lstm, B, T, &m->arena);
}

/* Sizes the activation arena for (B, T), measuring first, unless it is. */
static int shape(nn_charlm *m, int B, int T)
{
	BJ_ASSERT(B >= 1 && T >= 1);
	if (m->B == B && m->T == T)
		return 0;
	nn_arena_release(&m->arena);
	m->B = m->T = 0;
	take_buffers(m, B, T);
	int ret = nn_arena_alloc(&m->arena);
	if (ret < 0)
		return ret;
	take_buffers(m, B, T);
	m->B = B;
	m->T = T;
	return 0;
}

/* The head and the loss over a block of rows: logits, probabilities in
 * place, each row's loss and, when training, the gradient of the mean loss
 * (written, not added).  Blocks start at multiples of 16 rows, as nn_gemm's. */
struct head_job {
	nn_charlm *m;
	const int32_t *targets;
	int n, parts;
	float scale;        /* 1 / the number of counted targets, 0 for none */
	int backward;
};

static void head_rows(void *arg, int task, int thread)
{
	(void)thread;
	const struct head_job *j = arg;
	nn_charlm *m = j->m;
	int units = (j->n + 15) / 16, lo, hi, V = m->cfg.vocab;
	size_t H = (size_t)m->cfg.hidden;
	nn_parallel_split(units, j->parts, task, &lo, &hi);
	lo *= 16;
	hi = hi * 16 < j->n ? hi * 16 : j->n;
	if (lo >= hi)
		return;
	nn_linear_forward(&m->head, m->h + (size_t)lo * H, hi - lo, m->logits + (size_t)lo * V);
	for (int r = lo; r < hi; r++) {
		float *p = m->logits + (size_t)r * V;
		int t = j->targets[r];
		/* One row at a time: the loss of the row itself, not a block mean. */
		m->row_loss[r] = nn_xent_forward(p, j->targets + r, 1, V, p);
		if (!j->backward)
			continue;
		float *d = m->dlogits + (size_t)r * V;
		for (int k = 0; k < V; k++)
			d[k] = t < 0 ? 0.0f : (p[k] - (k == t)) * j->scale;
	}
}

/* Embedding, LSTM from s (updated in place), head and loss for B*T tokens;
 * returns the mean loss over counted targets, the rows added in order. */
static double forward(nn_charlm *m, nn_charlm_state *s, const int32_t *inputs,
                      const int32_t *targets, bj_rng *rng, int backward)
{
	BJ_ASSERT(s->B == m->B && s->L == m->cfg.layers && s->H == m->cfg.hidden);
	int n = m->B * m->T, V = m->cfg.vocab, counted = 0;
	for (int r = 0; r < n; r++) {
		BJ_ASSERT(targets[r] < V);
		counted += targets[r] >= 0;
	}
	nn_embedding_forward(&m->embed, inputs, n, m->x);
	nn_lstm_forward(&m->lstm, &m->cache, m->x, s->h, s->c, m->h, s->h, s->c, rng);
	struct head_job j = { m, targets, n, 1, counted ? (float)(1.0 / counted) : 0.0f, backward };
	int units = (n + 15) / 16;
	j.parts = units < nn_get_threads() ? units : nn_get_threads();
	nn_parallel_run(j.parts, head_rows, &j);
	double total = 0.0;
	for (int r = 0; r < n; r++)
		total += m->row_loss[r];
	return counted ? total / counted : 0.0;
}

int nn_charlm_train_step(nn_charlm *m, nn_charlm_state *s, const int32_t *inputs,
                         const int32_t *targets, int B, int T, nn_charlm_step *step,
                         bj_rng *rng)
{
	BJ_ASSERT(m->flags & NN_CHARLM_TRAIN);
	if (m->plan_state > 0)
		m->plan_state = 0;   /* the weights change */
	int ret = shape(m, B, T);
	if (ret < 0)
		return ret;
	int n = B * T, V = m->cfg.vocab, H = m->cfg.hidden;
	/* The probabilities replace the logits, which backward no longer needs. */
	step->loss = forward(m, s, inputs, targets, rng, 1);

	nn_params_zero_grad(&m->params);
	memset(m->dx, 0, (size_t)n * m->cfg.embed * sizeof(float));
	/* The head's backward (nn_linear_backward's, with dh written, not added). */
	nn_gemm(1, 0, V, H, n, 1.0f, m->dlogits, V, m->h, H, 1.0f, m->head.dw, H);
	for (int r = 0; r < n; r++)
		for (int k = 0; k < V; k++)
			m->head.db[k] += m->dlogits[(size_t)r * V + k];
	nn_gemm(0, 0, n, H, V, 1.0f, m->dlogits, V, m->head.w, H, 0.0f, m->dh, H);
	/* Truncated BPTT: the carried state is a constant of this step, so no
	 * gradient reaches it (dh0, dc0 NULL) and none comes from the next (dhT,
	 * dcT NULL). */
	nn_lstm_backward(&m->lstm, &m->cache, m->x, m->dh, NULL, NULL, m->dx, NULL, NULL);
	nn_embedding_backward(&m->embed, inputs, n, m->dx);

	step->norm = step->clip > 0.0 ? nn_clip_grad_norm(&m->params, step->clip)
	                              : nn_grad_norm(&m->params);
	if (isfinite(step->norm))
		nn_adamw_step(&m->opt, &m->params, step->lr);
	return 0;
}

int nn_charlm_loss(nn_charlm *m, nn_charlm_state *s, const int32_t *inputs,
                   const int32_t *targets, int B, int T, double *loss)
{
	int ret = shape(m, B, T);
	if (ret < 0)
		return ret;
	*loss = forward(m, s, inputs, targets, NULL, 0);
	return 0;
}

/* Builds the sampling plan unless it is there; 0 when it is, -1 when the CPU
 * cannot use one, BJ_ENOMEM. */
static int plan(nn_charlm *m)
{
	if (m->plan_state)
		return m->plan_state > 0 ? 0 : -1;
	if (!nn_gemm_packed_available()) {
		m->plan_state = -1;
		return -1;
	}
	if (!m->plan_buf) {
		size_t n;
		if (!bj_size_mul(&n, nn_lstm_plan_floats(&m->lstm), sizeof(float)) ||
		    posix_memalign((void **)&m->plan_buf, 64, n) != 0) {
			m->plan_buf = NULL;
			return bj_error_set(BJ_ENOMEM, "out of memory for the sampling plan (%zu floats)",
			                    nn_lstm_plan_floats(&m->lstm));
		}
	}
	nn_lstm_plan_build(&m->plan, &m->lstm, m->plan_buf);
	m->plan_state = 1;
	return 0;
}

int nn_charlm_feed(nn_charlm *m, nn_charlm_state *s, const int32_t *ids, int n)
{
	BJ_ASSERT(s->B == 1 && n >= 1);
	size_t H = (size_t)m->cfg.hidden, E = (size_t)m->cfg.embed;
	int ret = plan(m);
	if (ret == 0) {
		/* A token at a time through the packed weights. */
		for (int i = 0; i < n; i++) {
			BJ_ASSERT(ids[i] >= 0 && ids[i] < m->cfg.vocab);
			nn_lstm_plan_step(&m->lstm, &m->plan, m->embed.w + (size_t)ids[i] * E, s->h, s->c);
		}
		nn_linear_forward(&m->head, s->h + (size_t)(m->cfg.layers - 1) * H, 1, m->next);
		return 0;
	}
	if (ret != -1)
		return ret;
	ret = shape(m, 1, n);
	if (ret < 0)
		return ret;
	nn_embedding_forward(&m->embed, ids, n, m->x);
	nn_lstm_forward(&m->lstm, &m->cache, m->x, s->h, s->c, m->h, s->h, s->c, NULL);
	/* Only the last position is sampled from. */
	nn_linear_forward(&m->head, m->h + (size_t)(n - 1) * H, 1, m->next);
	return 0;
}

int32_t nn_charlm_sample_next(nn_charlm *m, const nn_sample_opts *o, bj_rng *rng)
{
	return nn_sample(m->next, m->cfg.vocab, o, m->scratch, rng);
}

int nn_charlm_generate(nn_charlm *m, nn_charlm_state *s, long n, const nn_sample_opts *o,
                       unsigned flags, bj_rng *rng, nn_charlm_emit_fn *emit, void *ctx)
{
	for (long i = 0; i < n; i++) {
		/* A logit far below any other: its probability is exactly 0. */
		if (flags & NN_CHARLM_NO_UNKNOWN)
			m->next[0] = -1e30f;
		int32_t id = nn_charlm_sample_next(m, o, rng);
		int ret = emit(ctx, m->codepoints[id]);
		if (ret < 0)
			return ret;
		if ((ret = nn_charlm_feed(m, s, &id, 1)) < 0)
			return ret;
	}
	return 0;
}

/* Metadata keys and the fields they hold. */
#define META_VOCAB "charlm.vocab"
#define META_EMBED "charlm.embed"
#define META_HIDDEN "charlm.hidden"
#define META_LAYERS "charlm.layers"
#define META_DROPOUT "charlm.dropout"
#define TENSOR_CODEPOINTS "charlm.codepoints"

static int set_meta(struct bj_st_writer *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int set_meta(struct bj_st_writer *w, const char *key, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	BJ_ASSERT(n > 0 && (size_t)n < sizeof(buf));
	return bj_st_writer_set_meta(w, key, buf);
}

/* The shape and vocabulary of m, as nn_charlm_write describes. */
static int write_shape(const nn_charlm *m, struct bj_st_writer *w)
{
	const nn_charlm_config *c = &m->cfg;
	int ret;
	if ((ret = set_meta(w, META_VOCAB, "%d", c->vocab)) < 0 ||
	    (ret = set_meta(w, META_EMBED, "%d", c->embed)) < 0 ||
	    (ret = set_meta(w, META_HIDDEN, "%d", c->hidden)) < 0 ||
	    (ret = set_meta(w, META_LAYERS, "%d", c->layers)) < 0 ||
	    (ret = set_meta(w, META_DROPOUT, "%.9g", c->dropout)) < 0)
		return ret;
	/* The vocabulary as text too, for people and other tools: ids 1.. in
	 * order (U+0000, which a C string cannot hold, left out). */
	char *chars = bj_xmalloc((size_t)c->vocab * BJ_UTF8_MAX + 1);
	size_t n = 0;
	for (int i = 1; i < c->vocab; i++)
		if (m->codepoints[i] != 0)
			n += (size_t)bj_utf8_encode(m->codepoints[i], chars + n);
	chars[n] = '\0';
	ret = bj_st_writer_set_meta(w, "charlm.chars", chars);
	free(chars);
	if (ret < 0)
		return ret;
	/* Code points are at most 0x10FFFF: the same bytes as int32. */
	return bj_st_writer_add(w, TENSOR_CODEPOINTS, BJ_DTYPE_I32, 1, (int64_t[]){ c->vocab },
	                        m->codepoints);
}

int nn_charlm_write(const nn_charlm *m, struct bj_st_writer *w, int with_optimizer)
{
	int ret;
	if ((ret = write_shape(m, w)) < 0 || (ret = nn_params_write(&m->params, NN_DATA, "", w)) < 0)
		return ret;
	if (!with_optimizer)
		return 0;
	BJ_ASSERT(m->flags & NN_CHARLM_TRAIN);
	if ((ret = set_meta(w, "adam.step", "%" PRId64, m->opt.step)) < 0 ||
	    (ret = set_meta(w, "adam.beta1", "%.17g", m->opt.beta1)) < 0 ||
	    (ret = set_meta(w, "adam.beta2", "%.17g", m->opt.beta2)) < 0 ||
	    (ret = set_meta(w, "adam.eps", "%.17g", m->opt.eps)) < 0 ||
	    (ret = set_meta(w, "adam.weight_decay", "%.17g", m->opt.weight_decay)) < 0)
		return ret;
	if ((ret = nn_params_write(&m->params, NN_ADAM_M, "adam.m.", w)) < 0)
		return ret;
	return nn_params_write(&m->params, NN_ADAM_V, "adam.v.", w);
}

/* A whole number in lo..hi from metadata key. */
static int meta_long(const struct bj_safetensors *st, const char *key, long long lo,
                     long long hi, long long *out)
{
	const char *path = bj_safetensors_path(st);
	const char *v = bj_safetensors_meta(st, key);
	if (!v)
		return bj_error_set(BJ_EFORMAT, "'%s': no metadata '%s'", path, key);
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (errno || end == v || *end || x < lo || x > hi)
		return bj_error_set(BJ_EFORMAT, "'%s': metadata '%s' is '%.40s', expected a whole "
		                    "number in %lld..%lld", path, key, v, lo, hi);
	*out = x;
	return 0;
}

/* A finite number in [lo, hi) from metadata key. */
static int meta_double(const struct bj_safetensors *st, const char *key, double lo, double hi,
                       double *out)
{
	const char *path = bj_safetensors_path(st);
	const char *v = bj_safetensors_meta(st, key);
	if (!v)
		return bj_error_set(BJ_EFORMAT, "'%s': no metadata '%s'", path, key);
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if (errno || end == v || *end || !(x >= lo && x < hi))
		return bj_error_set(BJ_EFORMAT, "'%s': metadata '%s' is '%.40s', expected a number "
		                    "in [%g, %g)", path, key, v, lo, hi);
	*out = x;
	return 0;
}

/* Checks that every view of block prefix is in st with its shape, so that
 * nothing sized by the metadata is allocated for a file that cannot fill it. */
static int check_tensors(const nn_params *p, const struct bj_safetensors *st, const char *prefix)
{
	for (int i = 0; i < p->n_views; i++) {
		const nn_param *v = &p->views[i];
		char name[NN_PARAM_NAME_MAX + 16];
		snprintf(name, sizeof(name), "%s%s", prefix, v->name);
		const bj_st_tensor *t = bj_safetensors_find(st, name);
		if (!t)
			return bj_error_set(BJ_ENOENT, "'%s': no tensor '%s'", bj_safetensors_path(st),
			                    name);
		int same = t->ndim == v->ndim;
		for (int d = 0; same && d < v->ndim; d++)
			same = t->shape[d] == v->shape[d];
		if (!same)
			return bj_error_set(BJ_EFORMAT, "'%s': tensor '%s' does not have the shape the "
			                    "metadata implies", bj_safetensors_path(st), name);
	}
	return 0;
}

static int read_optimizer(nn_charlm *m, const struct bj_safetensors *st)
{
	long long step;
	nn_adamw *o = &m->opt;
	int ret;
	if ((ret = meta_long(st, "adam.step", 0, INT64_MAX, &step)) < 0 ||
	    (ret = meta_double(st, "adam.beta1", 0.0, 1.0, &o->beta1)) < 0 ||
	    (ret = meta_double(st, "adam.beta2", 0.0, 1.0, &o->beta2)) < 0 ||
	    (ret = meta_double(st, "adam.eps", 0.0, INFINITY, &o->eps)) < 0 ||
	    (ret = meta_double(st, "adam.weight_decay", 0.0, INFINITY, &o->weight_decay)) < 0)
		return ret;
	o->step = step;
	if ((ret = check_tensors(&m->params, st, "adam.m.")) < 0 ||
	    (ret = check_tensors(&m->params, st, "adam.v.")) < 0)
		return ret;
	if ((ret = nn_params_read(&m->params, NN_ADAM_M, "adam.m.", st)) < 0)
		return ret;
	return nn_params_read(&m->params, NN_ADAM_V, "adam.v.", st);
}

int nn_charlm_read(nn_charlm *m, const struct bj_safetensors *st, unsigned flags)
{
	const char *path = bj_safetensors_path(st);
	nn_charlm_config c;
	long long v, e, h, l;
	double dropout;
	uint32_t *cps = NULL;
	int ret;
	memset(m, 0, sizeof(*m));
	if ((ret = meta_long(st, META_VOCAB, 2, NN_CHARLM_MAX_VOCAB, &v)) < 0 ||
	    (ret = meta_long(st, META_EMBED, 1, NN_CHARLM_MAX_WIDTH, &e)) < 0 ||
	    (ret = meta_long(st, META_HIDDEN, 1, NN_CHARLM_MAX_WIDTH, &h)) < 0 ||
	    (ret = meta_long(st, META_LAYERS, 1, NN_LSTM_MAX_LAYERS, &l)) < 0 ||
	    (ret = meta_double(st, META_DROPOUT, 0.0, 1.0, &dropout)) < 0)
		return ret;
	c = (nn_charlm_config){ .vocab = (int)v, .embed = (int)e, .hidden = (int)h,
	                        .layers = (int)l, .dropout = (float)dropout };
	const bj_st_tensor *t = bj_safetensors_find(st, TENSOR_CODEPOINTS);
	if (!t)
		return bj_error_set(BJ_ENOENT, "'%s': no tensor '%s'", path, TENSOR_CODEPOINTS);
	if (t->dtype != BJ_DTYPE_I32 || t->ndim != 1 || t->shape[0] != v)
		return bj_error_set(BJ_EFORMAT, "'%s': tensor '%s' is not %lld int32 code points", path,
		                    TENSOR_CODEPOINTS, v);
	/* The tensor exists with v elements, so this is bounded by the file. */
	cps = bj_try_malloc(t->nbytes);
	if (!cps)
		return bj_error_code();
	memcpy(cps, t->data, t->nbytes);
	ret = build(m, &c, cps, flags);
	free(cps);
	if (ret == BJ_EINVAL) {
		/* A bad setting in a file is a bad file. */
		char why[512];
		snprintf(why, sizeof(why), "%s", bj_error_message());
		return bj_error_set(BJ_EFORMAT, "'%s': %s", path, why);
	}
	if (ret < 0)
		return ret;
	if ((ret = check_tensors(&m->params, st, "")) < 0 || (ret = alloc_params(m)) < 0 ||
	    (ret = nn_params_read(&m->params, NN_DATA, "", st)) < 0)
		return ret;
	if ((flags & NN_CHARLM_TRAIN) && bj_safetensors_meta(st, "adam.step"))
		return read_optimizer(m, st);
	return 0;
}

int nn_charlm_save(const nn_charlm *m, const char *path, int with_optimizer)
{
	bj_st_writer *w = bj_st_writer_new();
	int ret = nn_charlm_write(m, w, with_optimizer);
	if (ret >= 0)
		ret = bj_st_writer_save(w, path);
	bj_st_writer_free(w);
	return ret;
}

int nn_charlm_load(nn_charlm *m, const char *path, unsigned flags)
{
	bj_safetensors *st;
	memset(m, 0, sizeof(*m));
	int ret = bj_safetensors_load(path, &st);
	if (ret < 0)
		return ret;
	ret = nn_charlm_read(m, st, flags);
	bj_safetensors_free(st);
	return ret;
}

int nn_charlm_strip(const char *in_path, const char *out_path, int half)
{
	bj_safetensors *st;
	nn_charlm m;
	memset(&m, 0, sizeof(m));
	int ret = bj_safetensors_load(in_path, &st);
	if (ret < 0)
		return ret;
	uint16_t *buf = NULL;
	bj_st_writer *w = bj_st_writer_new();
	if ((ret = nn_charlm_read(&m, st, 0)) < 0 || (ret = write_shape(&m, w)) < 0)
		goto out;
	if (half) {
		buf = bj_xmalloc(m.params.count * sizeof(*buf));
		ret = nn_params_write_f16(&m.params, NN_DATA, "", w, buf);
	} else {
		ret = nn_params_write(&m.params, NN_DATA, "", w);
	}
	/* The others' metadata: the shape's is written, the optimizer's dropped. */
	for (size_t i = 0; ret >= 0 && i < bj_safetensors_meta_count(st); i++) {
		const char *key, *value;
		bj_safetensors_meta_at(st, i, &key, &value);
		if (strncmp(key, "adam.", 5) != 0 && strncmp(key, "charlm.", 7) != 0)
			ret = bj_st_writer_set_meta(w, key, value);
	}
	if (ret >= 0)
		ret = bj_st_writer_save(w, out_path);
out:
	bj_st_writer_free(w);
	free(buf);
	nn_charlm_release(&m);
	bj_safetensors_free(st);
	return ret;
}
