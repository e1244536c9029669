/*
 * wav.h - read and write RIFF/WAVE files without FFmpeg.
 *
 *     media_audio a;
 *     if (media_wav_read("line.wav", &a) < 0)
 *         return bj_error_code();                 // "'line.wav': not a WAVE file", ...
 *     ...
 *     ret = media_wav_write("out.wav", &a, MEDIA_WAV_PCM16);   // atomic
 *     media_audio_release(&a);
 *
 * Reads integer PCM (8, 16, 24, 32 bit) and IEEE float (32, 64 bit), plain or
 * WAVE_FORMAT_EXTENSIBLE, any channel count up to 16, into float samples in
 * [-1, 1).  Every chunk size is checked against the file before it is trusted; a
 * data chunk cut short (a truncated file) is an error, not a shorter sound.
 * Writes 16-bit PCM (rounded and clipped) or 32-bit float.
 */
#pragma once

#include "media/audio.h"

enum media_wav_format {
	MEDIA_WAV_PCM16,
	MEDIA_WAV_FLOAT32,
};

/* Reads path into a (initialised here; release with media_audio_release).
 * Returns 0 or a negative code with the error set. */
int media_wav_read(const char *path, media_audio *a);

/* Writes a as WAVE in the given sample format, atomically. */
int media_wav_write(const char *path, const media_audio *a, enum media_wav_format format);
