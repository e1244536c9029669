/*
 * voice.c - the base voices and synthesis through Flite (flite1-dev 2.2).
 */
#include "perform/voice.h"

#include <cst_cg.h>
#include <flite.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/utf8.h"
#include "media/resample.h"

/* Flite's voice constructors (each libflite_cmu_us_*.so exports one; Flite's
 * headers do not declare them). */
cst_voice *register_cmu_us_kal(const char *voxdir);
cst_voice *register_cmu_us_kal16(const char *voxdir);
cst_voice *register_cmu_us_awb(const char *voxdir);
cst_voice *register_cmu_us_rms(const char *voxdir);
cst_voice *register_cmu_us_slt(const char *voxdir);

/* f0: the median of perform_voice_analyse's YIN track over
 * perform_calibration_text (test_voice_analysis.c's test_base_voice_f0 checks
 * it). */
static const perform_voice_info voices[] = {
	{ "slt", "US English female (Arctic SLT), statistical parametric (clustergen), 16 kHz", 'f', 163, 1 },
	{ "rms", "US English male (Arctic RMS), deep, statistical parametric (clustergen), 16 kHz", 'm', 103, 0 },
	{ "awb", "Scottish English male (Arctic AWB), statistical parametric (clustergen), 16 kHz", 'm', 124, 1 },
	{ "kal16", "US English male (Kal), diphone, 16 kHz: clear, flat", 'm', 87, 1 },
	{ "kal", "US English male (Kal), diphone, 8 kHz: telephone quality, robotic", 'm', 87, 1 },
};

#define N_VOICES (sizeof voices / sizeof voices[0])

static cst_voice *(*const constructors[N_VOICES])(const char *) = {
	register_cmu_us_slt, register_cmu_us_rms, register_cmu_us_awb, register_cmu_us_kal16,
	register_cmu_us_kal,
};

static pthread_mutex_t flite_lock = PTHREAD_MUTEX_INITIALIZER;
static int flite_ready;
static cst_voice *registered[N_VOICES];

size_t perform_voice_count(void)
{
	return N_VOICES;
}

const perform_voice_info *perform_voice_at(size_t i)
{
	BJ_ASSERT(i < N_VOICES);
	return &voices[i];
}

const perform_voice_info *perform_voice_find(const char *name)
{
	for (size_t i = 0; i < N_VOICES; i++)
		if (strcmp(voices[i].name, name) == 0)
			return &voices[i];
	return NULL;
}

/* ASCII readings of the Latin letters U+00C0..U+017F, one byte each; '?' for
 * the few that are not letters (multiplication and division signs). */
static const char latin1[] = "AAAAAAACEEEEIIIIDNOOOOO?OUUUUYTs"
                             "aaaaaaaceeeeiiiidnooooo?ouuuuyty";
static const char latin_ext_a[] = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGg"
                                  "GgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlL"
                                  "lLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSs"
                                  "SsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/* Appends the ASCII reading of code point cp to *buf, or returns -1 when it
 * has none. */
static int transliterate(uint32_t cp, char **buf, size_t *len, size_t *cap)
{
	const char *s = NULL;
	char one[2] = { 0 };
	if (cp < 0x80) {
		one[0] = (char)(cp == '\t' || cp == '\n' || cp == '\r' ? ' ' : cp);
		if (cp < 0x20 && one[0] != ' ')
			return -1;
		s = one;
	} else if (cp == 0xC6) {
		s = "AE";
	} else if (cp == 0xE6) {
		s = "ae";
	} else if (cp == 0xDF) {
		s = "ss";
	} else if (cp == 0x152) {
		s = "OE";
	} else if (cp == 0x153) {
		s = "oe";
	} else if (cp >= 0xC0 && cp <= 0xFF && latin1[cp - 0xC0] != '?') {
		one[0] = latin1[cp - 0xC0];
		s = one;
	} else if (cp >= 0x100 && cp <= 0x17F) {
		one[0] = latin_ext_a[cp - 0x100];
		s = one;
	} else if (cp == 0xA0 || cp == 0xA1 || cp == 0xBF || cp == 0x2009 || cp == 0x202F) {
		s = " "; /* no-break and thin spaces; Spanish opening marks */
	} else if (cp == 0x2018 || cp == 0x2019 || cp == 0x2032) {
		s = "'";
	} else if (cp == 0x201C || cp == 0x201D || cp == 0xAB || cp == 0xBB) {
		s = "\"";
	} else if (cp == 0x2013 || cp == 0x2014) {
		s = ", "; /* a dash is a pause */
	} else if (cp == 0x2026) {
		s = "...";
	} else {
		return -1;
	}
	size_t n = strlen(s);
	bj_grow((void **)buf, cap, *len + n + 1, 1);
	memcpy(*buf + *len, s, n + 1);
	*len += n;
	return 0;
}

/* The text Flite is given: ASCII only, since its lexicon and letter-to-sound
 * rules are English and it reads other bytes as noise.  Returns a new string or
 * NULL with the error set. */
