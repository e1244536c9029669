/*
 * buf.h - a growable NUL-terminated byte string, for building text in src/text.
 *
 *     text_buf b = {0};
 *     text_buf_add(&b, "INT. HOUSE", 10);
 *     text_buf_addf(&b, " #%s#", number);
 *     char *s = text_buf_detach(&b);        // the caller frees s; b is empty again
 *
 * A zeroed text_buf is an empty string.  The buffer is owned by the text_buf
 * until text_buf_detach() hands it over or text_buf_release() frees it.  Growth
 * uses bj_xrealloc, which aborts when memory runs out: callers bound what they
 * add (the Fountain parser limits its input to TEXT_FOUNTAIN_MAX_BYTES).
 */
#pragma once

#include <stddef.h>

typedef struct text_buf {
	char *s;    /* NUL-terminated once anything was added; NULL while empty */
	size_t len; /* bytes before the NUL */
	size_t cap; /* bytes allocated */
} text_buf;

/* Appends n bytes of s (which need not be NUL-terminated). */
void text_buf_add(text_buf *b, const char *s, size_t n);

/* Appends a NUL-terminated string. */
void text_buf_adds(text_buf *b, const char *s);

/* Appends one byte. */
void text_buf_addc(text_buf *b, char c);

/* Appends printf-style formatted text. */
void text_buf_addf(text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Returns the string (never NULL: "" when empty), to be freed with free(), and
 * leaves b empty. */
char *text_buf_detach(text_buf *b);

/* Frees the string and leaves b empty.  Safe on a zeroed text_buf. */
void text_buf_release(text_buf *b);
