#include "nn/params.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/safetensors.h"

/* Blocks start on a 64-byte boundary (a cache line, an AVX-512 register). */
#define ALIGN_BYTES 64

void nn_params_init(nn_params *p)
{
	memset(p, 0, sizeof(*p));
}

static int allocated(const nn_params *p)
{
	return p->block[NN_DATA] != NULL;
}

int nn_params_add(nn_params *p, const char *name, int ndim, const int64_t *shape,
                  float **data, float **grad)
{
	BJ_ASSERT(!allocated(p));
	BJ_ASSERT(name && name[0] && strlen(name) < NN_PARAM_NAME_MAX);
	BJ_ASSERT(nn_params_find(p, name) < 0);
	BJ_ASSERT(ndim >= 1 && ndim <= NN_MAX_DIMS);
	if (p->n_views == p->cap_views) {
		size_t cap = (size_t)p->cap_views;
		BJ_GROW(p->views, cap, (size_t)p->n_views + 1);
		BJ_ASSERT(cap <= 1u << 30);
		p->cap_views = (int)cap;
	}
	nn_param *v = &p->views[p->n_views];
	memset(v, 0, sizeof(*v));
	memcpy(v->name, name, strlen(name) + 1);
	v->ndim = ndim;
	size_t count = 1;
	for (int i = 0; i < ndim; i++) {
		BJ_ASSERT(shape[i] > 0);
		v->shape[i] = shape[i];
		BJ_ASSERT(bj_size_mul(&count, count, (size_t)shape[i]));
	}
	v->count = count;
	v->offset = p->count;
	BJ_ASSERT(bj_size_add(&p->count, p->count, count));
	v->data_slot = data;
	v->grad_slot = grad;
	return p->n_views++;
}

int nn_params_alloc(nn_params *p, unsigned flags)
{
	BJ_ASSERT(!allocated(p));
	int want[NN_BLOCKS] = { 1, !!(flags & NN_WITH_GRAD), !!(flags & NN_WITH_ADAM),
	                        !!(flags & NN_WITH_ADAM) };
	size_t bytes;
	/* aligned_alloc wants a size that is a multiple of the alignment. */
	if (!bj_size_mul(&bytes, p->count ? p->count : 1, sizeof(float)) ||
	    !bj_size_add(&bytes, bytes, ALIGN_BYTES - 1))
		return bj_error_set(BJ_ENOMEM, "a model of %zu parameters does not fit in memory",
		                    p->count);
	bytes -= bytes % ALIGN_BYTES;
	float *blocks[NN_BLOCKS] = { 0 };
	for (int b = 0; b < NN_BLOCKS; b++) {
		if (!want[b])
			continue;
		blocks[b] = aligned_alloc(ALIGN_BYTES, bytes);
		if (!blocks[b]) {
			for (int k = 0; k < b; k++)
				free(blocks[k]);
			return bj_error_set(BJ_ENOMEM, "cannot allocate %zu MiB for a model of %zu "
			                    "parameters", bytes >> 20, p->count);
		}
		memset(blocks[b], 0, bytes);
	}
	memcpy(p->block, blocks, sizeof(blocks));
	for (int i = 0; i < p->n_views; i++) {
		nn_param *v = &p->views[i];
		if (v->data_slot)
			*v->data_slot = p->block[NN_DATA] + v->offset;
		if (v->grad_slot)
			*v->grad_slot = p->block[NN_GRAD] ? p->block[NN_GRAD] + v->offset : NULL;
	}
	return 0;
}

void nn_params_release(nn_params *p)
{
	for (int b = 0; b < NN_BLOCKS; b++)
		free(p->block[b]);
	free(p->views);
	memset(p, 0, sizeof(*p));
}

int nn_params_find(const nn_params *p, const char *name)
{
	for (int i = 0; i < p->n_views; i++)
		if (strcmp(p->views[i].name, name) == 0)
			return i;
	return -1;
}

