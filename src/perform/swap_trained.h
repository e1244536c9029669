/*
 * swap_trained.h - a trained swap model (perform/swap_model.h) put to work in
 * a swapper (perform/swap.h) instead of star photos: each footage face's
 * aligned crop redrawn by decoder B, the star, and blended with the decoder's
 * mask over the landmark mask (perform/swap_mask.h).
 *
 *     perform_trained *t;
 *     if (perform_trained_load("swap-bush-4.safetensors", 1, &t) < 0) ... error names the file ...
 *     perform_trained_attach(t, swapper);        // t must outlive the swapper's use
 *     ... perform_swapper_frame ...
 *     perform_trained_free(t);
 */
#pragma once

#include "perform/swap.h"
#include "perform/swap_model.h"

typedef struct perform_trained {
	perform_swap_net *net;
	perform_swap_state state;   /* what it was trained on: identity, star, steps */
	int use_mask;               /* blend with the decoder's mask (else the landmarks' only) */
} perform_trained;

/* Loads the model at path for swapping (weights only; every field checked by
 * perform_swap_model_load).  Returns 0 with *out set, or a negative code with
 * the error naming the file. */
int perform_trained_load(const char *path, int use_mask, perform_trained **out);

/* From now on s redraws faces with t (perform_swapper_set_redraw). */
void perform_trained_attach(perform_trained *t, perform_swapper *s);

void perform_trained_free(perform_trained *t);
