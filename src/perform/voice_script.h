/*
 * voice_script.h - voice every line of a film's dialogue: one WAV per line and
 * lines.json with the timings, in parallel.
 *
 *     perform_script_line lines[] = {
 *         { "EVE", "You came back?", "(quietly)", NULL, 12 },
 *         { "BOB", "I never left.", NULL, "V.O.", 14 },
 *     };
 *     perform_script_options o = PERFORM_SCRIPT_DEFAULTS;
 *     o.threads = 2;
 *     if (perform_script_voice("film.fountain", lines, 2, &cast, &o, "voices") < 0)
 *         return bj_error_code();    // "'film.fountain': line 12: cannot speak ..."
 *
 * The lines come from the screenplay (the CLI reads it; perform knows nothing
 * of Fountain).  Every character must have a voice in the cast.  Files are
 * "<folder>/0001-eve.wav" (index from 1, the name's ASCII reading in lower
 * case, "_" for spaces and dots: "0004-dr_muller.wav"), 48 kHz
 * mono 16-bit, each written atomically; lines.json is written last, so a folder
 * with a lines.json is complete.  A line with nothing to say but punctuation
 * ("...") is a beat of silence.  The output does not depend on the thread
 * count.
 *
 * lines.json:
 *     { "rate": 48000, "lufs": -16.0,
 *       "lines": [ { "index": 1, "character": "EVE", "text": "You came back?",
 *                    "parenthetical": "(quietly)", "extension": null, "source_line": 12,
 *                    "file": "0001-eve.wav", "duration": 1.234,
 *                    "voice": { "base": "slt", "pitch": 0, "formant": 1, "rate": 1, "range": 1 },
 *                    "words": [ { "text": "you", "start": 0.16, "end": 0.31 }, ... ],
 *                    "phonemes": [ { "phone": "pau", "start": 0, "end": 0.16 }, ... ] } ] }
 * Times in seconds from the start of the line's WAV, to 0.1 ms.
 */
#pragma once

#include <stddef.h>

#include "perform/voice_cast.h"
#include "perform/voice_filter.h"

typedef struct perform_script_line {
	const char *character;     /* the name without extensions */
	const char *text;          /* the words, plain text */
	const char *parenthetical; /* "(whispering)" or NULL */
	const char *extension;     /* "V.O.", "O.S.", ... or NULL */
	int source_line;           /* for messages; 0 if unknown */
} perform_script_line;

typedef struct perform_script_options {
	perform_filter extension_filter; /* for (V.O.), (O.S.) and (O.C.) lines */
	int threads;
	double target_lufs;
	double ceiling_db;
} perform_script_options;

#define PERFORM_SCRIPT_DEFAULTS ((perform_script_options){ PERFORM_FILTER_NONE, 1, -16.0, -1.0 })

/* Writes the timings of sp as JSON to path, atomically: {"duration": s,
 * "words": [...], "phonemes": [...]} as in lines.json.  Returns 0 or BJ_EIO
 * with the error set. */
int perform_speech_save_json(const char *path, const perform_speech *sp);

/* Voices lines[0..n) into folder (which must exist).  name is the screenplay,
 * for messages.  Returns 0, or a negative code with the error set for the
 * first line (in script order) that failed; lines.json is then not written. */
int perform_script_voice(const char *name, const perform_script_line *lines, size_t n,
                         const perform_cast *cast, const perform_script_options *o,
                         const char *folder);
