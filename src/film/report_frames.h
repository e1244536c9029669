/*
 * report_frames.h - pictures of a clip for the report: frames spread over its
 * span, at thumbnail size, as the film shows them (a film fitted into the
 * frame with black bars, a still seen through its pan and zoom).
 *
 *     media_image *f[3];
 *     if (film_report_frames(&t.clips[i], 3, 240, 135, f) < 0) ... error ...
 *     ... media_image_encode_jpeg(f[k], 80, &size) ...
 *     for (k = 0; k < 3; k++) media_image_free(f[k]);
 *
 * The sources are opened read-only and only for the call.
 */
#pragma once

#include "film/timeline.h"
#include "media/image.h"

/* n (1..8) RGB frames of w x h at the middles of n equal parts of clip c, into
 * out[0..n) (new images, free with media_image_free).  A still without an
 * effect is shown whole (zoom 1).  Returns 0, or the source's error with out
 * all NULL. */
int film_report_frames(const film_clip *c, int n, int w, int h, media_image **out);
