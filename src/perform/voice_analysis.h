/*
 * voice_analysis.h - what a voice sounds like, measured: pitch (YIN), pitch
 * range, spectral envelope and centroid; and how far apart two voices are.
 *
 *     perform_voice_profile p, q;
 *     if (perform_voice_analyse(&sample, &p) < 0)   // any rate, any channels
 *         return bj_error_code();
 *     perform_voice_analyse(&speech.audio, &q);
 *     double alpha = perform_formant_scale(&p, &q);  // q's formants times alpha ~ p's
 *     double d = perform_spectral_distance(&p, &q);  // dB
 *
 * Pitch: YIN (de Cheveigné and Kawahara, JASA 111(4), 2002): difference
 * function, cumulative-mean normalisation, absolute threshold 0.15 (else the
 * global minimum if under 0.35), parabolic
 * interpolation; 60..500 Hz, 25 ms window, 10 ms hop, on the audio resampled to
 * 16 kHz mono; frames 35 dB below the loudest are unvoiced.  Statistics keep
 * the voiced frames within a factor 1.8 of the median (octave errors, noise).  Envelope: per
 * voiced frame, the log spectrum smoothed by cepstral liftering (below the
 * pitch period), averaged, sampled on PERFORM_ENVELOPE_BANDS log-spaced
 * frequencies from 150 to 6000 Hz, mean removed (so level does not count).
 */
#pragma once

#include <stddef.h>

#include "media/audio.h"

#define PERFORM_ENVELOPE_BANDS 64
#define PERFORM_ENVELOPE_LO_HZ 150.0
#define PERFORM_ENVELOPE_HI_HZ 6000.0

/* A YIN pitch track: f0[i] in Hz for the frame centred at i * hop + window/2
 * seconds, 0 where unvoiced. */
typedef struct perform_pitch_track {
	float *f0;       /* (n) owned */
	size_t n;
	double hop;      /* seconds */
} perform_pitch_track;

/* Tracks the pitch of n mono samples at rate Hz (any rate >= 8000; resampled
 * to 16 kHz inside).  Returns 0 or a negative code with the error set; *t is
 * set either way (release with perform_pitch_track_release). */
int perform_pitch_track_run(const float *x, size_t n, int rate, perform_pitch_track *t);

void perform_pitch_track_release(perform_pitch_track *t);

typedef struct perform_voice_profile {
	double f0_median;    /* Hz; 0 when nothing was voiced */
	double f0_p10;       /* 10th and 90th percentiles of voiced F0, Hz */
	double f0_p90;
	double f0_range;     /* 12 log2(p90 / p10): semitones */
	double voiced;       /* fraction of frames voiced */
	double centroid;     /* spectral centroid (magnitude-weighted) of voiced frames, Hz */
	float envelope[PERFORM_ENVELOPE_BANDS]; /* dB, mean 0 */
} perform_voice_profile;

/* Measures a (any rate, any channel count; channels averaged).  Returns 0, or
 * BJ_EINVAL "no voiced speech in the sample" with the error set when there is
 * too little (under 0.3 s voiced) to measure. */
int perform_voice_analyse(const media_audio *a, perform_voice_profile *p);

/* RMS difference of two envelopes, dB. */
double perform_spectral_distance(const perform_voice_profile *a, const perform_voice_profile *b);

/* The factor alpha (0.75..1.33) such that source's envelope with every
 * frequency times alpha is closest to target's: a formant scale for Rubber
 * Band. */
double perform_formant_scale(const perform_voice_profile *target,
                             const perform_voice_profile *source);
