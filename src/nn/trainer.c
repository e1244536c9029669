#include "nn/trainer.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/atomic.h"
#include "base/error.h"
#include "base/progress.h"
#include "base/safetensors.h"
#include "nn/charlm.h"
#include "nn/optim.h"

void nn_trainer_opts_init(nn_trainer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->layers = 2;
	o->hidden = 512;
	o->embed = 64;
	o->dropout = 0.0f;
	o->min_count = 5;
	o->batch = 32;
	o->seq = 100;
	o->val_fraction = 0.1;
	o->val_chars = 65536;
	o->val_every = 200;
	o->lr = 2e-3;
	o->min_lr = 2e-4;
	o->warmup = 100;
	o->weight_decay = 0.0;
	o->clip = 5.0;
	o->checkpoint_minutes = 10.0;
	o->seed = 1;
	o->label = "train";
}

/* One row of the learning curve. */
struct row {
	int64_t step;
	uint64_t chars;
	double seconds, lr, train_bpc, val_bpc;   /* val_bpc NAN between validations */
};

/* Everything a run holds. */
struct run {
	const nn_trainer_opts *o;
	const nn_corpus *corpus;      /* training text */
	const nn_corpus *vcorpus;     /* validation text: corpus or o->val */
	uint64_t lo, hi;              /* the training text: bytes [lo, hi) of corpus */
	uint64_t vlo, vhi;            /* the validation text in vcorpus */
	nn_charlm m;
	nn_charlm_state s;            /* (B) carried training state */
	nn_charlm_state vs;           /* (B) validation state */
	int B, T;
	uint64_t *pos;                /* (B) each stream's next byte */
	uint32_t *cps;                /* (T + 1) */
	int32_t *inputs, *targets;    /* (B, T) */
	bj_rng rng;
	int64_t step;                 /* steps done */
	uint64_t chars;               /* characters trained on */
	double seconds;               /* time in steps */
	double val_bpc;               /* the last validation, NAN for none */
	struct row *rows;
	size_t n_rows, cap_rows;
	/* The settings in force (the checkpoint's, when resuming). */
	double lr, min_lr, clip, weight_decay;
	int64_t warmup;
	uint64_t min_count;
	double val_fraction;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int check_opts(const nn_trainer_opts *o)
{
	if (o->batch < 1 || o->batch > 4096)
		return bj_error_set(BJ_EINVAL, "batch of %d streams is outside 1..4096", o->batch);
	if (o->seq < 1 || o->seq > 65536)
		return bj_error_set(BJ_EINVAL, "sequence of %d characters is outside 1..65536", o->seq);
	if (!(o->val_fraction >= 0.0 && o->val_fraction < 1.0))
		return bj_error_set(BJ_EINVAL, "validation fraction %g is outside [0, 1)",
		                    o->val_fraction);
	if (!(o->lr > 0.0 && o->lr < 1e3) || !(o->min_lr >= 0.0 && o->min_lr <= o->lr))
		return bj_error_set(BJ_EINVAL, "learning rate %g (down to %g) is out of range", o->lr,
		                    o->min_lr);
	if (o->steps < 0 || !(o->minutes >= 0.0) || (o->steps == 0 && o->minutes == 0.0))
		return bj_error_set(BJ_EINVAL, "no length of training given (steps or minutes)");
	if (o->val_every < 1 || o->warmup < 0 || o->min_count < 1 || !(o->clip >= 0.0) ||
	    !(o->checkpoint_minutes >= 0.0) || !(o->weight_decay >= 0.0))
		return bj_error_set(BJ_EINVAL, "a training setting is out of range");
	if (!o->model_path)
		return bj_error_set(BJ_EINVAL, "no model path given");
	return 0;
}

/*
 * Metadata.  Every value is a decimal string; doubles are written with 17
 * significant digits so that they read back bit for bit.
 */
static int put(bj_st_writer *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int put(bj_st_writer *w, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *v = NULL;
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	BJ_ASSERT(n >= 0);
	v = bj_xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(v, (size_t)n + 1, fmt, ap);
	va_end(ap);
	int ret = bj_st_writer_set_meta(w, key, v);
	free(v);
	return ret;
}

/* The learning curve for the model file ("train.curve"): at most
 * NN_TRAINER_CURVE_POINTS points "step,train_bpc,val_bpc" joined by ';', each
 * the mean training loss of an equal run of steps and the last validation in
 * it (empty when none), so a report can draw it without the CSV.  A new
 * string (free()). */
static char *curve_text(const struct run *r)
{
	size_t n = r->n_rows, points = n < NN_TRAINER_CURVE_POINTS ? n : NN_TRAINER_CURVE_POINTS;
	char *text = bj_xmalloc(points * 64 + 1);
	size_t len = 0;
	text[0] = '\0';
	for (size_t p = 0; p < points; p++) {
		size_t a = p * n / points, b = (p + 1) * n / points;
		double sum = 0.0, val = NAN;
		for (size_t i = a; i < b; i++) {
			sum += r->rows[i].train_bpc;
			if (!isnan(r->rows[i].val_bpc))
				val = r->rows[i].val_bpc;
		}
		len += (size_t)snprintf(text + len, 64, "%s%" PRId64 ",%.4f,", p ? ";" : "",
		                        r->rows[b - 1].step, sum / (double)(b - a));
		if (!isnan(val))
			len += (size_t)snprintf(text + len, 24, "%.4f", val);
	}
	return text;
}

/* Rows back from "train.curve" (a checkpoint whose CSV is gone), those past
 * upto left out.  A malformed curve is ignored: it is a record, not state. */
static void read_curve(struct run *r, const char *text, int64_t upto)
{
	const char *p = text;
	while (p && *p) {
		char *end;
		struct row w = { 0 };
		w.step = strtoll(p, &end, 10);
		if (*end != ',')
			break;
		w.train_bpc = strtod(end + 1, &end);
		if (*end != ',')
			break;
		end++;
		w.val_bpc = *end && *end != ';' ? strtod(end, &end) : NAN;
		if (w.step > upto || !isfinite(w.train_bpc))
			break;
		BJ_GROW(r->rows, r->cap_rows, r->n_rows + 1);
		r->rows[r->n_rows++] = w;
		p = *end == ';' ? end + 1 : NULL;
	}
}

static int write_model(struct run *r, const char *path)
{
	const nn_trainer_opts *o = r->o;
	bj_st_writer *w = bj_st_writer_new();
	int ret = nn_charlm_write(&r->m, w, 1);
	int64_t lbh[3] = { r->m.cfg.layers, r->B, r->m.cfg.hidden };
	if (ret >= 0)
		ret = bj_st_writer_add(w, "train.h", BJ_DTYPE_F32, 3, lbh, r->s.h);
	if (ret >= 0)
		ret = bj_st_writer_add(w, "train.c", BJ_DTYPE_F32, 3, lbh, r->s.c);
	char *positions = bj_xmalloc((size_t)r->B * 21 + 1);
	size_t len = 0;
	for (int b = 0; b < r->B; b++)
		len += (size_t)snprintf(positions + len, 22, "%s%" PRIu64, b ? "," : "", r->pos[b]);
	if (ret >= 0)
		ret = put(w, "train.step", "%" PRId64, r->step);
	if (ret >= 0)
		ret = put(w, "train.chars", "%" PRIu64, r->chars);
	if (ret >= 0)
		ret = put(w, "train.seconds", "%.17g", r->seconds);
	if (ret >= 0)
		ret = put(w, "train.batch", "%d", r->B);
	if (ret >= 0)
		ret = put(w, "train.seq", "%d", r->T);
	if (ret >= 0)
		ret = put(w, "train.lr", "%.17g", r->lr);
	if (ret >= 0)
		ret = put(w, "train.min_lr", "%.17g", r->min_lr);
	if (ret >= 0)
		ret = put(w, "train.warmup", "%" PRId64, r->warmup);
	if (ret >= 0)
		ret = put(w, "train.clip", "%.17g", r->clip);
	if (ret >= 0)
		ret = put(w, "train.weight_decay", "%.17g", r->weight_decay);
	if (ret >= 0)
		ret = put(w, "train.min_count", "%" PRIu64, r->min_count);
	if (ret >= 0)
		ret = put(w, "train.val_fraction", "%.17g", r->val_fraction);
	if (ret >= 0)
		ret = put(w, "train.steps", "%" PRId64, o->steps);
	if (ret >= 0)
		ret = put(w, "train.minutes", "%.17g", o->minutes);
	if (ret >= 0)
		ret = put(w, "train.seed", "%" PRIu64, o->seed);
	if (ret >= 0)
		ret = put(w, "train.rng", "%016" PRIx64 ":%016" PRIx64 ":%016" PRIx64 ":%016" PRIx64,
		          r->rng.s[0], r->rng.s[1], r->rng.s[2], r->rng.s[3]);
	if (ret >= 0)
		ret = put(w, "train.positions", "%s", positions);
	if (ret >= 0)
		ret = put(w, "train.corpus.bytes", "%" PRIu64, nn_corpus_bytes(r->corpus));
	if (ret >= 0)
		ret = put(w, "train.corpus.hash", "%016" PRIx64, nn_corpus_hash(r->corpus));
	if (ret >= 0 && !isnan(r->val_bpc))
		ret = put(w, "train.val_bpc", "%.6f", r->val_bpc);
	char *curve = curve_text(r);
	if (ret >= 0 && r->n_rows)
		ret = put(w, "train.curve", "%s", curve);
	free(curve);
	for (const char *const *kv = o->meta; kv && kv[0] && ret >= 0; kv += 2)
		ret = bj_st_writer_set_meta(w, kv[0], kv[1]);
	if (ret >= 0)
		ret = bj_st_writer_save(w, path);
	free(positions);
	bj_st_writer_free(w);
	return ret;
}

/* Metadata readers for a checkpoint; errors name the file and the key. */
static const char *get(const bj_safetensors *st, const char *key, int *ret)
{
	const char *v = bj_safetensors_meta(st, key);
	if (!v && *ret >= 0)
		*ret = bj_error_set(BJ_EFORMAT, "'%s': no metadata '%s' (not a training checkpoint)",
		                    bj_safetensors_path(st), key);
	return v;
}

static double get_double(const bj_safetensors *st, const char *key, int *ret)
{
	const char *v = get(st, key, ret);
	if (!v)
		return 0.0;
	char *end;
	errno = 0;
	double x = strtod(v, &end);
	if ((errno || end == v || *end || !isfinite(x)) && *ret >= 0)
		*ret = bj_error_set(BJ_EFORMAT, "'%s': metadata '%s' is '%.40s', not a number",
		                    bj_safetensors_path(st), key, v);
	return x;
}

static uint64_t get_u64(const bj_safetensors *st, const char *key, uint64_t max, int *ret)
{
	const char *v = get(st, key, ret);
	if (!v)
		return 0;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(v, &end, 10);
	if ((errno || end == v || *end || *v == '-' || x > max) && *ret >= 0)
		*ret = bj_error_set(BJ_EFORMAT, "'%s': metadata '%s' is '%.40s', not a whole number "
		                    "up to %" PRIu64, bj_safetensors_path(st), key, v, max);
	return x;
}

/* A list of n numbers "a,b,..." (positions) or "h:h:h:h" in hex (rng). */
static int parse_list(const char *v, char sep, int base, uint64_t *out, int n)
{
	const char *p = v;
	for (int i = 0; i < n; i++) {
		char *end;
		errno = 0;
		if (*p == '-' || *p == '+' || *p == ' ')
			return -1;
		out[i] = strtoull(p, &end, base);
		if (errno || end == p || (i + 1 < n ? *end != sep : *end != '\0'))
			return -1;
		p = end + 1;
	}
	return 0;
}

static int read_checkpoint(struct run *r, const char *path)
{
	bj_safetensors *st;
	int ret = bj_safetensors_load(path, &st);
	if (ret < 0)
		return ret;
	if ((ret = nn_charlm_read(&r->m, st, NN_CHARLM_TRAIN)) < 0)
		goto out;
	if (!bj_safetensors_meta(st, "adam.step")) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': no optimizer state (not a training checkpoint)",
		                   path);
		goto out;
	}
	r->B = (int)get_u64(st, "train.batch", 4096, &ret);
	r->T = (int)get_u64(st, "train.seq", 65536, &ret);
	r->step = (int64_t)get_u64(st, "train.step", INT64_MAX, &ret);
	r->chars = get_u64(st, "train.chars", UINT64_MAX, &ret);
	r->seconds = get_double(st, "train.seconds", &ret);
	r->lr = get_double(st, "train.lr", &ret);
	r->min_lr = get_double(st, "train.min_lr", &ret);
	r->warmup = (int64_t)get_u64(st, "train.warmup", INT64_MAX, &ret);
	r->clip = get_double(st, "train.clip", &ret);
	r->weight_decay = get_double(st, "train.weight_decay", &ret);
	r->min_count = get_u64(st, "train.min_count", UINT64_MAX, &ret);
	r->val_fraction = get_double(st, "train.val_fraction", &ret);
	uint64_t bytes = get_u64(st, "train.corpus.bytes", UINT64_MAX, &ret);
	const char *hash = get(st, "train.corpus.hash", &ret);
	const char *rng = get(st, "train.rng", &ret);
	const char *positions = get(st, "train.positions", &ret);
	if (ret < 0)
		goto out;
	if (r->B < 1 || r->T < 1 || !(r->val_fraction >= 0.0 && r->val_fraction < 1.0)) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': training settings out of range", path);
		goto out;
	}
	char want[17];
	snprintf(want, sizeof(want), "%016" PRIx64, nn_corpus_hash(r->corpus));
	if (bytes != nn_corpus_bytes(r->corpus) || strcmp(hash, want) != 0) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': trained on a different corpus", path);
		goto out;
	}
	r->pos = bj_xcalloc((size_t)r->B, sizeof(*r->pos));
	if (parse_list(rng, ':', 16, r->rng.s, 4) < 0 ||
	    parse_list(positions, ',', 10, r->pos, r->B) < 0) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': metadata '%s' is malformed", path,
		                   parse_list(rng, ':', 16, r->rng.s, 4) < 0 ? "train.rng"
		                                                             : "train.positions");
		goto out;
	}
	nn_charlm_state_init(&r->s, &r->m, r->B);
	int64_t shape[3] = { r->m.cfg.layers, r->B, r->m.cfg.hidden };
	if ((ret = bj_safetensors_read_f32(st, "train.h", 3, shape, r->s.h)) < 0 ||
	    (ret = bj_safetensors_read_f32(st, "train.c", 3, shape, r->s.c)) < 0)
		goto out;
	const char *val = bj_safetensors_meta(st, "train.val_bpc");
	if (val)
		r->val_bpc = strtod(val, NULL);
	read_curve(r, bj_safetensors_meta(st, "train.curve"), r->step);
