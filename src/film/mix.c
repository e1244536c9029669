#include "film/mix.h"

#include <ebur128.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

#define EDGE_FADE 0.005

static double db_to_gain(double db)
{
	return pow(10.0, db / 20.0);
}

void film_mix_duck_weights(const film_timeline *t, const film_bed *bed, int rate, float *w,
                           size_t frames)
{
	memset(w, 0, frames * sizeof *w);
	for (size_t i = 0; i < t->n_lines; i++) {
		const film_line *l = &t->lines[i];
		double s = l->at, e = l->at + l->duration;
		double a = s - bed->attack, r = e + bed->release;
		size_t k0 = a <= 0 ? 0 : (size_t)floor(a * rate);
		size_t k1 = (size_t)ceil(r * rate) + 1;
		if (k1 > frames)
			k1 = frames;
		for (size_t k = k0; k < k1; k++) {
			double x = (double)k / rate, v;
			if (x < s)
				v = bed->attack > 0 ? (x - a) / bed->attack : 0;
			else if (x <= e)
				v = 1;
			else
				v = bed->release > 0 ? (r - x) / bed->release : 0;
			v = fmin(fmax(v, 0), 1);
			if (v > w[k])
				w[k] = (float)v;
		}
	}
}

/* Adds src frames [from, from + n) to dst at frame at, times the bed's gain
 * (its dB plus the duck weights w, per destination frame; 1 without a bed),
 * fading in over EDGE_FADE when fade is set and out over `tail` seconds
 * (EDGE_FADE when 0), so cuts do not click and a score cut by the end of the
 * film ends gently. */
static void add(media_audio *dst, const media_audio *src, size_t from, size_t at, size_t n,
                const float *w, const film_bed *bed, int fade, double tail)
{
	if (from >= src->frames || at >= dst->frames)
		return;
	if (n > src->frames - from)
		n = src->frames - from;
	if (n > dst->frames - at)
		n = dst->frames - at;
	size_t edge = fade ? (size_t)(EDGE_FADE * dst->rate) : 0;
	size_t out = fade ? (size_t)(fmax(tail, EDGE_FADE) * dst->rate) : 0;
	if (out > n / 2)
		out = n / 2;
	int ch = dst->channels;
	for (size_t k = 0; k < n; k++) {
		double g = 1;
		if (bed)
			g = db_to_gain(bed->gain_db + bed->duck_db * w[at + k]);
		if (k < edge)
			g *= (double)k / edge;
		if (n - k <= out)
			g *= (double)(n - k) / out;
		for (int c = 0; c < ch; c++)
			dst->samples[(at + k) * ch + c] += (float)(g * src->samples[(from + k) * ch + c]);
	}
}

/* Loads [start, start + duration) of path's sound (all of it when duration is
 * negative); a file without sound gives an empty buffer. */
static int load(const char *path, int rate, double start, double duration, media_audio *a)
{
	media_audio_release(a);
	int ret = duration < 0 ? media_audio_load(path, rate, 2, a)
	                       : media_audio_load_range(path, rate, 2, start, duration, a);
	if (ret == BJ_ENOENT && strstr(bj_error_message(), "no audio stream")) {
		media_audio_init(a, rate, 2);
		ret = 0;
	}
	return ret;
}

static size_t at_rate(double seconds, int rate)
{
	return seconds <= 0 ? 0 : (size_t)llround(seconds * rate);
}

size_t film_mix_frames(int64_t video_frames, int fps_num, int fps_den, int rate)
{
	return (size_t)(video_frames * rate * fps_den / fps_num);
}

int film_mix_build(const film_timeline *t, int fps_num, int fps_den, int rate, media_audio *out)
{
	size_t frames = film_mix_frames(film_frames(film_timeline_duration(t), fps_num, fps_den),
	                                fps_num, fps_den, rate);
	media_audio_init(out, rate, 2);
	media_audio_reserve(out, frames);
	memset(out->samples, 0, frames * 2 * sizeof(float));
	out->frames = frames;
	float *w = bj_xcalloc(frames ? frames : 1, sizeof *w);
	media_audio src = { 0 };
	int ret = 0;

	film_span *spans = bj_xcalloc(t->n_clips ? t->n_clips : 1, sizeof *spans);
	film_timeline_spans(t, fps_num, fps_den, spans);
	film_mix_duck_weights(t, &t->ambience, rate, w, frames);
	for (size_t i = 0; i < t->n_clips && ret == 0; i++) {
		const film_clip *c = &t->clips[i];
		if (c->still)
			continue;
		/* Only the clip's stretch is decoded: sources may be whole films. */
		double fps = (double)fps_num / fps_den;
		double len = (double)(spans[i].rec_out - spans[i].rec_in) / fps;
		if ((ret = load(c->source, rate, (double)spans[i].src_in / fps, len, &src)) < 0)
			break;
		add(out, &src, 0, at_rate(spans[i].rec_in / fps, rate), at_rate(len, rate), w,
		    &t->ambience, 1, 0);
	}
	if (ret == 0 && t->score.audio && (ret = load(t->score.audio, rate, 0, -1, &src)) == 0) {
		film_mix_duck_weights(t, &t->score, rate, w, frames);
		size_t at = at_rate(t->score.at, rate);
		/* Cut short by the end of the film: fade out over the last 3 seconds. */
		double tail = at + src.frames > frames ? 3.0 : 0;
		add(out, &src, 0, at, src.frames, w, &t->score, 1, tail);
	}
	for (size_t i = 0; i < t->n_lines && ret == 0; i++) {
		const film_line *l = &t->lines[i];
		if ((ret = load(l->audio, rate, 0, -1, &src)) == 0)
			add(out, &src, 0, at_rate(l->at, rate), src.frames, NULL, NULL, 0, 0);
	}
	free(spans);
	free(w);
	media_audio_release(&src);
	if (ret < 0)
		media_audio_release(out);
	return ret;
}

