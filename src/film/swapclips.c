/*
 * swapclips.c - star faces on the dialogue clips of their characters (see
 * swapclips.h).
 */
#include "film/swapclips.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"
#include "base/json.h"
#include "base/progress.h"
#include "base/threads.h"
#include "library/faces.h"
#include "library/presence.h"
#include "library/screen.h"
#include "media/decoder.h"
#include "media/encoder.h"
#include "media/imagefile.h"
#include "perform/swap.h"
#include "vision/cascade.h"
#include "vision/shape_model.h"

/* Faces are looked for twice a second while indexing: a track's ends are
 * known to half a second, so its spans are widened by that much. */
#define SPAN_SLACK 0.5
/* The intermediate films are encoded nearly losslessly; the render encodes again. */
#define SWAP_CRF 12

/* One swapper per star folder, made when first needed. */
struct star {
	const char *folder;
	perform_swapper *s;
};

struct swapping {
	vision_cascade *cascade;
	vision_shape_model *model;
	bj_pool *pool;
	struct star *stars;
	size_t n_stars;
	const film_swap_opts *o;
};

static int is_image(const char *path)
{
	const char *dot = strrchr(path, '.');
	return dot && (!strcasecmp(dot, ".jpg") || !strcasecmp(dot, ".jpeg") || !strcasecmp(dot, ".png"));
}

/* Up to FILM_SWAP_STARS photos of the folder, spread over it by name; photos
 * without a usable face are passed over. */
static int load_star(perform_swapper *s, const char *folder)
{
	char **files;
	size_t n;
	if (bj_dir_files(folder, &files, &n) < 0)
		return bj_error_code();
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (is_image(files[i]))
			files[k++] = files[i];
		else
			free(files[i]);
	size_t use = k < FILM_SWAP_STARS ? k : FILM_SWAP_STARS;
	for (size_t i = 0; i < use; i++) {
		media_image *img = media_image_load(files[i * k / use], 3);
		if (img)
			perform_swapper_add_star(s, img, files[i * k / use]);
		media_image_free(img);
	}
	bj_free_strings(files, k);
	bj_error_clear();
	if (!perform_swapper_stars(s))
		return bj_error_set(BJ_EINVAL, "'%s': no star photo with a usable face", folder);
	return 0;
}

static perform_swapper *swapper_for(struct swapping *w, const char *folder)
{
	for (size_t i = 0; i < w->n_stars; i++)
		if (!strcmp(w->stars[i].folder, folder))
			return w->stars[i].s;
	if (!w->cascade) {
		w->cascade = vision_cascade_load(LIBRARY_FACES_CASCADE);
		w->model = w->cascade ? vision_shape_model_load(VISION_SHAPE_MODEL_68) : NULL;
		w->pool = w->model ? bj_pool_new(w->o->threads) : NULL;
		if (!w->pool)
			return NULL;
	}
	perform_swap_opts po = PERFORM_SWAP_DEFAULTS;
	po.seed = w->o->seed;
	perform_swapper *s = perform_swapper_new(w->cascade, w->model, w->pool, &po);
	if (!s)
		return NULL;
	if (load_star(s, folder) < 0) {
		perform_swapper_free(s);
		return NULL;
	}
	w->stars = bj_xrealloc(w->stars, (w->n_stars + 1) * sizeof *w->stars);
	w->stars[w->n_stars++] = (struct star){ folder, s };
	return s;
}

static void swapping_release(struct swapping *w)
{
	for (size_t i = 0; i < w->n_stars; i++)
		perform_swapper_free(w->stars[i].s);
	free(w->stars);
	bj_pool_free(w->pool);
	vision_shape_model_free(w->model);
	vision_cascade_free(w->cascade);
}

