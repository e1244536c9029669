#include "library/ingest.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/error.h"
#include "library/hash.h"
#include "library/internal.h"
#include "library/look.h"
#include "library/profile.h"
#include "library/samples.h"
#include "library/sound.h"
#include "media/decoder.h"
#include "media/imagefile.h"
#include "vision/shots.h"

#define THUMB_WIDTH 320   /* keyframes are stored at this size */
#define SLOTS 8           /* frames in flight between the decoding and analysing threads */
#define BATCH 4           /* the analysing thread wakes for this many frames at once */
#define THUMB_QUALITY 85
#define MAX_CANDIDATES 64 /* keyframe candidates held in one open shot before every other is dropped */

/* ---- the decoding thread ----------------------------------------------------- */

struct slot {
	media_image *img;         /* the analysis size */
	media_image *thumb;       /* the keyframe size, for candidates (the analysing
	                             thread takes it and leaves a free one or NULL) */
	int is_candidate;         /* thumb holds this frame */
	int64_t index;
	double time;
};

struct pipe {
	media_decoder *dec;
	const char *path;
	int thumb_w, thumb_h;
	int thumb_every;          /* frames between keyframe candidates */
	struct slot slots[SLOTS];
	int head, count;          /* ring of filled slots */
	int done;                 /* the producer has finished */
	int stop;                 /* the consumer asks the producer to stop */
	int producer_waits, consumer_waits;  /* who sleeps on cv */
	int status;               /* 0, or the decode error */
	char message[512];        /* its message (errors are per thread) */
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

/* The keyframe size: THUMB_WIDTH wide (or the picture's own width if smaller),
 * the height keeping the display aspect (sample aspect sar applied). */
static void thumb_size(int W, int H, double sar, int *w, int *h)
{
	double dw = W * sar;
	*w = W < THUMB_WIDTH ? W : THUMB_WIDTH;
	*h = (int)lround(H * (*w / dw));
	if (*h < 1)
		*h = 1;
	if (*h > H)
		*h = H;
}

static void *producer(void *arg)
{
	struct pipe *p = arg;
	const media_frame *f;
	int ret;
	while ((ret = media_decoder_read(p->dec, &f)) > 0) {
		pthread_mutex_lock(&p->mu);
		while (p->count == SLOTS && !p->stop) {
			p->producer_waits = 1;
			pthread_cond_wait(&p->cv, &p->mu);
		}
		p->producer_waits = 0;
		if (p->stop) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		struct slot *s = &p->slots[(p->head + p->count) % SLOTS];
		pthread_mutex_unlock(&p->mu);
		/* The slot is ours until count says otherwise. */
		int w = f->image.width, h = f->image.height;
		if (!s->img || s->img->width != w || s->img->height != h) {
			media_image_free(s->img);
			s->img = media_image_new(w, h, 3);
		}
		s->is_candidate = f->index % p->thumb_every == 0;
		if (s->is_candidate && !s->thumb)
			s->thumb = media_image_new(p->thumb_w, p->thumb_h, 3);
		if (!s->img || (s->is_candidate && !s->thumb)) {
			ret = bj_error_code();
			break;
		}
		for (int y = 0; y < h; y++)
			memcpy(s->img->data + (size_t)y * s->img->stride, f->image.data + (size_t)y * f->image.stride,
			       (size_t)w * 3);
		if (s->is_candidate && (ret = media_decoder_picture(p->dec, s->thumb)) < 0)
			break;
		s->index = f->index;
		s->time = f->time;
		pthread_mutex_lock(&p->mu);
		p->count++;
		/* waking the other thread per frame cost more than the box filter */
		if (p->consumer_waits && p->count >= BATCH)
			pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
	int status = ret < 0 ? ret : 0;
	char message[512] = "";
	if (status < 0)
		snprintf(message, sizeof(message), "%s", bj_error_message());
	pthread_mutex_lock(&p->mu);
	p->status = status;
	memcpy(p->message, message, sizeof(message));
	p->done = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* ---- the sound thread ---------------------------------------------------------- */

/* The soundtrack streams through its own decoder beside the pictures (a third
 * thread: the audio is a few per cent of the work, and waiting for it after the
 * last frame left a core idle).  A damaged soundtrack leaves the film without
 * sound figures, as one without audio. */
struct sound_job {
	const char *path;
	library_sound *sound;
};

static void *sound_thread(void *arg)
{
	struct sound_job *j = arg;
	if (library_sound_load(j->path, &j->sound) < 0)
		j->sound = NULL;
	return NULL;
}

/* ---- the analysing thread -------------------------------------------------- */

struct record {
	double time;
	library_frame_look look;
};

/* A keyframe candidate, kept as pixels: only the one chosen for a shot is
 * encoded (encoding every candidate cost more than choosing). */
struct candidate {
	int64_t frame;
	media_image *img;
};

struct shot_out {
	library_shot shot;
	double mid_time;          /* the time of its middle frame */
	uint8_t *jpeg;            /* NULL until a keyframe is found */
	size_t size;
	uint8_t *profile;         /* (frames) motion per frame, library/profile.h */
};

struct film_state {
	double fps;
	int64_t first;              /* frame index of records[0] */
	struct record *records;     /* frames not yet summarised */
	size_t n_records, cap_records;
	struct candidate *cands;    /* keyframe candidates not yet used, in order */
	size_t n_cands, cap_cands;
	media_image **pool;         /* candidate images free for reuse */
	size_t n_pool, cap_pool;
	size_t n_final;             /* transitions already summarised */
	int64_t shot_start;         /* first frame of the shot being built */
	const char *shot_how;       /* how it began */
	struct shot_out *shots;
	size_t n_shots, cap_shots;
};

static void release_image(struct film_state *st, media_image *img)
{
	BJ_GROW(st->pool, st->cap_pool, st->n_pool + 1);
	st->pool[st->n_pool++] = img;
}

/* A free candidate image for a slot, or NULL (the decoding thread makes one). */
static media_image *take_image(struct film_state *st)
{
	return st->n_pool ? st->pool[--st->n_pool] : NULL;
}

static void drop_before(struct film_state *st, int64_t frame)
{
	if (frame > st->first + (int64_t)st->n_records)
		frame = st->first + (int64_t)st->n_records;
	if (frame > st->first) {
		size_t k = (size_t)(frame - st->first);
		memmove(st->records, st->records + k, (st->n_records - k) * sizeof(*st->records));
		st->n_records -= k;
		st->first = frame;
	}
	size_t k = 0;
	for (size_t i = 0; i < st->n_cands; i++) {
		if (st->cands[i].frame < frame)
			release_image(st, st->cands[i].img);
		else
			st->cands[k++] = st->cands[i];
	}
	st->n_cands = k;
}

/* Keeps the candidate img of frame (taken from its slot).  A long shot holds at
 * most MAX_CANDIDATES: beyond, every other is dropped, so the one nearest its
 * middle is still within 1/MAX_CANDIDATES of the shot's length. */
static void add_candidate(struct film_state *st, int64_t frame, media_image *img)
{
	if (st->n_cands == MAX_CANDIDATES) {
		size_t k = 0;
		for (size_t i = 0; i < st->n_cands; i++) {
			if (i % 2)
				release_image(st, st->cands[i].img);
			else
				st->cands[k++] = st->cands[i];
		}
		st->n_cands = k;
	}
	BJ_GROW(st->cands, st->cap_cands, st->n_cands + 1);
	st->cands[st->n_cands++] = (struct candidate){ frame, img };
}

/* Summarises frames [a, b] as one shot. */
static void make_shot(struct film_state *st, int64_t a, int64_t b, const char *how)
{
	if (b < a || a < st->first || b >= st->first + (int64_t)st->n_records)
		return;
	struct shot_out o;
	memset(&o, 0, sizeof(o));
	o.shot.number = (int)st->n_shots + 1;
	o.shot.start_frame = a;
	o.shot.end_frame = b;
	o.shot.start = st->records[a - st->first].time;
	o.shot.end = st->records[b - st->first].time + 1.0 / st->fps;
	o.shot.keyframe = (a + b) / 2;
	o.mid_time = st->records[o.shot.keyframe - st->first].time;
	snprintf(o.shot.transition_in, sizeof(o.shot.transition_in), "%s", how);
	int n = (int)(b - a + 1);
	library_frame_look *looks = bj_xmalloc((size_t)n * sizeof(*looks));
	for (int i = 0; i < n; i++)
		looks[i] = st->records[a - st->first + i].look;
	library_look_shot(looks, n, st->fps, &o.shot);
	/* the first frame's difference is the cut into the shot, not motion in it */
	float *motion = bj_xmalloc((size_t)n * sizeof(*motion));
	for (int i = 0; i < n; i++)
		motion[i] = looks[i == 0 && n > 1 ? 1 : i].motion;
	o.profile = bj_xmalloc((size_t)n);
	library_profile_encode(motion, (size_t)n, o.profile);
	free(motion);
	free(looks);
	/* The keyframe: the candidate nearest the middle.  A shot shorter than the
	 * candidates' spacing may have none: keyframe_by_seeking() finds its middle
	 * frame after the pass. */
	int64_t mid = o.shot.keyframe;
	int best = -1;
	for (size_t i = 0; i < st->n_cands; i++) {
		int64_t f = st->cands[i].frame;
		if (f >= a && f <= b && (best < 0 || llabs(f - mid) < llabs(st->cands[best].frame - mid)))
			best = (int)i;
	}
	if (best >= 0) {
		o.shot.keyframe = st->cands[best].frame;
		o.jpeg = media_image_encode_jpeg(st->cands[best].img, THUMB_QUALITY, &o.size);
	}
	BJ_GROW(st->shots, st->cap_shots, st->n_shots + 1);
	st->shots[st->n_shots++] = o;
}

/* Summarises the shots whose closing transition is final. */
static void settle(struct film_state *st, vision_shots *det, int finished)
{
	size_t n;
	const vision_transition *t = vision_shots_transitions(det, &n);
	int64_t settled = vision_shots_settled(det);
	while (st->n_final < n && (finished || t[st->n_final].end + 3 < settled)) {
		const vision_transition *tr = &t[st->n_final];
		make_shot(st, st->shot_start, tr->start - 1, st->shot_how);
		st->shot_start = tr->end;
		st->shot_how = tr->type == VISION_CUT ? "cut" : "gradual";
		st->n_final++;
		drop_before(st, st->shot_start);
	}
}

static void film_state_release(struct film_state *st)
{
	free(st->records);
	for (size_t i = 0; i < st->n_cands; i++)
		media_image_free(st->cands[i].img);
	free(st->cands);
	for (size_t i = 0; i < st->n_pool; i++)
		media_image_free(st->pool[i]);
	free(st->pool);
	for (size_t i = 0; i < st->n_shots; i++) {
		free(st->shots[i].jpeg);
		free(st->shots[i].profile);
	}
	free(st->shots);
}

/* Keyframes for the shots that had no candidate (shorter than the candidates'
 * spacing, such as a last shot of a few frames): their middle frame, found again
 * after the pass by seeking (or reading on, when it is near).  The pass has
 * decoded these frames once; should one fail now, its shot is left without a
 * thumbnail rather than the film without an index. */
static void keyframes_by_seeking(media_decoder *dec, struct film_state *st, int tw, int th)
{
	media_image *img = NULL;
	double at = -1;   /* time of the frame last read, -1 before any */
	int ret = 0;
	for (size_t i = 0; i < st->n_shots && ret >= 0; i++) {
		struct shot_out *o = &st->shots[i];
		if (o->jpeg)
			continue;
		if (!img && !(img = media_image_new(tw, th, 3)))
			return;
		/* reading on from the last found costs less than seeking back up to a
		 * key frame when the next is within a few seconds */
		if ((at < 0 || o->mid_time < at || o->mid_time - at > 5.0) &&
		    (ret = media_decoder_seek(dec, o->mid_time - 0.5 / st->fps)) < 0)
			break;
		const media_frame *f;
		while ((ret = media_decoder_read(dec, &f)) > 0 && f->time < o->mid_time - 0.5 / st->fps)
			;
		if (ret <= 0)
			break;
		at = f->time;
		if ((ret = media_decoder_picture(dec, img)) == 0)
			o->jpeg = media_image_encode_jpeg(img, THUMB_QUALITY, &o->size);
	}
	media_image_free(img);
}

/* ---- writing ------------------------------------------------------------------ */

static int write_film(library *lib, const char *path, const char *hash, const media_info *info,
                      double fps, int64_t frames, int has_audio, struct film_state *st,
                      library_faces *faces, int64_t *film_id)
{
	const media_stream_info *v = &info->streams[info->video];
	sqlite3_stmt *ins = NULL, *shot = NULL;
	int ret = library_exec(lib, "BEGIN IMMEDIATE");
	if (ret < 0)
		return ret;
	/* a changed file at a path already indexed replaces that film */
	sqlite3_stmt *del;
	if ((ret = library_prepare(lib, "DELETE FROM films WHERE path = ?", &del)) < 0)
		goto fail;
	sqlite3_bind_text(del, 1, path, -1, SQLITE_STATIC);
	int rc = sqlite3_step(del);
	sqlite3_finalize(del);
	if (rc != SQLITE_DONE) {
		ret = library_sqlite_error(lib, "cannot write library");
		goto fail;
	}
	if ((ret = library_prepare(lib,
	                           "INSERT INTO films (path, hash, size, duration, fps, width, height, frames, has_audio)"
	                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &ins)) < 0)
		goto fail;
	sqlite3_bind_text(ins, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 3, info->file_size);
	double duration = frames > 0 ? (double)frames / fps : info->duration;
	if (st->n_shots > 0)
		duration = st->shots[st->n_shots - 1].shot.end;
	sqlite3_bind_double(ins, 4, duration);
	sqlite3_bind_double(ins, 5, fps);
	sqlite3_bind_int(ins, 6, v->width);
	sqlite3_bind_int(ins, 7, v->height);
	sqlite3_bind_int64(ins, 8, frames);
	sqlite3_bind_int(ins, 9, has_audio);
	if (sqlite3_step(ins) != SQLITE_DONE) {
		ret = library_sqlite_error(lib, "cannot write library");
		goto fail;
	}
	*film_id = sqlite3_last_insert_rowid(lib->db);
	if ((ret = library_prepare(lib,
	                           "INSERT INTO shots (film_id, number, start_frame, end_frame, start_s, end_s,"
	                           " thumbnail, transition_in, brightness, contrast, colourfulness, bw, colours,"
	                           " motion, camera_motion, loudness, speech, daynight, place, keyframe, motion_profile)"
	                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &shot)) < 0)
		goto fail;
	for (size_t i = 0; i < st->n_shots; i++) {
		const library_shot *s = &st->shots[i].shot;
		char colours[128] = "";
		size_t len = 0;
		for (int k = 0; k < LIBRARY_COLOURS && s->colour_share[k] > 0; k++)
			len += (size_t)snprintf(colours + len, sizeof(colours) - len, "%s#%06x %.3f", k ? "," : "",
			                        s->colours[k], s->colour_share[k]);
		sqlite3_reset(shot);
		sqlite3_bind_int64(shot, 1, *film_id);
		sqlite3_bind_int(shot, 2, s->number);
		sqlite3_bind_int64(shot, 3, s->start_frame);
		sqlite3_bind_int64(shot, 4, s->end_frame);
		sqlite3_bind_double(shot, 5, s->start);
		sqlite3_bind_double(shot, 6, s->end);
		if (st->shots[i].jpeg)
			sqlite3_bind_blob(shot, 7, st->shots[i].jpeg, (int)st->shots[i].size, SQLITE_STATIC);
		else
			sqlite3_bind_null(shot, 7);
		sqlite3_bind_text(shot, 8, s->transition_in, -1, SQLITE_STATIC);
		sqlite3_bind_double(shot, 9, s->brightness);
		sqlite3_bind_double(shot, 10, s->contrast);
		sqlite3_bind_double(shot, 11, s->colourfulness);
		sqlite3_bind_int(shot, 12, s->bw);
		sqlite3_bind_text(shot, 13, colours, -1, SQLITE_TRANSIENT);
		sqlite3_bind_double(shot, 14, s->motion);
		sqlite3_bind_double(shot, 15, s->camera_motion);
		if (has_audio) {
			sqlite3_bind_double(shot, 16, s->loudness);
			sqlite3_bind_double(shot, 17, s->speech);
		} else {
			sqlite3_bind_null(shot, 16);
			sqlite3_bind_null(shot, 17);
		}
		sqlite3_bind_text(shot, 18, s->daynight, -1, SQLITE_STATIC);
		sqlite3_bind_text(shot, 19, s->place, -1, SQLITE_STATIC);
		sqlite3_bind_int64(shot, 20, s->keyframe);
		sqlite3_bind_blob(shot, 21, st->shots[i].profile, (int)(s->end_frame - s->start_frame + 1),
		                  SQLITE_STATIC);
		if (sqlite3_step(shot) != SQLITE_DONE) {
			ret = library_sqlite_error(lib, "cannot write library");
			goto fail;
		}
	}
	if (faces && (ret = library_faces_write(faces, lib, *film_id, v->width, v->height)) < 0)
		goto fail;
	sqlite3_finalize(ins);
	sqlite3_finalize(shot);
	return library_exec(lib, "COMMIT");
fail:
	sqlite3_finalize(ins);
	sqlite3_finalize(shot);
	sqlite3_exec(lib->db, "ROLLBACK", NULL, NULL, NULL);
	return ret;
}

/* ---- one file ------------------------------------------------------------------ */

static int lookup_hash(library *lib, const char *hash, int64_t *id)
{
	sqlite3_stmt *st;
	int ret = library_prepare(lib, "SELECT id FROM films WHERE hash = ?", &st);
	if (ret < 0)
		return ret;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*id = 0;
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_DONE)
		ret = library_sqlite_error(lib, "cannot read library");
	sqlite3_finalize(st);
	return ret;
}

static int skipped(library_index_report *r, enum library_index_status status)
{
	r->status = status;
	snprintf(r->message, sizeof(r->message), "%s", bj_error_message());
	return 0;
}

/* Whether the decoder's video is a still picture (JPEG, PNG ...), not a film. */
static int is_still(const media_info *info)
{
	const media_stream_info *v = &info->streams[info->video];
	return strstr(info->format, "image2") || strstr(info->format, "_pipe") ||
	       (v->frames <= 1 && info->duration <= 0.05);
}

/* A still (a photograph, a poster) is indexed as a film of one shot,
 * LIBRARY_STILL_SECONDS long at 25 frames a second, without motion or sound:
 * the director may cut to it like any shot, and the renderer animates it with
 * a pan and zoom (film/render.c). */
static int index_still(library *lib, const char *path, const char *hash, media_decoder *dec,
                       const library_index_options *opts, library_index_report *r)
{
	const media_info *info = media_decoder_info(dec);
	const media_stream_info *v = &info->streams[info->video];
	if (v->width < 32 || v->height < 32) {
		bj_error_set(BJ_EUNSUPPORTED, "'%s': picture of %dx%d is too small to index", path,
		             v->width, v->height);
		return skipped(r, LIBRARY_SKIPPED);
	}
	double sar = v->sar_num > 0 && v->sar_den > 0 ? (double)v->sar_num / v->sar_den : 1.0;
	int tw, th;
	thumb_size(v->width, v->height, sar, &tw, &th);
	const media_frame *f;
	int got = media_decoder_set_output(dec, tw, th, 3);
	if (got == 0)
		got = media_decoder_read(dec, &f);
	if (got <= 0) {
		if (got == 0)
			bj_error_set(BJ_EFORMAT, "'%s': no picture could be decoded", path);
		return skipped(r, LIBRARY_DAMAGED);
	}
	const double fps = 25.0;
	struct film_state st;
	memset(&st, 0, sizeof(st));
	st.fps = fps;
	struct shot_out o;
	memset(&o, 0, sizeof(o));
	o.shot.number = 1;
	o.shot.end_frame = (int64_t)(LIBRARY_STILL_SECONDS * fps) - 1;
	o.shot.end = LIBRARY_STILL_SECONDS;
	snprintf(o.shot.transition_in, sizeof(o.shot.transition_in), "start");
	library_look *lk = library_look_new();
	library_frame_look look;
	library_look_frame(lk, &f->image, &look);
	library_look_free(lk);
	library_look_shot(&look, 1, fps, &o.shot);
	int ret = 0;
	if (opts->faces && library_faces_frame(opts->faces, 0, 0.0, &f->image) < 0)
		ret = bj_error_prefix("'%s'", path);
	if (ret == 0 && !(o.jpeg = media_image_encode_jpeg(&f->image, THUMB_QUALITY, &o.size)))
		ret = bj_error_code();
	if (ret < 0) {
		free(o.jpeg);
		return skipped(r, LIBRARY_DAMAGED);
	}
	st.shots = &o;
	st.n_shots = 1;
	ret = write_film(lib, path, hash, info, fps, o.shot.end_frame + 1, 0, &st, opts->faces,
	                 &r->film_id);
	free(o.jpeg);
	if (ret == 0) {
		r->status = LIBRARY_INDEXED;
		r->shots = 1;
		r->frames = 1;
		r->duration = LIBRARY_STILL_SECONDS;
		if (opts->faces)
			library_faces_counts(opts->faces, &r->faces, &r->tracks);
	}
	return ret;
}

int library_index_file(library *lib, const char *path, const library_index_options *opts,
                       library_index_report *r)
{
	static const library_index_options no_options;
	if (!opts)
		opts = &no_options;
	memset(r, 0, sizeof(*r));
	char hash[LIBRARY_HASH_LEN + 1];
	if (library_hash_file(path, hash) < 0)
		return skipped(r, LIBRARY_SKIPPED);
	int64_t id;
	int ret = lookup_hash(lib, hash, &id);
	if (ret < 0)
		return ret;
	if (id) {
		r->status = LIBRARY_UNCHANGED;
		r->film_id = id;
		return 0;
	}
	if (opts->faces)
		library_faces_reset(opts->faces);
	media_decoder *dec;
	if (media_decoder_open(path, &dec) < 0)
		return skipped(r, LIBRARY_SKIPPED);
	const media_info *info = media_decoder_info(dec);
	if (info->video < 0) {
		bj_error_set(BJ_EUNSUPPORTED, "'%s': no video stream", path);
		media_decoder_close(dec);
		return skipped(r, LIBRARY_SKIPPED);
	}
	if (is_still(info)) {
		ret = index_still(lib, path, hash, dec, opts, r);
		media_decoder_close(dec);
		return ret;
	}
	const media_stream_info *v = &info->streams[info->video];
	double fps = v->fps_num > 0 && v->fps_den > 0 ? (double)v->fps_num / v->fps_den : 25.0;
	/* Analysis frames at a quarter of the keyframe size (80 pixels wide), shrunk
	 * by the decoder's fast area average straight from the YUV planes; keyframe
	 * candidates are converted again at their own size.  Shot detection scores
	 * the same at 80 as at 160 pixels wide on ../shared/data/eval/shots (and the
	 * held-out cuts), for a quarter of the work: at 160 wide the descriptor and
	 * the look cost more than the decode itself. */
	double sar = v->sar_num > 0 && v->sar_den > 0 ? (double)v->sar_num / v->sar_den : 1.0;
	int tw, tht;
	thumb_size(v->width, v->height, sar, &tw, &tht);
	media_decoder_set_fast(dec, 1);
	/* Skipping the deblocking filter changes no shot, but the blockier
	 * pictures cost the face cascade a third of a talking head's faces
	 * (tests/library/test_faces.c): only without faces. */
	media_decoder_set_rough(dec, opts->faces == NULL);
	if (media_decoder_set_output(dec, tw / 4 > 16 ? tw / 4 : 16, tht / 4 > 16 ? tht / 4 : 16, 3) < 0) {
		media_decoder_close(dec);
		return skipped(r, LIBRARY_DAMAGED);
	}

	struct pipe p;
	memset(&p, 0, sizeof(p));
	p.dec = dec;
	p.path = path;
	p.thumb_w = tw;
	p.thumb_h = tht;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	struct film_state st;
	memset(&st, 0, sizeof(st));
	st.fps = fps;
	p.thumb_every = library_sample_every(fps);
	st.shot_how = "start";
	vision_shots *det = vision_shots_new(fps);
	library_look *lk = library_look_new();
	int64_t frames = 0;
	int failed = 0;   /* 1: the file is damaged; <0: a library error */
	library_index_progress prog = { path, 0, v->frames, 0, info->duration };
	struct sound_job sj = { path, NULL };
	pthread_t th, sth;
	int sound_started = info->audio >= 0 && pthread_create(&sth, NULL, sound_thread, &sj) == 0;
	if (pthread_create(&th, NULL, producer, &p) != 0) {
		if (sound_started) {
			pthread_join(sth, NULL);
			library_sound_free(sj.sound);
		}
		ret = bj_error_set(BJ_ENOMEM, "cannot start a decoding thread");
		vision_shots_free(det);
		library_look_free(lk);
		media_decoder_close(dec);
		pthread_mutex_destroy(&p.mu);
		pthread_cond_destroy(&p.cv);
		return ret;
	}
	for (;;) {
		pthread_mutex_lock(&p.mu);
		while (p.count < BATCH && !p.done) {
			p.consumer_waits = 1;
			pthread_cond_wait(&p.cv, &p.mu);
		}
		p.consumer_waits = 0;
		if (p.count == 0 && p.done) {
			pthread_mutex_unlock(&p.mu);
			break;
		}
		struct slot *s = &p.slots[p.head];
		pthread_mutex_unlock(&p.mu);

		const media_image *small = s->img;
		if (frames == 0) {
			if (v->width < 32 || v->height < 32) {
				bj_error_set(BJ_EUNSUPPORTED, "'%s': picture of %dx%d is too small to index", path,
				             v->width, v->height);
				failed = 1;
			}
		}
		if (!failed) {
			if (vision_shots_push(det, small) < 0) {
				bj_error_prefix("'%s'", path);
				failed = 1;
			}
		}
		if (!failed) {
			BJ_GROW(st.records, st.cap_records, st.n_records + 1);
			struct record *rec = &st.records[st.n_records++];
			rec->time = s->time;
			library_look_frame(lk, small, &rec->look);
			if (s->is_candidate) {
				if (opts->sampled)
					opts->sampled(opts->sampled_ctx, frames, s->time, s->thumb);
				if (opts->faces && library_faces_frame(opts->faces, frames, s->time, s->thumb) < 0) {
					bj_error_prefix("'%s'", path);
					failed = 1;
				}
				add_candidate(&st, frames, s->thumb);
				s->thumb = take_image(&st);
			}
			frames++;
			settle(&st, det, 0);
			if (opts->progress && frames % 8 == 0) {
				prog.frames_done = frames;
				prog.seconds_done = s->time;
				opts->progress(opts->progress_ctx, &prog);
			}
		}
		pthread_mutex_lock(&p.mu);
		p.head = (p.head + 1) % SLOTS;
		p.count--;
		if (failed)
			p.stop = 1;
		if (p.producer_waits || failed)
			pthread_cond_broadcast(&p.cv);
		pthread_mutex_unlock(&p.mu);
		if (failed)
			break;
	}
	pthread_join(th, NULL);
	if (sound_started)
		pthread_join(sth, NULL);
	if (!failed && p.status < 0) {
		bj_error_set(p.status, "%s", p.message);
		failed = 1;
	}
	if (!failed && frames == 0) {
		bj_error_set(BJ_EFORMAT, "'%s': no frame could be decoded", path);
		failed = 1;
	}
	if (failed) {
		ret = skipped(r, LIBRARY_DAMAGED);
		goto out;
	}
	vision_shots_finish(det);
	settle(&st, det, 1);
	make_shot(&st, st.shot_start, frames - 1, st.shot_how);
	keyframes_by_seeking(dec, &st, tw, tht);
	int has_audio = sj.sound != NULL;
	for (size_t i = 0; i < st.n_shots && sj.sound; i++)
		library_sound_measure(sj.sound, st.shots[i].shot.start, st.shots[i].shot.end,
		                      &st.shots[i].shot.loudness, &st.shots[i].shot.speech);
	if (opts->progress) {
		prog.frames_done = frames;
		prog.frames_total = frames;
		prog.seconds_done = prog.duration;
		opts->progress(opts->progress_ctx, &prog);
	}
	ret = write_film(lib, path, hash, info, fps, frames, has_audio, &st, opts->faces, &r->film_id);
	if (ret == 0 && opts->faces)
		library_faces_counts(opts->faces, &r->faces, &r->tracks);
	if (ret == 0) {
		r->status = LIBRARY_INDEXED;
		r->shots = (int)st.n_shots;
		r->frames = frames;
		r->duration = st.n_shots ? st.shots[st.n_shots - 1].shot.end : 0;
	}
out:
	library_sound_free(sj.sound);
	for (int i = 0; i < SLOTS; i++) {
		media_image_free(p.slots[i].img);
		media_image_free(p.slots[i].thumb);
	}
	film_state_release(&st);
	vision_shots_free(det);
	library_look_free(lk);
	media_decoder_close(dec);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	return ret;
}

/* ---- walking folders -------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct list {
	char **v;
	size_t n, cap;
};

static int walk(const char *path, struct list *l, int top)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		if (top)
			return bj_error_set_errno(errno, "'%s'", path);
		return 0;   /* a dangling link inside a folder: nothing to index */
	}
	if (!S_ISDIR(st.st_mode)) {
		if (S_ISREG(st.st_mode) || top) {
			BJ_GROW(l->v, l->cap, l->n + 1);
			l->v[l->n++] = bj_xstrdup(path);
		}
		return 0;
	}
	DIR *d = opendir(path);
	if (!d)
		return bj_error_set_errno(errno, "'%s': cannot read folder", path);
	struct list names = { 0 };
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		BJ_GROW(names.v, names.cap, names.n + 1);
		size_t len = strlen(path);
		names.v[names.n++] = bj_xasprintf("%s%s%s", path, len && path[len - 1] == '/' ? "" : "/", e->d_name);
	}
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(char *), cmp_str);
	int ret = 0;
	for (size_t i = 0; i < names.n && ret == 0; i++)
		ret = walk(names.v[i], l, 0);
	library_files_free(names.v, names.n);
	return ret;
}

int library_collect_files(char *const *paths, size_t n_paths, char ***files, size_t *n)
{
	struct list l = { 0 };
	int ret = 0;
	for (size_t i = 0; i < n_paths && ret == 0; i++)
		ret = walk(paths[i], &l, 1);
	if (ret < 0) {
		library_files_free(l.v, l.n);
		*files = NULL;
		*n = 0;
		return ret;
	}
	*files = l.v;
	*n = l.n;
	return 0;
}

void library_files_free(char **files, size_t n)
{
	for (size_t i = 0; files && i < n; i++)
		free(files[i]);
	free(files);
}
