#include "base/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* A byte sequence written out in a table. */
struct seq {
	unsigned char b[8];
	int n;  /* bytes in b */
};

/* Decodes s leniently, as the header's example loop does, into cps (at most
 * max); returns how many code points it produced. */
static size_t decode_all(const unsigned char *s, size_t len, uint32_t *cps, size_t max)
{
	size_t i = 0, k = 0;
	while (i < len && k < max) {
		uint32_t cp = 0;
		int n = bj_utf8_decode((const char *)s + i, len - i, &cp);
		if (n == 0)
			break;
		i += n < 0 ? (size_t)-n : (size_t)n;
		cps[k++] = cp;
	}
	return k;
}

/*
 * A second decoder, written from a different description of UTF-8 so that it
 * does not share the module's mistakes: RFC 3629 section 3's bit patterns
 * (0xxxxxxx, 110xxxxx, 1110xxxx, 11110xxx lead bytes; 10xxxxxx continuations)
 * plus the rule that the value must be a scalar value (not a surrogate, at most
 * U+10FFFF) that needs exactly that many bytes.  A prefix is viable when the
 * values its completions can take meet that set; the maximal subpart is the
 * longest viable prefix (Unicode 3.9, D93b), at least one byte.
 */
static int ref_decode(const unsigned char *p, size_t len, uint32_t *cp)
{
	static const uint32_t min_for[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	int n;
	uint32_t v;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	} else if ((p[0] & 0xE0) == 0xC0) {
		n = 2, v = p[0] & 0x1Fu;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3, v = p[0] & 0x0Fu;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4, v = p[0] & 0x07u;
	} else {
		*cp = 0xFFFD;
		return -1;
	}
	int viable = 0;
	for (int i = 1; i <= n; i++) {
		if (i > 1) {
			if ((size_t)(i - 1) >= len || (p[i - 1] & 0xC0) != 0x80)
				break;
			v = (v << 6) | (p[i - 1] & 0x3Fu);
		}
		int free_bits = 6 * (n - i);
		uint32_t lo = v << free_bits, hi = lo | ((1u << free_bits) - 1);
		uint32_t a = lo > min_for[n] ? lo : min_for[n];
		uint32_t b = hi < 0x10FFFF ? hi : 0x10FFFF;
		if (a > b || (a >= 0xD800 && b <= 0xDFFF))
			break;
		viable = i;
	}
	if (viable == n) {
		*cp = v;
		return n;
	}
	*cp = 0xFFFD;
	return viable ? -viable : -1;
}

/* Compares bj_utf8_decode with ref_decode on p[0, len); returns 1 on a mismatch
 * (reported once per caller through *reported). */
static int compare_with_ref(const unsigned char *p, size_t len, int *reported)
{
	uint32_t got_cp = 0x12345, want_cp = 0x12345;
	int got = bj_utf8_decode((const char *)p, len, &got_cp);
	int want = ref_decode(p, len, &want_cp);
	if (got == want && got_cp == want_cp)
		return 0;
	if (!*reported) {
		*reported = 1;
		CHECK(0, "bytes %02x %02x %02x %02x (len %zu): got %d U+%04X, reference %d U+%04X",
		      p[0], len > 1 ? p[1] : 0, len > 2 ? p[2] : 0, len > 3 ? p[3] : 0, len,
		      got, (unsigned)got_cp, want, (unsigned)want_cp);
	}
	return 1;
}