out:
	bj_safetensors_free(st);
	return ret;
}

/* The learning curve. */
static void add_row(struct run *r, double lr, double train_bpc)
{
	BJ_GROW(r->rows, r->cap_rows, r->n_rows + 1);
	r->rows[r->n_rows++] = (struct row){ r->step, r->chars, r->seconds, lr, train_bpc, NAN };
}

static int write_csv(const struct run *r)
{
	const char *path = r->o->csv_path;
	if (!path)
		return 0;
	bj_atomic *a;
	int ret = bj_atomic_open(path, &a);
	if (ret < 0)
		return ret;
	FILE *f = bj_atomic_stream(a);
	fputs("step,chars,seconds,lr,train_bpc,val_bpc\n", f);
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct row *w = &r->rows[i];
		fprintf(f, "%" PRId64 ",%" PRIu64 ",%.3f,%.6g,%.5f,", w->step, w->chars, w->seconds,
		        w->lr, w->train_bpc);
		if (!isnan(w->val_bpc))
			fprintf(f, "%.5f", w->val_bpc);
		fputc('\n', f);
	}
	return bj_atomic_commit(a);
}

/* The rows of an earlier run up to step (the checkpoint's): those after it
 * were trained again.  A missing or unreadable file leaves the points of the
 * model's own curve (read_curve). */
