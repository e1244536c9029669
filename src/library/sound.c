#include "library/sound.h"

#include <ebur128.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "media/audio.h"

#define HOP 320          /* 20 ms at 16 kHz */
#define MOD_FRAMES 25    /* +-0.5 s for the modulation measure */
#define MOD_DB 10.0      /* the band level's deviation over it that speech exceeds */
#define HANG_FRAMES 15   /* +-0.3 s around a voice frame counts as speech too */

struct library_sound {
	float *x;            /* (n) samples */
	size_t n;
	size_t n_frames;
	unsigned char *voice;  /* (n_frames) 1 = voice */
};

/* A second-order band-pass (RBJ cookbook, constant 0 dB peak gain). */
struct biquad {
	double b0, b1, b2, a1, a2, z1, z2;
};

static void bandpass(struct biquad *q, double f0, double Q, double rate)
{
	double w = 2 * M_PI * f0 / rate, alpha = sin(w) / (2 * Q), a0 = 1 + alpha;
	q->b0 = alpha / a0;
	q->b1 = 0;
	q->b2 = -alpha / a0;
	q->a1 = -2 * cos(w) / a0;
	q->a2 = (1 - alpha) / a0;
	q->z1 = q->z2 = 0;
}

static double run(struct biquad *q, double x)
{
	double y = q->b0 * x + q->z1;
	q->z1 = q->b1 * x - q->a1 * y + q->z2;
	q->z2 = q->b2 * x - q->a2 * y;
	return y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void analyse(library_sound *s)
{
	size_t nf = s->n / HOP;
	s->n_frames = nf;
	s->voice = bj_xcalloc(nf + 1, 1);
	if (nf == 0)
		return;
	double *level = bj_xmalloc(nf * sizeof(double));   /* dB of the whole frame */
	double *band = bj_xmalloc(nf * sizeof(double));    /* dB of the speech band */
	double *zcr = bj_xmalloc(nf * sizeof(double));
	unsigned char *voiced = bj_xcalloc(nf, 1);
	/* the speech band as two cascaded band-passes around 1 kHz, Q 0.5 (about
	 * 250-3500 Hz at -3 dB) */
	struct biquad q1, q2;
	bandpass(&q1, 940, 0.5, LIBRARY_SOUND_RATE);
	bandpass(&q2, 940, 0.5, LIBRARY_SOUND_RATE);
	for (size_t f = 0; f < nf; f++) {
		double e = 0, eb = 0;
		int crossings = 0;
		const float *x = s->x + f * HOP;
		for (int i = 0; i < HOP; i++) {
			double y = run(&q2, run(&q1, x[i]));
			e += (double)x[i] * x[i];
			eb += y * y;
			if (i > 0 && (x[i] >= 0) != (x[i - 1] >= 0))
				crossings++;
		}
		level[f] = 10 * log10(e / HOP + 1e-12);
		band[f] = 10 * log10(eb / HOP + 1e-12);
		zcr[f] = (double)crossings / HOP;
	}
	/* noise floor: the 10th percentile of frame levels */
	double *sorted = bj_xmalloc(nf * sizeof(double));
	memcpy(sorted, level, nf * sizeof(double));
	qsort(sorted, nf, sizeof(double), cmp_double);
	double floor_db = sorted[nf / 10];
	free(sorted);
	for (size_t f = 0; f < nf; f++) {
		/* No test of the share of energy in the speech band: in old recordings
		 * hum and the voices' own low partials put most of it below 250 Hz,
		 * while music fills the band (voices failed it 3 frames in 4). */
		int active = level[f] > floor_db + 12 && level[f] > -55 && zcr[f] > 0.01 && zcr[f] < 0.35;
		if (!active)
			continue;
		size_t a = f > MOD_FRAMES ? f - MOD_FRAMES : 0, b = f + MOD_FRAMES < nf ? f + MOD_FRAMES : nf - 1;
		double m = 0, m2 = 0;
		for (size_t k = a; k <= b; k++) {
			m += band[k];
			m2 += band[k] * band[k];
		}
		double cnt = (double)(b - a + 1);
		double sd = sqrt(fmax(0, m2 / cnt - (m / cnt) * (m / cnt)));
		voiced[f] = sd > MOD_DB;
	}
	/* Syllables are 100-300 ms apart: bridge the gaps between voice frames, so
	 * that a shot of continuous talk scores near 1, not the share of its
	 * frames at a syllable's peak (0.05-0.3 before).  Only from a run of voice
	 * (3 frames of 5): a lone frame is a click or a frame straddling an onset. */
	for (size_t f = 0; f < nf; f++)
		if (voiced[f] && f >= 2 && f + 2 < nf &&
		    voiced[f - 2] + voiced[f - 1] + voiced[f + 1] + voiced[f + 2] >= 2) {
			size_t a = f > HANG_FRAMES ? f - HANG_FRAMES : 0, b = f + HANG_FRAMES < nf ? f + HANG_FRAMES : nf - 1;
			memset(s->voice + a, 1, b - a + 1);
		}
	free(voiced);
	free(level);
	free(band);
	free(zcr);
}

library_sound *library_sound_new(const float *samples, size_t n)
{
	library_sound *s = bj_xcalloc(1, sizeof(*s));
	s->x = bj_xmalloc((n + 1) * sizeof(float));
	memcpy(s->x, samples, n * sizeof(float));
	s->n = n;
	analyse(s);
	return s;
}

int library_sound_load(const char *path, library_sound **out)
{
	*out = NULL;
	media_audio a;
	int ret = media_audio_load(path, LIBRARY_SOUND_RATE, 1, &a);
	if (ret < 0) {
		media_audio_release(&a);
		return ret;
	}
	library_sound *s = bj_xcalloc(1, sizeof(*s));
	s->x = a.samples;      /* taken over from a */
	s->n = a.frames;
	if (!s->x)
		s->x = bj_xcalloc(1, sizeof(float));
	analyse(s);
	*out = s;
	return 0;
}

double library_sound_duration(const library_sound *s)
{
	return (double)s->n / LIBRARY_SOUND_RATE;
}

void library_sound_measure(const library_sound *s, double t0, double t1, double *lufs, double *speech)
{
	*lufs = LIBRARY_SILENCE_LUFS;
	*speech = 0;
	if (t0 < 0)
		t0 = 0;
	size_t a = (size_t)(t0 * LIBRARY_SOUND_RATE), b = (size_t)(t1 * LIBRARY_SOUND_RATE);
	if (b > s->n)
		b = s->n;
	if (b <= a)
		return;
	ebur128_state *st = ebur128_init(1, LIBRARY_SOUND_RATE, EBUR128_MODE_I);
	if (st) {
		double l;
		if (ebur128_add_frames_float(st, s->x + a, b - a) == EBUR128_SUCCESS &&
		    ebur128_loudness_global(st, &l) == EBUR128_SUCCESS && isfinite(l) && l > LIBRARY_SILENCE_LUFS)
			*lufs = l;
		ebur128_destroy(&st);
	}
	size_t fa = a / HOP, fb = b / HOP;
	if (fb > s->n_frames)
		fb = s->n_frames;
	size_t v = 0;
	for (size_t f = fa; f < fb; f++)
		v += s->voice[f];
	*speech = fb > fa ? (double)v / (double)(fb - fa) : 0;
}

void library_sound_free(library_sound *s)
{
	if (!s)
		return;
	free(s->x);
	free(s->voice);
	free(s);
}
