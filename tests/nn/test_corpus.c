#include "nn/corpus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error.h"
#include "harness.h"

static void write_text(const char *name, const char *text, size_t n)
{
	test_write_file(test_path(name), text, n);
}

/* NUL-terminated text, without its NUL. */
static void write_str(const char *name, const char *text)
{
	write_text(name, text, strlen(text));
}

static nn_corpus *open1(const char *path)
{
	nn_corpus *c = NULL;
	const char *paths[] = { path };
	CHECK(nn_corpus_open(paths, 1, &c) == 0, "%s", bj_error_message());
	return c;
}

/* What opening path fails with. */
static void expect_error(const char *path, int code, const char *fmt_tail)
{
	nn_corpus *c = (nn_corpus *)1;
	const char *paths[] = { path };
	CHECK(nn_corpus_open(paths, 1, &c) == code, "%s", bj_error_message());
	CHECK(c == NULL);
	char want[1024];
	snprintf(want, sizeof(want), "'%s': %s", path, fmt_tail);
	CHECK_STR(bj_error_message(), want);
}

static void test_folder_in_name_order(void)
{
	mkdir(test_path("scripts"), 0777);
	write_str("scripts/b.txt", "INT. B\n");
	write_str("scripts/a.txt", "EXT. \xc3\x89T\xc3\x89\n");   /* EXT. ÉTÉ */
	write_text("scripts/.hidden", "\x00\x01", 2);
	mkdir(test_path("scripts/sub"), 0777);
	nn_corpus *c = open1(test_path("scripts"));
	if (!c)
		return;
	CHECK(nn_corpus_files(c) == 2);
	CHECK(strstr(nn_corpus_file(c, 0), "scripts/a.txt") != NULL, "%s", nn_corpus_file(c, 0));
	CHECK(nn_corpus_bytes(c) == 18 && nn_corpus_chars(c) == 16, "%llu bytes %llu chars",
	      (unsigned long long)nn_corpus_bytes(c), (unsigned long long)nn_corpus_chars(c));
	/* Decoding runs on from one file into the next. */
	uint32_t cps[20];
	uint64_t pos = 0;
	size_t n = nn_corpus_decode(c, &pos, nn_corpus_bytes(c), cps, 20);
	CHECK(n == 16 && pos == 18, "%zu code points, pos %llu", n, (unsigned long long)pos);
	CHECK(cps[5] == 0xC9 && cps[7] == 0xC9 && cps[8] == '\n' && cps[9] == 'I');
	/* The same text hashes the same; a different one does not. */
	char a[4096], b[4096];
	snprintf(a, sizeof(a), "%s", test_path("scripts/a.txt"));
	snprintf(b, sizeof(b), "%s", test_path("scripts/b.txt"));
	const char *again[] = { a, b };
	nn_corpus *d = NULL;
	CHECK(nn_corpus_open(again, 2, &d) == 0);
	CHECK(d && nn_corpus_hash(d) == nn_corpus_hash(c));
	nn_corpus_close(d);
	const char *swapped[] = { b, a };
	CHECK(nn_corpus_open(swapped, 2, &d) == 0);
	CHECK(d && nn_corpus_hash(d) != nn_corpus_hash(c));
	nn_corpus_close(d);
	nn_corpus_close(c);
}

