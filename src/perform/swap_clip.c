#include "perform/swap_clip.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "media/decoder.h"
#include "media/encoder.h"
#include "perform/swap_pipe.h"
#include "vision/shots.h"

#define SHOT_WIDTH 160   /* the frame width vision/shots.h was tuned at */

struct perform_shots_job {
	const char *path;
	pthread_t tid;
	int threaded;
	int live;          /* tells as it goes (on a thread of its own) */
	/* what the search has decided so far, guarded by mu; cv signals each
	 * step (threaded only) */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int64_t *starts;   /* the transitions' first frames, in order ... */
	size_t n, cap;
	int64_t known;     /* ... final for the frames before this */
	int done;          /* the search has ended (ret says how) */
	atomic_int stop;   /* perform_swap_shots_stop: end the search early */
	int ret;
	char message[512];   /* the error of a failed search, from its thread */
	size_t asked;        /* perform_swap_shots_due: starts[] below it passed */
};

/* The search's transitions so far into j (under its lock): which frames
 * below j->known start a shot is then final.  A transition ending (end + 2)
 * before vision_shots_settled is final, and any later one (new, or merged
 * from those not final) starts at or after both the settled frame and the
 * first start of those not final (vision/shots.h). */
static void publish(perform_shots_job *j, const vision_shots *shots, int done)
{
	size_t nt;
	const vision_transition *t = vision_shots_transitions(shots, &nt);
	int64_t known = done ? INT64_MAX : vision_shots_settled(shots);
	pthread_mutex_lock(&j->mu);
	if (nt > j->cap) {
		j->cap = nt;
		j->starts = bj_xrealloc(j->starts, nt * sizeof(*j->starts));
	}
	for (size_t i = 0; i < nt; i++) {
		/* a gradual transition's frames go with the new shot: the swap
		 * follows the face that is coming */
		j->starts[i] = t[i].start;
		if (!done && t[i].end + 2 >= known && t[i].start < known)
			known = t[i].start;
	}
	j->n = nt;
	j->known = known;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

/* The shot search, telling j as it goes. */
static int search(perform_shots_job *j)
{
	media_decoder *d;
	if (media_decoder_open(j->path, &d) < 0)
		return bj_error_code();
	const media_info *info = media_decoder_info(d);
	vision_shots *shots = NULL;
	int ret = 0;
	if (info->video < 0) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': no video stream", j->path);
		goto out;
	}
	const media_stream_info *v = &info->streams[info->video];
	if ((ret = media_decoder_set_output(d, SHOT_WIDTH, 0, 3)) < 0)
		goto out;
	shots = vision_shots_new(v->fps_num > 0 ? (double)v->fps_num / v->fps_den : 25);
	const media_frame *f;
	int64_t told = 0;
	while (!atomic_load_explicit(&j->stop, memory_order_relaxed) && (ret = media_decoder_read(d, &f)) > 0) {
		if ((ret = vision_shots_push(shots, &f->image)) < 0)
			goto out;
		/* now and then: each publication copies the transitions */
		if (j->live && vision_shots_settled(shots) >= told + 8) {
			publish(j, shots, 0);
			told = vision_shots_settled(shots);
		}
	}
	if (ret < 0)
		goto out;
	vision_shots_finish(shots);
	publish(j, shots, 1);
out:
	vision_shots_free(shots);
	media_decoder_close(d);
	return ret < 0 ? ret : 0;
}

static void *find_shots(void *arg)
{
	perform_shots_job *j = arg;
	int ret = search(j);
	pthread_mutex_lock(&j->mu);
	if ((j->ret = ret) < 0)
		snprintf(j->message, sizeof(j->message), "%s", bj_error_message());
	j->done = 1;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

static perform_shots_job *job_new(const char *path)
{
	perform_shots_job *j = bj_xcalloc(1, sizeof(*j));
	j->path = path;
	pthread_mutex_init(&j->mu, NULL);
	pthread_cond_init(&j->cv, NULL);
	return j;
}

static void job_free(perform_shots_job *j)
{
	pthread_cond_destroy(&j->cv);
	pthread_mutex_destroy(&j->mu);
	free(j->starts);
	free(j);
}

int perform_swap_shots(const char *path, int64_t **starts, size_t *n)
{
	perform_shots_job *j = job_new(path);
	find_shots(j);
	return perform_swap_shots_finish(j, starts, n);
}

perform_shots_job *perform_swap_shots_start(const char *path, int threads)
{
	perform_shots_job *j = job_new(path);
	j->live = threads >= 2;
	j->threaded = j->live && perform_pipe_thread(&j->tid, find_shots, j) == 0;
	return j;
}

int perform_swap_shots_due(perform_shots_job *j, int64_t frame)
{
	if (!j->threaded && !j->done)
		find_shots(j);
	pthread_mutex_lock(&j->mu);
	while (!j->done && frame >= j->known)
		pthread_cond_wait(&j->cv, &j->mu);
	int ret;
	if (frame < j->known) {
		while (j->asked < j->n && j->starts[j->asked] < frame)
			j->asked++;
		ret = j->asked < j->n && j->starts[j->asked] == frame;
	} else {
		/* the search failed before it got there */
		ret = j->ret < 0 ? j->ret : 0;
	}
	pthread_mutex_unlock(&j->mu);
	if (ret < 0)
		bj_error_set(ret, "%s", j->message);
	return ret;
}

void perform_swap_shots_stop(perform_shots_job *j)
{
	atomic_store_explicit(&j->stop, 1, memory_order_relaxed);
}

int perform_swap_shots_finish(perform_shots_job *j, int64_t **starts, size_t *n)
{
	if (j->threaded)
		pthread_join(j->tid, NULL);
	else if (!j->done)
		find_shots(j);
	int ret = j->ret < 0 ? bj_error_set(j->ret, "%s", j->message) : 0;
	*starts = ret < 0 || !j->n ? NULL : j->starts;
	*n = ret < 0 ? 0 : j->n;
	if (*starts)
		j->starts = NULL;
	job_free(j);
	return ret;
}

/* The film's frame rate, 25 when it does not say. */
static void frame_rate(const media_stream_info *v, int *num, int *den)
{
	*num = v->fps_num > 0 ? v->fps_num : 25;
	*den = v->fps_num > 0 ? v->fps_den : 1;
}

int perform_swap_frames(const char *path, double in, double out, int64_t *first, int64_t *last)
{
	media_decoder *d;
	if (media_decoder_open(path, &d) < 0)
		return bj_error_code();
	const media_info *info = media_decoder_info(d);
	int ret = 0;
	if (info->video < 0) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': no video stream", path);
	} else {
		int num, den;
		frame_rate(&info->streams[info->video], &num, &den);
		double fps = (double)num / den;
		/* frame k is shown from k / fps; the last one starts before out by
		 * more than half a frame (what the cut's out point rounds to) */
		*first = (int64_t)ceil(in * fps - 1e-6);
		*last = (int64_t)ceil(out * fps + 0.5 - 1e-6) - 1;
		if (*first < 0)
			*first = 0;
		if (*last < *first)
			*last = *first;
	}
	media_decoder_close(d);
	return ret;
}

