/*
 * report_html.h - a growing HTML document for the report: raw markup, escaped
 * text, and images inlined as data: URIs so that the file opens offline and
 * alone.
 *
 *     film_html h = { 0 };
 *     film_html_raw(&h, "<h1>");
 *     film_html_text(&h, title);                       // &, <, >, " escaped
 *     film_html_printf(&h, "</h1><p>%d shots</p>", n);  // markup, not escaped
 *     film_html_image(&h, "image/png", png, size, "class=\"plot\" alt=\"loss\"");
 *     ... h.s (h.len bytes) ...
 *     film_html_release(&h);
 *
 * Memory that runs out aborts (bj_xmalloc): the document is bounded by the
 * film's clips and images.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct film_html {
	char *s;        /* NUL-terminated */
	size_t len, cap;
} film_html;

void film_html_raw(film_html *h, const char *markup);
void film_html_printf(film_html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends text with &, <, >, " and ' escaped. */
void film_html_text(film_html *h, const char *text);
/* Appends <img src="data:MIME;base64,..." ATTRS> (attrs: markup, may be NULL). */
void film_html_image(film_html *h, const char *mime, const uint8_t *data, size_t size,
                     const char *attrs);
void film_html_release(film_html *h);
