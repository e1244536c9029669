/*
 * report_html.c - escaped text and inlined images (see report_html.h).
 */
#include "film/report_html.h"

void film_html_text(text_buf *h, const char *text)
{
	for (const char *p = text; *p; p++) {
		switch (*p) {
		case '&': text_buf_adds(h, "&amp;"); break;
		case '<': text_buf_adds(h, "&lt;"); break;
		case '>': text_buf_adds(h, "&gt;"); break;
		case '"': text_buf_adds(h, "&quot;"); break;
		case '\'': text_buf_adds(h, "&#39;"); break;
		default: text_buf_addc(h, *p);
		}
	}
}

/* RFC 4648 section 4, with padding. */
void film_html_image(text_buf *h, const char *mime, const uint8_t *data, size_t size,
                     const char *attrs)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	text_buf_addf(h, "<img src=\"data:%s;base64,", mime);
	char chunk[1024];
	size_t n = 0;
	for (size_t i = 0; i < size; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16;
		if (i + 1 < size)
			v |= (uint32_t)data[i + 1] << 8;
		if (i + 2 < size)
			v |= data[i + 2];
		chunk[n++] = digits[v >> 18];
		chunk[n++] = digits[(v >> 12) & 63];
		chunk[n++] = i + 1 < size ? digits[(v >> 6) & 63] : '=';
		chunk[n++] = i + 2 < size ? digits[v & 63] : '=';
		if (n == sizeof chunk) {
			text_buf_add(h, chunk, n);
			n = 0;
		}
	}
	text_buf_add(h, chunk, n);
	text_buf_addf(h, "\"%s%s>", attrs ? " " : "", attrs ? attrs : "");
}
