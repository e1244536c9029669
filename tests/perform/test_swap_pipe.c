/* The three-stage frame pipeline (perform/swap_pipe.h): every frame through
 * every stage once and in order, the same result with 1 and 2 threads and
 * with stages of uneven speed, and an error in any stage at any frame stops
 * the others with that stage's message and nothing written after it. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "harness.h"
#include "perform/swap_pipe.h"

#define FRAMES 40

struct job {
	int frames;              /* frames the reader gives */
	int fail_stage, fail_at; /* the stage (1 read, 2 swap, 3 write) that fails at that frame, 0: none */
	int slow_stage;          /* this stage sleeps a little on every third frame */
	int read, swapped, written;
	int swap_order_ok, write_order_ok;   /* one flag a stage: they run on two threads */
	unsigned sum;            /* the written frames' pixels, in order */
	int64_t seen[FRAMES];
};

static void nap(const struct job *j, int stage, int k)
{
	if (j->slow_stage == stage && k % 3 == 0)
		nanosleep(&(struct timespec){ 0, 200000 }, NULL);
}

static int fake_read(void *ctx, perform_pipe_frame *f)
{
	struct job *j = ctx;
	if (j->read == j->frames)
		return 0;
	nap(j, 1, j->read);
	if (j->fail_stage == 1 && j->read == j->fail_at)
		return bj_error_set(BJ_EFORMAT, "'clip.mp4': corrupt data at frame %d", j->read);
	/* a decoder's frame, as perform_pipe_copy takes it */
	static uint8_t px[4 * 2 * 3];
	memset(px, j->read, sizeof(px));
	media_frame in = { .image = media_image_view(px, 4, 2, 3, 12), .index = j->read, .time = j->read / 25.0 };
	if (perform_pipe_copy(f, &in) < 0)
		return bj_error_code();
	j->read++;
	return 1;
}

static int fake_swap(void *ctx, perform_pipe_frame *f)
{
	struct job *j = ctx;
	nap(j, 2, j->swapped);
	if (f->index != j->swapped || f->image->data[0] != (uint8_t)j->swapped)
		j->swap_order_ok = 0;
	if (j->fail_stage == 2 && j->swapped == j->fail_at)
		return bj_error_set(BJ_EINVAL, "swap: frame %d failed", j->swapped);
	f->image->data[5] = (uint8_t)(f->image->data[5] + 1);
	j->swapped++;
	return 0;
}

static int fake_write(void *ctx, const perform_pipe_frame *f)
{
	struct job *j = ctx;
	nap(j, 3, j->written);
	if (f->index != j->written || f->image->data[5] != (uint8_t)(j->written + 1))
		j->write_order_ok = 0;
	if (j->fail_stage == 3 && j->written == j->fail_at)
		return bj_error_set(BJ_EIO, "'out.mp4': disk full at frame %d", j->written);
	j->seen[j->written] = f->index;
	j->sum = j->sum * 31 + f->image->data[5];
	j->written++;
	return 0;
}

static int run(struct job *j, int threads)
{
	perform_pipe_stages st = { fake_read, fake_swap, fake_write, j };
	j->swap_order_ok = j->write_order_ok = 1;
	return perform_pipe_run(&st, threads);
}

static void test_order(void)
{
	unsigned sum1 = 0;
	for (int threads = 1; threads <= 3; threads++)
		for (int slow = 0; slow <= 3; slow++) {
			struct job j = { .frames = FRAMES, .slow_stage = slow };
			CHECK(run(&j, threads) == 0, "%s", bj_error_message());
			CHECK(j.swap_order_ok && j.write_order_ok && j.written == FRAMES, "threads %d slow %d: %d written",
			      threads, slow, j.written);
			for (int k = 0; k < FRAMES; k++)
				CHECK(j.seen[k] == k);
			if (threads == 1 && slow == 0)
				sum1 = j.sum;
			CHECK(j.sum == sum1, "threads %d slow %d: another result", threads, slow);
		}
}

static void test_empty(void)
{
	for (int threads = 1; threads <= 2; threads++) {
		struct job j = { .frames = 0 };
		CHECK(run(&j, threads) == 0 && j.swapped == 0 && j.written == 0);
	}
}

/* An error in each stage, early, midway and at the last frame. */
static void test_errors(void)
{
	static const int codes[4] = { 0, BJ_EFORMAT, BJ_EINVAL, BJ_EIO };
	static const char *const what[4] = { "", "corrupt data", "swap: frame", "disk full" };
	for (int threads = 1; threads <= 2; threads++)
		for (int stage = 1; stage <= 3; stage++)
			for (int at = 0; at < FRAMES; at += FRAMES / 2 - 1) {
				struct job j = { .frames = FRAMES, .fail_stage = stage, .fail_at = at, .slow_stage = 3 };
				int ret = run(&j, threads);
				CHECK(ret == codes[stage], "threads %d stage %d at %d: %d", threads, stage, at, ret);
				CHECK(strstr(bj_error_message(), what[stage]), "%s", bj_error_message());
				/* nothing written at or after the failed frame */
				CHECK(j.swap_order_ok && j.write_order_ok && j.written <= at, "threads %d stage %d at %d: %d written",
				      threads, stage, at, j.written);
				CHECK(j.read <= (stage == 1 ? at : FRAMES));
			}
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_order),
		TEST_CASE(test_empty),
		TEST_CASE(test_errors),
		{ 0 },
	};
	return test_main(cases);
}
