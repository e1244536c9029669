/*
 * swap_gan.h - the trained swap's adversarial part: a PatchGAN discriminator
 * per identity (pix2pix / CycleGAN's, narrowed), which learns to tell the real
 * crops of its identity from the decoder's reconstructions, and the
 * least-squares GAN loss that pushes the decoder towards faces it cannot tell
 * apart (the faceswap-GAN / DeepFaceLab recipe, a small weight after a
 * warm-up).  It judges the face inside the mask target, pasted on the real
 * crop's background (faceswap-GAN judges its masked composite too): judged
 * on the whole crop, the background's blur is the easiest tell, and the
 * generator answers it with checkerboard texture the swap never uses.
 *
 *     perform_swap_disc *d = perform_swap_disc_new(PERFORM_SWAP_A, 64, 16, NN_WITH_GRAD | NN_WITH_ADAM);
 *     perform_swap_disc_init_weights(d, &rng);
 *     perform_swap_disc_batch(d, 16);
 *     perform_swap_net_loss(net, PERFORM_SWAP_A, &batch, &l);             // net->rgb: the fakes
 *     perform_swap_gan_face_step(d, batch.target, net->rgb, batch.mask, 0.1f, &ld, &lg);
 *     perform_swap_net_backward(net, PERFORM_SWAP_A, &batch, d->dx);      // adds 0.1 dLg/drgb
 *     nn_adamw_step(&opt_d, &d->params, lr);
 *
 * With w = width, input (3, S, S) in [0, 1]:
 *   conv 4x4 stride 2 pad 1, 3 -> w, LeakyReLU 0.2                  S/2
 *   conv 4x4 stride 2 pad 1, w -> 2w, instance norm, LeakyReLU 0.2  S/4
 *   conv 4x4 stride 2 pad 1, 2w -> 4w, instance norm, LeakyReLU 0.2 S/8
 *   conv 3x3 stride 1 pad 1, 4w -> 1: one logit per patch           S/8
 * The convolutions before an instance norm have no bias (the norm would take
 * it out again), the others do; the instance norms have no affine weights
 * (CycleGAN's default).  A patch sees 38 x 38 input pixels.  At 64 px and
 * width 16 a face costs about 5 M multiply-adds, a twenty-fifth of the
 * generator's 126 M (two forwards and three backwards a step keep the
 * discriminators near a tenth of the step).  Parameters are "disc_a.*" or "disc_b.*" in the
 * discriminator's own nn_params arena, so it has its own Adam moments.  The
 * same bytes for any thread count.
 */
#pragma once

#include "base/rng.h"
#include "nn/arena.h"
#include "nn/conv2d.h"
#include "nn/norm.h"
#include "nn/params.h"

#define PERFORM_SWAP_DISC_LAYERS 4

/* The default first width. */
#define PERFORM_SWAP_DISC_WIDTH 16

typedef struct perform_swap_disc {
	int size, width;
	nn_params params;
	nn_conv2d conv[PERFORM_SWAP_DISC_LAYERS];
	nn_instnorm norm[PERFORM_SWAP_DISC_LAYERS];   /* used by layers 1 and 2 */
	int C[PERFORM_SWAP_DISC_LAYERS + 1];          /* channels in and out of each layer */
	int H[PERFORM_SWAP_DISC_LAYERS + 1];          /* sides in and out */
	int batch;                                    /* faces the buffers hold */
	nn_arena arena;
	float *work;
	float *y[PERFORM_SWAP_DISC_LAYERS], *dy[PERFORM_SWAP_DISC_LAYERS];  /* conv outputs */
	float *z[PERFORM_SWAP_DISC_LAYERS], *dz[PERFORM_SWAP_DISC_LAYERS];  /* after norm and activation */
	float *stats[PERFORM_SWAP_DISC_LAYERS];
	float *out;     /* (batch, 1, S/8, S/8) logits of the last forward */
	float *dout;
	float *dx;      /* (batch, 3, S, S) the gradient for the generator (perform_swap_gan_step) */
	float *fake;    /* (batch, 3, S, S) the composite perform_swap_gan_face_step judges */
} perform_swap_disc;

/* The discriminator of decoder `which` (0: A, 1: B), its parameters named
 * "disc_a.conv<i>.*" or "disc_b.conv<i>.*".  size a
 * multiple of 16 in 16..256, width 1..256; NULL with BJ_EINVAL otherwise or
 * BJ_ENOMEM. */
perform_swap_disc *perform_swap_disc_new(int which, int size, int width, unsigned flags);

void perform_swap_disc_free(perform_swap_disc *d);

/* PyTorch's default initialisation of the convolutions, in order. */
void perform_swap_disc_init_weights(perform_swap_disc *d, bj_rng *rng);

/* Sizes the buffers for n >= 1 faces; 0 or BJ_ENOMEM. */
int perform_swap_disc_batch(perform_swap_disc *d, int n);

/* The logits of x (batch, 3, S, S) into d->out. */
void perform_swap_disc_forward(perform_swap_disc *d, const float *x);

/* From d->dout (the loss's gradient at d->out) after a forward of x: adds the
 * parameters' gradients and writes dL/dx to dx (unless NULL). */
void perform_swap_disc_backward(perform_swap_disc *d, const float *x, float *dx);

/* The logits per face: (S/8)^2. */
int perform_swap_disc_patches(const perform_swap_disc *d);

/* One adversarial step on a batch (LSGAN):
 *   the generator's loss  lg = mean (D(fake) - 1)^2; when g_weight > 0,
 *       d->dx = g_weight dlg/dfake (else d->dx is zeros);
 *   the discriminator's   ld = (mean (D(real) - 1)^2 + mean D(fake)^2) / 2,
 *       its gradient left in d's NN_GRAD block (zeroed here first).
 * fake is treated as a constant for ld (detached). */
void perform_swap_gan_step(perform_swap_disc *d, const float *real, const float *fake, float g_weight,
                           double *ld, double *lg);

/* perform_swap_gan_step on the face alone: the fakes are the generator's rgb
 * inside the mask and the real target outside it, d->fake = rgb m + target
 * (1 - m), so the discriminator judges only the face (which is all the swap
 * blends in) and the generator's background is left to the reconstruction
 * losses; d->dx is the gradient at rgb (the composite's times m). */
void perform_swap_gan_face_step(perform_swap_disc *d, const float *target, const float *rgb,
                                const float *mask,   // (batch, 1, S, S)
                                float g_weight, double *ld, double *lg);
