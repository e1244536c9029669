#include "base/file.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error.h"
#include "harness.h"

static void test_read_whole_file(void)
{
	const char *path = test_path("a.txt");
	test_write_file(path, "hello", 5);
	uint8_t *data;
	size_t size;
	CHECK(bj_file_read(path, 100, &data, &size) == 0);
	CHECK(size == 5 && memcmp(data, "hello", 5) == 0 && data[5] == 0);
	free(data);
}

static void check_error(const char *path, size_t limit, int code, const char *suffix)
{
	uint8_t *data = (uint8_t *)1;
	size_t size = 1;
	CHECK(bj_file_read(path, limit, &data, &size) == code, "'%s'", path);
	CHECK(data == NULL && size == 0);
	char want[4300];
	snprintf(want, sizeof(want), "'%s': %s", path, suffix);
	CHECK_STR(bj_error_message(), want);
}

static void test_read_errors(void)
{
	check_error(test_path("missing"), 100, BJ_ENOENT, "No such file or directory");
	check_error(test_tmpdir(), 100, BJ_EIO, "is a directory");
	test_write_file(test_path("empty"), "", 0);
	check_error(test_path("empty"), 100, BJ_EFORMAT, "empty file");
	test_write_file(test_path("big"), "0123456789", 10);
	check_error(test_path("big"), 4, BJ_EFORMAT, "file is 10 bytes, limit 4");
}

static void test_write_is_atomic(void)
{
	const char *path = test_path("out.bin");
	CHECK(bj_file_write(path, "abc", 3) == 0);
	char *got = test_read_file(path, NULL);
	CHECK_STR(got, "abc");
	free(got);
	CHECK(bj_file_write("/dev/full", "abc", 3) == BJ_EIO);
	CHECK_STR(bj_error_message(), "'/dev/full': cannot write: No space left on device");
}

static void test_make_dirs(void)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/a/b//c/", test_tmpdir());
	CHECK(bj_make_dirs(path) == 0, "%s", bj_error_message());
	struct stat st;
	CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(bj_make_dirs(path) == 0, "an existing folder is fine");
	snprintf(path, sizeof(path), "%s/file", test_tmpdir());
	test_write_file(path, "x", 1);
	CHECK(bj_make_dirs(path) == BJ_EIO);
	char want[4300];
	snprintf(want, sizeof(want), "'%s': not a folder", path);
	CHECK_STR(bj_error_message(), want);
	snprintf(path, sizeof(path), "%s/file/sub", test_tmpdir());
	CHECK(bj_make_dirs(path) < 0);
	snprintf(want, sizeof(want), "'%s/file': not a folder", test_tmpdir());
	CHECK_STR(bj_error_message(), want);   /* the parent in the way is named */
}

static void test_dir_files(void)
{
	char path[4200];
	const char *const files[] = { "b.txt", "a.txt", ".hidden" };
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", test_tmpdir(), files[i]);
		test_write_file(path, "x", 1);
	}
	snprintf(path, sizeof(path), "%s/sub", test_tmpdir());
	CHECK(mkdir(path, 0777) == 0);
	char **names;
	size_t n;
	CHECK(bj_dir_files(test_tmpdir(), &names, &n) == 0);
	CHECK(n == 2, "regular, visible files only: %zu", n);
	if (n == 2) {
		snprintf(path, sizeof(path), "%s/a.txt", test_tmpdir());
		CHECK_STR(names[0], path);
		snprintf(path, sizeof(path), "%s/b.txt", test_tmpdir());
		CHECK_STR(names[1], path);
	}
	bj_free_strings(names, n);
	snprintf(path, sizeof(path), "%s/none", test_tmpdir());
	CHECK(bj_dir_files(path, &names, &n) == BJ_ENOENT && n == 0 && !names);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_read_whole_file),
		TEST_CASE(test_read_errors),
		TEST_CASE(test_write_is_atomic),
		TEST_CASE(test_make_dirs),
		TEST_CASE(test_dir_files),
		{ 0 },
	};
	return test_main(cases);
}