static void read_csv(struct run *r, int64_t upto)
{
	const char *path = r->o->csv_path;
	FILE *f = path ? fopen(path, "r") : NULL;
	if (!f)
		return;
	r->n_rows = 0;   /* the CSV has every step; the model's curve only points */
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		struct row w;
		char val[64] = "";
		if (sscanf(line, "%" SCNd64 ",%" SCNu64 ",%lf,%lf,%lf,%63s", &w.step, &w.chars,
		           &w.seconds, &w.lr, &w.train_bpc, val) < 5)
			continue;
		if (w.step > upto)
			break;
		w.val_bpc = val[0] ? strtod(val, NULL) : NAN;
		BJ_GROW(r->rows, r->cap_rows, r->n_rows + 1);
		r->rows[r->n_rows++] = w;
	}
	fclose(f);
}

/* T + 1 code points of a stream from *pos, wrapping round the training text;
 * *pos moves on by T, to where the next step starts. */
static void read_stream(struct run *r, uint64_t *pos, uint32_t *cps)
{
	size_t want = (size_t)r->T, got = 0;
	while (got < want) {
		got += nn_corpus_decode(r->corpus, pos, r->hi, cps + got, want - got);
		if (got < want)
			*pos = r->lo;
	}
	uint64_t p = *pos;
	if (nn_corpus_decode(r->corpus, &p, r->hi, cps + want, 1) == 0) {
		p = r->lo;
		nn_corpus_decode(r->corpus, &p, r->hi, cps + want, 1);
	}
	if (*pos == r->hi)
		*pos = r->lo;
}

