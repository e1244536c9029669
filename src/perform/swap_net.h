/*
 * swap_net.h - the trained face swap's network: one shared encoder and one
 * decoder per identity (A, the actor in the footage; B, the star), the recipe
 * of the original deepfakes autoencoder and faceswap's "original" model,
 * narrowed for a CPU.
 *
 *     perform_swap_cfg cfg = PERFORM_SWAP_NET_DEFAULTS;      // 64 px
 *     perform_swap_net *net = perform_swap_net_new(&cfg, NN_WITH_GRAD | NN_WITH_ADAM);
 *     perform_swap_net_init_weights(net, &rng);
 *     perform_swap_net_batch(net, 16);                        // activation buffers for 16 faces
 *     nn_params_zero_grad(&net->params);
 *     perform_swap_net_train(net, PERFORM_SWAP_A, &batch_a, &la);   // forward, losses, backward
 *     perform_swap_net_train(net, PERFORM_SWAP_B, &batch_b, &lb);   // the gradients add up
 *     nn_adamw_step(&opt, &net->params, 5e-5);
 *     perform_swap_net_forward(net, PERFORM_SWAP_B, faces_a);  // the swap: A's faces drawn as B
 *     ... net->rgb (n, 3, S, S), net->mask (n, 1, S, S) ...
 *
 * With e = cfg.enc, side S and s = S / 16:
 *   encoder  4 x (conv 5x5 stride 2, LeakyReLU 0.1): 3 -> e -> 2e -> 4e -> 8e, S -> s
 *            dense: conv s x s (no padding) 8e -> cfg.dense at 1 x 1, then a 1 x 1
 *            conv cfg.dense -> 8e s s, read as (8e, s, s) (both linear)
 *            upscale: conv 3x3 8e -> 4 * 4e, pixel shuffle 2, LeakyReLU 0.1: (4e, 2s, 2s)
 *   decoder  3 upscales (conv 3x3 + pixel shuffle + LeakyReLU 0.1): 4e -> 2e -> e -> e/2
 *            (at least 1), 2s -> S; conv 5x5 to 4 channels, sigmoid: RGB and mask.
 * Every convolution has a bias.  The default (e 32, dense 256) is faceswap's
 * widths divided by four: a training step of 16 faces each of A and B takes
 * well under a second on two threads (bench/bench_swap_train.c).
 *
 * The losses of perform_swap_net_train, per batch of one identity (batch from
 * perform/swap_augment.h: warped input, clean target, mask target, weights):
 *     weighted L1 (rgb, target; the eyes and mouth weighted)
 *   + 1 - SSIM (rgb * mask_target, target * mask_target)   (the face only)
 *   + 0.5 L1 (mask, mask_target) + 0.01 TV (mask)
 * All parameters (encoder "enc.*", decoders "dec_a.*" and "dec_b.*") live in
 * one nn_params arena; the discriminators (perform/swap_gan.h), when there
 * are any, in their own.  The same bytes for any thread count.
 */
#pragma once

#include <stdint.h>

#include "base/rng.h"
#include "media/image.h"
#include "nn/arena.h"
#include "nn/conv2d.h"
#include "nn/params.h"
#include "perform/swap_augment.h"
#include "perform/swap_gan.h"

/* The decoders. */
enum { PERFORM_SWAP_A = 0, PERFORM_SWAP_B = 1 };

/* The architecture's free sizes. */
typedef struct perform_swap_cfg {
	int size;    /* crop side S: a multiple of 16, 16..256 */
	int enc;     /* the first encoder width e, 1..256 */
	int dense;   /* the bottleneck, 1..4096 */
} perform_swap_cfg;

#define PERFORM_SWAP_NET_DEFAULTS { 64, 32, 256 }

/* The loss weights of the terms after the weighted L1. */
#define PERFORM_SWAP_SSIM_WEIGHT 1.0f
#define PERFORM_SWAP_MASK_WEIGHT 0.5f
#define PERFORM_SWAP_TV_WEIGHT 0.01f