/* A range's swap as the three stages of perform/swap_pipe.h. */
struct range_job {
	perform_swapper *s;
	const perform_swap_range_opts *o;
	media_decoder *d;
	int64_t first, last;
	int64_t n;                     /* frames the decoder went through */
	const char *out;
	media_encoder_opts eo;
	media_encoder *e;              /* opened on the range's first frame */
	double *start_time;
};

static int read_frame(void *ctx, perform_pipe_frame *f)
{
	struct range_job *j = ctx;
	const media_frame *in;
	int ret;
	while ((ret = media_decoder_read(j->d, &in)) > 0 && (j->last < 0 || in->index <= j->last)) {
		j->n = in->index + 1;
		if (in->index >= j->first)
			return perform_pipe_copy(f, in) < 0 ? bj_error_code() : 1;
	}
	return ret < 0 ? ret : 0;
}

static int swap_frame(void *ctx, perform_pipe_frame *f)
{
	struct range_job *j = ctx;
	if (j->o->boxes)
		perform_swapper_target(j->s, j->o->boxes + 4 * (f->index - j->first));
	perform_swap_report rep;
	return perform_swapper_frame(j->s, f->image, f->time, &rep);
}

static int write_frame(void *ctx, const perform_pipe_frame *f)
{
	struct range_job *j = ctx;
	if (!j->e) {
		if (media_encoder_open(j->out, &j->eo, &j->e) < 0)
			return bj_error_code();
		if (j->start_time)
			*j->start_time = f->time;
	}
	media_image even = media_image_view(f->image->data, j->eo.width, j->eo.height, 3, f->image->stride);
	return media_encoder_write_video(j->e, &even);
}

int perform_swap_range(perform_swapper *s, const char *path, int64_t first, int64_t last, const char *out,
                       const perform_swap_range_opts *opts, perform_swap_stats *stats, double *start_time)
{
	static const perform_swap_range_opts defaults = { 0 };
	const perform_swap_range_opts *o = opts ? opts : &defaults;
	if (first < 0 || (last >= 0 && last < first) || (o->boxes && last < 0))
		return bj_error_set(BJ_EINVAL, "'%s': frames %lld to %lld are no range", path, (long long)first,
		                    (long long)last);
	struct range_job j = { .s = s, .o = o, .first = first, .last = last, .n = first, .out = out,
		               .start_time = start_time };
	if (media_decoder_open(path, &j.d) < 0)
		return bj_error_code();
	const media_info *info = media_decoder_info(j.d);
	int ret = 0;
	if (info->video < 0) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': no video stream", path);
		goto out;
	}
	const media_stream_info *v = &info->streams[info->video];
	if ((ret = media_decoder_set_output(j.d, 0, 0, 3)) < 0)
		goto out;
	int fps_num, fps_den;
	frame_rate(v, &fps_num, &fps_den);
	j.eo = media_encoder_defaults(v->width & ~1, v->height & ~1, fps_num, fps_den);
	if (o->crf)
		j.eo.crf = o->crf;
	perform_swapper_reset(s);
	/* half a frame early: the decoder then lands on frame first itself */
	if (first > 0 && (ret = media_decoder_seek(j.d, (first - 0.5) * fps_den / fps_num)) < 0)
		goto out;
	perform_pipe_stages st = { read_frame, swap_frame, write_frame, &j };
	if ((ret = perform_pipe_run(&st, o->threads)) < 0)
		goto out;
	if (!j.e) {
		/* past the end, the seek reads nothing: the container's count */
		ret = bj_error_set(BJ_EINVAL, "'%s': has %lld frames, the range starts at frame %lld", path,
		                   (long long)(v->frames > 0 ? v->frames : j.n), (long long)first);
		goto out;
	}
	if ((ret = media_encoder_finish(j.e)) < 0)
		goto out;
	if (stats)
		perform_swapper_stats(s, stats);
out:
	media_encoder_close(j.e);
	media_decoder_close(j.d);
	return ret < 0 ? ret : 0;
}