static void test_boundary_code_points(void)
{
	/* Markus Kuhn's UTF-8-test.txt sections 2.1-2.3: the first and last code
	 * point of each length, and the edges of the surrogate gap. */
	static const struct {
		struct seq s;
		uint32_t cp;
	} cases[] = {
		{ { { 0x00 }, 1 }, 0x0000 },
		{ { { 0x7F }, 1 }, 0x007F },
		{ { { 0xC2, 0x80 }, 2 }, 0x0080 },
		{ { { 0xDF, 0xBF }, 2 }, 0x07FF },
		{ { { 0xE0, 0xA0, 0x80 }, 3 }, 0x0800 },
		{ { { 0xED, 0x9F, 0xBF }, 3 }, 0xD7FF },
		{ { { 0xEE, 0x80, 0x80 }, 3 }, 0xE000 },
		{ { { 0xEF, 0xBF, 0xBD }, 3 }, 0xFFFD },
		{ { { 0xEF, 0xBF, 0xBF }, 3 }, 0xFFFF },
		{ { { 0xF0, 0x90, 0x80, 0x80 }, 4 }, 0x10000 },
		{ { { 0xF4, 0x8F, 0xBF, 0xBF }, 4 }, 0x10FFFF },
		{ { { 0xE2, 0x82, 0xAC }, 3 }, 0x20AC },        /* euro sign */
		{ { { 0xF0, 0x9F, 0x8E, 0xAC }, 4 }, 0x1F3AC }, /* clapper board */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *s = (const char *)cases[i].s.b;
		int n = cases[i].s.n;
		uint32_t cp = 0;
		int got = bj_utf8_decode(s, (size_t)n, &cp);
		CHECK(got == n && cp == cases[i].cp, "U+%04X: got %d U+%04X",
		      (unsigned)cases[i].cp, got, (unsigned)cp);
		/* Trailing bytes are not consumed. */
		char buf[8] = { 0 };
		memcpy(buf, s, (size_t)n);
		buf[n] = 'x';
		got = bj_utf8_decode(buf, (size_t)n + 1, &cp);
		CHECK(got == n && cp == cases[i].cp, "U+%04X followed by 'x': got %d",
		      (unsigned)cases[i].cp, got);
		CHECK(bj_utf8_validate(s, (size_t)n, NULL), "U+%04X", (unsigned)cases[i].cp);
		char out[BJ_UTF8_MAX];
		CHECK(bj_utf8_encode(cases[i].cp, out) == n && memcmp(out, s, (size_t)n) == 0,
		      "encode U+%04X", (unsigned)cases[i].cp);
	}
}

/* Checks that s is rejected as a whole: decoding it gives first_subpart at the
 * start, validation fails at its first byte when it follows "ab", and lenient
 * decoding gives want_fffd replacement characters. */
static void check_rejected(const char *what, const struct seq *s, int first_subpart,
                           size_t want_fffd)
{
	uint32_t cp = 0;
	int got = bj_utf8_decode((const char *)s->b, (size_t)s->n, &cp);
	CHECK(got == -first_subpart && cp == BJ_UTF8_REPLACEMENT,
	      "%s: decode gives %d U+%04X, want %d U+FFFD", what, got, (unsigned)cp, -first_subpart);

	unsigned char buf[16] = { 'a', 'b' };
	memcpy(buf + 2, s->b, (size_t)s->n);
	buf[2 + s->n] = 'c';
	size_t bad = 99;
	CHECK(!bj_utf8_validate((const char *)buf, (size_t)s->n + 3, &bad) && bad == 2,
	      "%s: bad offset %zu, want 2", what, bad);

	uint32_t cps[16];
	size_t k = decode_all(s->b, (size_t)s->n, cps, 16);
	size_t fffd = 0;
	for (size_t i = 0; i < k; i++)
		fffd += cps[i] == BJ_UTF8_REPLACEMENT;
	CHECK(k == want_fffd && fffd == want_fffd, "%s: %zu code points, %zu U+FFFD, want %zu",
	      what, k, fffd, want_fffd);
	CHECK(bj_utf8_count((const char *)s->b, (size_t)s->n) == want_fffd, "%s: count", what);
}

