#include "library/sound.h"

#include <ebur128.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/sort.h"
#include "media/audio.h"

#define HOP 320          /* 20 ms at 16 kHz */
#define MOD_FRAMES 25    /* +-0.5 s for the modulation measure */
#define MOD_DB 10.0      /* the band level's deviation over it that speech exceeds */
#define HANG_FRAMES 15   /* +-0.3 s around a voice frame counts as speech too */

#define BLOCK_HOP 1600  /* 100 ms: loudness gating blocks (400 ms) start this often */
#define BLOCK_HOPS 4     /* hops in one block */

/* A second-order filter and its state. */
struct biquad {
	double b0, b1, b2, a1, a2, z1, z2;
};

/* Per 20 ms frame and per 100 ms step, what the analysis keeps: about 700
 * bytes a second of sound instead of its 64 KB. */
struct library_sound {
	size_t n;              /* samples fed */
	size_t n_frames, cap_frames;
	float *level, *band, *zcr;   /* (n_frames) dB of the frame, dB of its speech band, crossings per sample */
	unsigned char *voice;  /* (n_frames) 1 = voice, after library_sound_end() */
	size_t n_blocks, cap_blocks;
	float *block;          /* (n_blocks) mean square (K-weighted) of the 400 ms ending at (i + 1) * 100 ms */
	float pend[HOP];       /* samples of the frame not yet complete */
	int n_pend;
	size_t to_step;        /* samples until the next 100 ms step */
	struct biquad q1, q2;  /* the speech band filter */
	ebur128_state *eb;
};

/* A band-pass (RBJ cookbook, constant 0 dB peak gain). */
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

/* One 20 ms frame's level, speech-band level and zero-crossing rate. */
static void frame_features(library_sound *s, const float *x)
{
	double e = 0, eb = 0;
	int crossings = 0;
	for (int i = 0; i < HOP; i++) {
		double y = run(&s->q2, run(&s->q1, x[i]));
		e += (double)x[i] * x[i];
		eb += y * y;
		if (i > 0 && (x[i] >= 0) != (x[i - 1] >= 0))
			crossings++;
	}
	if (s->n_frames == s->cap_frames) {
		size_t cap = s->cap_frames;
		BJ_GROW(s->level, cap, s->n_frames + 1);
		s->band = bj_xrealloc(s->band, cap * sizeof(float));
		s->zcr = bj_xrealloc(s->zcr, cap * sizeof(float));
		s->cap_frames = cap;
	}
	s->level[s->n_frames] = (float)(10 * log10(e / HOP + 1e-12));
	s->band[s->n_frames] = (float)(10 * log10(eb / HOP + 1e-12));
	s->zcr[s->n_frames] = (float)crossings / HOP;
	s->n_frames++;
}

/* The loudness of the last 400 ms, as mean square, every 100 ms. */
static void loudness_step(library_sound *s)
{
	double lufs = -HUGE_VAL;
	if (!s->eb || ebur128_loudness_momentary(s->eb, &lufs) != EBUR128_SUCCESS || !isfinite(lufs))
		lufs = -HUGE_VAL;
	BJ_GROW(s->block, s->cap_blocks, s->n_blocks + 1);
	/* BS.1770: loudness = -0.691 + 10 log10(mean square) */
	s->block[s->n_blocks++] = isfinite(lufs) ? (float)pow(10.0, (lufs + 0.691) / 10.0) : 0.0f;
}

library_sound *library_sound_begin(void)
{
	library_sound *s = bj_xcalloc(1, sizeof(*s));
	/* the speech band as two cascaded band-passes around 1 kHz, Q 0.5 (about
	 * 250-3500 Hz at -3 dB) */
	bandpass(&s->q1, 940, 0.5, LIBRARY_SOUND_RATE);
	bandpass(&s->q2, 940, 0.5, LIBRARY_SOUND_RATE);
	s->eb = ebur128_init(1, LIBRARY_SOUND_RATE, EBUR128_MODE_M);
	s->to_step = BLOCK_HOP;
	return s;
}

void library_sound_feed(library_sound *s, const float *x, size_t n)
{
	BJ_ASSERT(!s->voice);
	s->n += n;
	/* loudness, in pieces that end on the 100 ms steps */
	for (size_t i = 0; i < n;) {
		size_t k = n - i < s->to_step ? n - i : s->to_step;
		if (s->eb)
			ebur128_add_frames_float(s->eb, x + i, k);
		i += k;
		s->to_step -= k;
		if (s->to_step == 0) {
			loudness_step(s);
			s->to_step = BLOCK_HOP;
		}
	}
	/* 20 ms frames */
	size_t i = 0;
	if (s->n_pend) {
		size_t k = (size_t)(HOP - s->n_pend) < n ? (size_t)(HOP - s->n_pend) : n;
		memcpy(s->pend + s->n_pend, x, k * sizeof(float));
		s->n_pend += (int)k;
		i = k;
		if (s->n_pend < HOP)
			return;
		frame_features(s, s->pend);
		s->n_pend = 0;
	}
	for (; i + HOP <= n; i += HOP)
		frame_features(s, x + i);
	memcpy(s->pend, x + i, (n - i) * sizeof(float));
	s->n_pend = (int)(n - i);
}

