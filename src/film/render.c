#include "film/render.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/progress.h"
#include "base/threads.h"
#include "base/rng.h"
#include "film/burn.h"
#include "film/edl.h"
#include "film/otio.h"
#include "film/picture.h"
#include "film/subtitles.h"
#include "film/titles.h"
#include "media/decoder.h"
#include "media/encoder.h"
#include "media/imagefile.h"
#include "media/resize.h"

film_render_opts film_render_defaults(const char *output)
{
	return (film_render_opts){ .output = output, .threads = 2, .preset = "medium", .crf = 18 };
}

char *film_render_sibling(const char *output, const char *ext)
{
	const char *slash = strrchr(output, '/');
	const char *dot = strrchr(slash ? slash + 1 : output, '.');
	size_t keep = dot && dot != (slash ? slash + 1 : output) ? (size_t)(dot - output) : strlen(output);
	return bj_xasprintf("%.*s%s", (int)keep, output, ext);
}

/* Footage time by format, to find the most common. */
struct vote {
	int a, b;
	double seconds;
};

static void add_vote(struct vote **v, size_t *n, size_t *cap, int a, int b, double seconds)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].a == a && (*v)[i].b == b) {
			(*v)[i].seconds += seconds;
			return;
		}
	BJ_GROW(*v, *cap, *n + 1);
	(*v)[(*n)++] = (struct vote){ a, b, seconds };
}

/* The format with the most time; the first listed on a tie. */
static const struct vote *winner(const struct vote *v, size_t n)
{
	const struct vote *best = NULL;
	for (size_t i = 0; i < n; i++)
		if (!best || v[i].seconds > best->seconds)
			best = &v[i];
	return best;
}

int film_render_choose_format(const film_timeline *t, int *width, int *height, int *fps_num,
                              int *fps_den)
{
	struct vote *sizes = NULL, *rates = NULL;
	size_t n_sizes = 0, cap_sizes = 0, n_rates = 0, cap_rates = 0;
	int ret = 0;
	for (size_t i = 0; i < t->n_clips && ret == 0; i++) {
		const film_clip *c = &t->clips[i];
		double len = c->out - c->in;
		if (c->still)
			continue;
		media_decoder *d;
		if ((ret = media_decoder_open(c->source, &d)) < 0)
			break;
		const media_info *info = media_decoder_info(d);
		if (info->video < 0) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': no video stream", c->source);
		} else {
			const media_stream_info *s = &info->streams[info->video];
			film_rect r = film_fit(s->width, s->height, s->sar_num, s->sar_den, 100000, s->height);
			add_vote(&sizes, &n_sizes, &cap_sizes, r.w, s->height, len);
			if (s->fps_num > 0 && s->fps_den > 0)
				add_vote(&rates, &n_rates, &cap_rates, s->fps_num, s->fps_den, len);
		}
		media_decoder_close(d);
	}
	if (ret == 0) {
		const struct vote *sz = winner(sizes, n_sizes), *fr = winner(rates, n_rates);
		double w = sz ? sz->a : FILM_RENDER_MAX_WIDTH, h = sz ? sz->b : FILM_RENDER_MAX_HEIGHT;
		double k = fmin(1.0, fmin(FILM_RENDER_MAX_WIDTH / w, FILM_RENDER_MAX_HEIGHT / h));
		*width = 2 * (int)lround(w * k / 2);
		*height = 2 * (int)lround(h * k / 2);
		*fps_num = fr ? fr->a : 25;
		*fps_den = fr ? fr->b : 1;
	}
	free(sizes);
	free(rates);
	return ret;
}

/* What shows one clip: an open decoder (the newest frame at or before the
 * time wanted, and the one after, both copied at the placed size) or a still. */
struct reader {
	size_t clip;
	media_decoder *d;
	char *file;          /* d's */
	media_image *cur, *next;
	int have_cur, have_next, ended;
	double next_time;
	media_image *still;
	film_view from, to;
	film_rect place;
};

/* Decoders of clips that ended, kept open by file, the newest first: a later
 * clip from the same file reads on from where the last one stopped when that
 * is nearer than the key frame before its start (media_decoder_seek), and
 * footage cut into many clips is decoded once rather than from a key frame
 * for every clip. */
