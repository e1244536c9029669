#include "base/utf8.h"

#include <string.h>

/* Stores U+FFFD and reports a maximal subpart of k bytes. */
static int ill_formed(uint32_t *cp, int k)
{
	*cp = BJ_UTF8_REPLACEMENT;
	return -k;
}

/*
 * Unicode table 3-7, one row per lead byte range:
 *
 *   U+0000..U+007F      00..7F
 *   U+0080..U+07FF      C2..DF  80..BF
 *   U+0800..U+0FFF      E0      A0..BF  80..BF
 *   U+1000..U+CFFF      E1..EC  80..BF  80..BF
 *   U+D000..U+D7FF      ED      80..9F  80..BF
 *   U+E000..U+FFFF      EE..EF  80..BF  80..BF
 *   U+10000..U+3FFFF    F0      90..BF  80..BF  80..BF
 *   U+40000..U+FFFFF    F1..F3  80..BF  80..BF  80..BF
 *   U+100000..U+10FFFF  F4      80..8F  80..BF  80..BF
 *
 * Only the second byte has a range narrower than 80..BF; narrowing it is what
 * rules out overlong forms (E0, F0), surrogates (ED) and values above U+10FFFF
 * (F4).  C0 and C1 could only start overlong 2-byte forms, and F5..FF values
 * above U+10FFFF or the 5- and 6-byte forms RFC 3629 removed.  Checking byte by
 * byte against these ranges also finds the maximal subpart: the first byte out
 * of range ends it.
 */
int bj_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	if (len == 0)
		return 0;
	unsigned c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}

	int n;
	uint32_t v;
	unsigned lo = 0x80, hi = 0xBF;  /* the range of the second byte */
	if (c < 0xC2) {
		return ill_formed(cp, 1);  /* continuation byte, or C0/C1 */
	} else if (c < 0xE0) {
		n = 2;
		v = c & 0x1F;
	} else if (c < 0xF0) {
		n = 3;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c < 0xF5) {
		n = 4;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return ill_formed(cp, 1);
	}

	for (int i = 1; i < n; i++) {
		if ((size_t)i >= len)
			return ill_formed(cp, i);
		unsigned b = p[i];
		if (b < lo || b > hi)
			return ill_formed(cp, i);
		lo = 0x80;
		hi = 0xBF;
		v = (v << 6) | (b & 0x3F);
	}
	*cp = v;
	return n;
}

/* True when none of the eight bytes at p has its top bit set. */
static bool ascii8(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof(w));  /* p need not be aligned */
	return (w & 0x8080808080808080u) == 0;
}

bool bj_utf8_validate(const char *s, size_t len, size_t *bad_offset)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		if (p[i] < 0x80) {
			while (len - i >= 8 && ascii8(p + i))
				i += 8;
			while (i < len && p[i] < 0x80)
				i++;
			continue;
		}
		uint32_t cp;
		int n = bj_utf8_decode(s + i, len - i, &cp);
		if (n < 0) {
			if (bad_offset)
				*bad_offset = i;
			return false;
		}
		i += (size_t)n;
	}
	return true;
}

int bj_utf8_encode(uint32_t cp, char out[BJ_UTF8_MAX])
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return 0;
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		o[0] = (unsigned char)(0xF0 | (cp >> 18));
		o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (unsigned char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

size_t bj_utf8_count(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t count = 0, i = 0;
	while (i < len) {
		if (p[i] < 0x80) {
			count++;
			i++;
			continue;
		}
		uint32_t cp;
		int n = bj_utf8_decode(s + i, len - i, &cp);
		i += n < 0 ? (size_t)-n : (size_t)n;
		count++;
	}
	return count;
}
