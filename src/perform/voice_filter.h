/*
 * voice_filter.h - colour a voice as heard through a telephone or a radio,
 * or from the next room, for (V.O.) and (O.S.) lines.
 *
 *     perform_filter_apply(&speech.audio, PERFORM_FILTER_PHONE);
 *
 * phone:    band-pass 300..3400 Hz (4th-order Butterworth sections), light
 *           saturation: the narrowband telephone channel (ITU-T G.712).
 * radio:    band-pass 500..2800 Hz, harder saturation: a small speaker.
 * distance: low-pass 2.5 kHz and a few early reflections (12..47 ms): a voice
 *           from off screen.
 * Biquads after the Audio EQ Cookbook (R. Bristow-Johnson).
 */
#pragma once

#include "media/audio.h"

typedef enum perform_filter {
	PERFORM_FILTER_NONE,
	PERFORM_FILTER_PHONE,
	PERFORM_FILTER_RADIO,
	PERFORM_FILTER_DISTANCE,
} perform_filter;

/* The filter called name ("none", "phone", "radio", "distance"); -1 if none is. */
int perform_filter_parse(const char *name);

/* Its name. */
const char *perform_filter_name(perform_filter f);

/* Filters a (mono) in place. */
void perform_filter_apply(media_audio *a, perform_filter f);