/* One convolution with what follows it and its buffers. */
typedef struct perform_swap_stage {
	nn_conv2d conv;
	int C, H, W;        /* input shape */
	int shuffle;        /* 2: pixel shuffle after the conv; 0: none */
	int act;            /* PERFORM_SWAP_ACT_* (swap_net.c) */
	int OC, OH, OW;     /* output shape */
	float *t, *dt;      /* the conv's output and its gradient before a shuffle, or NULL */
	float *y, *dy;      /* output, its gradient */
} perform_swap_stage;

#define PERFORM_SWAP_ENC_STAGES 7
#define PERFORM_SWAP_DEC_STAGES 4

/* The loss terms of one batch (means) and their weighted sum; adv (the
 * generator's adversarial loss, in total times its weight once it is on) and
 * disc (the discriminator's) are 0 without discriminators. */
typedef struct perform_swap_losses {
	double l1, ssim, mask, tv, adv, disc, total;
} perform_swap_losses;

typedef struct perform_swap_net {
	perform_swap_cfg cfg;
	nn_params params;
	perform_swap_stage enc[PERFORM_SWAP_ENC_STAGES];
	perform_swap_stage dec[2][PERFORM_SWAP_DEC_STAGES];   /* share their buffers */
	int batch;                   /* faces the buffers hold, 0 before perform_swap_net_batch */
	nn_arena arena;
	float *work;                 /* convolution scratch */
	float *rgb, *mask;           /* (batch, 3, S, S), (batch, 1, S, S): the last forward */
	float *drgb, *dmask;         /* their gradients */
	float *face, *face_target;   /* (batch, 3, S, S): rgb and target times the mask target */
	float *dface;
	float *ssim_cache;
	perform_swap_disc *disc[2];  /* per decoder when training adversarially, else NULL (owned) */
} perform_swap_net;

/* A network of cfg with the arena's blocks flags asks for (NN_WITH_GRAD,
 * NN_WITH_ADAM), weights zero; NULL with BJ_EINVAL for sizes out of range or
 * BJ_ENOMEM.  Free with perform_swap_net_free. */
perform_swap_net *perform_swap_net_new(const perform_swap_cfg *cfg, unsigned flags);

void perform_swap_net_free(perform_swap_net *net);

/* PyTorch's default initialisation of every convolution, in arena order. */
void perform_swap_net_init_weights(perform_swap_net *net, bj_rng *rng);

/* Sizes the activation buffers for n >= 1 faces (when it changes).  Returns
 * 0 or BJ_ENOMEM with the error set. */
int perform_swap_net_batch(perform_swap_net *net, int n);

/* Runs the encoder and decoder `decoder` on x (net->batch, 3, S, S) in [0, 1]:
 * fills net->rgb and net->mask. */
void perform_swap_net_forward(perform_swap_net *net, int decoder, const float *x);

/* Forward on b->input (b->n must be net->batch, b->size S) and the losses
 * against b's target, mask and weight, stored in *out; the gradients are not
 * touched. */
void perform_swap_net_loss(perform_swap_net *net, int decoder, const perform_batch *b, perform_swap_losses *out);

/* After perform_swap_net_loss on b: adds the losses' gradients to the arena's
 * NN_GRAD block (the encoder's and decoder `decoder`'s), with extra (NULL or
 * (batch, 3, S, S), a further gradient at net->rgb: the adversarial one)
 * added to the reconstruction's. */
void perform_swap_net_backward(perform_swap_net *net, int decoder, const perform_batch *b, const float *extra);

/* perform_swap_net_loss, then perform_swap_net_backward without extra. */
void perform_swap_net_train(perform_swap_net *net, int decoder, const perform_batch *b, perform_swap_losses *out);

/* The swap of one aligned face crop (RGB, S x S, as perform/swap_crops.h cuts
 * them): face is redrawn in place by the encoder and decoder `decoder`
 * (PERFORM_SWAP_B draws a footage face as the star), and mask, if not NULL,
 * receives the decoder's mask (S x S floats in [0, 1]) for blending it in.
 * Sizes the buffers for one face.  Returns 0, or BJ_EINVAL (a crop of another
 * size or not RGB) or BJ_ENOMEM with the error set. */
int perform_swap_net_redraw(perform_swap_net *net, int decoder, media_image *face,
                            float *mask);   // (S, S), or NULL
