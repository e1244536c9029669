/*
 * onscreen.c - faces of a shot summarised for the director.
 */
#include "film/onscreen.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/sort.h"

static double clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

static double shot_fps(const library_shot *shot)
{
	double len = shot->end - shot->start;
	return len > 0 ? (double)(shot->end_frame - shot->start_frame + 1) / len : 25.0;
}

double film_onscreen_time(const library_shot *shot, int64_t frame)
{
	return shot->start + (double)(frame - shot->start_frame) / shot_fps(shot);
}

/* A face missing its pose counts as half frontal: it was found by a frontal
 * detector, but nothing more is known. */
static double frontal(const library_face_sample *f)
{
	if (isnan(f->yaw) || isnan(f->pitch))
		return 0.5;
	return clamp01(1 - fabs(f->yaw) / FILM_FRONTAL_LIMIT) *
	       clamp01(1 - fabs(f->pitch) / FILM_FRONTAL_LIMIT);
}

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

void film_onscreen_of(const library_face_sample *s, size_t n, const library_shot *shot,
                      int64_t identity, film_onscreen *o)
{
	memset(o, 0, sizeof *o);
	double front = 0, change = 0;
	int changes = 0;
	int64_t *frames = bj_xmalloc((n ? n : 1) * sizeof *frames);
	for (size_t i = 0; i < n; i++) {
		const library_face_sample *f = &s[i];
		if (identity && f->identity_id != identity)
			continue;
		frames[o->samples++] = f->frame;
		if (f->height > o->height)
			o->height = f->height;
		front += frontal(f);
		/* the previous sample of the same track (one identity per track) */
		const library_face_sample *p = i > 0 ? &s[i - 1] : NULL;
		if (p && f->track_id && p->track_id == f->track_id && !isnan(f->mouth) &&
		    !isnan(p->mouth)) {
			change += fabs(f->mouth - p->mouth);
			changes++;
		}
	}
	/* frames showing such a face: two faces in one frame count once */
	qsort(frames, (size_t)o->samples, sizeof *frames, cmp_int64);
	int64_t distinct = 0;
	for (int i = 0; i < o->samples; i++)
		distinct += !i || frames[i] != frames[i - 1];
	free(frames);
	if (!o->samples)
		return;
	int64_t sampled = library_sampled_frames(shot->start_frame, shot->end_frame, shot_fps(shot));
	o->seen = sampled > 0 ? clamp01((double)distinct / (double)sampled) : 1;
	o->frontal = front / o->samples;
	o->mouth = changes ? clamp01(change / changes / FILM_MOUTH_TALK) : 0;
}

size_t film_onscreen_blinks(const library_face_sample *s, size_t n, const library_shot *shot,
                            double *times, size_t max)
{
	size_t found = 0;
	float eyes[64];
	for (size_t a = 0; a < n;) {
		size_t b = a + 1;
		while (b < n && s[b].track_id == s[a].track_id && s[a].track_id)
			b++;
		/* the track's median openness, from up to 64 of its samples */
		size_t k = 0;
		for (size_t i = a; i < b && k < 64; i++)
			if (!isnan(s[i].eyes))
				eyes[k++] = s[i].eyes;
		if (k >= 3) {
			bj_sort_floats(eyes, k);
			double median = eyes[k / 2];
			for (size_t i = a; i < b && found < max; i++)
				if (!isnan(s[i].eyes) && s[i].eyes < FILM_BLINK_RATIO * median)
					times[found++] = film_onscreen_time(shot, s[i].frame);
		}
		a = b;
	}
	bj_sort_doubles(times, found);
	return found;
}
