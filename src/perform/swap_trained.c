/*
 * swap_trained.c - a trained swap model in a swapper (see swap_trained.h).
 */
#include "perform/swap_trained.h"

#include <stdlib.h>

#include "base/alloc.h"

int perform_trained_load(const char *path, int use_mask, perform_trained **out)
{
	perform_trained *t = bj_xcalloc(1, sizeof(*t));
	int ret = perform_swap_model_load(path, 0, &t->net, &t->state);
	if (ret < 0) {
		free(t);
		*out = NULL;
		return ret;
	}
	t->use_mask = use_mask;
	*out = t;
	return 0;
}

/* Decoder B: the footage face drawn as the star, with its mask. */
static int redraw_as_star(void *ctx, media_image *crop, float *mask)
{
	perform_trained *t = ctx;
	return perform_swap_net_redraw(t->net, PERFORM_SWAP_B, crop, t->use_mask ? mask : NULL);
}

void perform_trained_attach(perform_trained *t, perform_swapper *s)
{
	perform_swapper_set_redraw(s, redraw_as_star, t, t->net->cfg.size);
}

void perform_trained_free(perform_trained *t)
{
	if (!t)
		return;
	perform_swap_net_free(t->net);
	free(t);
}