#define KEPT_DECODERS 4

struct kept {
	media_decoder *d[KEPT_DECODERS];
	char *file[KEPT_DECODERS];
};

static void keep_decoder(struct kept *k, media_decoder *d, const char *file)
{
	media_decoder_close(k->d[KEPT_DECODERS - 1]);
	free(k->file[KEPT_DECODERS - 1]);
	memmove(k->d + 1, k->d, (KEPT_DECODERS - 1) * sizeof *k->d);
	memmove(k->file + 1, k->file, (KEPT_DECODERS - 1) * sizeof *k->file);
	k->d[0] = d;
	k->file[0] = bj_xstrdup(file);
}

/* The kept decoder of file, taken out of k, or NULL. */
static media_decoder *take_decoder(struct kept *k, const char *file)
{
	for (int i = 0; i < KEPT_DECODERS && k->d[i]; i++)
		if (strcmp(k->file[i], file) == 0) {
			media_decoder *d = k->d[i];
			free(k->file[i]);
			memmove(k->d + i, k->d + i + 1, (size_t)(KEPT_DECODERS - 1 - i) * sizeof *k->d);
			memmove(k->file + i, k->file + i + 1, (size_t)(KEPT_DECODERS - 1 - i) * sizeof *k->file);
			k->d[KEPT_DECODERS - 1] = NULL;
			k->file[KEPT_DECODERS - 1] = NULL;
			return d;
		}
	return NULL;
}

static void kept_release(struct kept *k)
{
	for (int i = 0; i < KEPT_DECODERS; i++) {
		media_decoder_close(k->d[i]);
		free(k->file[i]);
	}
	memset(k, 0, sizeof *k);
}

/* Ends the reader; its decoder, if any, goes to k (NULL: closed). */
static void reader_close(struct reader *r, struct kept *k)
{
	if (r->d && k)
		keep_decoder(k, r->d, r->file);
	else
		media_decoder_close(r->d);
	free(r->file);
	media_image_free(r->cur);
	media_image_free(r->next);
	media_image_free(r->still);
	memset(r, 0, sizeof *r);
}

static void copy_image(const media_image *src, media_image *dst)
{
	for (int y = 0; y < dst->height; y++)
		memcpy(dst->data + (size_t)y * dst->stride, src->data + (size_t)y * src->stride,
		       (size_t)dst->width * 3);
}

void film_still_move(uint64_t seed, size_t clip, film_view *from, film_view *to)
{
	bj_rng base, r;
	bj_rng_init(&base, seed);
	r = bj_rng_fork(&base, clip);
	double zoom = 1.08 + 0.12 * bj_rng_double(&r);
	double dx = (bj_rng_double(&r) - 0.5) * 0.16, dy = (bj_rng_double(&r) - 0.5) * 0.16;
	film_view a = { 1.0, 0.5, 0.5 }, b = { zoom, 0.5 + dx, 0.5 + dy };
	int out = bj_rng_below(&r, 2) == 1;
	*from = out ? b : a;
	*to = out ? a : b;
}

static int open_still(struct reader *r, const film_clip *c, const media_image *frame, uint64_t seed)
{
	media_image *img = media_image_load(c->source, 3);
	if (!img)
		return bj_error_code();
	if (c->has_effect) {
		r->from = c->from;
		r->to = c->to;
	} else {
		film_still_move(seed, r->clip, &r->from, &r->to);
	}
	/* Shrink a large still once so that its most zoomed window is about the
	 * frame's size: bilinear sampling then never skips pixels. */
	double aspect = (double)frame->width / frame->height;
	double bw = fmin(img->width, img->height * aspect);
	double need = frame->width * fmax(r->from.zoom, r->to.zoom);
	if (bw > 1.5 * need) {
		double k = need / bw;
		int w = (int)lround(img->width * k), h = (int)lround(img->height * k);
		media_image *small = media_image_resize(img, w < 1 ? 1 : w, h < 1 ? 1 : h);
		media_image_free(img);
		if (!small)
			return bj_error_code();
		img = small;
	}
	r->still = img;
	return 0;
}