static char *english_text(const char *text)
{
	size_t n = strlen(text);
	if (n > PERFORM_VOICE_MAX_TEXT) {
		bj_error_set(BJ_EINVAL, "text is %zu bytes, limit %d", n, PERFORM_VOICE_MAX_TEXT);
		return NULL;
	}
	size_t bad;
	if (!bj_utf8_validate(text, n, &bad)) {
		bj_error_set(BJ_EINVAL, "invalid UTF-8 at byte %zu", bad);
		return NULL;
	}
	char *out = NULL;
	size_t len = 0, cap = 0;
	bj_grow((void **)&out, &cap, 1, 1);
	out[0] = 0;
	int speakable = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int k = bj_utf8_decode(text + i, n - i, &cp);
		BJ_ASSERT(k > 0);
		if (transliterate(cp, &out, &len, &cap) < 0) {
			char c[BJ_UTF8_MAX + 1] = { 0 };
			memcpy(c, text + i, (size_t)k);
			bj_error_set(BJ_EINVAL, "cannot speak '%.40s': no English reading for '%s' (U+%04X)",
			             text, c, (unsigned)cp);
			free(out);
			return NULL;
		}
		i += (size_t)k;
	}
	for (size_t i = 0; i < len; i++)
		if ((out[i] >= '0' && out[i] <= '9') || ((out[i] | 32) >= 'a' && (out[i] | 32) <= 'z'))
			speakable = 1;
	if (!speakable) {
		free(out);
		bj_error_set(BJ_EINVAL, "nothing to say");
		return NULL;
	}
	return out;
}

char *perform_voice_ascii(const char *text)
{
	size_t n = strlen(text), len = 0, cap = 0;
	char *out = NULL;
	bj_grow((void **)&out, &cap, 1, 1);
	out[0] = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int k = bj_utf8_decode(text + i, n - i, &cp);
		transliterate(cp, &out, &len, &cap); /* nothing is added when it fails */
		i += (size_t)(k > 0 ? k : 1);
	}
	return out;
}

/* Runs Flite on text.  Called with flite_lock held. */
static cst_utterance *flite_run(size_t v, const char *text, const perform_synth_options *o)
{
	if (!flite_ready) {
		flite_init();
		flite_ready = 1;
	}
	if (!registered[v])
		registered[v] = constructors[v](NULL);
	cst_voice *vox = registered[v];
	cst_utterance *u = new_utterance();
	utt_set_input_text(u, text);
	utt_init(u, vox);
	/* Utterance features are searched before the voice's (utt_init links the
	 * voice's features in behind them), so the voice itself stays unchanged. */
	feat_set_float(u->features, "duration_stretch", (float)o->stretch);
	/* Both the diphone and the clustergen intonation multiply their mean F0
	 * by f0_shift and scale deviations from it to int_f0_target_stddev, whose
	 * default is the voice's own: kal's in its features, a clustergen voice's
	 * in its database (cst_cg.c, cst_synth.c). */
	feat_set_float(u->features, "f0_shift", (float)o->f0_shift);
	if (o->f0_range != 1.0 || o->f0_shift != 1.0) {
		/* Deviations scale with the mean, so a shifted voice keeps its
		 * intonation in semitones. */
		float mean, sd;
		if (feat_present(vox->features, "cg_db")) {
			const cst_cg_db *db = val_cg_db(feat_val(vox->features, "cg_db"));
			mean = db->f0_mean;
			sd = db->f0_stddev;
		} else {
			mean = get_param_float(vox->features, "int_f0_target_mean", 100.0f);
			sd = get_param_float(vox->features, "int_f0_target_stddev", 12.0f);
		}
		feat_set_float(u->features, "int_f0_target_mean", mean);
		feat_set_float(u->features, "int_f0_target_stddev", (float)(sd * o->f0_shift * o->f0_range));
	}
	/* Clustergen excites unvoiced sounds with noise from the C library's
	 * rand(), whose state is process-wide: seeding it here, under the lock,
	 * makes an utterance the same whatever was spoken before it (and on
	 * whichever thread).  srand is banned in our own code (banned.h) for
	 * exactly that global state; the parentheses get past the ban for this
	 * one call, which exists to tame it. */
	(srand)(1);
	return flite_do_synth(u, vox, utt_synth);
}

