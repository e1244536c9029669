#include "perform/swap_score.h"

#include <stdlib.h>
#include <string.h>

#include "vision/face_mask.h"
#include "vision/facedesc.h"

enum { DESC_SWAP, DESC_ORIG, SEAM_SWAP, SEAM_ORIG, TEXTURE_SWAP, TEXTURE_ORIG, CHANGE, N_TASKS };

struct score_job {
	const perform_score_input *in;
	perform_frame_scores *out;
	int desc_ok[2];
};

/* |frame - last frame| summed inside the mask, for the swap and the footage
 * (sums of integers: exact in a double). */
static void change(const perform_score_input *in, perform_frame_scores *out)
{
	const media_image *f = in->frame, *o = in->orig;
	vision_rect b = in->box;
	int brow_end = b.y0 + (b.y1 - b.y0) / 3;
	for (int y = b.y0; y < b.y1; y++)
		for (int x = b.x0; x < b.x1; x++) {
			if (in->mask[(size_t)y * f->width + x] < 128)
				continue;
			/* the frame may have another stride than the swapper's buffers */
			size_t i = (size_t)y * f->stride + 3 * (size_t)x, j = (size_t)y * o->stride + 3 * (size_t)x;
			int ds = 0, dor = 0;
			for (int c = 0; c < 3; c++) {
				ds += abs(f->data[i + c] - in->prev_swap->data[j + c]);
				dor += abs(o->data[j + c] - in->prev_orig->data[j + c]);
			}
			out->change_swap += ds;
			out->change_orig += dor;
			if (y < brow_end && in->mask[(size_t)y * f->width + x] == 255) {
				out->brow_swap += ds;
				out->brow_orig += dor;
			}
		}
}

/* The heaviest (the descriptors) first, as the pool hands tasks out in order. */
static void score_task(void *ctx, int task, int thread)
{
	(void)thread;
	struct score_job *j = ctx;
	const perform_score_input *in = j->in;
	perform_frame_scores *out = j->out;
	switch (task) {
	case DESC_SWAP:
	case DESC_ORIG:
		if (in->pts)
			j->desc_ok[task] = vision_facedesc(task == DESC_SWAP ? in->frame : in->orig, in->pts,
			                                   task == DESC_SWAP ? in->desc_swap : in->desc_orig) == 0;
		break;
	case SEAM_SWAP:
		out->seam = vision_seam_score(in->frame, in->mask, in->box);
		break;
	case SEAM_ORIG:
		out->seam_orig = vision_seam_score(in->orig, in->mask, in->box);
		break;
	case TEXTURE_SWAP:
		out->texture_swap = vision_texture(in->frame, in->mask, in->box);
		break;
	case TEXTURE_ORIG:
		out->texture_orig = vision_texture(in->orig, in->mask, in->box);
		break;
	case CHANGE:
		if (in->prev_swap)
			change(in, out);
		break;
	}
}

void perform_score_frame(bj_pool *pool, const perform_score_input *in, perform_frame_scores *out)
{
	memset(out, 0, sizeof(*out));
	struct score_job j = { in, out, { 0, 0 } };
	if (pool)
		bj_pool_run(pool, N_TASKS, score_task, &j);
	else
		for (int t = 0; t < N_TASKS; t++)
			score_task(&j, t, 0);
	out->have_desc = j.desc_ok[0] && j.desc_ok[1];
}
