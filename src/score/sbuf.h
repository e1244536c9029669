/*
 * sbuf.h - a growing text buffer, always NUL-terminated, for building ABC text
 * and file contents in the score layer.
 *
 *     score_sbuf b = { 0 };
 *     score_sbuf_addf(&b, "K:%s\n", key);
 *     use(b.s, b.len);
 *     score_sbuf_release(&b);
 */
#pragma once

#include <stddef.h>

typedef struct score_sbuf {
	char *s;        /* owned; NULL until something is added */
	size_t len;     /* bytes before the NUL */
	size_t cap;
} score_sbuf;

/* Appends n bytes of s. */
void score_sbuf_add(score_sbuf *b, const char *s, size_t n);

/* Appends the string s. */
void score_sbuf_puts(score_sbuf *b, const char *s);

/* Appends one byte. */
void score_sbuf_putc(score_sbuf *b, char c);

/* Appends printf-formatted text. */
void score_sbuf_addf(score_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Empties b, keeping its memory. */
void score_sbuf_reset(score_sbuf *b);

/* Frees b's memory; b is empty afterwards.  Safe on a zeroed buffer. */
void score_sbuf_release(score_sbuf *b);
