#include "perform/swap_footage.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "media/decoder.h"

/* Reading on decodes every frame; a seek decodes from the key frame before the
 * target, typically up to a couple of seconds of frames.  Beyond this gap a
 * seek is the cheaper of the two. */
#define SEEK_GAP_S 2.0

static int by_film_and_frame(const void *a, const void *b)
{
	const perform_face_ref *p = *(const perform_face_ref *const *)a, *q = *(const perform_face_ref *const *)b;
	int c = strcmp(p->video, q->video);
	if (c)
		return c;
	return (p->frame > q->frame) - (p->frame < q->frame);
}

/* Adds the faces refs[0..n) of one film, sorted by frame. */
static int add_film(perform_crops *set, const perform_face_ref *const *refs, size_t n, bj_progress *progress)
{
	const char *path = refs[0]->video;
	media_decoder *d;
	int ret = media_decoder_open(path, &d);
	if (ret < 0)
		return ret;
	const media_frame *f = NULL;
	int added = 0;
	for (size_t i = 0; i < n && ret >= 0; i++) {
		const perform_face_ref *r = refs[i];
		double fps = r->fps > 0 ? r->fps : 25.0;
		if (!f || f->index > r->frame || (double)(r->frame - f->index) / fps > SEEK_GAP_S) {
			if ((ret = media_decoder_seek(d, ((double)r->frame - 0.5) / fps)) < 0)
				break;
			f = NULL;
		}
		int got = 1;
		while ((!f || f->index < r->frame) && (got = media_decoder_read(d, &f)) > 0)
			;
		if (got == 0)
			got = bj_error_set(BJ_EFORMAT, "'%s': no frame %lld (the film ends before it)", path,
			                   (long long)r->frame);
		if ((ret = got) < 0)
			break;
		ret = perform_crops_add_face(set, &f->image, r->landmarks, path, (int32_t)r->frame);
		if (ret > 0)
			added++;
		if (progress)
			bj_progress_add(progress, 1);
	}
	media_decoder_close(d);
	return ret < 0 ? ret : added;
}

int perform_crops_add_footage(perform_crops *set, const perform_face_ref *refs, size_t n,
                              bj_progress *progress)
{
	for (size_t i = 0; i < n; i++)
		if (refs[i].frame < 0 || refs[i].frame > INT32_MAX)
			return bj_error_set(BJ_EINVAL, "'%s': frame %lld is out of range", refs[i].video,
			                    (long long)refs[i].frame);
	const perform_face_ref **order = bj_xmalloc((n ? n : 1) * sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = &refs[i];
	qsort(order, n, sizeof(*order), by_film_and_frame);
	int added = 0, ret = 0;
	for (size_t a = 0, b; a < n && ret >= 0; a = b) {
		for (b = a + 1; b < n && strcmp(order[b]->video, order[a]->video) == 0; b++)
			;
		ret = add_film(set, order + a, b - a, progress);
		if (ret > 0)
			added += ret;
	}
	free(order);
	return ret < 0 ? ret : added;
}
