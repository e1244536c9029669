/*
 * voice_prosody.h - delivery from the script: parentheticals and punctuation
 * turned into speaking rate, pitch, pitch range, volume and pauses.
 *
 *     perform_delivery d = PERFORM_DELIVERY_NEUTRAL;
 *     perform_delivery_parenthetical(&d, "(whispering)");   // 1: understood
 *     perform_delivery_punctuation(&d, "You came back?");
 *     ... d.rate, d.pitch, d.range, d.volume_db, d.pause_before, d.pause_after ...
 *
 * The words understood (case-insensitive, anywhere in the parenthetical):
 *   whisper        quieter by 12 dB, slower, flatter
 *   shout yell scream  louder by 3 dB, higher by 2 semitones, wider, faster
 *   quiet soft murmur under breath  quieter by 6 dB, flatter, a little slower
 *   angry angrily furious  louder, wider, faster
 *   sad sadly tearful crying  slower, lower, flatter, a little quieter
 *   excited happy cheerful  faster, higher, wider
 *   nervous hesitant  a little slower, wider, a short pause before
 *   slow(ly), quick(ly) fast  rate 0.8, 1.25
 *   beat pause     a pause before what follows (0.6 s; "long pause" 1.2 s)
 * Anything else is ignored (and never spoken).  Punctuation: a question widens
 * the range; an exclamation is 1 dB louder and wider; a trailing ellipsis slows the
 * line and leaves 0.3 s after it.  Effects combine: rates and ranges multiply,
 * pitches, volumes and pauses add.
 */
#pragma once

typedef struct perform_delivery {
	double rate;         /* speaking-rate factor; 1 = the voice's own */
	double pitch;        /* semitones added to the voice's mean pitch */
	double range;        /* F0 range factor */
	double volume_db;    /* loudness relative to the line target */
	double pause_before; /* seconds of silence before the line */
	double pause_after;  /* seconds after */
} perform_delivery;

#define PERFORM_DELIVERY_NEUTRAL ((perform_delivery){ 1.0, 0.0, 1.0, 0.0, 0.0, 0.0 })

/* Applies the parenthetical text (with or without its parentheses) to d.
 * Returns 1 when some word of it was understood, 0 when it is ignored. */
int perform_delivery_parenthetical(perform_delivery *d, const char *text);

/* Applies the punctuation of the spoken text to d. */
void perform_delivery_punctuation(perform_delivery *d, const char *text);