static void test_overlong_forms(void)
{
	/* Kuhn 4.1-4.3: '/' (U+002F) in every longer form, the largest overlong
	 * value of each length, and overlong NUL.  No prefix of an overlong form
	 * can be completed, so every byte is its own U+FFFD. */
	static const struct {
		const char *what;
		struct seq s;
	} cases[] = {
		{ "2-byte '/'", { { 0xC0, 0xAF }, 2 } },
		{ "3-byte '/'", { { 0xE0, 0x80, 0xAF }, 3 } },
		{ "4-byte '/'", { { 0xF0, 0x80, 0x80, 0xAF }, 4 } },
		{ "5-byte '/'", { { 0xF8, 0x80, 0x80, 0x80, 0xAF }, 5 } },
		{ "6-byte '/'", { { 0xFC, 0x80, 0x80, 0x80, 0x80, 0xAF }, 6 } },
		{ "2-byte U+007F", { { 0xC1, 0xBF }, 2 } },
		{ "3-byte U+07FF", { { 0xE0, 0x9F, 0xBF }, 3 } },
		{ "4-byte U+FFFF", { { 0xF0, 0x8F, 0xBF, 0xBF }, 4 } },
		{ "5-byte U+1FFFFF", { { 0xF8, 0x87, 0xBF, 0xBF, 0xBF }, 5 } },
		{ "6-byte U+3FFFFFF", { { 0xFC, 0x83, 0xBF, 0xBF, 0xBF, 0xBF }, 6 } },
		{ "2-byte NUL", { { 0xC0, 0x80 }, 2 } },
		{ "3-byte NUL", { { 0xE0, 0x80, 0x80 }, 3 } },
		{ "4-byte NUL", { { 0xF0, 0x80, 0x80, 0x80 }, 4 } },
		{ "5-byte NUL", { { 0xF8, 0x80, 0x80, 0x80, 0x80 }, 5 } },
		{ "6-byte NUL", { { 0xFC, 0x80, 0x80, 0x80, 0x80, 0x80 }, 6 } },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_rejected(cases[i].what, &cases[i].s, 1, (size_t)cases[i].s.n);
}

static void test_surrogates(void)
{
	/* Kuhn 5.1-5.2: every surrogate, alone and as a CESU-8 pair. */
	int bad = 0;
	for (uint32_t cp = 0xD800; cp <= 0xDFFF; cp++) {
		struct seq s = { { (unsigned char)(0xE0 | (cp >> 12)),
		                   (unsigned char)(0x80 | ((cp >> 6) & 0x3F)),
		                   (unsigned char)(0x80 | (cp & 0x3F)) }, 3 };
		uint32_t got_cp = 0;
		bad += bj_utf8_decode((const char *)s.b, 3, &got_cp) != -1;
		bad += bj_utf8_validate((const char *)s.b, 3, NULL);
		char out[BJ_UTF8_MAX] = { 0 };
		bad += bj_utf8_encode(cp, out) != 0 || out[0] != 0;
	}
	CHECK(bad == 0, "%d surrogate checks failed", bad);
	struct seq pair = { { 0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80 }, 6 };
	check_rejected("CESU-8 pair for U+10000", &pair, 1, 6);
	struct seq last = { { 0xED, 0xBF, 0xBF }, 3 };
	check_rejected("U+DFFF", &last, 1, 3);
}

static void test_above_u10ffff(void)
{
	struct seq first = { { 0xF4, 0x90, 0x80, 0x80 }, 4 };
	check_rejected("U+110000", &first, 1, 4);
	struct seq f7 = { { 0xF7, 0xBF, 0xBF, 0xBF }, 4 };
	check_rejected("U+1FFFFF", &f7, 1, 4);
	char out[BJ_UTF8_MAX];
	CHECK(bj_utf8_encode(0x110000, out) == 0);
	CHECK(bj_utf8_encode(0x7FFFFFFF, out) == 0);
	CHECK(bj_utf8_encode(UINT32_MAX, out) == 0);
}

static void test_five_and_six_byte_forms(void)
{
	/* Kuhn 2.1-2.3: first and last 5- and 6-byte sequences of the old
	 * ISO 10646 UTF-8, which RFC 3629 removed. */
	static const struct {
		const char *what;
		struct seq s;
	} cases[] = {
		{ "U+200000", { { 0xF8, 0x88, 0x80, 0x80, 0x80 }, 5 } },
		{ "U+3FFFFFF", { { 0xFB, 0xBF, 0xBF, 0xBF, 0xBF }, 5 } },
		{ "U+4000000", { { 0xFC, 0x84, 0x80, 0x80, 0x80, 0x80 }, 6 } },
		{ "U+7FFFFFFF", { { 0xFD, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF }, 6 } },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_rejected(cases[i].what, &cases[i].s, 1, (size_t)cases[i].s.n);
}

static void test_truncated_sequences(void)
{
	/* Every proper prefix of every multi-byte boundary sequence is viable, so
	 * cut short anywhere it is one U+FFFD covering the whole prefix (Kuhn 3.3). */
	static const struct seq whole[] = {
		{ { 0xC2, 0x80 }, 2 }, { { 0xDF, 0xBF }, 2 },
		{ { 0xE0, 0xA0, 0x80 }, 3 }, { { 0xED, 0x9F, 0xBF }, 3 },
		{ { 0xEE, 0x80, 0x80 }, 3 }, { { 0xEF, 0xBF, 0xBF }, 3 },
		{ { 0xF0, 0x90, 0x80, 0x80 }, 4 }, { { 0xF1, 0x80, 0x80, 0x80 }, 4 },
		{ { 0xF3, 0xBF, 0xBF, 0xBF }, 4 }, { { 0xF4, 0x8F, 0xBF, 0xBF }, 4 },
	};
	unsigned char all[64];
	size_t all_len = 0, pieces = 0;
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
		for (int k = 1; k < whole[i].n; k++) {
			struct seq cut = whole[i];
			cut.n = k;
			char what[64];
			snprintf(what, sizeof(what), "%02X.. cut to %d of %d bytes", whole[i].b[0], k,
			         whole[i].n);
			/* At the end of the buffer. */
			check_rejected(what, &cut, k, 1);
			/* In the middle: the next byte is ASCII, which ends the subpart. */
			unsigned char buf[8];
			memcpy(buf, whole[i].b, (size_t)k);
			buf[k] = 'A';
			uint32_t cp = 0;
			int got = bj_utf8_decode((const char *)buf, (size_t)k + 1, &cp);
			CHECK(got == -k, "%s, then 'A': got %d", what, got);
			CHECK(bj_utf8_decode((const char *)buf + k, 1, &cp) == 1 && cp == 'A');
			if (k == whole[i].n - 1 && all_len + (size_t)k <= sizeof(all)) {
				memcpy(all + all_len, whole[i].b, (size_t)k);
				all_len += (size_t)k;
				pieces++;
			}
		}
	}
	/* Kuhn 3.4: the incomplete sequences run together, one U+FFFD each. */
	uint32_t cps[64];
	CHECK(decode_all(all, all_len, cps, 64) == pieces);
	CHECK(bj_utf8_count((const char *)all, all_len) == pieces, "count %zu, want %zu",
	      bj_utf8_count((const char *)all, all_len), pieces);
}

static void test_stray_continuation_bytes(void)
{
	/* Kuhn 3.1-3.2: each continuation byte alone, and all 64 in a row. */
	unsigned char all[64];
	for (int c = 0x80; c <= 0xBF; c++) {
		struct seq s = { { (unsigned char)c }, 1 };
		char what[32];
		snprintf(what, sizeof(what), "lone %02X", c);
		check_rejected(what, &s, 1, 1);
		all[c - 0x80] = (unsigned char)c;
	}
	size_t bad = 99;
	CHECK(!bj_utf8_validate((const char *)all, 64, &bad) && bad == 0);
	CHECK(bj_utf8_count((const char *)all, 64) == 64);
	/* A valid character followed by one continuation byte too many. */
	struct seq extra = { { 0xC3, 0xA9, 0x80 }, 3 };
	uint32_t cp;
	CHECK(bj_utf8_decode((const char *)extra.b, 3, &cp) == 2 && cp == 0xE9);
	CHECK(!bj_utf8_validate((const char *)extra.b, 3, &bad) && bad == 2, "bad %zu", bad);
}

static void test_impossible_lead_bytes(void)
{
	/* C0, C1 and F5..FF never start a sequence, however it continues (Kuhn 3.5). */
	static const unsigned char leads[] = { 0xC0, 0xC1, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
	                                       0xFB, 0xFC, 0xFD, 0xFE, 0xFF };
	for (size_t i = 0; i < sizeof(leads); i++) {
		struct seq s = { { leads[i], 0x80, 0x80, 0x80 }, 4 };
		char what[32];
		snprintf(what, sizeof(what), "lead %02X", leads[i]);
		check_rejected(what, &s, 1, 4);
		struct seq alone = { { leads[i] }, 1 };
		check_rejected(what, &alone, 1, 1);
	}
	struct seq fe_ff = { { 0xFE, 0xFE, 0xFF, 0xFF }, 4 };
	check_rejected("FE FE FF FF", &fe_ff, 1, 4);
}

static void test_noncharacters_are_accepted(void)
{
	static const uint32_t cps[] = { 0xFDD0, 0xFDEF, 0xFFFE, 0xFFFF, 0x1FFFE, 0x10FFFE };
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		char buf[BJ_UTF8_MAX];
		int n = bj_utf8_encode(cps[i], buf);
		uint32_t cp = 0;
		CHECK(n >= 3 && bj_utf8_decode(buf, (size_t)n, &cp) == n && cp == cps[i],
		      "U+%04X", (unsigned)cps[i]);
		CHECK(bj_utf8_validate(buf, (size_t)n, NULL));
	}
}

