/*
 * voice_line.h - one line of dialogue spoken end to end: a character's voice
 * (a base voice and its shifts), the delivery the script asks for, an optional
 * filter, pauses, and loudness normalisation.
 *
 *     perform_voice_setting v = PERFORM_VOICE_SETTING("awb");
 *     v.semitones = -2;
 *     perform_line_options o = PERFORM_LINE_DEFAULTS;
 *     perform_delivery_parenthetical(&o.delivery, "(quietly)");
 *     perform_speech sp;
 *     if (perform_line_render(&v, "Not now.", &o, &sp) < 0)
 *         return bj_error_code();
 *     ... write sp.audio; sp.words and sp.phones are its timings ...
 *     perform_speech_release(&sp);
 *
 * Order: Flite speaks with the delivery's rate, pitch and range (so timings
 * stay exact) and, for voices whose intonation it can move (flite_pitch), the
 * voice's pitch shift too; Rubber Band applies the formant and rate shift (and
 * the pitch shift of the other voices),
 * the filter colours it, silence goes around it, and the whole is normalised to
 * target_lufs + delivery.volume_db with true peak under ceiling_db.  The same
 * arguments give the same samples.
 */
#pragma once

#include "perform/voice.h"
#include "perform/voice_filter.h"
#include "perform/voice_prosody.h"
#include "perform/voice_shift.h"

/* A character's voice. */
typedef struct perform_voice_setting {
	char voice[16];     /* base voice name */
	perform_shift shift; /* Rubber Band pitch/rate/formant */
	double range;       /* F0 range factor given to Flite; 1 = natural */
} perform_voice_setting;

#define PERFORM_VOICE_SETTING(name) ((perform_voice_setting){ name, { 0.0, 1.0, 1.0 }, 1.0 })

typedef struct perform_line_options {
	perform_delivery delivery;
	perform_filter filter;
	double target_lufs;  /* integrated loudness of a neutral line */
	double ceiling_db;   /* true-peak ceiling, dBTP */
} perform_line_options;

#define PERFORM_LINE_DEFAULTS \
	((perform_line_options){ PERFORM_DELIVERY_NEUTRAL, PERFORM_FILTER_NONE, -16.0, -1.0 })

/* Speaks text in voice v with options o into out (initialised here; release
 * with perform_speech_release either way).  Returns 0 or a negative code with
 * the error set (perform_voice_synth's and perform_speech_shift's). */
int perform_line_render(const perform_voice_setting *v, const char *text,
                        const perform_line_options *o, perform_speech *out);

/* "awb -2.0st formant 0.95 rate 1.10": the setting in a few words, in buf. */
void perform_voice_setting_describe(const perform_voice_setting *v, char *buf, size_t size);