static int open_video(struct reader *r, struct kept *k, const film_clip *c, const film_span *span,
                      int fps_num, int fps_den, const media_image *frame)
{
	const char *file = c->media ? c->media : c->source;
	int ret = (r->d = take_decoder(k, file)) ? 0 : media_decoder_open(file, &r->d);
	if (ret < 0)
		return ret;
	r->file = bj_xstrdup(file);
	const media_info *info = media_decoder_info(r->d);
	if (info->video < 0)
		return bj_error_set(BJ_EFORMAT, "'%s': no video stream", file);
	const media_stream_info *s = &info->streams[info->video];
	r->place = film_fit(s->width, s->height, s->sar_num, s->sar_den, frame->width, frame->height);
	/* Scaled in YUV, as the encoder wants it anyway: enlarging straight to RGB
	 * takes swscale's slow full-chroma path. */
	media_decoder_set_yuv_scale(r->d, 1);
	if ((ret = media_decoder_set_output(r->d, r->place.w, r->place.h, 3)) < 0 ||
	    (ret = media_decoder_seek(r->d, fmax(0.0, (double)span->src_in * fps_den / fps_num -
	                                          (c->media ? c->media_at : 0)))) < 0)
		return ret;
	r->cur = media_image_new(r->place.w, r->place.h, 3);
	r->next = media_image_new(r->place.w, r->place.h, 3);
	BJ_ASSERT(r->cur && r->next);
	return 0;
}

/* Moves the reader to the source frame nearest time (within half an output
 * frame, tol): reads ahead one frame and keeps the last one not after it. */
static int advance(struct reader *r, double time, double tol)
{
	for (;;) {
		if (!r->have_next && !r->ended) {
			const media_frame *f;
			int ret = media_decoder_read(r->d, &f);
			if (ret < 0)
				return ret;
			if (ret == 0) {
				r->ended = 1;
			} else {
				copy_image(&f->image, r->next);
				r->next_time = f->time;
				r->have_next = 1;
			}
		}
		if (!r->have_next || (r->have_cur && r->next_time > time + tol))
			return 0;
		media_image *swap = r->cur;
		r->cur = r->next;
		r->next = swap;
		r->have_cur = 1;
		r->have_next = 0;
	}
}

/* Removes "<path>.tmp.<pid>" files whose process is gone (a killed render). */
static void remove_stale(const char *path)
{
	char *dir = bj_xstrdup(path);
	char *slash = strrchr(dir, '/');
	const char *base = slash ? slash + 1 : path;
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	DIR *d = opendir(slash ? dir : ".");
	size_t len = strlen(base);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, base, len) || strncmp(e->d_name + len, ".tmp.", 5))
			continue;
		char *end;
		long pid = strtol(e->d_name + len + 5, &end, 10);
		if (*end || pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		char *stale = slash ? bj_xasprintf("%s/%s", dir, e->d_name) : bj_xstrdup(e->d_name);
		unlink(stale);
		free(stale);
	}
	if (d)
		closedir(d);
	free(dir);
}

/* Everything the frame loop draws with. */
struct scene {
	const film_timeline *t;
	const film_render_opts *o;
	int fps_num, fps_den;
	film_span *spans;
	media_image *frame;
	media_image *title;
	media_image *roll;
	film_overlay label;
	film_burner *burner;
	struct reader reader;
	struct kept kept;
	size_t clip;   /* the first clip not yet over */
};

static int in_card(const film_card *c, int64_t n, int fps_num, int fps_den, double *p)
{
	if (!c->present)
		return 0;
	int64_t a = film_frames(c->at, fps_num, fps_den);
	int64_t b = film_frames(c->at + c->duration, fps_num, fps_den);
	if (n < a || n >= b)
		return 0;
	*p = b - a > 1 ? (double)(n - a) / (double)(b - a - 1) : 0;
	return 1;
}