/* Decodes bytes leniently and compares with the code points Unicode lists. */
static void check_substitution(const char *what, const unsigned char *bytes, size_t len,
                               const uint32_t *want, size_t n_want)
{
	uint32_t got[32];
	size_t k = decode_all(bytes, len, got, 32);
	int same = k == n_want;
	for (size_t i = 0; same && i < k; i++)
		same = got[i] == want[i];
	CHECK(same, "%s: %zu code points, want %zu", what, k, n_want);
	CHECK(bj_utf8_count((const char *)bytes, len) == n_want, "%s: count", what);
}

static void test_unicode_substitution_examples(void)
{
	/* The examples of "U+FFFD Substitution of Maximal Subparts" in Unicode
	 * chapter 3.9 (non-shortest forms, surrogates, other ill-formed sequences,
	 * truncated sequences), and the older mixed example. */
	const uint32_t R = BJ_UTF8_REPLACEMENT;
	static const unsigned char overlong[] = { 0xC0, 0xAF, 0xE0, 0x80, 0xBF, 0xF0, 0x81, 0x82, 0x41 };
	const uint32_t overlong_want[] = { R, R, R, R, R, R, R, R, 0x41 };
	check_substitution("non-shortest forms", overlong, sizeof(overlong), overlong_want, 9);

	static const unsigned char surr[] = { 0xED, 0xA0, 0x80, 0xED, 0xBF, 0xBF, 0xED, 0xAF, 0x41 };
	const uint32_t surr_want[] = { R, R, R, R, R, R, R, R, 0x41 };
	check_substitution("surrogates", surr, sizeof(surr), surr_want, 9);

	static const unsigned char other[] = { 0xF4, 0x91, 0x92, 0x93, 0xFF, 0x41, 0x80, 0xBF, 0x42 };
	const uint32_t other_want[] = { R, R, R, R, R, 0x41, R, R, 0x42 };
	check_substitution("other ill-formed", other, sizeof(other), other_want, 9);

	static const unsigned char trunc[] = { 0xE1, 0x80, 0xE2, 0xF0, 0x91, 0x92, 0xF1, 0xBF, 0x41 };
	const uint32_t trunc_want[] = { R, R, R, R, 0x41 };
	check_substitution("truncated", trunc, sizeof(trunc), trunc_want, 5);

	static const unsigned char mixed[] = { 0x61, 0xF1, 0x80, 0x80, 0xE1, 0x80, 0xC2, 0x62,
	                                       0x80, 0x63, 0x80, 0xBF, 0x64 };
	const uint32_t mixed_want[] = { 0x61, R, R, R, 0x62, R, 0x63, R, R, 0x64 };
	check_substitution("mixed", mixed, sizeof(mixed), mixed_want, 10);
}

