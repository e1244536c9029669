/*
 * report_html.c - the report's HTML buffer (see report_html.h).
 */
#include "film/report_html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

static void add(film_html *h, const char *s, size_t n)
{
	BJ_GROW(h->s, h->cap, h->len + n + 1);
	memcpy(h->s + h->len, s, n);
	h->len += n;
	h->s[h->len] = '\0';
}

void film_html_raw(film_html *h, const char *markup)
{
	add(h, markup, strlen(markup));
}

void film_html_printf(film_html *h, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	BJ_ASSERT(n >= 0);
	BJ_GROW(h->s, h->cap, h->len + (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(h->s + h->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	h->len += (size_t)n;
}

void film_html_text(film_html *h, const char *text)
{
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case '&': film_html_raw(h, "&amp;"); break;
		case '<': film_html_raw(h, "&lt;"); break;
		case '>': film_html_raw(h, "&gt;"); break;
		case '"': film_html_raw(h, "&quot;"); break;
		case '\'': film_html_raw(h, "&#39;"); break;
		default: add(h, p, 1);
		}
	}
}

/* RFC 4648 section 4, with padding. */
void film_html_image(film_html *h, const char *mime, const uint8_t *data, size_t size,
                     const char *attrs)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	film_html_printf(h, "<img src=\"data:%s;base64,", mime);
	BJ_GROW(h->s, h->cap, h->len + (size + 2) / 3 * 4 + 1);
	char *o = h->s + h->len;
	size_t i = 0;
	for (; i + 2 < size; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
		*o++ = digits[v >> 18];
		*o++ = digits[(v >> 12) & 63];
		*o++ = digits[(v >> 6) & 63];
		*o++ = digits[v & 63];
	}
	if (i < size) {
		uint32_t v = (uint32_t)data[i] << 16 | (i + 1 < size ? (uint32_t)data[i + 1] << 8 : 0);
		*o++ = digits[v >> 18];
		*o++ = digits[(v >> 12) & 63];
		*o++ = i + 1 < size ? digits[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	h->len = (size_t)(o - h->s);
	h->s[h->len] = '\0';
	film_html_printf(h, "\"%s%s>", attrs ? " " : "", attrs ? attrs : "");
}

void film_html_release(film_html *h)
{
	free(h->s);
	h->s = NULL;
	h->len = h->cap = 0;
}
