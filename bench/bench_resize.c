/*
 * bench_resize.c - Lanczos resizing of a 1080p frame to 640x360, against OpenCV's
 * cv2.resize(INTER_LANCZOS4).  Ratio > 1 means we are faster.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "media/image.h"
#include "media/resize.h"

static void resize_once(void *ctx)
{
	media_image_free(media_image_resize(ctx, 640, 360));
}

int main(void)
{
	media_image *src = media_image_new(1920, 1080, 3);
	for (size_t i = 0; i < src->stride * 1080; i++)
		src->data[i] = (uint8_t)((i * 7 + i / 5760 * 3) & 0xff);
	/* Checked before timed: a flat image must stay flat through the filter. */
	media_image *flat = media_image_new(1920, 1080, 3);
	memset(flat->data, 123, flat->stride * 1080);
	media_image *out = media_image_resize(flat, 640, 360);
	for (size_t i = 0; i < out->stride * 360; i++)
		if (abs(out->data[i] - 123) > 1) {
			fprintf(stderr, "bench_resize: flat image changed by the filter\n");
			return 1;
		}
	media_image_free(out);
	media_image_free(flat);

	double ours = bench_median_ms(resize_once, src, 15);
	double ref = bench_reference("resize.py", "1920 1080 640 360");
	bench_report("resize 1920x1080 -> 640x360 lanczos", "opencv", ours, ref);
	media_image_free(src);
	return 0;
}
