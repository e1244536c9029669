/*
 * swap_net.c - the shared-encoder, two-decoder swap network: stages of
 * convolution, pixel shuffle and activation, run forward and back over
 * buffers of one nn_arena, and the swap's losses.
 */
#include "perform/swap_net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "nn/activation.h"
#include "nn/pixel_loss.h"
#include "nn/pixel_shuffle.h"
#include "nn/ssim.h"

enum { ACT_NONE = 0, ACT_LEAKY = 1, ACT_SIGMOID = 2 };

#define LEAKY_SLOPE 0.1f

/* Adds a stage's convolution to the arena and fills in its shapes. */
static void stage_init(perform_swap_stage *s, nn_params *p, const char *name, int C, int H, int W, int OC, int k,
                       int stride, int pad, int shuffle, int act)
{
	memset(s, 0, sizeof(*s));
	int conv_out = shuffle ? OC * shuffle * shuffle : OC;
	nn_conv2d_init(&s->conv, p, name, C, conv_out, k, k, stride, pad, 1);
	nn_conv_geom g = nn_conv2d_geom(&s->conv, H, W);
	s->C = C;
	s->H = H;
	s->W = W;
	s->shuffle = shuffle;
	s->act = act;
	s->OC = OC;
	s->OH = shuffle ? g.OH * shuffle : g.OH;
	s->OW = shuffle ? g.OW * shuffle : g.OW;
}

static size_t out_floats(const perform_swap_stage *s, int B)
{
	return (size_t)B * s->OC * s->OH * s->OW;
}

/* The network's layers, in arena order: encoder, decoder A, decoder B. */
static void build(perform_swap_net *net)
{
	const perform_swap_cfg *c = &net->cfg;
	nn_params *p = &net->params;
	int e = c->enc, S = c->size, s = S / 16;
	perform_swap_stage *E = net->enc;
	stage_init(&E[0], p, "enc.conv0", 3, S, S, e, 5, 2, 2, 0, ACT_LEAKY);
	stage_init(&E[1], p, "enc.conv1", e, S / 2, S / 2, 2 * e, 5, 2, 2, 0, ACT_LEAKY);
	stage_init(&E[2], p, "enc.conv2", 2 * e, S / 4, S / 4, 4 * e, 5, 2, 2, 0, ACT_LEAKY);
	stage_init(&E[3], p, "enc.conv3", 4 * e, S / 8, S / 8, 8 * e, 5, 2, 2, 0, ACT_LEAKY);
	stage_init(&E[4], p, "enc.dense0", 8 * e, s, s, c->dense, s, 1, 0, 0, ACT_NONE);
	stage_init(&E[5], p, "enc.dense1", c->dense, 1, 1, 8 * e * s * s, 1, 1, 0, 0, ACT_NONE);
	/* dense1's (8e s s) channels at 1 x 1 are the same floats as (8e, s, s) */
	stage_init(&E[6], p, "enc.up", 8 * e, s, s, 4 * e, 3, 1, 1, 2, ACT_LEAKY);
	int w[4] = { 4 * e, 2 * e, e, e / 2 > 0 ? e / 2 : 1 };
	static const char *const names[2] = { "dec_a", "dec_b" };
	for (int d = 0; d < 2; d++) {
		perform_swap_stage *D = net->dec[d];
		char name[NN_PARAM_NAME_MAX];
		int side = 2 * s;
		for (int i = 0; i < 3; i++, side *= 2) {
			snprintf(name, sizeof(name), "%s.up%d", names[d], i);
			stage_init(&D[i], p, name, w[i], side, side, w[i + 1], 3, 1, 1, 2, ACT_LEAKY);
		}
		snprintf(name, sizeof(name), "%s.out", names[d]);
		stage_init(&D[3], p, name, w[3], S, S, 4, 5, 1, 2, 0, ACT_SIGMOID);
	}
}

