/*
 * gan_loss.h - adversarial losses on a discriminator's raw outputs (logits,
 * one per patch for a PatchGAN), against a constant target label.
 *
 *     // discriminator: real patches towards 1, fakes towards 0
 *     double ld = nn_gan_loss_forward(NN_GAN_LSGAN, d_real, n, 1.0f)
 *               + nn_gan_loss_forward(NN_GAN_LSGAN, d_fake, n, 0.0f);
 *     nn_gan_loss_backward(NN_GAN_LSGAN, d_real, n, 1.0f, 0.5f, dd_real);
 *     nn_gan_loss_backward(NN_GAN_LSGAN, d_fake, n, 0.0f, 0.5f, dd_fake);
 *     // generator: its fakes towards 1, through the discriminator
 *     double lg = nn_gan_loss_forward(NN_GAN_LSGAN, d_fake, n, 1.0f);
 *
 * NN_GAN_BCE is PyTorch's F.binary_cross_entropy_with_logits(x, full_like(x,
 * target)), mean over the n outputs, computed as max(x, 0) - x t + log(1 +
 * exp(-|x|)) so no logit overflows; NN_GAN_LSGAN is the least-squares GAN
 * (Mao et al. 2017) as CycleGAN writes it, F.mse_loss(x, full_like(x, target)).
 * A target between 0 and 1 gives label smoothing.  Losses are accumulated in
 * double; backward adds scale times the gradient.  Nothing is allocated.
 */
#pragma once

#include <stddef.h>

/* Which adversarial loss. */
enum nn_gan_loss {
	NN_GAN_BCE = 0,     /* binary cross-entropy on logits */
	NN_GAN_LSGAN = 1,   /* mean squared distance to the label */
};

/* The mean loss of n > 0 outputs x against the label target. */
double nn_gan_loss_forward(enum nn_gan_loss kind,
                           const float *x,   // (n)
                           size_t n, float target);

/* dx += scale dloss/dx: (sigmoid(x) - target) / n for BCE, 2 (x - target) / n
 * for LSGAN. */
void nn_gan_loss_backward(enum nn_gan_loss kind,
                          const float *x,   // (n)
                          size_t n, float target, float scale,
                          float *dx);       // (n)
