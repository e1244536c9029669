/*
 * bench_faces.c - face detection (scale factor 1.1, 3 neighbours, no size
 * limits) on a frame of the JFK Berlin clip, a crowd of faces, at 640x480 and
 * 1280x720, against OpenCV's CascadeClassifier.detectMultiScale on the same grey
 * pixels, 2 threads each.  Ratio > 1 means we are faster.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "bench.h"
#include "media/decoder.h"
#include "media/imagefile.h"
#include "vision/detect.h"

#define CLIP "footage/more/jfk_berlin_1963_speech_excerpt.mp4"

struct run {
	vision_detector *det;
	media_image *grey;
	size_t n;
};

static void detect_once(void *ctx)
{
	struct run *r = ctx;
	vision_detect_params p = VISION_DETECT_DEFAULTS;
	const vision_box *b;
	if (vision_detect(r->det, r->grey, &p, &b, &r->n) < 0) {
		fprintf(stderr, "bench_faces: %s\n", bj_error_message());
		exit(1);
	}
}

/* The frame at 3 s, scaled to w x h, as grey. */
static media_image *frame(const char *path, int w, int h)
{
	media_decoder *d;
	const media_frame *f;
	media_image *grey = NULL;
	if (media_decoder_open(path, &d) == 0 && media_decoder_set_output(d, w, h, 3) == 0 &&
	    media_decoder_seek(d, 3.0) == 0 && media_decoder_read(d, &f) > 0)
		grey = vision_grey(&f->image);
	media_decoder_close(d);
	return grey;
}

int main(void)
{
	static const char *const cascades[] = {
		"/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml",
		"/usr/share/opencv4/haarcascades/haarcascade_frontalface_alt2.xml",
		"/usr/share/opencv4/lbpcascades/lbpcascade_frontalface_improved.xml",
		"/usr/share/opencv4/lbpcascades/lbpcascade_frontalface.xml",
	};
	static const int sizes[][2] = { { 640, 480 }, { 1280, 720 } };
	const char *data = getenv("BENJAMIN_DATA") ? getenv("BENJAMIN_DATA") : "../shared/data";
	char clip[4096], png[] = "/tmp/bench_faces_XXXXXX.png";
	snprintf(clip, sizeof(clip), "%s/%s", data, CLIP);
	int fd = mkstemps(png, 4);
	if (fd < 0) {
		perror("bench_faces");
		return 1;
	}
	bj_pool *pool = bj_pool_new(2);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		media_image *grey = frame(clip, sizes[s][0], sizes[s][1]);
		if (!grey || media_image_save(grey, png, 0) < 0) {
			fprintf(stderr, "bench_faces: %s\n", bj_error_message());
			return 1;
		}
		for (size_t c = 0; c < sizeof(cascades) / sizeof(cascades[0]); c++) {
			vision_cascade *cas = vision_cascade_load(cascades[c]);
			if (!cas) {
				fprintf(stderr, "bench_faces: %s\n", bj_error_message());
				return 1;
			}
			struct run r = { vision_detector_new(cas, pool), grey, 0 };
			double ours = bench_median_ms(detect_once, &r, 11);
			char args[8192], what[128];
			snprintf(args, sizeof(args), "%s %s", cascades[c], png);
			double ref = bench_reference("faces.py", args);
			const char *name = strrchr(cascades[c], '/') + 1;
			snprintf(what, sizeof(what), "faces %dx%d %.*s (%zu)", sizes[s][0], sizes[s][1],
			         (int)(strlen(name) - 4), name, r.n);
			bench_report(what, "opencv", ours, ref);
			vision_detector_free(r.det);
			vision_cascade_free(cas);
		}
		media_image_free(grey);
	}
	bj_pool_free(pool);
	close(fd);
	unlink(png);
	return 0;
}
