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

#include "base/alloc.h"
#include "base/error.h"
#include "base/json.h"
#include "base/progress.h"
#include "base/threads.h"
#include "library/face_boxes.h"
#include "library/faces.h"
#include "library/presence.h"
#include "nn/parallel.h"
#include "perform/swap.h"
#include "perform/swap_clip.h"
#include "perform/swap_trained.h"
#include "vision/cascade.h"
#include "vision/shape_model.h"

/* The intermediate films are encoded nearly losslessly; the render encodes again. */
#define SWAP_CRF 12

/* One swapper per star folder or trained model, made when first needed. */
struct star {
	const char *folder;      /* or NULL for: */
	perform_trained *model;
	perform_swapper *s;
};

struct swapping {
	vision_cascade *cascade;
	vision_shape_model *model;
	bj_pool *pool;
	struct star *stars;
	size_t n_stars;
	perform_trained **trained;   /* (cast->n) each character's usable model, or NULL */
	const film_swap_opts *o;
};

static perform_swapper *swapper_for(struct swapping *w, const char *folder, perform_trained *model)
{
	for (size_t i = 0; i < w->n_stars; i++)
		if (model ? w->stars[i].model == model : w->stars[i].folder && !strcmp(w->stars[i].folder, folder))
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
	if (model)
		perform_trained_attach(model, s);
	else if (perform_swapper_add_stars(s, folder, FILM_SWAP_STARS, NULL) < 0) {
		perform_swapper_free(s);
		return NULL;
	}
	w->stars = bj_xrealloc(w->stars, (w->n_stars + 1) * sizeof *w->stars);
	w->stars[w->n_stars++] = (struct star){ model ? NULL : folder, model, s };
	return s;
}

static void note(film_swap_report *r, const film_swap_opts *o, char *text)
{
	r->notes = bj_xrealloc(r->notes, (r->n_notes + 1) * sizeof(*r->notes));
	r->notes[r->n_notes++] = text;
	if (o->on_note)
		o->on_note(o->ctx, text);
}

/* Each character's model loaded (an error if it does not load) and kept when
 * it was trained on the character's identity; a note says why not. */
static int load_models(struct swapping *w, const film_cast *cast, film_swap_report *r)
{
	w->trained = bj_xcalloc(cast->n + 1, sizeof(*w->trained));
	/* the trained models run on src/nn's own pool: as many threads as the swap */
	if (nn_set_threads(w->o->threads > 0 ? w->o->threads : 1) < 0)
		return bj_error_code();
	for (size_t i = 0; i < cast->n; i++) {
		const char *path = cast->models[i];
		perform_trained *t;
		if (!path)
			continue;
		if (perform_trained_load(path, 1, &t) < 0)
			return bj_error_code();
		if (t->state.identity != cast->identities[i]) {
			note(r, w->o, bj_xasprintf("%s: '%s' was trained on identity %ld, not the character's %lld: "
			                           "%s", cast->characters[i], path, t->state.identity,
			                           (long long)cast->identities[i],
			                           cast->stars[i] ? "the one-shot swap from the star's photos"
			                                          : "no swap (no star photos either)"));
			perform_trained_free(t);
			continue;
		}
		w->trained[i] = t;
	}
	return 0;
}

/* The usable model of a character, or NULL. */
static perform_trained *trained_of(const struct swapping *w, const film_cast *cast, const char *who)
{
	for (size_t i = 0; i < cast->n; i++)
		if (!strcmp(cast->characters[i], who))
			return w->trained[i];
	return NULL;
}

