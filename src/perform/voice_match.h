/*
 * voice_match.h - make a voice resemble a sample of a real speaker.
 *
 *     perform_voice_setting v;
 *     perform_match_report r;
 *     if (perform_voice_match(&sample, &v, &r) < 0)
 *         return bj_error_code();    // "no voiced speech in the sample (0.12 s voiced)"
 *     ... v is ready for perform_line_render; r says how close it came ...
 *
 * The sample's median F0, F0 range and spectral envelope are measured
 * (voice_analysis.h).  Each base voice (kal's 8 kHz twin aside) reads a fixed
 * calibration passage and is measured the same way; the closest, scored on
 * pitch distance in semitones plus envelope distance, is chosen.  Its shift is
 * the pitch ratio of medians, the formant scale that best lines the envelopes
 * up (within 0.87..1.15), and the ratio of F0 ranges (within 0.5..3); then the
 * shifted voice reads the passage
 * again and the pitch is corrected by what is still off, twice, so the median
 * lands within a percent or two of the target's.
 */
#pragma once

#include "media/audio.h"
#include "perform/voice_line.h"

typedef struct perform_match_report {
	double target_f0;        /* sample's median F0, Hz */
	double target_range;     /* sample's F0 range (p10..p90), semitones */
	double base_f0;          /* the chosen base voice's median F0, Hz */
	double out_f0;           /* the matched voice's median F0, Hz */
	double out_range;        /* and its F0 range, semitones */
	double distance_before;  /* envelope distance sample - base voice, dB */
	double distance_after;   /* sample - matched voice, dB */
} perform_match_report;

/* The passage every voice reads for measuring. */
extern const char perform_calibration_text[];

/* Finds the setting closest to sample into *v and fills *r (may be NULL).
 * Returns 0 or a negative code with the error set. */
int perform_voice_match(const media_audio *sample, perform_voice_setting *v,
                        perform_match_report *r);

/* As perform_voice_match, for a recording in any format FFmpeg reads.  Errors
 * also those of media_audio_load(), and "'<path>': no voiced speech ...". */
int perform_voice_match_file(const char *path, perform_voice_setting *v, perform_match_report *r);

/* "matched awb +3.2st formant 0.95 range 1.20: median F0 180.2 Hz (sample) ->
 * 181.0 Hz, spectral distance 6.1 dB -> 4.2 dB" in buf. */
void perform_match_describe(const perform_voice_setting *v, const perform_match_report *r,
                            char *buf, size_t size);