static void test_vocab_and_split(void)
{
	/* 'a' x 6, 'b' x 5, 'c' x 1, 'é' x 5, '\n' x 3: 20 code points, 25 bytes. */
	const char text[] = "aaabbbbb\n\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\nc\naaa";
	write_text("v.txt", text, sizeof(text) - 1);
	nn_corpus *c = open1(test_path("v.txt"));
	if (!c)
		return;
	uint32_t *cps;
	int V;
	nn_corpus_vocab(c, 5, &cps, &V);
	CHECK(V == 4, "V = %d", V);
	if (V == 4)
		CHECK(cps[0] == 0xFFFD && cps[1] == 'a' && cps[2] == 'b' && cps[3] == 0xE9);
	free(cps);
	nn_corpus_vocab(c, 1, &cps, &V);
	CHECK(V == 6, "V = %d", V);
	free(cps);
	CHECK(nn_corpus_chars(c) == 20);
	/* The last 10 % is 2 code points: "aa". */
	CHECK(nn_corpus_split(c, 0.1) == sizeof(text) - 3, "%llu",
	      (unsigned long long)nn_corpus_split(c, 0.1));
	CHECK(nn_corpus_split(c, 0.0) == nn_corpus_bytes(c));
	/* 45 % is 9 code points: "\nc\naaa" and 3 of the 'é's... */
	uint64_t p = nn_corpus_split(c, 0.45);
	uint32_t tail[20];
	CHECK(nn_corpus_decode(c, &p, nn_corpus_bytes(c), tail, 20) == 9);
	CHECK(tail[0] == 0xE9 && tail[3] == '\n');
	/* Aligning steps off the middle of 'é'. */
	CHECK(nn_corpus_align(c, 10, nn_corpus_bytes(c)) == 11);
	CHECK(nn_corpus_align(c, 9, nn_corpus_bytes(c)) == 9);
	nn_corpus_close(c);
}

static void test_bad_corpora(void)
{
	write_text("empty.txt", "", 0);
	expect_error(test_path("empty.txt"), BJ_EFORMAT, "empty file");
	write_text("bin.dat", "PK\x03\x04\x00\x00rest", 10);
	expect_error(test_path("bin.dat"), BJ_EFORMAT, "binary file, not text");
	write_str("latin1.txt", "INT. CAF\xc9 - DAY\n\nCaf\xe9 au lait\n");
	expect_error(test_path("latin1.txt"), BJ_EFORMAT,
	             "not UTF-8: invalid byte 0xC9 at line 1, column 9");
	write_str("late.txt", "ok\n\xc3\xa9t\xc3\xa9 \xff\n");
	expect_error(test_path("late.txt"), BJ_EFORMAT,
	             "not UTF-8: invalid byte 0xFF at line 2, column 5");
	expect_error(test_path("missing.txt"), BJ_ENOENT, "No such file or directory");
	mkdir(test_path("none"), 0777);
	write_text("none/.DS_Store", "x", 1);
	expect_error(test_path("none"), BJ_EFORMAT, "no files in folder");
	/* A bad file in a folder is named, not the folder. */
	mkdir(test_path("mixed"), 0777);
	write_str("mixed/a.txt", "fine\n");
	write_text("mixed/b.pdf", "%PDF\x00", 5);
	nn_corpus *c = (nn_corpus *)1;
	const char *paths[] = { test_path("mixed") };
	CHECK(nn_corpus_open(paths, 1, &c) == BJ_EFORMAT && c == NULL);
	CHECK(strstr(bj_error_message(), "mixed/b.pdf': binary file, not text") != NULL, "%s",
	      bj_error_message());
}

/* A corpus made from text in memory: the same as a file holding it, with
 * the same checks. */
static void test_from_text(void)
{
	const char text[] = "ab\xc3\xa9\ncd";
	write_text("t.txt", text, sizeof(text) - 1);
	nn_corpus *m = NULL, *f = open1(test_path("t.txt"));
	CHECK(nn_corpus_from_text("tunes", text, sizeof(text) - 1, &m) == 0, "%s", bj_error_message());
	if (m && f) {
		CHECK(nn_corpus_chars(m) == 6 && nn_corpus_bytes(m) == 7);
		CHECK(nn_corpus_hash(m) == nn_corpus_hash(f));
		CHECK_STR(nn_corpus_file(m, 0), "tunes");
	}
	nn_corpus_close(m);
	nn_corpus_close(f);
	CHECK(nn_corpus_from_text("tunes", "", 0, &m) == BJ_EFORMAT && m == NULL);
	CHECK_STR(bj_error_message(), "'tunes': empty text");
	CHECK(nn_corpus_from_text("tunes", "a\xff", 2, &m) == BJ_EFORMAT && m == NULL);
	CHECK_STR(bj_error_message(), "'tunes': not UTF-8: invalid byte 0xFF at line 1, column 2");
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_folder_in_name_order),
		TEST_CASE(test_vocab_and_split),
		TEST_CASE(test_bad_corpora),
		TEST_CASE(test_from_text),
		{ 0 },
	};
	return test_main(cases);
}
