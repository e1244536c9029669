/*
 * swap_gan.c - the PatchGAN discriminator's layers run forward and back over
 * one nn_arena, and the least-squares adversarial step.
 */
#include "perform/swap_gan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "nn/activation.h"
#include "nn/gan_loss.h"

#define SLOPE 0.2f
#define L PERFORM_SWAP_DISC_LAYERS

/* Layers 1 and 2 are normalised; 0 to L-2 have the activation. */
static int normed(int l)
{
	return l == 1 || l == 2;
}

perform_swap_disc *perform_swap_disc_new(int which, int size, int width, unsigned flags)
{
	BJ_ASSERT(which == 0 || which == 1);
	if (size < 16 || size > 256 || size % 16 || width < 1 || width > 256) {
		bj_error_set(BJ_EINVAL, "swap discriminator: size %d (a multiple of 16 up to 256) or width %d out of range",
		             size, width);
		return NULL;
	}
	perform_swap_disc *d = bj_xcalloc(1, sizeof(*d));
	d->size = size;
	d->width = width;
	nn_params_init(&d->params);
	nn_arena_init(&d->arena);
	int C[L + 1] = { 3, width, 2 * width, 4 * width, 1 };
	d->H[0] = size;
	for (int l = 0; l < L; l++) {
		char name[NN_PARAM_NAME_MAX];
		snprintf(name, sizeof(name), "disc_%c.conv%d", "ab"[which], l);
		int last = l == L - 1;
		/* a normalised layer's bias would have no effect: its gradient is 0 */
		nn_conv2d_init(&d->conv[l], &d->params, name, C[l], C[l + 1], last ? 3 : 4, last ? 3 : 4, last ? 1 : 2, 1,
		               !normed(l));
		if (normed(l))
			nn_instnorm_init(&d->norm[l], &d->params, name, C[l + 1], 0);
		d->H[l + 1] = nn_conv2d_geom(&d->conv[l], d->H[l], d->H[l]).OH;
	}
	memcpy(d->C, C, sizeof(C));
	if (nn_params_alloc(&d->params, flags) < 0) {
		perform_swap_disc_free(d);
		return NULL;
	}
	return d;
}

void perform_swap_disc_free(perform_swap_disc *d)
{
	if (!d)
		return;
	nn_params_release(&d->params);
	nn_arena_release(&d->arena);
	free(d);
}

void perform_swap_disc_init_weights(perform_swap_disc *d, bj_rng *rng)
{
	for (int l = 0; l < L; l++)
		nn_conv2d_init_weights(&d->conv[l], &d->params, rng);
}

int perform_swap_disc_patches(const perform_swap_disc *d)
{
	return d->H[L] * d->H[L];
}

static size_t plane(const perform_swap_disc *d, int l, int B)
{
	return (size_t)B * d->C[l + 1] * d->H[l + 1] * d->H[l + 1];
}

static void take_buffers(perform_swap_disc *d, int B)
{
	nn_arena *a = &d->arena;
	size_t work = 0;
	for (int l = 0; l < L; l++) {
		size_t n = plane(d, l, B);
		d->y[l] = nn_arena_take(a, n);
		d->dy[l] = nn_arena_take(a, n);
		d->z[l] = nn_arena_take(a, n);
		d->dz[l] = nn_arena_take(a, n);
		d->stats[l] = nn_arena_take(a, (size_t)B * d->C[l + 1] * NN_NORM_STATS);
		size_t w = nn_conv2d_work_floats(&d->conv[l], B, d->H[l], d->H[l]);
		if (w > work)
			work = w;
	}
	d->work = nn_arena_take(a, work);
	d->dx = nn_arena_take(a, (size_t)B * 3 * d->size * d->size);
	d->fake = nn_arena_take(a, (size_t)B * 3 * d->size * d->size);
	d->out = d->z[L - 1];
	d->dout = d->dz[L - 1];
}

int perform_swap_disc_batch(perform_swap_disc *d, int n)
{
	BJ_ASSERT(n >= 1);
	if (n == d->batch)
		return 0;
	d->batch = 0;
	nn_arena_reset(&d->arena);
	take_buffers(d, n);
	if (nn_arena_alloc(&d->arena) < 0)
		return bj_error_code();
	take_buffers(d, n);
	d->batch = n;
	return 0;
}

