#include "perform/swap_pipe.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

/* The ring: frame k sits in slot k % PERFORM_PIPE_FRAMES; read, swapped and
 * written count the frames each stage has finished (written <= swapped <=
 * read <= written + PERFORM_PIPE_FRAMES), all guarded by mu. */
struct pipe {
	const perform_pipe_stages *st;
	perform_pipe_frame slots[PERFORM_PIPE_FRAMES];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	long long read, swapped, written;
	int read_all, swapped_all;   /* the reader, the swapper have finished */
	int code;                    /* the first stage's error (0: none) ... */
	char message[512];           /* ... and its message */
};

/* Records a stage's error (the first one wins) and stops every stage; under mu. */
static void fail(struct pipe *p, int code)
{
	if (!p->code) {
		p->code = code;
		snprintf(p->message, sizeof(p->message), "%s", bj_error_message());
	}
	pthread_cond_broadcast(&p->cv);
}

/* After a stage ran on a frame: its count moves on, or the error stops all. */
static void finished(struct pipe *p, long long *count, int ret)
{
	pthread_mutex_lock(&p->mu);
	if (ret < 0)
		fail(p, ret);
	else
		++*count;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

static void *reader(void *arg)
{
	struct pipe *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->code && p->read - p->written >= PERFORM_PIPE_FRAMES)
			pthread_cond_wait(&p->cv, &p->mu);
		int stop = p->code != 0;
		perform_pipe_frame *f = &p->slots[p->read % PERFORM_PIPE_FRAMES];
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		int ret = p->st->read(p->st->ctx, f);
		if (ret == 0) {
			pthread_mutex_lock(&p->mu);
			p->read_all = 1;
			pthread_cond_broadcast(&p->cv);
			pthread_mutex_unlock(&p->mu);
			break;
		}
		finished(p, &p->read, ret);
		if (ret < 0)
			break;
	}
	return NULL;
}

static void *writer(void *arg)
{
	struct pipe *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->code && p->written == p->swapped && !p->swapped_all)
			pthread_cond_wait(&p->cv, &p->mu);
		int stop = p->code != 0 || p->written == p->swapped;
		const perform_pipe_frame *f = &p->slots[p->written % PERFORM_PIPE_FRAMES];
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		int ret = p->st->write(p->st->ctx, f);
		finished(p, &p->written, ret);
		if (ret < 0)
			break;
	}
	return NULL;
}

/* The swap stage on the calling thread, while reader and writer run. */
static void swapper(struct pipe *p)
{
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->code && p->swapped == p->read && !p->read_all)
			pthread_cond_wait(&p->cv, &p->mu);
		int stop = p->code != 0 || p->swapped == p->read;
		perform_pipe_frame *f = &p->slots[p->swapped % PERFORM_PIPE_FRAMES];
		pthread_mutex_unlock(&p->mu);
		if (stop)
			break;
		int ret = p->st->swap(p->st->ctx, f);
		finished(p, &p->swapped, ret);
		if (ret < 0)
			break;
	}
	pthread_mutex_lock(&p->mu);
	p->swapped_all = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* One frame after the other, on the calling thread. */
static int serial(const perform_pipe_stages *st, perform_pipe_frame *f)
{
	int ret;
	while ((ret = st->read(st->ctx, f)) > 0)
		if ((ret = st->swap(st->ctx, f)) < 0 || (ret = st->write(st->ctx, f)) < 0)
			return ret;
	return ret;
}

int perform_pipe_thread(pthread_t *tid, void *(*fn)(void *), void *arg)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2, SIGCHLD, SIGWINCH };
	sigset_t block, old;
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		sigaddset(&block, sigs[i]);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int err = pthread_create(tid, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return err ? bj_error_set(BJ_ENOMEM, "swap: cannot start a thread: %s", strerror(err)) : 0;
}

int perform_pipe_run(const perform_pipe_stages *st, int threads)
{
	struct pipe *p = bj_xcalloc(1, sizeof(*p));
	p->st = st;
	int ret = 0;
	if (threads < 2) {
		ret = serial(st, &p->slots[0]);
	} else {
		pthread_mutex_init(&p->mu, NULL);
		pthread_cond_init(&p->cv, NULL);
		pthread_t rt, wt;
		if ((ret = perform_pipe_thread(&rt, reader, p)) == 0) {
			if ((ret = perform_pipe_thread(&wt, writer, p)) == 0) {
				swapper(p);
				pthread_join(wt, NULL);
			} else {
				pthread_mutex_lock(&p->mu);
				fail(p, ret);
				pthread_mutex_unlock(&p->mu);
			}
			pthread_join(rt, NULL);
			if (p->code)
				ret = bj_error_set(p->code, "%s", p->message);
		}
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
	}
	for (int i = 0; i < PERFORM_PIPE_FRAMES; i++)
		media_image_free(p->slots[i].image);
	free(p);
	return ret < 0 ? ret : 0;
}

int perform_pipe_copy(perform_pipe_frame *f, const media_frame *src)
{
	const media_image *in = &src->image;
	if (in->channels != 3)
		return bj_error_set(BJ_EINVAL, "swap: the decoded frame is not RGB");
	if (!f->image || f->image->width != in->width || f->image->height != in->height) {
		media_image_free(f->image);
		if (!(f->image = media_image_new(in->width, in->height, 3)))
			return bj_error_code();
	}
	for (int y = 0; y < in->height; y++)
		memcpy(f->image->data + (size_t)y * f->image->stride, in->data + (size_t)y * in->stride,
		       (size_t)in->width * 3);
	f->time = src->time;
	f->index = src->index;
	return 0;
}