static int draw_clip(struct scene *s, int64_t n)
{
	const film_timeline *t = s->t;
	while (s->clip < t->n_clips && s->spans[s->clip].rec_out <= n)
		s->clip++;
	if (s->clip >= t->n_clips || s->spans[s->clip].rec_in > n) {
		film_clear(s->frame);
		return 0;
	}
	const film_clip *c = &t->clips[s->clip];
	const film_span *span = &s->spans[s->clip];
	struct reader *r = &s->reader;
	if ((!r->d && !r->still) || r->clip != s->clip) {
		reader_close(r, &s->kept);
		r->clip = s->clip;
		int ret = c->still ? open_still(r, c, s->frame, s->o->seed)
		                   : open_video(r, &s->kept, c, span, s->fps_num, s->fps_den, s->frame);
		if (ret < 0)
			return ret;
	}
	if (c->still) {
		int64_t len = span->rec_out - span->rec_in;
		double p = len > 1 ? (double)(n - span->rec_in) / (double)(len - 1) : 0;
		film_view v = film_view_at(&r->from, &r->to, p);
		film_pan(r->still, &v, s->frame);
		return 0;
	}
	double time = (double)(span->src_in + n - span->rec_in) * s->fps_den / s->fps_num -
	              (c->media ? c->media_at : 0);
	int ret = advance(r, time, 0.5 * s->fps_den / s->fps_num);
	if (ret < 0)
		return ret;
	if (r->have_cur)
		film_place(r->cur, r->place, s->frame);
	else
		film_clear(s->frame);
	return 0;
}

static int draw(struct scene *s, int64_t n)
{
	double p;
	int ret = 0;
	if (in_card(&s->t->title_card, n, s->fps_num, s->fps_den, &p)) {
		copy_image(s->title, s->frame);
		/* In and out over a quarter of the card, at most a second. */
		double len = s->t->title_card.duration, fade = fmin(1.0, len / 4);
		double at = p * len;
		film_fade(s->frame, fmin(1.0, fmin(at / fade, (len - at) / fade)));
	} else if (in_card(&s->t->credits, n, s->fps_num, s->fps_den, &p)) {
		film_credits_roll_draw(s->roll, p, s->frame);
	} else {
		ret = draw_clip(s, n);
	}
	if (ret < 0)
		return ret;
	if (s->burner)
		film_burner_draw(s->burner, s->frame, (double)n * s->fps_den / s->fps_num);
	film_overlay_draw(&s->label, s->frame);
	return 0;
}

static void scene_release(struct scene *s)
{
	reader_close(&s->reader, NULL);
	kept_release(&s->kept);
	film_burner_free(s->burner);
	film_overlay_release(&s->label);
	media_image_free(s->frame);
	media_image_free(s->title);
	media_image_free(s->roll);
	free(s->spans);
}

/* Frames drawn (and encoded) in one step of the pipeline: a few, so that the
 * two stages meet seldom and even out over them. */
#define STEP_FRAMES 4

/* One step of the frame pipeline: frames draw_n.. are drawn into one set of
 * buffers while the frames before, drawn the step before into the other set,
 * are encoded with their sound.  Each stage runs in frame order, so the bytes
 * do not depend on the threads. */
struct step {
	struct scene *s;
	media_encoder *e;
	const media_audio *mix;
	int64_t frames;                       /* in the film */
	int64_t draw_n;                       /* the first frame to draw; a multiple of STEP_FRAMES */
	media_image *into[STEP_FRAMES];       /* where frames draw_n.. go */
	media_image *drawn[STEP_FRAMES];      /* frames draw_n - STEP_FRAMES.. */
	int draw_ret, encode_ret;
	char *draw_err, *encode_err;          /* their messages: errors are per thread */
};

static int draw_frames(struct step *st)
{
	struct scene *s = st->s;
	media_image *frame = s->frame;
	int ret = 0;
	for (int i = 0; i < STEP_FRAMES && st->draw_n + i < st->frames && ret == 0; i++) {
		s->frame = st->into[i];
		ret = draw(s, st->draw_n + i);
	}
	s->frame = frame;
	return ret;
}

