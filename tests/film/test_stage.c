/*
 * test_stage.c - the cache of `benjamin make`'s stages: keys that change with
 * every input and setting, a complete folder found again, a half-written one
 * emptied (or kept for a stage that resumes), products linked into place.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/error.h"
#include "film/stage.h"
#include "harness.h"

static void keyed(film_stage *s, const char *a, const char *b)
{
	film_stage_key_init(s, "cut");
	CHECK(film_stage_key_add(s, "write", a) == 0);
	CHECK(film_stage_key_add(s, "seed", b) == 0);
}

static void test_keys(void)
{
	const char *root = test_path("stages");
	char keys[4][LIBRARY_HASH_LEN + 1];
	film_stage s;
	const char *pairs[4][2] = { { "abc", "1" }, { "abc", "2" }, { "ab", "c1" }, { "abc", NULL } };
	for (int i = 0; i < 4; i++) {
		keyed(&s, pairs[i][0], pairs[i][1]);
		CHECK(film_stage_open(&s, root, 0) == 0);
		memcpy(keys[i], s.key, sizeof(keys[i]));
		film_stage_release(&s);
	}
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			CHECK(strcmp(keys[i], keys[j]) != 0, "keys %d and %d alike", i, j);
	keyed(&s, "abc", "1");
	CHECK(film_stage_open(&s, root, 0) == 0);
	CHECK_STR(s.key, keys[0]);
	char want[4200];
	snprintf(want, sizeof(want), "%s/cut-%.16s", root, keys[0]);
	CHECK_STR(s.dir, want);
	film_stage_release(&s);
}

static void test_done_and_killed(void)
{
	const char *root = test_path("stages");
	char file[4400];
	film_stage s;
	keyed(&s, "abc", "1");
	CHECK(film_stage_open(&s, root, 0) == 0 && !s.done);
	test_write_file(film_stage_path(&s, "half.json", file, sizeof(file)), "{", 1);
	film_stage_release(&s);

	/* Killed before the marker: the folder is emptied for the run again. */
	keyed(&s, "abc", "1");
	CHECK(film_stage_open(&s, root, 0) == 0 && !s.done);
	CHECK(access(file, F_OK) < 0, "a half-written file is left");
	test_write_file(file, "{}", 2);
	CHECK(film_stage_commit(&s) == 0 && s.done);
	film_stage_release(&s);

	keyed(&s, "abc", "1");
	CHECK(film_stage_open(&s, root, 0) == 0 && s.done);
	CHECK(access(file, F_OK) == 0);
	film_stage_release(&s);

	/* A stage that resumes its own work keeps what it wrote. */
	keyed(&s, "abc", "3");
	CHECK(film_stage_open(&s, root, 1) == 0 && !s.done);
	test_write_file(film_stage_path(&s, "library.db", file, sizeof(file)), "x", 1);
	film_stage_release(&s);
	keyed(&s, "abc", "3");
	CHECK(film_stage_open(&s, root, 1) == 0 && !s.done);
	CHECK(access(file, F_OK) == 0, "the resumable stage's work is gone");
	film_stage_release(&s);
}

static void test_publish(void)
{
	char a[4200], b[4200];
	snprintf(a, sizeof(a), "%s", test_path("a.mp4"));
	snprintf(b, sizeof(b), "%s", test_path("top.mp4"));
	test_write_file(a, "film", 4);
	CHECK(film_stage_publish(a, b) == 0);
	struct stat sa, sb;
	CHECK(stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_ino == sb.st_ino);
	CHECK(film_stage_publish(a, b) == 0);
	CHECK(test_count_entries(test_tmpdir()) == 2, "a temporary file is left");
	CHECK(film_stage_publish(test_path("none"), b) < 0);
	CHECK(strstr(bj_error_message(), "No such file") != NULL, "%s", bj_error_message());
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_keys),
		TEST_CASE(test_done_and_killed),
		TEST_CASE(test_publish),
		{ 0 },
	};
	return test_main(cases);
}