static void test_every_short_sequence_matches_reference(void)
{
	/* All 1-, 2- and 3-byte inputs, each also cut short; 4-byte inputs for
	 * every lead F0..FF and second and third byte, with the fourth byte at the
	 * edges of its ranges. */
	int reported = 0;
	long mismatches = 0;
	unsigned char p[4];
	for (unsigned a = 0; a < 256; a++) {
		p[0] = (unsigned char)a;
		mismatches += compare_with_ref(p, 1, &reported);
		for (unsigned b = 0; b < 256; b++) {
			p[1] = (unsigned char)b;
			mismatches += compare_with_ref(p, 2, &reported);
			for (unsigned c = 0; c < 256; c++) {
				p[2] = (unsigned char)c;
				mismatches += compare_with_ref(p, 3, &reported);
			}
		}
	}
	static const unsigned char last[] = { 0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0, 0xFF };
	for (unsigned a = 0xF0; a < 256; a++)
		for (unsigned b = 0; b < 256; b++)
			for (unsigned c = 0; c < 256; c++)
				for (size_t d = 0; d < sizeof(last); d++) {
					p[0] = (unsigned char)a, p[1] = (unsigned char)b;
					p[2] = (unsigned char)c, p[3] = last[d];
					mismatches += compare_with_ref(p, 4, &reported);
				}
	CHECK(mismatches == 0, "%ld inputs decode differently from the reference", mismatches);
}

static void test_round_trip_every_scalar_value(void)
{
	long bad = 0, checked = 0;
	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		if (cp == 0xD800)
			cp = 0xE000;
		int want_len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		char buf[BJ_UTF8_MAX + 1];
		int n = bj_utf8_encode(cp, buf);
		uint32_t back = 0;
		int m = n > 0 ? bj_utf8_decode(buf, (size_t)n, &back) : -9;
		if (n != want_len || m != n || back != cp || !bj_utf8_validate(buf, (size_t)n, NULL)) {
			if (bad++ == 0)
				CHECK(0, "U+%04X: encoded in %d bytes, decoded %d bytes to U+%04X",
				      (unsigned)cp, n, m, (unsigned)back);
		}
		checked++;
	}
	CHECK(bad == 0, "%ld of %ld scalar values do not round-trip", bad, checked);
	CHECK(checked == 0x110000 - 0x800, "checked %ld", checked);
}

