/*
 * report_html.h - HTML for the report, built in a text_buf (text/buf.h):
 * escaped text, and images inlined as data: URIs so that the file opens
 * offline and alone.
 *
 *     text_buf h = { 0 };
 *     text_buf_adds(&h, "<h1>");                        // markup
 *     film_html_text(&h, title);                        // &, <, >, " and ' escaped
 *     text_buf_addf(&h, "</h1><p>%d shots</p>", n);
 *     film_html_image(&h, "image/png", png, size, "class=\"plot\" alt=\"loss\"");
 *     ... h.s (h.len bytes) ...
 *     text_buf_release(&h);
 *
 * Memory that runs out aborts (bj_xmalloc): the document is bounded by the
 * film's clips and images.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "text/buf.h"

/* Appends text with &, <, >, " and ' escaped. */
void film_html_text(text_buf *h, const char *text);

/* Appends <img src="data:MIME;base64,..." ATTRS> (attrs: markup, may be NULL). */
void film_html_image(text_buf *h, const char *mime, const uint8_t *data, size_t size,
                     const char *attrs);
