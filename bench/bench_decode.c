/*
 * bench_decode.c - decoding a whole film to RGB frames at its own size, against
 * OpenCV's cv2.VideoCapture (which also decodes with FFmpeg, then converts to
 * BGR).  Ratio > 1 means we are faster.  Uses ../shared/data's Nosferatu excerpt,
 * or the file named as the first argument.
 */
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "bench.h"
#include "media/decoder.h"

struct job {
	const char *path;
	int width;     /* 0: the film's own size */
	long frames;   /* frames decoded by the last run */
};

static void decode_all(void *ctx)
{
	struct job *j = ctx;
	media_decoder *d;
	j->frames = 0;
	if (media_decoder_open(j->path, &d) < 0)
		return;
	media_decoder_set_output(d, j->width, 0, 3);
	const media_frame *f;
	while (media_decoder_read(d, &f) > 0)
		j->frames++;
	media_decoder_close(d);
}

int main(int argc, char **argv)
{
	struct job j = { argc > 1 ? argv[1] : "../shared/data/footage/nosferatu_1922_excerpt_silent.mp4", 0, 0 };
	media_decoder *d;
	if (media_decoder_open(j.path, &d) < 0) {
		fprintf(stderr, "bench_decode: %s\n", bj_error_message());
		return 1;
	}
	long want = (long)media_decoder_info(d)->streams[media_decoder_info(d)->video].frames;
	media_decoder_close(d);
	/* Checked before timed: every frame the container lists comes out. */
	decode_all(&j);
	if (j.frames != want) {
		fprintf(stderr, "bench_decode: decoded %ld frames, the file has %ld\n", j.frames, want);
		return 1;
	}
	char args[4200];
	for (int pass = 0; pass < 2; pass++) {
		j.width = pass ? 320 : 0;
		double ours = bench_median_ms(decode_all, &j, 5);
		snprintf(args, sizeof(args), "'%s' %d", j.path, j.width);
		double ref = bench_reference("decode.py", args);
		char what[128];
		snprintf(what, sizeof(what), "decode %ld frames to RGB%s", j.frames,
		         pass ? ", scaled to 320 wide" : "");
		bench_report(what, "opencv", ours, ref);
	}
	return 0;
}