nn_tensor nn_params_view(const nn_params *p, enum nn_block b, int i)
{
	BJ_ASSERT(b >= 0 && b < NN_BLOCKS && p->block[b]);
	BJ_ASSERT(i >= 0 && i < p->n_views);
	const nn_param *v = &p->views[i];
	nn_tensor t = { .data = p->block[b] + v->offset, .ndim = v->ndim };
	memcpy(t.shape, v->shape, sizeof(t.shape));
	return t;
}

void nn_params_zero_grad(nn_params *p)
{
	BJ_ASSERT(p->block[NN_GRAD] || p->count == 0);
	if (p->count)
		memset(p->block[NN_GRAD], 0, p->count * sizeof(float));
}

void nn_params_fill_uniform(nn_params *p, int i, float lo, float hi, bj_rng *rng)
{
	nn_tensor t = nn_params_view(p, NN_DATA, i);
	int64_t n = nn_tensor_count(&t);
	for (int64_t k = 0; k < n; k++)
		t.data[k] = lo + (hi - lo) * bj_rng_uniform(rng);
}

void nn_params_fill_normal(nn_params *p, int i, float mean, float std, bj_rng *rng)
{
	nn_tensor t = nn_params_view(p, NN_DATA, i);
	int64_t n = nn_tensor_count(&t);
	for (int64_t k = 0; k < n; k++)
		t.data[k] = mean + std * (float)bj_rng_normal(rng);
}

/* prefix + name into buf; the names are bounded, so this fits. */
static void full_name(char *buf, size_t size, const char *prefix, const char *name)
{
	int n = snprintf(buf, size, "%s%s", prefix ? prefix : "", name);
	BJ_ASSERT(n >= 0 && (size_t)n < size);
}

/* Adds every view to w as a tensor of dtype over data, the block's layout at
 * size bytes an element. */
static int write_views(const nn_params *p, const char *prefix, struct bj_st_writer *w,
                       bj_dtype dtype, const unsigned char *data, size_t size)
{
	BJ_ASSERT(!prefix || strlen(prefix) < 256);
	for (int i = 0; i < p->n_views; i++) {
		const nn_param *v = &p->views[i];
		char name[256 + NN_PARAM_NAME_MAX];
		full_name(name, sizeof(name), prefix, v->name);
		int ret = bj_st_writer_add(w, name, dtype, v->ndim, v->shape, data + v->offset * size);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int nn_params_write(const nn_params *p, enum nn_block b, const char *prefix,
                    struct bj_st_writer *w)
{
	BJ_ASSERT(b >= 0 && b < NN_BLOCKS && p->block[b]);
	return write_views(p, prefix, w, BJ_DTYPE_F32, (const unsigned char *)p->block[b],
	                   sizeof(float));
}

int nn_params_write_f16(const nn_params *p, enum nn_block b, const char *prefix,
                        struct bj_st_writer *w, uint16_t *buf)
{
	BJ_ASSERT(b >= 0 && b < NN_BLOCKS && p->block[b]);
	for (size_t i = 0; i < p->count; i++)
		buf[i] = bj_f16_from_f32(p->block[b][i]);
	return write_views(p, prefix, w, BJ_DTYPE_F16, (const unsigned char *)buf, sizeof(*buf));
}

int nn_params_read(nn_params *p, enum nn_block b, const char *prefix,
                   const struct bj_safetensors *st)
{
	BJ_ASSERT(b >= 0 && b < NN_BLOCKS && p->block[b]);
	BJ_ASSERT(!prefix || strlen(prefix) < 256);
	for (int i = 0; i < p->n_views; i++) {
		const nn_param *v = &p->views[i];
		char name[256 + NN_PARAM_NAME_MAX];
		full_name(name, sizeof(name), prefix, v->name);
		int ret = bj_safetensors_read_f32(st, name, v->ndim, v->shape,
		                                  p->block[b] + v->offset);
		if (ret < 0)
			return ret;
	}
	return 0;
}