/* The character a dialogue clip shows and the shot it is from, by its why. */
static const char *dialogue_of(const film_clip *c, int64_t *shot, char *buf, size_t size)
{
	json_t *why = c->why ? json_loads(c->why, 0, NULL) : NULL;
	json_t *need = json_object_get(why, "need");
	const char *kind = json_string_value(json_object_get(need, "kind"));
	const char *who = json_string_value(json_object_get(need, "character"));
	json_t *id = json_object_get(json_object_get(why, "shot"), "id");
	const char *ret = NULL;
	if (kind && who && !strcmp(kind, "dialogue")) {
		snprintf(buf, size, "%s", who);
		*shot = json_is_integer(id) ? (int64_t)json_integer_value(id) : 0;
		ret = buf;
	}
	json_decref(why);
	return ret;
}

/* Whether the shot has faces (p: the shots with any, by id). */
static int has_faces(const library_presence *p, size_t n, int64_t shot)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].shot_id == shot)
			return p[i].faces > 0;
	return 0;
}

static int in_spans(const library_span *s, size_t n, double t)
{
	if (n == 0)
		return 1;
	for (size_t i = 0; i < n; i++)
		if (t >= s[i].start - SPAN_SLACK && t <= s[i].end + SPAN_SLACK)
			return 1;
	return 0;
}

/* Decodes c's frames, swaps them where spans say, encodes them to path. */
static int swap_clip(perform_swapper *s, film_clip *c, const library_span *spans, size_t n_spans,
                     const char *path, const film_swap_opts *o, film_swap_report *r)
{
	media_decoder *d;
	media_encoder *e = NULL;
	int ret = media_decoder_open(c->source, &d);
	if (ret < 0)
		return ret;
	const media_info *info = media_decoder_info(d);
	if (info->video < 0) {
		media_decoder_close(d);
		return bj_error_set(BJ_EFORMAT, "'%s': no video stream", c->source);
	}
	const media_stream_info *v = &info->streams[info->video];
	int fps_num = v->fps_num > 0 ? v->fps_num : 25, fps_den = v->fps_num > 0 ? v->fps_den : 1;
	media_encoder_opts eo = media_encoder_defaults(v->width & ~1, v->height & ~1, fps_num, fps_den);
	eo.crf = SWAP_CRF;
	eo.threads = o->threads;
	perform_swapper_reset(s);
	if ((ret = media_decoder_set_output(d, 0, 0, 3)) < 0 ||
	    (ret = media_decoder_seek(d, c->in)) < 0 || (ret = media_encoder_open(path, &eo, &e)) < 0)
		goto out;
	const media_frame *f;
	long frames = 0;
	double half = 0.5 * fps_den / fps_num;
	while ((ret = media_decoder_read(d, &f)) > 0 && f->time < c->out + half) {
		media_image frame = f->image;
		if (frames == 0)
			c->media_at = f->time;
		perform_swap_report rep = { 0 };
		if (in_spans(spans, n_spans, f->time) &&
		    (ret = perform_swapper_frame(s, &frame, f->time, &rep)) < 0)
			goto out;
		media_image even = media_image_view(frame.data, eo.width, eo.height, 3, frame.stride);
		if ((ret = media_encoder_write_video(e, &even)) < 0)
			goto out;
		frames++;
		r->swapped += rep.swapped;
	}
	if (ret < 0)
		goto out;
	if (frames == 0) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': no frame from %.2f s to %.2f s", c->source, c->in,
		                   c->out);
		goto out;
	}
	ret = media_encoder_finish(e);
	r->frames += frames;
out:
	media_encoder_close(e);
	media_decoder_close(d);
	return ret;
}