static double lr_at(const struct run *r, double progress)
{
	const nn_trainer_opts *o = r->o;
	if (r->step < r->warmup)
		return r->lr * (double)(r->step + 1) / (double)r->warmup;
	if (o->steps > 0 && o->minutes == 0.0) {
		nn_lr_schedule s = { .lr = r->lr, .warmup = r->warmup, .decay = NN_LR_COSINE,
		                     .total = o->steps, .min_lr = r->min_lr };
		return nn_lr_schedule_at(&s, r->step);
	}
	if (progress > 1.0)
		progress = 1.0;
	return r->min_lr + (r->lr - r->min_lr) * 0.5 * (1.0 + cos(M_PI * progress));
}

/* Bits per character over the validation text, or at most max_chars of it
 * (0: all): B streams over contiguous parts, T at a time, from zero state.
 * Returns 0, BJ_ENOMEM, or BJ_EINTERRUPTED (no error set, *bpc unchanged)
 * when the caller's flag is raised. */
static int validate(struct run *r, uint64_t max_chars, double *bpc)
{
	int B = r->B, T = r->T;
	uint64_t span = r->vhi - r->vlo;
	uint64_t *start = bj_xmalloc((size_t)B * 2 * sizeof(uint64_t)), *end = start + B;
	uint64_t *left = bj_xmalloc((size_t)B * sizeof(uint64_t));
	for (int b = 0; b < B; b++) {
		start[b] = nn_corpus_align(r->vcorpus, r->vlo + span * (uint64_t)b / (uint64_t)B, r->vhi);
		left[b] = max_chars ? (max_chars + (uint64_t)B - 1) / (uint64_t)B : UINT64_MAX;
	}
	for (int b = 0; b < B; b++)
		end[b] = b + 1 < B ? start[b + 1] : r->vhi;
	nn_charlm_state_reset(&r->vs);
	double total = 0.0;
	uint64_t counted = 0;
	int ret = 0;
	for (;;) {
		if (r->o->interrupted && *r->o->interrupted) {
			ret = BJ_EINTERRUPTED;
			break;
		}
		int any = 0;
		for (int b = 0; b < B; b++) {
			uint64_t p = start[b];
			size_t want = left[b] < (uint64_t)T + 1 ? (size_t)left[b] : (size_t)T + 1;
			size_t got = nn_corpus_decode(r->vcorpus, &p, end[b], r->cps, want);
			for (int t = 0; t < T; t++) {
				r->inputs[b * T + t] = t < (int)got ? nn_charlm_id(&r->m, r->cps[t]) : 0;
				r->targets[b * T + t] = t + 1 < (int)got ? nn_charlm_id(&r->m, r->cps[t + 1]) : -1;
			}
			if (got >= 2) {
				any = 1;
				/* The last code point read is the next call's first input. */
				uint64_t q = start[b];
				nn_corpus_decode(r->vcorpus, &q, end[b], r->cps, got - 1);
				start[b] = q;
				left[b] -= got - 1;
			}
		}
		if (!any)
			break;
		int n = 0;
		for (int i = 0; i < B * T; i++)
			n += r->targets[i] >= 0;
		double loss;
		if ((ret = nn_charlm_loss(&r->m, &r->vs, r->inputs, r->targets, B, T, &loss)) < 0)
			break;
		total += loss * n;
		counted += (uint64_t)n;
	}
	free(start);
	free(left);
	if (ret == 0)
		*bpc = counted ? total / (double)counted / M_LN2 : NAN;
	return ret;
}

