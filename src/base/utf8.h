/*
 * utf8.h - strict UTF-8 decoding, validation and encoding (RFC 3629; Unicode
 * chapter 3, table 3-7 "Well-Formed UTF-8 Byte Sequences").
 *
 *     size_t bad;
 *     if (!bj_utf8_validate(text, len, &bad))
 *         return bj_error_set(BJ_EFORMAT, "'%s': invalid UTF-8 at byte %zu", path, bad);
 *     for (size_t i = 0; i < len; ) {        // or decode leniently, as Unicode 3.9 says:
 *         uint32_t cp;                       // cp is U+FFFD when n < 0
 *         int n = bj_utf8_decode(text + i, len - i, &cp);
 *         i += n < 0 ? (size_t)-n : (size_t)n;
 *     }
 *
 * Strings are (pointer, length) pairs, not NUL-terminated; U+0000 is valid.  Nothing
 * allocates, keeps a pointer or sets bj_error: the caller knows the file name.
 * Rejected: overlong forms, surrogates (U+D800-DFFF), values above U+10FFFF, the old
 * 5- and 6-byte forms, stray continuation bytes, C0, C1 and F5-FF.  Noncharacters
 * such as U+FFFE are scalar values and are accepted.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest UTF-8 sequence, in bytes. */
#define BJ_UTF8_MAX 4

/* U+FFFD REPLACEMENT CHARACTER, stored by bj_utf8_decode() on invalid input. */
#define BJ_UTF8_REPLACEMENT 0xFFFDu

/* Decodes the code point that starts s (len bytes available) into *cp.
 * Returns the bytes it takes, 1 to 4.  On an ill-formed or cut-short sequence
 * stores U+FFFD and returns minus the length of its maximal subpart (1 to 3):
 * the longest prefix that could still begin a well-formed sequence, so that
 * skipping -n bytes and emitting one U+FFFD is the substitution Unicode 3.9
 * recommends.  len 0 returns 0 and leaves *cp alone. */
int bj_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Checks that s[0, len) is well-formed UTF-8; runs of ASCII are checked eight
 * bytes at a time.  Returns true, or false after storing the offset of the
 * first byte of the first ill-formed sequence in *bad_offset (which may be
 * NULL).  A sequence cut short by len is ill-formed. */
bool bj_utf8_validate(const char *s, size_t len, size_t *bad_offset);

/* Writes the UTF-8 form of cp to out (no terminating NUL) and returns its
 * length, 1 to 4.  Returns 0 and writes nothing when cp is not a Unicode scalar
 * value (a surrogate, or above U+10FFFF). */
int bj_utf8_encode(uint32_t cp, char out[BJ_UTF8_MAX]);

/* The number of code points in s[0, len).  Each maximal ill-formed subpart
 * counts as one, as the U+FFFD it would be replaced by, so the count equals the
 * number of bj_utf8_decode() calls a loop like the one above makes. */
size_t bj_utf8_count(const char *s, size_t len);
