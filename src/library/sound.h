/*
 * sound.h - what a shot sounds like: integrated loudness (EBU R128, libebur128)
 * and a voice-activity measure (the fraction of the shot judged speech).
 *
 *     library_sound *snd;
 *     if (library_sound_load("reel.mp4", &snd) < 0)    // the film's whole soundtrack
 *         return bj_error_code();
 *     double lufs, speech;
 *     library_sound_measure(snd, 12.0, 15.5, &lufs, &speech);
 *     library_sound_free(snd);
 *
 * The soundtrack is decoded to 16 kHz mono and analysed as it streams in
 * (library_sound_begin/feed/end): only per-20 ms features and per-100 ms
 * loudness are kept, about 700 bytes a second (5 MB for two hours; the samples
 * themselves would be 460 MB).  Loudness is integrated with the EBU R128 / ITU-R
 * BS.1770 gating over the 400 ms blocks (stepped by 100 ms) that lie inside the
 * asked span, from libebur128's momentary loudness.  Voice activity is a heuristic, not a model: a 20 ms frame
 * is voice when its level is well above the soundtrack's noise floor, its
 * zero-crossing rate is that of voiced or fricative speech, and the speech-band
 * (250-3500 Hz) level around it (1 s) rises and falls by more than 10 dB as
 * syllables do (speech is modulated at 2-8 Hz; steady music and hum are not);
 * 0.3 s either side of a voice frame counts as speech too.  Measured on the
 * shared data (whole files): talking heads 0.56-1.00, read and film speech
 * 0.33-0.97 (a noisy 1968 newscast 0.00), cartoon music 0.15; silence, noise
 * and tones 0; see tests/library/test_library.c.
 */
#pragma once

#include <stddef.h>

typedef struct library_sound library_sound;

#define LIBRARY_SOUND_RATE 16000
#define LIBRARY_SILENCE_LUFS (-70.0)

/* Loads and analyses path's best audio stream.  Returns 0 and *out (free with
 * library_sound_free), or a negative code with the error set (as
 * media_audio_load: "'<path>': no audio stream", corrupt or truncated data). */
int library_sound_load(const char *path, library_sound **out);

/* Analyses samples already in memory (mono, LIBRARY_SOUND_RATE). */
library_sound *library_sound_new(const float *samples, size_t n);

/* The streaming form: begin, feed the samples in order in pieces of any size,
 * end (the voice decisions need the whole track's noise floor), then measure. */
library_sound *library_sound_begin(void);
void library_sound_feed(library_sound *s, const float *samples, size_t n);
void library_sound_end(library_sound *s);

/* Loudness (LUFS, LIBRARY_SILENCE_LUFS when silent or shorter than 0.4 s) and the
 * fraction of voice frames (0..1) between t0 and t1 seconds; after end. */
void library_sound_measure(const library_sound *s, double t0, double t1, double *lufs, double *speech);

/* Seconds of sound held. */
double library_sound_duration(const library_sound *s);

void library_sound_free(library_sound *s);