/* The voice decisions, once the whole soundtrack's noise floor is known. */
void library_sound_end(library_sound *s)
{
	if (s->voice)
		return;
	if (s->eb)
		ebur128_destroy(&s->eb);
	size_t nf = s->n_frames;
	s->voice = bj_xcalloc(nf + 1, 1);
	if (nf == 0)
		return;
	unsigned char *voiced = bj_xcalloc(nf, 1);
	/* noise floor: the 10th percentile of frame levels */
	float *sorted = bj_xmalloc(nf * sizeof(float));
	memcpy(sorted, s->level, nf * sizeof(float));
	bj_sort_floats(sorted, nf);
	double floor_db = sorted[nf / 10];
	free(sorted);
	for (size_t f = 0; f < nf; f++) {
		/* No test of the share of energy in the speech band: in old recordings
		 * hum and the voices' own low partials put most of it below 250 Hz,
		 * while music fills the band (voices failed it 3 frames in 4). */
		int active = s->level[f] > floor_db + 12 && s->level[f] > -55 && s->zcr[f] > 0.01 && s->zcr[f] < 0.35;
		if (!active)
			continue;
		size_t a = f > MOD_FRAMES ? f - MOD_FRAMES : 0, b = f + MOD_FRAMES < nf ? f + MOD_FRAMES : nf - 1;
		double m = 0, m2 = 0;
		for (size_t k = a; k <= b; k++) {
			m += s->band[k];
			m2 += (double)s->band[k] * s->band[k];
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
}

library_sound *library_sound_new(const float *samples, size_t n)
{
	library_sound *s = library_sound_begin();
	library_sound_feed(s, samples, n);
	library_sound_end(s);
	return s;
}

static int feed_sink(void *ctx, const float *samples, size_t frames)
{
	library_sound_feed(ctx, samples, frames);
	return 0;
}

int library_sound_load(const char *path, library_sound **out)
{
	*out = NULL;
	library_sound *s = library_sound_begin();
	int ret = media_audio_stream(path, LIBRARY_SOUND_RATE, 1, feed_sink, s);
	if (ret < 0) {
		library_sound_free(s);
		return ret;
	}
	library_sound_end(s);
	*out = s;
	return 0;
}

double library_sound_duration(const library_sound *s)
{
	return (double)s->n / LIBRARY_SOUND_RATE;
}

/* Integrated loudness (ITU-R BS.1770 / EBU R128 gating) of the 400 ms blocks
 * that lie within samples [a, b): absolute gate -70 LUFS, then a relative gate
 * 10 LU below the loudness of the blocks that pass the first. */
static double gated_loudness(const library_sound *s, size_t a, size_t b)
{
	/* block i covers samples [(i + 1 - BLOCK_HOPS) * BLOCK_HOP, (i + 1) * BLOCK_HOP) */
	size_t first = (a + BLOCK_HOP - 1) / BLOCK_HOP + BLOCK_HOPS - 1, last = b / BLOCK_HOP;
	if (last > s->n_blocks)
		last = s->n_blocks;
	double abs_gate = pow(10.0, (LIBRARY_SILENCE_LUFS + 0.691) / 10.0);
	double sum = 0;
	size_t n = 0;
	for (size_t i = first; i + 1 <= last; i++)
		if (s->block[i] > abs_gate) {
			sum += s->block[i];
			n++;
		}
	if (n == 0)
		return LIBRARY_SILENCE_LUFS;
	double rel_gate = sum / n * 0.1;   /* -10 LU */
	double sum2 = 0;
	size_t n2 = 0;
	for (size_t i = first; i + 1 <= last; i++)
		if (s->block[i] > abs_gate && s->block[i] > rel_gate) {
			sum2 += s->block[i];
			n2++;
		}
	double l = -0.691 + 10 * log10(sum2 / (double)n2);
	return isfinite(l) && l > LIBRARY_SILENCE_LUFS ? l : LIBRARY_SILENCE_LUFS;
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
	*lufs = gated_loudness(s, a, b);
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
	if (s->eb)
		ebur128_destroy(&s->eb);
	free(s->level);
	free(s->band);
	free(s->zcr);
	free(s->voice);
	free(s->block);
	free(s);
}
