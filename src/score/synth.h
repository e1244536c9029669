/*
 * synth.h - an arrangement played through FluidSynth with a General MIDI
 * SoundFont, offline (no audio driver), to float stereo at a chosen rate.
 *
 *     score_synth *s;
 *     score_synth_open(SCORE_SOUNDFONT, 48000, &s);     // loads the SoundFont once
 *     score_synth_render(s, &arrangement, 0, &audio);    // exactly its seconds
 *     score_synth_close(s);
 *
 * Events land on the audio frame nearest their time in the arrangement's tempo
 * map.  Each render runs on a new FluidSynth synth (reverb and chorus on), so
 * the same arrangement gives the same samples, render after render.
 */
#pragma once

#include <stddef.h>

#include "media/audio.h"
#include "score/arrange.h"

/* Debian's fluid-soundfont-gm. */
#define SCORE_SOUNDFONT "/usr/share/sounds/sf2/FluidR3_GM.sf2"

typedef struct score_synth score_synth;

/* A synth at rate Hz with the SoundFont sf2 loaded.  Returns 0, or
 * BJ_ENOENT / BJ_EFORMAT ("'<sf2>': not a SoundFont FluidSynth can load") with
 * the error set. */
int score_synth_open(const char *sf2, int rate, score_synth **out);

/* NULL-safe. */
void score_synth_close(score_synth *s);

/* Plays a into out (initialised here: stereo at the synth's rate): exactly
 * round(a->seconds * rate) frames, every note released at the cut, then
 * tail_frames more of what still rings.  Returns 0 or BJ_ENOMEM / BJ_EFORMAT
 * (the SoundFont no longer loads). */
int score_synth_render(score_synth *s, const score_arrangement *a, size_t tail_frames,
                       media_audio *out);