perform_swap_net *perform_swap_net_new(const perform_swap_cfg *cfg, unsigned flags)
{
	if (cfg->size < 16 || cfg->size > 256 || cfg->size % 16 || cfg->enc < 1 || cfg->enc > 256 || cfg->dense < 1 ||
	    cfg->dense > 4096) {
		bj_error_set(BJ_EINVAL, "swap network: size %d (a multiple of 16 up to 256), width %d, dense %d out of range",
		             cfg->size, cfg->enc, cfg->dense);
		return NULL;
	}
	perform_swap_net *net = bj_xcalloc(1, sizeof(*net));
	net->cfg = *cfg;
	nn_params_init(&net->params);
	nn_arena_init(&net->arena);
	build(net);
	if (nn_params_alloc(&net->params, flags) < 0) {
		perform_swap_net_free(net);
		return NULL;
	}
	return net;
}

void perform_swap_net_free(perform_swap_net *net)
{
	if (!net)
		return;
	nn_params_release(&net->params);
	nn_arena_release(&net->arena);
	perform_swap_disc_free(net->disc[0]);
	perform_swap_disc_free(net->disc[1]);
	free(net);
}

void perform_swap_net_init_weights(perform_swap_net *net, bj_rng *rng)
{
	for (int i = 0; i < PERFORM_SWAP_ENC_STAGES; i++)
		nn_conv2d_init_weights(&net->enc[i].conv, &net->params, rng);
	for (int d = 0; d < 2; d++)
		for (int i = 0; i < PERFORM_SWAP_DEC_STAGES; i++)
			nn_conv2d_init_weights(&net->dec[d][i].conv, &net->params, rng);
}

static void stage_take(perform_swap_stage *s, nn_arena *a, int B, size_t *work)
{
	size_t n = out_floats(s, B);
	s->y = nn_arena_take(a, n);
	s->dy = nn_arena_take(a, n);
	s->t = s->dt = NULL;
	if (s->shuffle) {
		s->t = nn_arena_take(a, n);
		s->dt = nn_arena_take(a, n);
	}
	size_t w = nn_conv2d_work_floats(&s->conv, B, s->H, s->W);
	if (w > *work)
		*work = w;
}

static void take_buffers(perform_swap_net *net, int B)
{
	nn_arena *a = &net->arena;
	size_t work = 0;
	for (int i = 0; i < PERFORM_SWAP_ENC_STAGES; i++)
		stage_take(&net->enc[i], a, B, &work);
	for (int i = 0; i < PERFORM_SWAP_DEC_STAGES; i++) {
		stage_take(&net->dec[PERFORM_SWAP_A][i], a, B, &work);
		perform_swap_stage *b = &net->dec[PERFORM_SWAP_B][i], *s = &net->dec[PERFORM_SWAP_A][i];
		b->y = s->y;
		b->dy = s->dy;
		b->t = s->t;
		b->dt = s->dt;
	}
	net->work = nn_arena_take(a, work);
	int S = net->cfg.size;
	size_t plane = (size_t)B * S * S;
	net->rgb = nn_arena_take(a, 3 * plane);
	net->drgb = nn_arena_take(a, 3 * plane);
	net->mask = nn_arena_take(a, plane);
	net->dmask = nn_arena_take(a, plane);
	net->face = nn_arena_take(a, 3 * plane);
	net->face_target = nn_arena_take(a, 3 * plane);
	net->dface = nn_arena_take(a, 3 * plane);
	net->ssim_cache = nn_arena_take(a, nn_ssim_cache_size(3 * B, S, S));
}

int perform_swap_net_batch(perform_swap_net *net, int n)
{
	BJ_ASSERT(n >= 1);
	if (n == net->batch)
		return 0;
	net->batch = 0;
	nn_arena_reset(&net->arena);
	take_buffers(net, n);
	if (nn_arena_alloc(&net->arena) < 0)
		return bj_error_code();
	take_buffers(net, n);
	net->batch = n;
	return 0;
}

static void stage_forward(perform_swap_stage *s, const float *x, int B, float *work)
{
	size_t n = out_floats(s, B);
	if (s->shuffle) {
		nn_conv2d_forward(&s->conv, x, B, s->H, s->W, s->t, work);
		nn_pixel_shuffle_forward(s->t, B, s->OC, s->H, s->W, s->shuffle, s->y);
	} else {
		nn_conv2d_forward(&s->conv, x, B, s->H, s->W, s->y, work);
	}
	if (s->act == ACT_LEAKY)
		nn_leaky_relu_forward(s->y, n, LEAKY_SLOPE, s->y);
	else if (s->act == ACT_SIGMOID)
		nn_sigmoid_forward(s->y, n, s->y);
}