/* Copies the timings of u into sp.  Called with flite_lock held. */
static void take_timings(cst_utterance *u, perform_speech *sp)
{
	size_t cap = 0;
	double t = 0;
	for (cst_item *s = relation_head(utt_relation(u, "Segment")); s; s = item_next(s)) {
		bj_grow((void **)&sp->phones, &cap, sp->n_phones + 1, sizeof *sp->phones);
		perform_phone *p = &sp->phones[sp->n_phones++];
		snprintf(p->name, sizeof p->name, "%s", item_name(s));
		p->start = t;
		p->end = fmax(t, item_feat_float(s, "end"));
		t = p->end;
	}
	cap = 0;
	for (cst_item *w = relation_head(utt_relation(u, "Word")); w; w = item_next(w)) {
		const cst_item *first = path_to_item(w, "R:SylStructure.daughter1.daughter1.R:Segment");
		const cst_item *last = path_to_item(w, "R:SylStructure.daughtern.daughtern.R:Segment");
		if (!first || !last)
			continue; /* a word with no phones: nothing to time */
		bj_grow((void **)&sp->words, &cap, sp->n_words + 1, sizeof *sp->words);
		perform_word *pw = &sp->words[sp->n_words++];
		pw->text = bj_xstrdup(item_feat_string(w, "name"));
		const cst_item *before = item_prev(first);
		pw->start = before ? item_feat_float(before, "end") : 0.0;
		pw->end = item_feat_float(last, "end");
	}
}

int perform_voice_synth(const char *voice, const char *text, const perform_synth_options *o,
                        perform_speech *out)
{
	memset(out, 0, sizeof *out);
	media_audio_init(&out->audio, PERFORM_VOICE_RATE, 1);
	const perform_voice_info *info = perform_voice_find(voice);
	if (!info)
		return bj_error_set(BJ_ENOENT, "no voice '%s'; see 'benjamin voices'", voice);
	if (!(o->stretch >= 0.25 && o->stretch <= 4) || !(o->f0_shift >= 0.25 && o->f0_shift <= 4) ||
	    !(o->f0_range >= 0 && o->f0_range <= 10))
		return bj_error_set(BJ_EINVAL, "synthesis settings out of range");
	char *clean = english_text(text);
	if (!clean)
		return bj_error_code();
	size_t v = (size_t)(info - voices);

	pthread_mutex_lock(&flite_lock);
	cst_utterance *u = flite_run(v, clean, o);
	cst_wave *w = u ? utt_wave(u) : NULL;
	if (!w || w->num_samples <= 0 || w->sample_rate <= 0) {
		if (u)
			delete_utterance(u);
		pthread_mutex_unlock(&flite_lock);
		free(clean);
		return bj_error_set(BJ_EINVAL, "cannot speak '%.40s': Flite made no sound", text);
	}
	media_audio *a = &out->audio;
	media_audio_init(a, w->sample_rate, 1);
	int ch = w->num_channels > 0 ? w->num_channels : 1;
	size_t frames = (size_t)(w->num_samples / ch);
	media_audio_reserve(a, frames);
	for (size_t i = 0; i < frames; i++)
		a->samples[i] = (float)w->samples[i * (size_t)ch] / 32768.0f;
	a->frames = frames;
	take_timings(u, out);
	delete_utterance(u);
	pthread_mutex_unlock(&flite_lock);
	free(clean);

	/* Diphone voices end their wave a little before their last segment: pad
	 * with silence, then let the last phone run to the end of the audio, so
	 * the timings and the audio end together. */
	size_t want = (size_t)ceil(perform_speech_end(out) * a->rate);
	if (want > a->frames) {
		size_t pad = want - a->frames;
		media_audio_reserve(a, pad);
		memset(a->samples + a->frames, 0, pad * sizeof(float));
		a->frames = want;
	}
	if (out->n_phones)
		out->phones[out->n_phones - 1].end = media_audio_duration(a);
	return 0;
}

int perform_speech_resample(perform_speech *sp, int rate)
{
	media_audio r;
	int ret = media_audio_resample(&sp->audio, rate, &r);
	if (ret < 0) {
		media_audio_release(&r);
		return ret;
	}
	media_audio_release(&sp->audio);
	sp->audio = r;
	if (sp->n_phones)
		sp->phones[sp->n_phones - 1].end = media_audio_duration(&sp->audio);
	return 0;
}

void perform_speech_release(perform_speech *sp)
{
	if (!sp)
		return;
	media_audio_release(&sp->audio);
	for (size_t i = 0; i < sp->n_words; i++)
		free(sp->words[i].text);
	free(sp->words);
	free(sp->phones);
	memset(sp, 0, sizeof *sp);
}

void perform_speech_scale_times(perform_speech *sp, double scale)
{
	for (size_t i = 0; i < sp->n_words; i++) {
		sp->words[i].start *= scale;
		sp->words[i].end *= scale;
	}
	for (size_t i = 0; i < sp->n_phones; i++) {
		sp->phones[i].start *= scale;
		sp->phones[i].end *= scale;
	}
}

void perform_speech_shift_times(perform_speech *sp, double seconds)
{
	for (size_t i = 0; i < sp->n_words; i++) {
		sp->words[i].start += seconds;
		sp->words[i].end += seconds;
	}
	for (size_t i = 0; i < sp->n_phones; i++) {
		sp->phones[i].start += seconds;
		sp->phones[i].end += seconds;
	}
}

double perform_speech_end(const perform_speech *sp)
{
	return sp->n_phones ? sp->phones[sp->n_phones - 1].end : 0.0;
}