static int encode_frames(struct step *st)
{
	const struct scene *s = st->s;
	int ret = 0;
	for (int i = 0; i < STEP_FRAMES && ret == 0; i++) {
		int64_t n = st->draw_n - STEP_FRAMES + i;
		if (n >= st->frames)
			break;
		size_t a = film_mix_frames(n, s->fps_num, s->fps_den, FILM_RENDER_RATE);
		size_t b = film_mix_frames(n + 1, s->fps_num, s->fps_den, FILM_RENDER_RATE);
		ret = media_encoder_write_video(st->e, st->drawn[i]);
		if (ret == 0 && b > a)
			ret = media_encoder_write_audio(st->e, st->mix->samples + a * 2, b - a);
	}
	return ret;
}

static void step_task(void *ctx, int task, int thread)
{
	(void)thread;
	struct step *st = ctx;
	if (task == 0) {
		if ((st->draw_ret = draw_frames(st)) < 0)
			st->draw_err = bj_xstrdup(bj_error_message());
	} else if (st->draw_n > 0) {
		if ((st->encode_ret = encode_frames(st)) < 0)
			st->encode_err = bj_xstrdup(bj_error_message());
	}
}

/* The first error of a step, set again on the calling thread. */
static int step_result(struct step *st)
{
	int ret = 0;
	if (st->draw_ret < 0)
		ret = bj_error_set(st->draw_ret, "%s", st->draw_err);
	else if (st->encode_ret < 0)
		ret = bj_error_set(st->encode_ret, "%s", st->encode_err);
	free(st->draw_err);
	free(st->encode_err);
	st->draw_err = st->encode_err = NULL;
	return ret;
}

