/*
 * bench_render.c - rendering 8 s of footage as a film (decode from an in point,
 * pillarbox into the frame, label, burned subtitle, H.264 medium crf 18 + AAC,
 * 2 threads), against the ffmpeg tool doing the same with a filter graph
 * (scale, pad, drawtext, subtitles, libx264, aac).  At 1280x720 and 640x480.
 * Uses ../shared/data's Nosferatu excerpt, or the film named as the first argument.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/progress.h"
#include "bench.h"
#include "film/render.h"
#include "film/timeline.h"

struct job {
	char timeline[4096];
	char output[4096];
	int width, height;
	int64_t frames;
};

static void render_once(void *ctx)
{
	struct job *j = ctx;
	film_timeline t;
	if (film_timeline_load(j->timeline, &t) < 0)
		return;
	film_render_opts o = film_render_defaults(j->output);
	o.width = j->width;
	o.height = j->height;
	o.burn_subtitles = 1;
	film_render_report r;
	if (film_render(&t, &o, &r) == 0)
		j->frames = r.frames;
	film_timeline_release(&t);
}

int main(int argc, char **argv)
{
	const char *film = argc > 1 ? argv[1] : "../shared/data/footage/nosferatu_1922_excerpt_silent.mp4";
	char dir[] = "/tmp/bench-render-XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	char *abs = realpath(film, NULL);
	if (!abs) {
		fprintf(stderr, "bench_render: '%s' not found\n", film);
		return 1;
	}
	struct job j = { 0 };
	snprintf(j.timeline, sizeof j.timeline, "%s/timeline.json", dir);
	snprintf(j.output, sizeof j.output, "%s/film.mp4", dir);
	char cmd[8192];
	snprintf(cmd, sizeof cmd, "ffmpeg -v error -f lavfi -i sine=frequency=440:duration=2 %s/line.wav", dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "bench_render: ffmpeg cannot make a tone\n");
		return 1;
	}
	FILE *f = fopen(j.timeline, "w");
	fprintf(f, "{\"format\":\"benjamin-timeline\",\"version\":1,\"title\":\"Bench\",\"fps\":25,"
	           "\"video\":[{\"source\":\"%s\",\"in\":10,\"out\":18,\"at\":0}],"
	           "\"dialogue\":[{\"audio\":\"line.wav\",\"at\":2,\"character\":\"H\","
	           "\"text\":\"I am not a doctor.\"}]}\n", abs);
	fclose(f);
	bj_progress_set_output(stderr, BJ_PROGRESS_OFF, 5);
	static const int sizes[2][2] = { { 1280, 720 }, { 640, 480 } };
	for (int s = 0; s < 2; s++) {
		j.width = sizes[s][0];
		j.height = sizes[s][1];
		j.frames = 0;
		render_once(&j);
		if (j.frames != 200) {
			fprintf(stderr, "bench_render: rendered %lld frames, want 200: %s\n",
			        (long long)j.frames, bj_error_message());
			return 1;
		}
		double ours = bench_median_ms(render_once, &j, 3);
		char args[8192];
		snprintf(args, sizeof args, "'%s' %d %d '%s'", abs, j.width, j.height, dir);
		double ref = bench_reference("render.py", args);
		char what[128];
		snprintf(what, sizeof what, "render 200 frames at %dx%d (%.1f frames/s)", j.width,
		         j.height, 200 / (ours / 1000));
		bench_report(what, "ffmpeg", ours, ref);
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	free(abs);
	return system(cmd) == 0 ? 0 : 1;
}
