/*
 * swap_model.c - the swap network and its training state in one safetensors
 * file.
 */
#include "perform/swap_model.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/safetensors.h"

#define FORMAT "benjamin.swap_model"

static int put(bj_st_writer *w, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int put(bj_st_writer *w, const char *key, const char *fmt, ...)
{
	char v[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	BJ_ASSERT(n >= 0 && (size_t)n < sizeof(v));
	return bj_st_writer_set_meta(w, key, v);
}

/* The data of p and, when it has them, its Adam moments. */
static int write_blocks(const nn_params *p, bj_st_writer *w)
{
	int ret = nn_params_write(p, NN_DATA, "", w);
	if (!ret && p->block[NN_ADAM_M]) {
		ret = nn_params_write(p, NN_ADAM_M, "adam_m.", w);
		if (!ret)
			ret = nn_params_write(p, NN_ADAM_V, "adam_v.", w);
	}
	return ret;
}

int perform_swap_model_save(const perform_swap_net *net, const perform_swap_state *st, const char *path)
{
	bj_st_writer *w = bj_st_writer_new();
	const perform_swap_cfg *c = &net->cfg;
	const bj_rng *r = &st->rng;
	int ret = put(w, "format", FORMAT);
	if (!ret)
		ret = put(w, "version", "1");
	if (!ret)
		ret = put(w, "size", "%d", c->size);
	if (!ret)
		ret = put(w, "enc", "%d", c->enc);
	if (!ret)
		ret = put(w, "dense", "%d", c->dense);
	if (!ret)
		ret = put(w, "identity", "%ld", st->identity);
	if (!ret)
		ret = put(w, "star", "%s", st->star);
	if (!ret)
		ret = put(w, "steps", "%" PRId64, st->steps);
	if (!ret)
		ret = put(w, "seed", "%" PRIu64, st->seed);
	if (!ret)
		ret = put(w, "batch", "%d", st->batch);
	if (!ret)
		ret = put(w, "lr", "%.17g", st->lr);
	if (!ret)
		ret = put(w, "adam_step", "%" PRId64, st->adam_step);
	if (!ret)
		ret = put(w, "rng", "%016" PRIx64 "%016" PRIx64 "%016" PRIx64 "%016" PRIx64, r->s[0], r->s[1], r->s[2],
		          r->s[3]);
	if (!ret)
		ret = put(w, "holdout", "%d", st->holdout);
	if (!ret)
		ret = put(w, "gan_weight", "%.17g", st->gan_weight);
	if (!ret)
		ret = put(w, "gan_after", "%" PRId64, st->gan_after);
	if (!ret && net->disc[0]) {
		ret = put(w, "disc_width", "%d", net->disc[0]->width);
		if (!ret)
			ret = put(w, "disc_adam_step", "%" PRId64, st->disc_adam_step);
		for (int d = 0; d < 2 && !ret; d++)
			ret = write_blocks(&net->disc[d]->params, w);
	}
	if (!ret)
		ret = write_blocks(&net->params, w);
	if (!ret)
		ret = bj_st_writer_save(w, path);
	bj_st_writer_free(w);
	return ret;
}


/* Metadata key as an integer in [lo, hi]. */
static int meta_int(const bj_safetensors *f, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
	const char *v = bj_safetensors_meta(f, key);
	if (!v)
		return bj_error_set(BJ_EFORMAT, "'%s': no metadata '%s'", bj_safetensors_path(f), key);
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (errno || end == v || *end || x < lo || x > hi)
		return bj_error_set(BJ_EFORMAT, "'%s': metadata '%s' is '%s', expected %" PRId64 "..%" PRId64,
		                    bj_safetensors_path(f), key, v, lo, hi);
	*out = x;
	return 0;
}

/* A key of the files written since the discriminators: absent is 0. */
static int meta_int_or_0(const bj_safetensors *f, const char *key, int64_t lo, int64_t hi, int64_t *out)
{
	*out = 0;
	return bj_safetensors_meta(f, key) ? meta_int(f, key, lo, hi, out) : 0;
}

static int read_gan_meta(const bj_safetensors *f, perform_swap_state *st)
{
	int64_t v[4];
	int ret = meta_int_or_0(f, "holdout", 0, INT32_MAX, &v[0]);
	if (!ret)
		ret = meta_int_or_0(f, "gan_after", 0, INT64_MAX, &v[1]);
	if (!ret)
		ret = meta_int_or_0(f, "disc_width", 1, 256, &v[2]);
	if (!ret)
		ret = meta_int_or_0(f, "disc_adam_step", 0, INT64_MAX, &v[3]);
	if (ret)
		return ret;
	st->holdout = (int)v[0];
	st->gan_after = v[1];
	st->disc_width = (int)v[2];
	st->disc_adam_step = v[3];
	const char *w = bj_safetensors_meta(f, "gan_weight");
	st->has_gan = w != NULL;
	if (w) {
		char *end;
		st->gan_weight = strtod(w, &end);
		if (end == w || *end || !(st->gan_weight >= 0 && st->gan_weight <= 100))
			return bj_error_set(BJ_EFORMAT, "'%s': metadata 'gan_weight' is '%s', expected 0..100",
			                    bj_safetensors_path(f), w);
	}
	return 0;
}

static int read_meta(const bj_safetensors *f, perform_swap_cfg *c, perform_swap_state *st)
{
	const char *path = bj_safetensors_path(f);
	const char *fmt = bj_safetensors_meta(f, "format"), *ver = bj_safetensors_meta(f, "version");
	if (!fmt || strcmp(fmt, FORMAT))
		return bj_error_set(BJ_EFORMAT, "'%s': not a swap model", path);
	if (!ver || strcmp(ver, "1"))
		return bj_error_set(BJ_EFORMAT, "'%s': swap model version '%s', expected 1", path, ver ? ver : "");
	int64_t v[7];
	int ret = meta_int(f, "size", 16, 256, &v[0]);
	if (!ret)
		ret = meta_int(f, "enc", 1, 256, &v[1]);
	if (!ret)
		ret = meta_int(f, "dense", 1, 4096, &v[2]);
	if (!ret)
		ret = meta_int(f, "identity", 0, INT32_MAX, &v[3]);
	if (!ret)
		ret = meta_int(f, "steps", 0, INT64_MAX, &v[4]);
	if (!ret)
		ret = meta_int(f, "batch", 1, 256, &v[5]);
	if (!ret)
		ret = meta_int(f, "adam_step", 0, INT64_MAX, &v[6]);
	if (ret)
		return ret;
	c->size = (int)v[0];
	c->enc = (int)v[1];
	c->dense = (int)v[2];
	st->identity = (long)v[3];
	st->steps = v[4];
	st->batch = (int)v[5];
	st->adam_step = v[6];
	const char *star = bj_safetensors_meta(f, "star"), *seed = bj_safetensors_meta(f, "seed");
	const char *lr = bj_safetensors_meta(f, "lr"), *rng = bj_safetensors_meta(f, "rng");
	if (!star || strlen(star) >= sizeof(st->star))
		return bj_error_set(BJ_EFORMAT, "'%s': metadata 'star' missing or too long", path);
	memcpy(st->star, star, strlen(star) + 1);
	char *end;
	errno = 0;
	st->seed = seed ? strtoull(seed, &end, 10) : 0;
	if (!seed || errno || end == seed || *end)
		return bj_error_set(BJ_EFORMAT, "'%s': metadata 'seed' missing or not a number", path);
	st->lr = lr ? strtod(lr, &end) : 0;
	if (!lr || end == lr || *end || !(st->lr > 0 && st->lr < 1))
		return bj_error_set(BJ_EFORMAT, "'%s': metadata 'lr' missing or out of range", path);
	int words = 0;
	if (rng && strlen(rng) == 64)
		for (words = 0; words < 4; words++) {
			char hex[17];
			memcpy(hex, rng + 16 * words, 16);
			hex[16] = 0;
			st->rng.s[words] = strtoull(hex, &end, 16);
			if (*end || hex[0] == '-' || hex[0] == '+' || hex[0] == ' ')
				break;
		}
	if (words != 4 || !(st->rng.s[0] | st->rng.s[1] | st->rng.s[2] | st->rng.s[3]))
		return bj_error_set(BJ_EFORMAT, "'%s': metadata 'rng' is not 64 hex digits of a generator", path);
	return read_gan_meta(f, st);
}

static int all_finite(const float *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return 0;
	return 1;
}

/* The data of p and with NN_WITH_ADAM its moments. */
static int read_blocks(nn_params *p, unsigned flags, const bj_safetensors *f)
{
	int ret = nn_params_read(p, NN_DATA, "", f);
	if (!ret && (flags & NN_WITH_ADAM) && !(ret = nn_params_read(p, NN_ADAM_M, "adam_m.", f)))
		ret = nn_params_read(p, NN_ADAM_V, "adam_v.", f);
	return ret;
}

/* Every weight and moment finite, every second moment >= 0. */
static int check_blocks(const nn_params *p, unsigned flags, const char *path)
{
	for (int b = 0; b < NN_BLOCKS; b++)
		if (p->block[b] && b != NN_GRAD && !all_finite(p->block[b], p->count))
			return bj_error_set(BJ_EFORMAT, "'%s': a weight or moment is not finite", path);
	if (flags & NN_WITH_ADAM) {
		const float *v = p->block[NN_ADAM_V];
		for (size_t i = 0; i < p->count; i++)
			if (v[i] < 0)
				return bj_error_set(BJ_EFORMAT, "'%s': a second moment is negative", path);
	}
	return 0;
}

int perform_swap_model_load(const char *path, unsigned flags, perform_swap_net **out, perform_swap_state *st)
{
	*out = NULL;
	bj_safetensors *f;
	int ret = bj_safetensors_load(path, &f);
	if (ret < 0)
		return ret;
	perform_swap_cfg c;
	memset(st, 0, sizeof(*st));
	perform_swap_net *net = NULL;
	if ((ret = read_meta(f, &c, st)) < 0)
		goto fail;
	if (c.size % 16) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': metadata 'size' %d is not a multiple of 16", path, c.size);
		goto fail;
	}
	net = perform_swap_net_new(&c, flags);
	if (!net) {
		ret = bj_error_code();
		goto fail;
	}
	if ((ret = read_blocks(&net->params, flags, f)) < 0)
		goto fail;
	if ((ret = check_blocks(&net->params, flags, path)) < 0)
		goto fail;
	if ((flags & NN_WITH_GRAD) && st->disc_width) {
		for (int d = 0; d < 2; d++) {
			perform_swap_disc *disc = perform_swap_disc_new(d, c.size, st->disc_width, flags);
			if (!disc) {
				ret = bj_error_code();
				goto fail;
			}
			net->disc[d] = disc;
			if ((ret = read_blocks(&disc->params, flags, f)) < 0 || (ret = check_blocks(&disc->params, flags, path)) < 0)
				goto fail;
		}
	}
	bj_safetensors_free(f);
	*out = net;
	return 0;
fail:
	perform_swap_net_free(net);
	bj_safetensors_free(f);
	return ret;
}