static int write_film(struct scene *s, const media_audio *mix, film_render_report *rep)
{
	const film_render_opts *o = s->o;
	char *comment = bj_xasprintf("AI-generated film: %s", FILM_CREDIT_LINE);
	const char *tags[] = { "title", s->t->title, "artist", "benjamin", "comment", comment, NULL };
	media_encoder_opts eo = media_encoder_defaults(s->frame->width, s->frame->height, s->fps_num,
	                                               s->fps_den);
	eo.audio_rate = FILM_RENDER_RATE;
	eo.audio_channels = 2;
	eo.threads = o->threads;
	eo.preset = o->preset;
	eo.crf = o->crf;
	eo.tags = tags;
	media_encoder *e;
	int ret = media_encoder_open(o->output, &eo, &e);
	free(comment);
	if (ret < 0)
		return ret;
	/* Drawing (decoding, scaling, subtitles) on one thread while the other
	 * converts and hands the frames before to x264: two sets of buffers. */
	bj_pool *pool = bj_pool_new(o->threads < 2 ? 1 : 2);
	media_image *buf[2][STEP_FRAMES] = { { 0 } };
	for (int k = 0; k < 2 * STEP_FRAMES && ret == 0; k++)
		if (!(buf[k / STEP_FRAMES][k % STEP_FRAMES] =
		              media_image_new(s->frame->width, s->frame->height, 3)))
			ret = bj_error_code();
	if (!pool && ret == 0)
		ret = bj_error_code();
	bj_progress *prog = ret == 0 ? bj_progress_new("render", (uint64_t)rep->frames, "frames") : NULL;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct step st = { .s = s, .e = e, .mix = mix, .frames = rep->frames };
	for (int k = 0; ret == 0 && st.draw_n < rep->frames + STEP_FRAMES; k ^= 1) {
		memcpy(st.into, buf[k], sizeof st.into);
		memcpy(st.drawn, buf[!k], sizeof st.drawn);
		bj_pool_run(pool, 2, step_task, &st);
		ret = step_result(&st);
		st.draw_n += STEP_FRAMES;
		int64_t done = st.draw_n - STEP_FRAMES;   /* frames encoded */
		if (done > 0)
			bj_progress_set(prog, (uint64_t)(done < rep->frames ? done : rep->frames), NULL);
	}
	if (ret == 0)
		ret = media_encoder_finish(e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rep->render_seconds = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
	if (prog)
		bj_progress_finish(prog);
	for (int k = 0; k < 2 * STEP_FRAMES; k++)
		media_image_free(buf[k / STEP_FRAMES][k % STEP_FRAMES]);
	bj_pool_free(pool);
	media_encoder_close(e);
	return ret;
}

static int write_sides(const film_timeline *t, const film_subtitles *subs, const char *output,
                       int fps_num, int fps_den)
{
	char *srt = film_render_sibling(output, ".srt");
	char *edl = film_render_sibling(output, ".edl");
	char *otio = film_render_sibling(output, ".otio");
	remove_stale(srt);
	remove_stale(edl);
	remove_stale(otio);
	int ret = film_subtitles_save_srt(subs, srt);
	if (ret == 0)
		ret = film_edl_save(t, fps_num, fps_den, edl);
	if (ret == 0)
		ret = film_otio_save(t, fps_num, fps_den, otio);
	free(srt);
	free(edl);
	free(otio);
	return ret;
}

int film_render(film_timeline *t, const film_render_opts *o, film_render_report *rep)
{
	film_render_report r = { 0 };
	struct scene s = { .t = t, .o = o };
	film_subtitles subs = { 0 };
	media_audio mix = { 0 };
	int ret;
	if ((ret = film_timeline_measure(t)) < 0)
		goto out;
	r.width = o->width ? o->width : t->width;
	r.height = o->height ? o->height : t->height;
	r.fps_num = o->fps_num ? o->fps_num : t->fps_num;
	r.fps_den = o->fps_num ? o->fps_den : t->fps_den;
	if (!r.width || !r.fps_num) {
		int w, h, num, den;
		if ((ret = film_render_choose_format(t, &w, &h, &num, &den)) < 0)
			goto out;
		if (!r.width) {
			r.width = w;
			r.height = h;
		}
		if (!r.fps_num) {
			r.fps_num = num;
			r.fps_den = den;
		}
	}
	s.fps_num = r.fps_num;
	s.fps_den = r.fps_den;
	r.seconds = film_timeline_duration(t);
	r.frames = film_frames(r.seconds, r.fps_num, r.fps_den);
	if (r.frames < 1)
		r.frames = 1;

	film_subtitles_build(t, &subs);
	r.cues = subs.n;
	if ((ret = film_mix_build(t, r.fps_num, r.fps_den, FILM_RENDER_RATE, &mix)) < 0)
		goto out;
	film_mix_normalise(&mix, FILM_RENDER_LUFS, FILM_RENDER_TRUE_PEAK, &r.loudness);
	/* The mix covers the film's frames exactly; a film of one frame may want more. */
	size_t need = film_mix_frames(r.frames, r.fps_num, r.fps_den, FILM_RENDER_RATE);
	if (mix.frames < need) {
		media_audio_reserve(&mix, need - mix.frames);
		memset(mix.samples + mix.frames * 2, 0, (need - mix.frames) * 2 * sizeof(float));
		mix.frames = need;
	}

	s.spans = bj_xcalloc(t->n_clips, sizeof *s.spans);
	film_timeline_spans(t, r.fps_num, r.fps_den, s.spans);
	s.frame = media_image_new(r.width, r.height, 3);
	if (!s.frame) {
		ret = bj_error_code();
		goto out;
	}
	if (t->title_card.present) {
		s.title = media_image_new(r.width, r.height, 3);
		BJ_ASSERT(s.title);
		film_title_draw(t->title_card.text ? t->title_card.text : t->title, s.title);
	}
	if (t->credits.present) {
		film_credits c;
		film_credits_of(t, &c);
		s.roll = film_credits_roll_new(&c, r.width, r.height);
		film_credits_release(&c);
	}
	film_label_new(FILM_LABEL, r.width, r.height, &s.label);
	if (o->burn_subtitles && !(s.burner = film_burner_new(&subs, r.width, r.height))) {
		ret = bj_error_code();
		goto out;
	}
	remove_stale(o->output);
	if ((ret = write_film(&s, &mix, &r)) < 0)
		goto out;
	ret = write_sides(t, &subs, o->output, r.fps_num, r.fps_den);
out:
	scene_release(&s);
	film_subtitles_release(&subs);
	media_audio_release(&mix);
	if (rep)
		*rep = r;
	return ret;
}