int film_swap_clips(film_timeline *t, const film_cast *cast, library *lib, const char *folder,
                    const film_swap_opts *o, film_swap_report *r)
{
	memset(r, 0, sizeof *r);
	struct swapping w = { .o = o };
	char who[256];
	int64_t shot;
	size_t todo = 0;
	for (size_t i = 0; i < t->n_clips; i++) {
		const film_clip *c = &t->clips[i];
		todo += !c->still && dialogue_of(c, &shot, who, sizeof who) && film_cast_star(cast, who);
	}
	library_presence *faced = NULL;
	size_t n_faced = 0, skipped = 0;
	if (lib && library_shot_presence(lib, 0, &faced, &n_faced) < 0)
		return bj_error_code();
	bj_progress *bar = o->progress && todo ? bj_progress_new("swap", todo, "clips") : NULL;
	int ret = 0;
	for (size_t i = 0; i < t->n_clips && ret == 0; i++) {
		film_clip *c = &t->clips[i];
		const char *star;
		if (c->still || !dialogue_of(c, &shot, who, sizeof who) || !(star = film_cast_star(cast, who)))
			continue;
		perform_swapper *s = swapper_for(&w, star);
		if (!s) {
			ret = bj_error_code();
			break;
		}
		library_span *spans = NULL;
		size_t n_spans = 0;
		int64_t identity = film_cast_identity(cast, who);
		if (lib && identity && shot && library_identity_spans(lib, shot, identity, &spans, &n_spans) < 0) {
			ret = bj_error_code();
			break;
		}
		/* The library knows who is on screen: nobody's face is swapped for a
		 * star's unless it is the character's identity, or, the identity
		 * being unknown, some face at all. */
		if (lib && shot && (identity ? n_spans == 0 : !has_faces(faced, n_faced, shot))) {
			bj_progress_set(bar, ++skipped + r->clips, NULL);
			continue;
		}
		char name[32], path[4400];
		snprintf(name, sizeof name, "clip-%04zu.mp4", i);
		snprintf(path, sizeof path, "%s/%s", folder, name);
		ret = swap_clip(s, c, spans, n_spans, path, o, r);
		free(spans);
		if (ret == 0) {
			c->media = bj_xstrdup(path);
			bj_progress_set(bar, ++r->clips + skipped, NULL);
		}
	}
	bj_progress_finish(bar);
	free(faced);
	swapping_release(&w);
	return ret;
}

int film_swaps_save(const film_timeline *t, const char *path)
{
	json_t *root = json_object(), *list = json_array();
	for (size_t i = 0; i < t->n_clips; i++) {
		const film_clip *c = &t->clips[i];
		if (!c->media)
			continue;
		const char *slash = strrchr(c->media, '/');
		json_array_append_new(list, json_pack("{s:I,s:s,s:f,s:s,s:f}", "clip", (json_int_t)i,
		                                      "source", c->source, "in", c->in, "media",
		                                      slash ? slash + 1 : c->media, "media_at",
		                                      c->media_at));
	}
	json_object_set_new(root, "swaps", list);
	int ret = bj_json_save(path, root, 0);
	json_decref(root);
	return ret;
}

int film_swaps_apply(film_timeline *t, const char *path)
{
	json_t *root;
	int ret = bj_json_load(path, &root);
	if (ret < 0)
		return ret;
	const char *slash = strrchr(path, '/');
	json_t *list = json_object_get(root, "swaps"), *o;
	if (!json_is_array(list))
		ret = bj_error_set(BJ_EFORMAT, "'%s': no \"swaps\" array", path);
	size_t i;
	json_array_foreach(list, i, o) {
		if (ret < 0)
			break;
		json_t *k = json_object_get(o, "clip");
		const char *source = json_string_value(json_object_get(o, "source"));
		const char *media = json_string_value(json_object_get(o, "media"));
		json_t *in = json_object_get(o, "in"), *at = json_object_get(o, "media_at");
		if (!json_is_integer(k) || !source || !media || !json_is_number(in) || !json_is_number(at)) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': swaps[%zu]: needs clip, source, in, media "
			                   "and media_at", path, i);
			break;
		}
		json_int_t n = json_integer_value(k);
		film_clip *c = n >= 0 && (size_t)n < t->n_clips ? &t->clips[n] : NULL;
		if (!c || strcmp(c->source, source) || fabs(c->in - json_number_value(in)) > 1e-6) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': swaps[%zu]: clip %lld is not the one swapped",
			                   path, i, (long long)n);
			break;
		}
		free(c->media);
		c->media = media[0] == '/' || !slash ? bj_xstrdup(media)
		                                     : bj_xasprintf("%.*s/%s", (int)(slash - path), path,
		                                                    media);
		c->media_at = json_number_value(at);
	}
	json_decref(root);
	return ret;
}