/* From s->dy (overwritten): adds to the conv's gradients and writes dL/dx to
 * dx (zeroed here first), unless dx is NULL. */
static void stage_backward(perform_swap_stage *s, const float *x, float *dx, int B, float *work)
{
	size_t n = out_floats(s, B);
	if (s->act == ACT_LEAKY)
		nn_leaky_relu_backward(s->y, s->dy, n, LEAKY_SLOPE, s->dy);
	else if (s->act == ACT_SIGMOID)
		nn_sigmoid_backward(s->y, s->dy, n, s->dy);
	const float *dconv = s->dy;
	if (s->shuffle) {
		memset(s->dt, 0, n * sizeof(float));
		nn_pixel_shuffle_backward(s->dy, B, s->OC, s->H, s->W, s->shuffle, s->dt);
		dconv = s->dt;
	}
	if (dx)
		memset(dx, 0, (size_t)B * s->C * s->H * s->W * sizeof(float));
	nn_conv2d_backward(&s->conv, x, dconv, B, s->H, s->W, dx, work);
}

void perform_swap_net_forward(perform_swap_net *net, int decoder, const float *x)
{
	BJ_ASSERT(net->batch >= 1 && (decoder == PERFORM_SWAP_A || decoder == PERFORM_SWAP_B));
	int B = net->batch, S = net->cfg.size;
	const float *in = x;
	for (int i = 0; i < PERFORM_SWAP_ENC_STAGES; i++) {
		stage_forward(&net->enc[i], in, B, net->work);
		in = net->enc[i].y;
	}
	perform_swap_stage *D = net->dec[decoder];
	for (int i = 0; i < PERFORM_SWAP_DEC_STAGES; i++) {
		stage_forward(&D[i], in, B, net->work);
		in = D[i].y;
	}
	/* the last stage's 4 channels: RGB and mask */
	size_t plane = (size_t)S * S;
	for (int b = 0; b < B; b++) {
		memcpy(net->rgb + (size_t)b * 3 * plane, in + (size_t)b * 4 * plane, 3 * plane * sizeof(float));
		memcpy(net->mask + (size_t)b * plane, in + ((size_t)b * 4 + 3) * plane, plane * sizeof(float));
	}
}

void perform_swap_net_loss(perform_swap_net *net, int decoder, const perform_batch *b, perform_swap_losses *out)
{
	BJ_ASSERT(b->n == net->batch && b->size == net->cfg.size);
	perform_swap_net_forward(net, decoder, b->input);
	int B = b->n, S = b->size;
	size_t plane = (size_t)S * S;
	for (int k = 0; k < B; k++)
		for (int c = 0; c < 3; c++) {
			size_t o = ((size_t)k * 3 + c) * plane;
			const float *m = b->mask + (size_t)k * plane;
			for (size_t i = 0; i < plane; i++) {
				net->face[o + i] = net->rgb[o + i] * m[i];
				net->face_target[o + i] = b->target[o + i] * m[i];
			}
		}
	out->l1 = nn_weighted_l1_forward(net->rgb, b->target, b->weight, B, 3, (int)plane);
	out->ssim = nn_ssim_loss_forward(net->face, net->face_target, 3 * B, S, S, net->ssim_cache);
	out->mask = nn_l1_forward(net->mask, b->mask, (size_t)B * plane);
	out->tv = nn_tv_forward(net->mask, B, S, S);
	out->adv = out->disc = 0.0;
	out->total = out->l1 + PERFORM_SWAP_SSIM_WEIGHT * out->ssim + PERFORM_SWAP_MASK_WEIGHT * out->mask +
	             PERFORM_SWAP_TV_WEIGHT * out->tv;
}

void perform_swap_net_train(perform_swap_net *net, int decoder, const perform_batch *b, perform_swap_losses *out)
{
	perform_swap_net_loss(net, decoder, b, out);
	perform_swap_net_backward(net, decoder, b, NULL);
}

