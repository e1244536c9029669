/*
 * params.h - a model's parameters, gradients and Adam moments: four float blocks
 * of one layout with named views into them (llm.c's ParameterTensors), so that
 * zero-grad, clipping, the optimiser and save/load are flat loops.
 *
 *     nn_params p;
 *     nn_params_init(&p);
 *     nn_linear_init(&head, &p, "head", H, V, 1);       // layers add their views
 *     if (nn_params_alloc(&p, NN_WITH_GRAD | NN_WITH_ADAM) < 0)
 *         return bj_error_code();                       // now head.w etc. point in
 *     nn_linear_init_weights(&head, &p, &rng);
 *     ... nn_params_zero_grad(&p); forward; backward; nn_adamw_step(...) ...
 *     nn_params_release(&p);
 *
 * A view is added with the addresses of two pointers (to its data and gradient,
 * either optional) that nn_params_alloc fills in, so layers hold plain float
 * pointers; those addresses must stay valid until it returns.  The arena owns
 * the blocks; views and pointers live until nn_params_release.  Views are packed
 * in the order added, without gaps.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "base/rng.h"
#include "nn/tensor.h"

struct bj_safetensors;
struct bj_st_writer;

/* Longest view name, with its NUL. */
#define NN_PARAM_NAME_MAX 64

/* The four blocks of an arena, all with the views' layout. */
enum nn_block {
	NN_DATA = 0,     /* the parameters */
	NN_GRAD = 1,     /* their gradients */
	NN_ADAM_M = 2,   /* Adam's first moment */
	NN_ADAM_V = 3,   /* Adam's second moment */
	NN_BLOCKS = 4
};

/* nn_params_alloc flags: which blocks besides NN_DATA to allocate. */
#define NN_WITH_GRAD 1u   /* NN_GRAD */
#define NN_WITH_ADAM 2u   /* NN_ADAM_M and NN_ADAM_V */

/* One named view: floats [offset, offset + count) of every block. */
typedef struct nn_param {
	char name[NN_PARAM_NAME_MAX];   /* e.g. "lstm.weight_ih_l0" */
	int ndim;                       /* 1..NN_MAX_DIMS */
	int64_t shape[NN_MAX_DIMS];     /* (ndim) */
	size_t offset;                  /* in floats, into each block */
	size_t count;                   /* product of shape */
	int no_decay;                   /* 1: AdamW applies no weight decay here */
	float **data_slot;              /* set to the data by nn_params_alloc, or NULL */
	float **grad_slot;              /* set to the gradient (or NULL), or NULL */
} nn_param;

/* The arena.  Zero-initialise or nn_params_init before use. */
typedef struct nn_params {
	nn_param *views;                /* (n_views) in block order */
	int n_views;
	int cap_views;
	size_t count;                   /* floats in each block */
	float *block[NN_BLOCKS];        /* (count) each, or NULL if not allocated */
} nn_params;

/* An empty arena with no views. */
void nn_params_init(nn_params *p);

/* Adds a view called name (copied; shorter than NN_PARAM_NAME_MAX and not yet
 * used) of ndim (1..NN_MAX_DIMS) dimensions shape (each > 0) after the others.
 * nn_params_alloc will store the view's data in *data and its gradient in *grad
 * (NULL when there is no gradient block); either address may be NULL.  Returns
 * the view's index.  Adding after nn_params_alloc, a duplicate name or a bad
 * shape is a bug (BJ_ASSERT). */
int nn_params_add(nn_params *p, const char *name, int ndim,
                  const int64_t *shape,   // (ndim)
                  float **data,           // receives a pointer to (shape) floats, or NULL
                  float **grad);          // likewise for the gradient, or NULL

/* Allocates NN_DATA and the blocks flags asks for (NN_WITH_GRAD, NN_WITH_ADAM),
 * all zeroed and 64-byte aligned, and fills every view's slots.  Returns 0, or
 * BJ_ENOMEM with the error set when the model does not fit in memory (the arena
 * is then as it was).  Allocating twice is a bug. */
int nn_params_alloc(nn_params *p, unsigned flags);

/* Frees the blocks and the views; p is empty again.  Safe on a zeroed,
 * unallocated or released arena. */
void nn_params_release(nn_params *p);

/* The index of the view called name, or -1. */
int nn_params_find(const nn_params *p, const char *name);

/* A view of view i (0 <= i < n_views) in block b, which must be allocated. */
nn_tensor nn_params_view(const nn_params *p, enum nn_block b, int i);

/* Sets every gradient to 0 (the gradient block must exist). */
void nn_params_zero_grad(nn_params *p);

/* Fills view i's data with independent uniform draws in [lo, hi), in order,
 * from rng (PyTorch's init.uniform_). */
void nn_params_fill_uniform(nn_params *p, int i, float lo, float hi, bj_rng *rng);

/* Fills view i's data with independent normal draws of the given mean and
 * standard deviation, in order, from rng (PyTorch's init.normal_). */
void nn_params_fill_normal(nn_params *p, int i, float mean, float std, bj_rng *rng);

/* Adds every view of block b to w as a float32 tensor called prefix + name
 * (prefix may be "" or NULL), in view order.  The data is borrowed by w until
 * it is saved or freed.  Returns 0, or BJ_EINVAL with the error set by
 * bj_st_writer_add (a name already added). */
int nn_params_write(const nn_params *p, enum nn_block b, const char *prefix,
                    struct bj_st_writer *w);

/* nn_params_write with every value rounded to float16 (F16 tensors): buf, of
 * p->count elements, receives them and is borrowed by w likewise.  Halves the
 * size of a file of weights; float16 keeps 11 significant bits. */
int nn_params_write_f16(const nn_params *p, enum nn_block b, const char *prefix,
                        struct bj_st_writer *w,
                        uint16_t *buf);   // (p->count)

/* Reads every view of block b from st, where it is called prefix + name and must
 * have the view's shape; any dtype bj_st_tensor_to_f32 converts.  Tensors in st
 * that are not views are ignored.  Returns 0, or BJ_ENOENT ("'<path>': no tensor
 * '<name>'") or BJ_EFORMAT (a shape that differs) with the error set; then
 * the block may be partly overwritten. */
int nn_params_read(nn_params *p, enum nn_block b, const char *prefix,
                   const struct bj_safetensors *st);
