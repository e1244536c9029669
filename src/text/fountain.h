/*
 * fountain.h - read and write screenplays in Fountain (fountain.io/syntax; the
 * spec is in ../shared/data/text/fountain/fountain_syntax.md).
 *
 *     text_screenplay *sp;
 *     if (text_fountain_load("film.fountain", &sp) < 0)
 *         return bj_error_code();   // "'film.fountain': line 12: invalid UTF-8"
 *     ... read sp (text/screenplay.h) ...
 *     int ret = text_fountain_save(sp, "film.fountain");   // atomic
 *     text_screenplay_free(sp);
 *
 * The whole syntax: title page, headings (INT/EXT/EST/INT./EXT/I/E, forced '.',
 * numbers #1A#), action ('!'), cues ('@', extensions, dual '^'), dialogue,
 * parentheticals, lyrics '~', transitions ("TO:", '>'), centred >text<, page
 * breaks ===, notes [[ ]], boneyard /\* *\/, sections #, synopses =; UTF-8 with
 * LF, CRLF or CR line ends.  Inline markup stays in the texts (text/markup.h).
 * Emit writes a canonical form that parses back to the same elements; the
 * DECISIONS block in fountain.c says how the spec's open cases are read.
 * Limits: TEXT_FOUNTAIN_MAX_BYTES of input; runs of blank lines count as one;
 * a parenthetical is one line.  The caller owns the screenplay it gets.
 */
#pragma once

#include <stddef.h>

#include "text/screenplay.h"

/* The largest Fountain text accepted, in bytes (a feature screenplay is ~250 KB). */
#define TEXT_FOUNTAIN_MAX_BYTES (16u << 20)

/* Parses len bytes of Fountain at text (NUL bytes are an error, so text need
 * not be NUL-terminated); name is the subject of messages (a file name).
 * Stores a new screenplay in *out (free with text_screenplay_free()) and returns
 * 0, or stores NULL and returns BJ_EFORMAT with the error set: "'<name>': line N:
 * invalid UTF-8", "'<name>': line N: NUL byte" or "'<name>': text is N bytes,
 * limit M".  Empty text is an empty screenplay.  Element line numbers count
 * from 1, after a UTF-8 byte order mark if there is one. */
int text_fountain_parse(const char *name, const char *text, size_t len, text_screenplay **out);

/* Reads the file path and parses it as text_fountain_parse() does.  Errors are
 * also those of bj_file_read() ("'<path>': No such file or directory", "'<path>':
 * empty file", ...). */
int text_fountain_load(const char *path, text_screenplay **out);

/* Returns sp as Fountain in a new string (free()): the title page, then the
 * elements separated by one blank line (none inside a speech), LF line ends,
 * a final newline; "" for an empty screenplay.  Elements are written plainly
 * and forced ('!', '.', '@', '>') only where plain text would read back as
 * something else, so text_fountain_parse() of the result gives sp again for
 * any screenplay the parser produced.  A screenplay built in memory must keep
 * the parser's rules to round-trip (e.g. no dialogue line that looks like
 * "(a parenthetical)", no "" line at the end of a text). */
char *text_fountain_emit(const text_screenplay *sp);

/* Writes text_fountain_emit(sp) to path atomically.  Returns 0, or BJ_EIO/
 * BJ_ENOENT with the error set ("'<path>': cannot write: <reason>"). */
int text_fountain_save(const text_screenplay *sp, const char *path);