static void swapping_release(struct swapping *w, const film_cast *cast)
{
	for (size_t i = 0; i < w->n_stars; i++)
		perform_swapper_free(w->stars[i].s);
	for (size_t i = 0; w->trained && i < cast->n; i++)
		perform_trained_free(w->trained[i]);
	free(w->trained);
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

/* Where the character's identity is in each frame first..last of the clip's
 * film (*boxes, malloc'd), or *boxes NULL when it is never there (or the film
 * is not in the library). */
static int identity_boxes(library *lib, const film_clip *c, int64_t identity, int64_t first, int64_t last,
                          float **boxes)
{
	*boxes = NULL;
	library_film film;
	if (library_film_find(lib, c->source, &film) < 0) {
		bj_error_clear();
		return 0;
	}
	float *b = bj_xmalloc(4 * (size_t)(last - first + 1) * sizeof(*b));
	int found = library_face_boxes(lib, film.id, identity, 0, first, last, b);
	library_film_release(&film);
	if (found <= 0) {
		free(b);
		return found;
	}
	*boxes = b;
	return 0;
}

/* Swaps c's frames from in to out into path, only the identity's face when
 * boxes say where it is (else the largest). */
static int swap_clip(perform_swapper *s, film_clip *c, int64_t first, int64_t last, const float *boxes,
                     const char *path, const film_swap_opts *o, film_swap_report *r)
{
	perform_swap_range_opts ro = { .boxes = boxes, .crf = SWAP_CRF, .threads = o->threads };
	perform_swap_stats st;
	int ret = perform_swap_range(s, c->source, first, last, path, &ro, &st, &c->media_at);
	if (ret == 0) {
		r->frames += st.frames;
		r->swapped += st.swapped;
	}
	return ret;
}

int film_swap_clips(film_timeline *t, const film_cast *cast, library *lib, const char *folder,
                    const film_swap_opts *o, film_swap_report *r)
{
	memset(r, 0, sizeof *r);
	r->by = bj_xcalloc(t->n_clips + 1, sizeof(*r->by));
	r->n_by = t->n_clips;
	struct swapping w = { .o = o };
	char who[256];
	int64_t shot;
	size_t todo = 0;
	if (load_models(&w, cast, r) < 0) {
		swapping_release(&w, cast);
		return bj_error_code();
	}
	for (size_t i = 0; i < t->n_clips; i++) {
		const film_clip *c = &t->clips[i];
		todo += !c->still && dialogue_of(c, &shot, who, sizeof who) &&
		        (trained_of(&w, cast, who) || film_cast_star(cast, who));
	}
	library_presence *faced = NULL;
	size_t n_faced = 0, skipped = 0;
	if (lib && library_shot_presence(lib, 0, &faced, &n_faced) < 0) {
		swapping_release(&w, cast);
		return bj_error_code();
	}
	bj_progress *bar = o->progress && todo ? bj_progress_new("swap", todo, "clips") : NULL;
	int ret = 0;
	for (size_t i = 0; i < t->n_clips && ret == 0; i++) {
		film_clip *c = &t->clips[i];
		if (c->still || !dialogue_of(c, &shot, who, sizeof who))
			continue;
		const char *star = film_cast_star(cast, who);
		perform_trained *model = trained_of(&w, cast, who);
		if (!star && !model)
			continue;
		perform_swapper *s = swapper_for(&w, star, model);
		if (!s) {
			ret = bj_error_code();
			break;
		}
		int64_t identity = film_cast_identity(cast, who), first, last;
		float *boxes = NULL;
		if ((ret = perform_swap_frames(c->source, c->in, c->out, &first, &last)) < 0 ||
		    (lib && identity && (ret = identity_boxes(lib, c, identity, first, last, &boxes)) < 0))
			break;
		/* The library knows who is on screen: nobody's face is swapped for a
		 * star's unless it is the character's identity (and then no other
		 * face in the frame), or, the identity being unknown, some face at
		 * all. */
		if (lib && (identity ? !boxes : shot && !has_faces(faced, n_faced, shot))) {
			skipped++;
			if (bar)
				bj_progress_set(bar, skipped + r->clips, NULL);
			continue;
		}
		char name[32], path[4400];
		snprintf(name, sizeof name, "clip-%04zu.mp4", i);
		snprintf(path, sizeof path, "%s/%s", folder, name);
		ret = swap_clip(s, c, first, last, boxes, path, o, r);
		free(boxes);
		if (ret == 0) {
			c->media = bj_xstrdup(path);
			r->by[i] = bj_xstrdup(model ? film_cast_model(cast, who) : "one-shot");
			r->clips++;
			if (bar)
				bj_progress_set(bar, r->clips + skipped, NULL);
		}
	}
	bj_progress_finish(bar);
	free(faced);
	swapping_release(&w, cast);
	return ret;
}

void film_swap_report_release(film_swap_report *r)
{
	for (size_t i = 0; i < r->n_by; i++)
		free(r->by[i]);
	for (size_t i = 0; i < r->n_notes; i++)
		free(r->notes[i]);
	free(r->by);
	free(r->notes);
	memset(r, 0, sizeof(*r));
}

int film_swaps_save(const film_timeline *t, const film_swap_report *r, const char *path)
{
	json_t *root = json_object(), *list = json_array(), *notes = json_array();
	for (size_t i = 0; i < t->n_clips; i++) {
		const film_clip *c = &t->clips[i];
		if (!c->media)
			continue;
		const char *slash = strrchr(c->media, '/');
		json_t *o = json_pack("{s:I,s:s,s:f,s:s,s:f}", "clip", (json_int_t)i, "source", c->source, "in",
		                      c->in, "media", slash ? slash + 1 : c->media, "media_at", c->media_at);
		if (r && i < r->n_by && r->by[i])
			json_object_set_new(o, "by", json_string(r->by[i]));
		json_array_append_new(list, o);
	}
	for (size_t i = 0; r && i < r->n_notes; i++)
		json_array_append_new(notes, json_string(r->notes[i]));
	json_object_set_new(root, "swaps", list);
	json_object_set_new(root, "notes", notes);
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