static void run_release(struct run *r)
{
	nn_charlm_state_release(&r->s);
	nn_charlm_state_release(&r->vs);
	nn_charlm_release(&r->m);
	free(r->pos);
	free(r->cps);
	free(r->inputs);
	free(r->targets);
	free(r->rows);
}

/* A new model and evenly spaced streams. */
static int start_new(struct run *r)
{
	const nn_trainer_opts *o = r->o;
	uint32_t *cps;
	int V;
	nn_corpus_vocab(r->corpus, o->min_count, &cps, &V);
	nn_charlm_config cfg = { .vocab = V, .embed = o->embed, .hidden = o->hidden,
	                         .layers = o->layers, .dropout = o->dropout };
	int ret = nn_charlm_init(&r->m, &cfg, cps, NN_CHARLM_TRAIN);
	free(cps);
	if (ret < 0)
		return ret;
	r->m.opt.weight_decay = o->weight_decay;
	bj_rng_init(&r->rng, o->seed);
	nn_charlm_init_weights(&r->m, &r->rng);
	r->B = o->batch;
	r->T = o->seq;
	r->lr = o->lr;
	r->min_lr = o->min_lr;
	r->warmup = o->warmup;
	r->clip = o->clip;
	r->weight_decay = o->weight_decay;
	r->min_count = o->min_count;
	r->val_fraction = o->val_fraction;
	nn_charlm_state_init(&r->s, &r->m, r->B);
	r->pos = bj_xcalloc((size_t)r->B, sizeof(*r->pos));
	return 0;
}

