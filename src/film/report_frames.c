/*
 * report_frames.c - frames of a clip for the report (see report_frames.h).
 */
#include "film/report_frames.h"

#include <math.h>
#include <string.h>

#include "base/error.h"
#include "film/picture.h"
#include "media/decoder.h"
#include "media/imagefile.h"
#include "media/resize.h"

static int still_frames(const film_clip *c, int n, int w, int h, media_image **out)
{
	media_image *img = media_image_load(c->source, 3);
	if (!img)
		return bj_error_code();
	/* a large picture shrunk once to about twice the thumbnail: the pan's
	 * bilinear sampling then skips no detail worth seeing */
	if (img->width > 4 * w) {
		int sw = 2 * w, sh = (int)lround((double)img->height * sw / img->width);
		media_image *small = media_image_resize(img, sw, sh < 1 ? 1 : sh);
		media_image_free(img);
		if (!(img = small))
			return bj_error_code();
	}
	film_view whole = { 1.0, 0.5, 0.5 };
	int ret = 0;
	for (int k = 0; k < n && ret == 0; k++) {
		double p = (k + 0.5) / n;
		film_view v = c->has_effect ? film_view_at(&c->from, &c->to, p) : whole;
		if (!(out[k] = media_image_new(w, h, 3)))
			ret = bj_error_code();
		else
			film_pan(img, &v, out[k]);
	}
	media_image_free(img);
	return ret;
}

static int video_frames(const film_clip *c, int n, int w, int h, media_image **out)
{
	media_decoder *d;
	int ret = media_decoder_open(c->source, &d);
	if (ret < 0)
		return ret;
	const media_info *info = media_decoder_info(d);
	if (info->video < 0) {
		media_decoder_close(d);
		return bj_error_set(BJ_EFORMAT, "'%s': no video stream", c->source);
	}
	const media_stream_info *v = &info->streams[info->video];
	film_rect r = film_fit(v->width, v->height, v->sar_num, v->sar_den, w, h);
	media_decoder_set_fast(d, 1);
	media_decoder_set_rough(d, 1);   /* thumbnails: block edges do not show */
	ret = media_decoder_set_output(d, r.w, r.h, 3);
	for (int k = 0; k < n && ret == 0; k++) {
		const media_frame *f;
		double t = c->in + (c->out - c->in) * (k + 0.5) / n;
		if ((ret = media_decoder_seek(d, t)) < 0)
			break;
		ret = media_decoder_read(d, &f);
		if (ret == 0)
			ret = bj_error_set(BJ_EFORMAT, "'%s': no frame at %.2f s", c->source, t);
		if (ret < 0)
			break;
		ret = 0;
		if (!(out[k] = media_image_new(w, h, 3)))
			ret = bj_error_code();
		else
			film_place(&f->image, r, out[k]);
	}
	media_decoder_close(d);
	return ret;
}

int film_report_frames(const film_clip *c, int n, int w, int h, media_image **out)
{
	BJ_ASSERT(n >= 1 && n <= 8);
	memset(out, 0, (size_t)n * sizeof(*out));
	int ret = c->still ? still_frames(c, n, w, h, out) : video_frames(c, n, w, h, out);
	if (ret < 0)
		for (int k = 0; k < n; k++) {
			media_image_free(out[k]);
			out[k] = NULL;
		}
	return ret;
}
