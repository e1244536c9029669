/*
 * voice.h - speech synthesis with Flite: the base voices, and one utterance
 * synthesised into a 48 kHz float buffer with word and phoneme timings.
 *
 *     perform_speech sp;
 *     perform_synth_options o = PERFORM_SYNTH_DEFAULTS;
 *     if (perform_voice_synth("slt", "Hello, Dr. Smith.", &o, &sp) < 0)
 *         return bj_error_code();     // "cannot speak 'Hello…': no English reading for '字'"
 *     ... sp.audio (mono, Flite's rate), sp.words[i], sp.phones[i] ...
 *     if (perform_speech_resample(&sp, PERFORM_VOICE_RATE) < 0) ...
 *     perform_speech_release(&sp);
 *
 * The voices are those Debian's flite1-dev ships (kal, kal16, awb, rms, slt),
 * registered on first use.  Flite's own text analysis speaks numbers ("3:45",
 * "12"), abbreviations ("Dr.") and punctuation; letters with accents are read
 * as their base letter ("José" as "Jose"); text with no English reading (other
 * scripts, symbols) is refused with a message naming the character.
 * Timings come from Flite's Segment relation (phonemes, with "pau" for pauses)
 * and Word relation (first to last segment of each word), in seconds from the
 * start of the audio; the audio is as long as the last segment.  Synthesis gives Flite's
 * own rate (16 kHz, 8 kHz for kal), so that shifting, which costs more than
 * synthesis, runs on fewer samples; perform_speech_resample() brings it to 48 kHz.
 * Flite keeps global state (lexicon, voice list) without locks, so synthesis
 * is serialised by a mutex inside; every other step may run in parallel.  The
 * same text, voice and options give the same samples, whatever ran before.
 */
#pragma once

#include <stddef.h>

#include "media/audio.h"

/* The sample rate of every buffer perform makes. */
#define PERFORM_VOICE_RATE 48000

/* The most bytes of text one utterance may have. */
#define PERFORM_VOICE_MAX_TEXT 8192

/* A base voice. */
typedef struct perform_voice_info {
	const char *name;        /* "slt" */
	const char *description; /* one line for `benjamin voices` */
	char sex;                /* 'f' or 'm' */
	double f0;               /* median F0 in Hz reading the calibration passage */
	int flite_pitch;         /* 1 when Flite's own F0 follows f0_shift and f0_range
	                          * (rms's does not: its pitch is moved by Rubber Band) */
} perform_voice_info;

/* The number of base voices. */
size_t perform_voice_count(void);

/* Base voice i (< perform_voice_count()), in a fixed order. */
const perform_voice_info *perform_voice_at(size_t i);

/* The base voice called name, or NULL. */
const perform_voice_info *perform_voice_find(const char *name);

typedef struct perform_phone {
	char name[8];  /* Flite's phone name ("ah", "pau") */
	double start;  /* seconds */
	double end;
} perform_phone;

typedef struct perform_word {
	char *text;    /* owned; the word as Flite normalised it ("doctor", "forty") */
	double start;  /* seconds */
	double end;
} perform_word;

/* An utterance: its audio and timings (owned; perform_speech_release frees). */
typedef struct perform_speech {
	media_audio audio;      /* mono */
	perform_word *words;    /* (n_words) in order */
	size_t n_words;
	perform_phone *phones;  /* (n_phones) in order, contiguous from 0 */
	size_t n_phones;
} perform_speech;

/* What Flite itself changes while it speaks. */
typedef struct perform_synth_options {
	double stretch;  /* durations times this (Flite's duration_stretch); 1 = natural */
	double f0_shift; /* mean F0 times this (int_f0_target_mean); 1 = natural */
	double f0_range; /* F0 deviation times this (int_f0_target_stddev); 1 = natural */
} perform_synth_options;

#define PERFORM_SYNTH_DEFAULTS ((perform_synth_options){ 1.0, 1.0, 1.0 })

/* Synthesises text (UTF-8) with the base voice named voice into out
 * (initialised here; release with perform_speech_release either way).  Returns
 * 0, or a negative code with the error set: BJ_ENOENT "no voice 'x'; see
 * 'benjamin voices'", BJ_EINVAL "nothing to say" (empty or only spaces and
 * punctuation), "text is N bytes, limit M", "cannot speak '<text>': no English
 * reading for 'c'", "invalid UTF-8", or option values out of range. */
int perform_voice_synth(const char *voice, const char *text, const perform_synth_options *o,
                        perform_speech *out);

/* Resamples sp's audio to rate Hz in place (timings do not change).  Returns
 * 0 or a negative code with the error set and sp unchanged. */
int perform_speech_resample(perform_speech *sp, int rate);

/* The ASCII reading of UTF-8 text as the synthesiser gets it ("Élodie" ->
 * "Elodie", curly quotes straight, dashes ", "), with characters that have no
 * reading left out.  Returns a new string (free()). */
char *perform_voice_ascii(const char *text);

/* Frees what sp holds and zeroes it.  Safe on a zeroed struct. */
void perform_speech_release(perform_speech *sp);

/* Multiplies every timing by scale (a time stretch). */
void perform_speech_scale_times(perform_speech *sp, double scale);

/* Moves every timing later by seconds (silence put before the audio). */
void perform_speech_shift_times(perform_speech *sp, double seconds);

/* The time of the end of the last phone, 0 with none. */
double perform_speech_end(const perform_speech *sp);
