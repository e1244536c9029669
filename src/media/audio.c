#include "media/audio.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

void media_audio_init(media_audio *a, int rate, int channels)
{
	memset(a, 0, sizeof(*a));
	a->rate = rate;
	a->channels = channels;
}

void media_audio_release(media_audio *a)
{
	if (!a)
		return;
	free(a->samples);
	memset(a, 0, sizeof(*a));
}

void media_audio_append(media_audio *a, const float *samples, size_t frames)
{
	BJ_ASSERT(a->channels > 0);
	size_t need;
	BJ_ASSERT(bj_size_add(&need, a->frames, frames));
	if (need > a->capacity) {
		size_t cap = a->capacity;
		/* Grow in whole frames; bj_grow works in elements of one frame's size. */
		bj_grow((void **)&a->samples, &cap, need, sizeof(float) * (size_t)a->channels);
		a->capacity = cap;
	}
	memcpy(a->samples + a->frames * (size_t)a->channels, samples,
	       frames * (size_t)a->channels * sizeof(float));
	a->frames = need;
}

double media_audio_duration(const media_audio *a)
{
	return a->rate > 0 ? (double)a->frames / a->rate : 0.0;
}