void perform_swap_disc_forward(perform_swap_disc *d, const float *x)
{
	int B = d->batch;
	BJ_ASSERT(B >= 1);
	const float *in = x;
	for (int l = 0; l < L; l++) {
		size_t n = plane(d, l, B);
		int hw = d->H[l + 1] * d->H[l + 1];
		nn_conv2d_forward(&d->conv[l], in, B, d->H[l], d->H[l], d->y[l], d->work);
		if (normed(l))
			nn_instnorm_forward(&d->norm[l], d->y[l], B, hw, d->z[l], d->stats[l]);
		else
			memcpy(d->z[l], d->y[l], n * sizeof(float));
		if (l < L - 1)
			nn_leaky_relu_forward(d->z[l], n, SLOPE, d->z[l]);
		in = d->z[l];
	}
}

void perform_swap_disc_backward(perform_swap_disc *d, const float *x, float *dx)
{
	int B = d->batch;
	for (int l = L - 1; l >= 0; l--) {
		size_t n = plane(d, l, B);
		int hw = d->H[l + 1] * d->H[l + 1];
		if (l < L - 1)
			nn_leaky_relu_backward(d->z[l], d->dz[l], n, SLOPE, d->dz[l]);
		if (normed(l)) {
			memset(d->dy[l], 0, n * sizeof(float));
			nn_instnorm_backward(&d->norm[l], d->y[l], d->dz[l], B, hw, d->stats[l], d->dy[l]);
		} else {
			memcpy(d->dy[l], d->dz[l], n * sizeof(float));
		}
		const float *in = l ? d->z[l - 1] : x;
		float *din = l ? d->dz[l - 1] : dx;
		if (din)
			memset(din, 0, (size_t)B * d->C[l] * d->H[l] * d->H[l] * sizeof(float));
		nn_conv2d_backward(&d->conv[l], in, d->dy[l], B, d->H[l], d->H[l], din, d->work);
	}
}

void perform_swap_gan_step(perform_swap_disc *d, const float *real, const float *fake, float g_weight,
                           double *ld, double *lg)
{
	size_t n = (size_t)d->batch * perform_swap_disc_patches(d);
	perform_swap_disc_forward(d, fake);
	*lg = nn_gan_loss_forward(NN_GAN_LSGAN, d->out, n, 1.0f);
	double ld_fake = nn_gan_loss_forward(NN_GAN_LSGAN, d->out, n, 0.0f);
	if (g_weight > 0) {
		/* through D to the fakes; the gradient this leaves on D's weights is dropped below */
		memset(d->dout, 0, n * sizeof(float));
		nn_gan_loss_backward(NN_GAN_LSGAN, d->out, n, 1.0f, g_weight, d->dout);
		perform_swap_disc_backward(d, fake, d->dx);
	} else {
		memset(d->dx, 0, (size_t)d->batch * 3 * d->size * d->size * sizeof(float));
	}
	nn_params_zero_grad(&d->params);
	memset(d->dout, 0, n * sizeof(float));
	nn_gan_loss_backward(NN_GAN_LSGAN, d->out, n, 0.0f, 0.5f, d->dout);
	perform_swap_disc_backward(d, fake, NULL);
	perform_swap_disc_forward(d, real);
	double ld_real = nn_gan_loss_forward(NN_GAN_LSGAN, d->out, n, 1.0f);
	memset(d->dout, 0, n * sizeof(float));
	nn_gan_loss_backward(NN_GAN_LSGAN, d->out, n, 1.0f, 0.5f, d->dout);
	perform_swap_disc_backward(d, real, NULL);
	*ld = 0.5 * (ld_real + ld_fake);
}

void perform_swap_gan_face_step(perform_swap_disc *d, const float *target, const float *rgb, const float *mask,
                                float g_weight, double *ld, double *lg)
{
	size_t plane = (size_t)d->size * d->size;
	for (int k = 0; k < d->batch; k++)
		for (int c = 0; c < 3; c++) {
			size_t o = ((size_t)k * 3 + c) * plane;
			const float *m = mask + (size_t)k * plane;
			for (size_t i = 0; i < plane; i++)
				d->fake[o + i] = rgb[o + i] * m[i] + target[o + i] * (1.0f - m[i]);
		}
	perform_swap_gan_step(d, target, d->fake, g_weight, ld, lg);
	for (int k = 0; k < d->batch; k++)
		for (int c = 0; c < 3; c++) {
			size_t o = ((size_t)k * 3 + c) * plane;
			const float *m = mask + (size_t)k * plane;
			for (size_t i = 0; i < plane; i++)
				d->dx[o + i] *= m[i];
		}
}
