#include "base/progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static void test_durations(void)
{
	char b[32];
	bj_progress_format_duration(b, sizeof(b), 65);
	CHECK_STR(b, "1:05");
	bj_progress_format_duration(b, sizeof(b), 7384);
	CHECK_STR(b, "2:03:04");
	bj_progress_format_duration(b, sizeof(b), -1);
	CHECK_STR(b, "--:--");
	bj_progress_format_duration(b, sizeof(b), 1.0 / 0.0);
	CHECK_STR(b, "--:--");
}

static void test_bar_line(void)
{
	char b[256];
	bj_progress_format(b, sizeof(b), 1, 200, "index", 1204, 2560, "frames", 4.0, 310.0,
	                   "reel2.mp4");
	CHECK_STR(b, "index  [#########...........]  47%  1204/2560 frames  310 frames/s  ETA 0:04  reel2.mp4");
	/* Cut to the terminal's width so the line redraws in place. */
	bj_progress_format(b, sizeof(b), 1, 40, "index", 1204, 2560, "frames", 4.0, 310.0, "reel2.mp4");
	CHECK(strlen(b) == 39, "length %zu", strlen(b));
	/* A narrow terminal loses the cells before the item. */
	bj_progress_format(b, sizeof(b), 1, 100, "index", 1204, 2560, "frames", 4.0, 310.0,
	                   "reel2.mp4 and a long description of it");
	CHECK_STR(b, "index   47%  1204/2560 frames  310 frames/s  ETA 0:04  reel2.mp4 and a long description of it");
}

static void test_plain_line_and_unknown_total(void)
{
	char b[256];
	bj_progress_format(b, sizeof(b), 0, 0, "train", 50, 200, "steps", 10.0, 5.0, NULL);
	CHECK_STR(b, "train: 50/200 steps (25%), 5.00 steps/s, ETA 0:30");
	bj_progress_format(b, sizeof(b), 0, 0, "scan", 12, 0, "files", 75.0, 0.0, "a.mp4");
	CHECK_STR(b, "scan: 12 files, -- files/s, 1:15 elapsed, a.mp4");
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static char *run_display(enum bj_progress_mode mode)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	bj_progress_set_output(f, mode, 0.02);
	bj_progress *p = bj_progress_new("decode", 10, "frames");
	for (int i = 1; i <= 10; i++) {
		sleep_ms(6);
		bj_progress_set(p, (uint64_t)i, "clip.mp4");
	}
	bj_progress_finish(p);
	bj_progress_set_output(NULL, BJ_PROGRESS_OFF, 0);
	fclose(f);
	return text;
}

static void test_plain_mode_prints_lines(void)
{
	char *text = run_display(BJ_PROGRESS_PLAIN);
	CHECK(strstr(text, "decode: ") == text, "starts with the label: %s", text);
	CHECK(strstr(text, ", clip.mp4\n") != NULL, "periodic lines name the item: %s", text);
	CHECK(strstr(text, "decode: 10/10 frames (100%)") != NULL, "%s", text);
	CHECK(strstr(text, "done in 0:00\n") != NULL, "%s", text);
	CHECK(strchr(text, '\r') == NULL, "no carriage returns in plain mode");
	free(text);
}

static void test_bar_mode_redraws_in_place(void)
{
	char *text = run_display(BJ_PROGRESS_BAR);
	CHECK(strncmp(text, "\r\033[K", 4) == 0, "redraws start with CR and clear-line");
	CHECK(strstr(text, "[####################] 100%") != NULL, "%s", text);
	size_t n = strlen(text);
	CHECK(n > 0 && text[n - 1] == '\n', "the final draw ends the line");
	CHECK(strchr(text, '\n') == text + n - 1, "one line only");
	free(text);
}

static void test_off_prints_nothing(void)
{
	char *text = run_display(BJ_PROGRESS_OFF);
	CHECK_STR(text, "");
	free(text);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_durations),
		TEST_CASE(test_bar_line),
		TEST_CASE(test_plain_line_and_unknown_total),
		TEST_CASE(test_plain_mode_prints_lines),
		TEST_CASE(test_bar_mode_redraws_in_place),
		TEST_CASE(test_off_prints_nothing),
		{ 0 },
	};
	return test_main(cases);
}