void film_mix_measure(const media_audio *a, double *lufs, double *true_peak_db)
{
	ebur128_state *st = ebur128_init((unsigned)a->channels, (unsigned long)a->rate,
	                                 EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK);
	BJ_ASSERT(st);
	double l = -HUGE_VAL, peak = 0;
	if (a->frames > 0 && ebur128_add_frames_float(st, a->samples, a->frames) == EBUR128_SUCCESS &&
	    ebur128_loudness_global(st, &l) != EBUR128_SUCCESS)
		l = -HUGE_VAL;
	for (int c = 0; c < a->channels; c++) {
		double p;
		if (ebur128_true_peak(st, (unsigned)c, &p) == EBUR128_SUCCESS && p > peak)
			peak = p;
	}
	ebur128_destroy(&st);
	*lufs = isfinite(l) ? l : -HUGE_VAL;
	*true_peak_db = peak > 0 ? 20 * log10(peak) : -HUGE_VAL;
}

/* A look-ahead limiter: the gain needed at each frame for its sample peak to
 * stay under ceiling, spread backwards over the attack (so the gain is already
 * down when the peak comes) and forwards over the release, both exponential,
 * never above the need.  Returns the deepest reduction in dB. */
static double limit(media_audio *a, double ceiling, float *g)
{
	int ch = a->channels;
	size_t n = a->frames;
	double up_attack = exp(log(1e3) / (0.0015 * a->rate));   /* 60 dB over 1.5 ms */
	double up_release = exp(log(1e3) / (0.050 * a->rate));   /* 60 dB over 50 ms */
	for (size_t k = 0; k < n; k++) {
		double peak = 0;
		for (int c = 0; c < ch; c++)
			peak = fmax(peak, fabs(a->samples[k * ch + c]));
		g[k] = peak > ceiling ? (float)(ceiling / peak) : 1.0f;
	}
	for (size_t k = n; k-- > 1;)
		g[k - 1] = fminf(g[k - 1], (float)fmin(1.0, g[k] * up_attack));
	for (size_t k = 1; k < n; k++)
		g[k] = fminf(g[k], (float)fmin(1.0, g[k - 1] * up_release));
	double least = 1;
	for (size_t k = 0; k < n; k++) {
		least = fmin(least, g[k]);
		for (int c = 0; c < ch; c++)
			a->samples[k * ch + c] *= g[k];
	}
	return 20 * log10(least);
}

static void scale(media_audio *a, double gain)
{
	size_t n = a->frames * (size_t)a->channels;
	for (size_t i = 0; i < n; i++)
		a->samples[i] = (float)(a->samples[i] * gain);
}

void film_mix_normalise(media_audio *a, double target_lufs, double ceiling_db, film_loudness *rep)
{
	film_loudness r = { 0 };
	double tp;
	film_mix_measure(a, &r.input_lufs, &tp);
	r.lufs = r.input_lufs;
	r.true_peak_db = tp;
	if (!isfinite(r.input_lufs)) {
		if (rep)
			*rep = r;
		return;
	}
	float *g = bj_xcalloc(a->frames ? a->frames : 1, sizeof *g);
	/* The limiter lowers the loudness a little and raising it again makes new
	 * peaks: a few rounds settle both. */
	double sample_ceiling = ceiling_db - 0.5;
	for (int round = 0; round < 6; round++) {
		double gain_db = target_lufs - r.lufs;
		scale(a, db_to_gain(gain_db));
		r.gain_db += gain_db;
		r.limited_db = fmin(r.limited_db, limit(a, db_to_gain(sample_ceiling), g));
		film_mix_measure(a, &r.lufs, &r.true_peak_db);
		if (r.true_peak_db > ceiling_db)
			sample_ceiling -= r.true_peak_db - ceiling_db + 0.05;
		else if (fabs(r.lufs - target_lufs) <= 0.1)
			break;
	}
	free(g);
	/* Still over after the rounds (rare): the last fraction of a dB by gain. */
	if (r.true_peak_db > ceiling_db) {
		scale(a, db_to_gain(ceiling_db - r.true_peak_db - 0.02));
		film_mix_measure(a, &r.lufs, &r.true_peak_db);
	}
	if (rep)
		*rep = r;
}