static void place_streams(struct run *r)
{
	uint64_t span = r->hi - r->lo;
	for (int b = 0; b < r->B; b++)
		r->pos[b] = nn_corpus_align(r->corpus, r->lo + span * (uint64_t)b / (uint64_t)r->B, r->hi);
}

static int save(struct run *r)
{
	int ret = write_model(r, r->o->model_path);
	if (ret >= 0)
		ret = write_csv(r);
	return ret;
}

int nn_trainer_run(const nn_trainer_opts *o, const nn_corpus *corpus, nn_trainer_result *res)
{
	struct run r = { .o = o, .corpus = corpus, .val_bpc = NAN };
	memset(res, 0, sizeof(*res));
	res->val_bpc = NAN;
	int ret = check_opts(o);
	if (ret < 0)
		return ret;
	ret = o->resume ? read_checkpoint(&r, o->model_path) : start_new(&r);
	if (ret < 0)
		goto out;
	int B = r.B, T = r.T;
	r.lo = 0;
	r.hi = o->val ? nn_corpus_bytes(corpus) : nn_corpus_split(corpus, r.val_fraction);
	r.vcorpus = o->val ? o->val : corpus;
	r.vlo = o->val ? 0 : r.hi;
	r.vhi = nn_corpus_bytes(r.vcorpus);
	if (r.hi <= r.lo) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': too little text to train on (%" PRIu64
		                   " characters)", nn_corpus_file(corpus, 0), nn_corpus_chars(corpus));
		goto out;
	}
	if (!o->resume)
		place_streams(&r);
	for (int b = 0; b < B; b++)
		if (r.pos[b] < r.lo || r.pos[b] >= r.hi) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': stream position %" PRIu64 " is outside the "
			                   "training text", o->model_path, r.pos[b]);
			goto out;
		}
	nn_charlm_state_init(&r.vs, &r.m, B);
	r.cps = bj_xmalloc(((size_t)T + 1) * sizeof(*r.cps));
	r.inputs = bj_xmalloc((size_t)B * T * sizeof(*r.inputs));
	r.targets = bj_xmalloc((size_t)B * T * sizeof(*r.targets));
	if (o->resume)
		read_csv(&r, r.step);
	res->vocab = r.m.cfg.vocab;
	res->params = (int64_t)r.m.params.count;

	/* Saving first finds an unwritable path before any time is spent. */
	if ((ret = save(&r)) < 0)
		goto out;

	double budget = o->minutes * 60.0, last_save = now_s();
	int by_time = o->minutes > 0.0;
	bj_progress *bar = bj_progress_new(o->label, by_time ? 0 : (uint64_t)o->steps, "steps");
	double train_bpc = NAN;
	for (;;) {
		if (by_time ? r.seconds >= budget : r.step >= o->steps)
			break;
		if ((o->interrupted && *o->interrupted) || (o->pause_at > 0 && r.step >= o->pause_at))
			break;
		for (int b = 0; b < B; b++) {
			read_stream(&r, &r.pos[b], r.cps);
			for (int t = 0; t < T; t++) {
				r.inputs[b * T + t] = nn_charlm_id(&r.m, r.cps[t]);
				r.targets[b * T + t] = nn_charlm_id(&r.m, r.cps[t + 1]);
			}
		}
		double lr = lr_at(&r, by_time ? r.seconds / budget : 0.0);
		nn_charlm_step st = { .lr = lr, .clip = r.clip };
		double t0 = now_s();
		if ((ret = nn_charlm_train_step(&r.m, &r.s, r.inputs, r.targets, B, T, &st, &r.rng)) < 0)
			break;
		r.seconds += now_s() - t0;
		r.step++;
		r.chars += (uint64_t)B * T;
		train_bpc = st.loss / M_LN2;
		add_row(&r, lr, train_bpc);
		if (r.step % o->val_every == 0 && r.vhi > r.vlo) {
			if ((ret = validate(&r, o->val_chars, &r.val_bpc)) == BJ_EINTERRUPTED) {
				ret = 0;
				break;
			}
			if (ret < 0)
				break;
			r.rows[r.n_rows - 1].val_bpc = r.val_bpc;
		}
		char item[128];
		int n = snprintf(item, sizeof(item), "loss %.3f", train_bpc);
		if (!isnan(r.val_bpc))
			n += snprintf(item + n, sizeof(item) - (size_t)n, "  val %.3f", r.val_bpc);
		snprintf(item + n, sizeof(item) - (size_t)n, " bits/char  %.0f chars/s",
		         r.seconds > 0 ? (double)r.chars / r.seconds : 0.0);
		if (by_time && r.seconds > 0)
			bj_progress_set_total(bar, (uint64_t)((double)r.step / r.seconds * budget) + 1);
		bj_progress_set(bar, (uint64_t)r.step, item);
		if (o->checkpoint_minutes > 0.0 && now_s() - last_save >= o->checkpoint_minutes * 60.0) {
			if ((ret = save(&r)) < 0)
				break;
			last_save = now_s();
		}
	}
	bj_progress_finish(bar);
	if (ret < 0)
		goto out;
	int interrupted = o->interrupted && *o->interrupted;
	int paused = o->pause_at > 0 && r.step >= o->pause_at &&
	             (by_time ? r.seconds < budget : r.step < o->steps);
	/* At the end, the whole held-out text. */
	if (!interrupted && !paused && r.vhi > r.vlo) {
		ret = validate(&r, 0, &r.val_bpc);
		if (ret == BJ_EINTERRUPTED)
			interrupted = 1;
		else if (ret < 0)
			goto out;
		else if (r.n_rows && r.rows[r.n_rows - 1].step == r.step)
			r.rows[r.n_rows - 1].val_bpc = r.val_bpc;
		ret = 0;
	}
	if ((ret = save(&r)) < 0)
		goto out;
	res->steps = r.step;
	res->chars = r.chars;
	res->seconds = r.seconds;
	res->train_bpc = train_bpc;
	res->val_bpc = r.val_bpc;
	if (interrupted)
		ret = bj_error_set(BJ_EINTERRUPTED, "interrupted at step %" PRId64 "; the model so far "
		                   "is in '%s'", r.step, o->model_path);
out:
	run_release(&r);
	return ret;
}
