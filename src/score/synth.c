#include "score/synth.h"

#include <fluidsynth.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/error.h"

struct score_synth {
	fluid_settings_t *settings;
	fluid_synth_t *synth;    /* the one rendering, or NULL */
	char *sf2;
	int rate;
};

/* A new synth with the SoundFont loaded.  A fresh one for every render: a
 * synth reset with fluid_synth_system_reset does not play the same samples
 * again (its effects keep some state), a new one does. */
static int make_synth(score_synth *s)
{
	s->synth = new_fluid_synth(s->settings);
	if (!s->synth)
		return bj_error_set(BJ_ENOMEM, "cannot make a FluidSynth synth");
	if (fluid_synth_sfload(s->synth, s->sf2, 1) == FLUID_FAILED) {
		delete_fluid_synth(s->synth);
		s->synth = NULL;
		return bj_error_set(BJ_EFORMAT, "'%s': not a SoundFont FluidSynth can load", s->sf2);
	}
	return 0;
}

int score_synth_open(const char *sf2, int rate, score_synth **out)
{
	*out = NULL;
	struct stat st;
	if (stat(sf2, &st) != 0)
		return bj_error_set(BJ_ENOENT, "'%s': No such file or directory", sf2);
	/* FluidSynth logs to stderr; library code does not. */
	for (int level = FLUID_PANIC; level <= FLUID_DBG; level++)
		fluid_set_log_function(level, NULL, NULL);
	score_synth *s = bj_xcalloc(1, sizeof(*s));
	s->rate = rate;
	s->settings = new_fluid_settings();
	if (!s->settings) {
		free(s);
		return bj_error_set(BJ_ENOMEM, "cannot make FluidSynth settings");
	}
	fluid_settings_setnum(s->settings, "synth.sample-rate", (double)rate);
	fluid_settings_setint(s->settings, "synth.threadsafe-api", 0);
	fluid_settings_setint(s->settings, "synth.cpu-cores", 1);
	fluid_settings_setint(s->settings, "synth.reverb.active", 1);
	fluid_settings_setint(s->settings, "synth.chorus.active", 1);
	fluid_settings_setnum(s->settings, "synth.gain", 0.4);
	fluid_settings_setint(s->settings, "synth.polyphony", 256);
	s->sf2 = bj_xstrdup(sf2);
	int ret = make_synth(s);   /* checks the SoundFont now */
	if (ret < 0) {
		score_synth_close(s);
		return ret;
	}
	delete_fluid_synth(s->synth);
	s->synth = NULL;
	*out = s;
	return 0;
}

void score_synth_close(score_synth *s)
{
	if (!s)
		return;
	if (s->synth)
		delete_fluid_synth(s->synth);
	if (s->settings)
		delete_fluid_settings(s->settings);
	free(s->sf2);
	free(s);
}

struct msg {
	int64_t frame;
	int off;
	int channel, pitch, velocity;
};

static int cmp_msg(const void *a, const void *b)
{
	const struct msg *x = a, *y = b;
	if (x->frame != y->frame)
		return x->frame < y->frame ? -1 : 1;
	if (x->off != y->off)
		return y->off - x->off;
	if (x->channel != y->channel)
		return x->channel - y->channel;
	return x->pitch - y->pitch;
}

/* Renders frames [a->frames, upto) into out. */
static void render_to(score_synth *s, media_audio *out, size_t upto)
{
	while (out->frames < upto) {
		size_t n = upto - out->frames;
		if (n > 4096)
			n = 4096;
		media_audio_reserve(out, n);
		float *p = out->samples + out->frames * 2;
		fluid_synth_write_float(s->synth, (int)n, p, 0, 2, p, 1, 2);
		out->frames += n;
	}
}

int score_synth_render(score_synth *s, const score_arrangement *a, size_t tail_frames,
                       media_audio *out)
{
	media_audio_init(out, s->rate, 2);
	int ret = make_synth(s);
	if (ret < 0)
		return ret;
	for (int ch = 0; ch < SCORE_CHANNELS; ch++)
		fluid_synth_program_change(s->synth, ch, a->program[ch]);
	size_t total = (size_t)llround(a->seconds * s->rate);
	struct msg *m = bj_xmalloc((2 * a->n + 1) * sizeof(*m));
	size_t n = 0;
	for (size_t i = 0; i < a->n; i++) {
		const score_event *e = &a->events[i];
		int64_t f0 = llround(score_arrangement_time(a, e->tick) * s->rate);
		int64_t f1 = llround(score_arrangement_time(a, e->tick + e->dur) * s->rate);
		if (f0 >= (int64_t)total)
			continue;
		if (f1 > (int64_t)total)
			f1 = (int64_t)total;
		m[n++] = (struct msg){ f0, 0, e->channel, e->pitch, e->velocity };
		m[n++] = (struct msg){ f1, 1, e->channel, e->pitch, 0 };
	}
	qsort(m, n, sizeof(*m), cmp_msg);
	for (size_t i = 0; i < n; i++) {
		render_to(s, out, (size_t)m[i].frame);
		if (m[i].off)
			fluid_synth_noteoff(s->synth, m[i].channel, m[i].pitch);
		else
			fluid_synth_noteon(s->synth, m[i].channel, m[i].pitch, m[i].velocity);
	}
	render_to(s, out, total);
	fluid_synth_all_notes_off(s->synth, -1);
	render_to(s, out, total + tail_frames);
	free(m);
	delete_fluid_synth(s->synth);
	s->synth = NULL;
	return 0;
}