static void test_validate_ascii_fast_path(void)
{
	/* A bad byte at every position, from every start alignment, so that the
	 * eight-byte steps cannot skip over it or report it late. */
	char buf[80];
	for (size_t start = 0; start < 8; start++) {
		for (size_t len = 0; len <= 64; len++) {
			memset(buf, 'a', sizeof(buf));
			size_t bad = 99;
			CHECK(bj_utf8_validate(buf + start, len, &bad) && bad == 99,
			      "clean ASCII start %zu len %zu", start, len);
			for (size_t at = 0; at < len; at++) {
				buf[start + at] = (char)0x80;
				bad = 99;
				int ok = bj_utf8_validate(buf + start, len, &bad);
				buf[start + at] = 'a';
				if (ok || bad != at) {
					CHECK(0, "start %zu len %zu bad byte at %zu: reported %zu", start,
					      len, at, bad);
					return;
				}
			}
		}
	}
	/* Heap buffers of exactly len bytes, so that under ASan an eight-byte
	 * step that reads past the end is caught even when the answer is right. */
	for (size_t len = 1; len <= 24; len++) {
		char *h = malloc(len);
		memset(h, 'a', len);
		CHECK(bj_utf8_validate(h, len, NULL) && bj_utf8_count(h, len) == len);
		h[len - 1] = (char)0xC3;
		size_t bad = 99;
		CHECK(!bj_utf8_validate(h, len, &bad) && bad == len - 1, "len %zu", len);
		free(h);
	}
	/* A multi-byte character straddling every eight-byte boundary. */
	static const unsigned char euro[] = { 0xE2, 0x82, 0xAC };
	for (size_t at = 0; at + 3 <= 40; at++) {
		memset(buf, 'a', 40);
		memcpy(buf + at, euro, 3);
		CHECK(bj_utf8_validate(buf, 40, NULL), "euro sign at %zu", at);
		CHECK(bj_utf8_count(buf, 40) == 38);
		/* Cut short by the end of the buffer. */
		size_t bad = 99;
		CHECK(!bj_utf8_validate(buf, at + 2, &bad) && bad == at, "cut euro at %zu", at);
	}
	size_t bad = 99;
	CHECK(bj_utf8_validate("", 0, &bad) && bad == 99);
	CHECK(bj_utf8_validate(NULL, 0, NULL));
}

static void test_count_and_empty_input(void)
{
	const char *s = "h\xC3\xA9llo w\xC3\xB6rld \xE2\x82\xAC \xF0\x9F\x8E\xAC";
	CHECK(bj_utf8_count(s, strlen(s)) == 15, "count %zu", bj_utf8_count(s, strlen(s)));
	CHECK(bj_utf8_validate(s, strlen(s), NULL));
	CHECK(bj_utf8_count("", 0) == 0);
	/* U+0000 is a code point like any other; the length decides. */
	CHECK(bj_utf8_count("a\0b", 3) == 3);
	CHECK(bj_utf8_validate("a\0b", 3, NULL));
	uint32_t cp = 77;
	CHECK(bj_utf8_decode("x", 0, &cp) == 0 && cp == 77, "len 0 leaves *cp alone");
	CHECK(bj_utf8_decode("\0", 1, &cp) == 1 && cp == 0);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_boundary_code_points),
		TEST_CASE(test_overlong_forms),
		TEST_CASE(test_surrogates),
		TEST_CASE(test_above_u10ffff),
		TEST_CASE(test_five_and_six_byte_forms),
		TEST_CASE(test_truncated_sequences),
		TEST_CASE(test_stray_continuation_bytes),
		TEST_CASE(test_impossible_lead_bytes),
		TEST_CASE(test_noncharacters_are_accepted),
		TEST_CASE(test_unicode_substitution_examples),
		TEST_CASE(test_every_short_sequence_matches_reference),
		TEST_CASE(test_round_trip_every_scalar_value),
		TEST_CASE(test_validate_ascii_fast_path),
		TEST_CASE(test_count_and_empty_input),
		{ 0 },
	};
	return test_main(cases);
}