void perform_swap_net_backward(perform_swap_net *net, int decoder, const perform_batch *b, const float *extra)
{
	BJ_ASSERT(net->params.block[NN_GRAD]);
	int B = b->n, S = b->size;
	size_t plane = (size_t)S * S;
	if (extra)
		memcpy(net->drgb, extra, 3 * plane * B * sizeof(float));
	else
		memset(net->drgb, 0, 3 * plane * B * sizeof(float));
	memset(net->dmask, 0, plane * B * sizeof(float));
	nn_weighted_l1_backward(net->rgb, b->target, b->weight, B, 3, (int)plane, 1.0f, net->drgb);
	/* the SSIM's gradient reaches rgb through the mask target */
	memset(net->dface, 0, 3 * plane * B * sizeof(float));
	nn_ssim_loss_backward(net->face, net->face_target, 3 * B, S, S, PERFORM_SWAP_SSIM_WEIGHT, net->ssim_cache,
	                      net->dface);
	for (int k = 0; k < B; k++)
		for (int c = 0; c < 3; c++) {
			size_t o = ((size_t)k * 3 + c) * plane;
			const float *m = b->mask + (size_t)k * plane;
			for (size_t i = 0; i < plane; i++)
				net->drgb[o + i] += net->dface[o + i] * m[i];
		}
	nn_l1_backward(net->mask, b->mask, (size_t)B * plane, PERFORM_SWAP_MASK_WEIGHT, net->dmask);
	nn_tv_backward(net->mask, B, S, S, PERFORM_SWAP_TV_WEIGHT, net->dmask);

	perform_swap_stage *D = net->dec[decoder], *last = &D[PERFORM_SWAP_DEC_STAGES - 1];
	for (int k = 0; k < B; k++) {
		memcpy(last->dy + (size_t)k * 4 * plane, net->drgb + (size_t)k * 3 * plane, 3 * plane * sizeof(float));
		memcpy(last->dy + ((size_t)k * 4 + 3) * plane, net->dmask + (size_t)k * plane, plane * sizeof(float));
	}
	for (int i = PERFORM_SWAP_DEC_STAGES - 1; i >= 0; i--) {
		const float *x = i ? D[i - 1].y : net->enc[PERFORM_SWAP_ENC_STAGES - 1].y;
		float *dx = i ? D[i - 1].dy : net->enc[PERFORM_SWAP_ENC_STAGES - 1].dy;
		stage_backward(&D[i], x, dx, B, net->work);
	}
	for (int i = PERFORM_SWAP_ENC_STAGES - 1; i >= 0; i--) {
		const float *x = i ? net->enc[i - 1].y : b->input;
		stage_backward(&net->enc[i], x, i ? net->enc[i - 1].dy : NULL, B, net->work);
	}
}

int perform_swap_net_redraw(perform_swap_net *net, int decoder, media_image *face, float *mask)
{
	int S = net->cfg.size;
	if (face->width != S || face->height != S || face->channels != 3)
		return bj_error_set(BJ_EINVAL, "a face crop of %d x %d x %d, the swap model's are %d x %d RGB", face->width,
		                    face->height, face->channels, S, S);
	int ret = perform_swap_net_batch(net, 1);
	if (ret < 0)
		return ret;
	size_t plane = (size_t)S * S;
	/* the input goes through drgb, which forward does not touch */
	float *x = net->drgb;
	for (int y = 0; y < S; y++)
		for (int i = 0; i < S; i++)
			for (int c = 0; c < 3; c++)
				x[c * plane + (size_t)y * S + i] = face->data[y * face->stride + 3 * i + c] / 255.0f;
	perform_swap_net_forward(net, decoder, x);
	for (int y = 0; y < S; y++)
		for (int i = 0; i < S; i++)
			for (int c = 0; c < 3; c++) {
				float v = net->rgb[c * plane + (size_t)y * S + i] * 255.0f + 0.5f;
				face->data[y * face->stride + 3 * i + c] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
			}
	if (mask)
		memcpy(mask, net->mask, plane * sizeof(float));
	return 0;
}
