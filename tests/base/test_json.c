#include "base/json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "harness.h"


static void test_load_reads_values(void)
{
	const char *path = test_path("cast.json");
	const char *text = "{\"BRIDGET\": {\"star\": \"ada\", \"takes\": [1, 2.5]}}\n";
	test_write_file(path, text, strlen(text));
	json_t *j;
	int ret = bj_json_load(path, &j);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret == 0) {
		json_t *b = json_object_get(j, "BRIDGET");
		CHECK_STR(json_string_value(json_object_get(b, "star")), "ada");
		CHECK(json_array_size(json_object_get(b, "takes")) == 2);
		CHECK_NEAR(json_real_value(json_array_get(json_object_get(b, "takes"), 1)), 2.5, 0);
	}
	json_decref(j);
}

/* Writes text to a file, loads it and checks the code and the message, which
 * is "'<path>': " followed by tail. */
static void check_load_error(const char *text, size_t len, int code, const char *tail)
{
	char *path = bj_xstrdup(test_path("bad.json"));
	test_write_file(path, text, len);
	json_t *j = json_object();
	json_t *keep = j;
	int ret = bj_json_load(path, &j);
	CHECK(ret == code, "got %d (%s)", ret, bj_error_message());
	CHECK(j == NULL, "out is cleared on failure");
	char *want = bj_xasprintf("'%s': %s", path, tail);
	CHECK_STR(bj_error_message(), want);
	free(want);
	free(path);
	json_decref(keep);
}

static void test_load_reports_line_and_column(void)
{
	const char *text = "{\n  \"a\": 1,\n  \"b\": ]\n}\n";
	check_load_error(text, strlen(text), BJ_EFORMAT, "line 3 column 8: unexpected token near ']'");
}

static void test_load_rejects_bad_input(void)
{
	const char *dup = "{\"a\": 1,\n \"a\": 2}";
	check_load_error(dup, strlen(dup), BJ_EFORMAT,
	                 "line 2 column 4: duplicate object key near '\"a\"'");
	check_load_error("", 0, BJ_EFORMAT, "line 1 column 0: '[' or '{' expected near end of file");
	const char latin1[] = "{\"caf\xe9\": 1}";
	check_load_error(latin1, sizeof(latin1) - 1, BJ_EFORMAT,
	                 "line 1 column 5: unable to decode byte 0xe9 near '\"caf'");
	check_load_error("{\"a\": 1} x", 10, BJ_EFORMAT,
	                 "line 1 column 10: end of file expected near 'x'");
	const char nul[] = "{\"a\": \"x\\u0000y\"}";
	check_load_error(nul, sizeof(nul) - 1, BJ_EFORMAT,
	                 "line 1 column 16: \\u0000 is not allowed without JSON_ALLOW_NUL near '\"x\\u0000y\"'");
}

static void test_load_missing_file_and_directory(void)
{
	json_t *j;
	const char *missing = test_path("missing.json");
	CHECK(bj_json_load(missing, &j) == BJ_ENOENT);
	CHECK(j == NULL);
	char *want = bj_xasprintf("'%s': cannot open: No such file or directory", missing);
	CHECK_STR(bj_error_message(), want);
	free(want);

	const char *dir = test_tmpdir();
	CHECK(bj_json_load(dir, &j) == BJ_EIO);
	CHECK(j == NULL);
	want = bj_xasprintf("'%s': cannot read: is a directory", dir);
	CHECK_STR(bj_error_message(), want);
	free(want);
}

static json_t *sample(void)
{
	json_t *j = json_pack("{s:s, s:[i, f, b, n], s:{s:s}}", "title", "Sunspring — take 2",
	                      "values", 3, 0.1, 1, "cast", "H", "Thomas Middleditch");
	BJ_ASSERT(j);
	return j;
}

static void test_save_format_is_stable(void)
{
	json_t *j = sample();
	const char *path = test_path("out.json");
	CHECK(bj_json_save(path, j, 0) == 0, "%s", bj_error_message());
	char *got = test_read_file(path, NULL);
	/* Insertion order, two-space indent, 17 digits for reals, a final newline. */
	CHECK_STR(got, "{\n"
	               "  \"title\": \"Sunspring — take 2\",\n"
	               "  \"values\": [\n"
	               "    3,\n"
	               "    0.10000000000000001,\n"
	               "    true,\n"
	               "    null\n"
	               "  ],\n"
	               "  \"cast\": {\n"
	               "    \"H\": \"Thomas Middleditch\"\n"
	               "  }\n"
	               "}\n");
	free(got);

	CHECK(bj_json_save(path, j, BJ_JSON_SORT_KEYS) == 0, "%s", bj_error_message());
	got = test_read_file(path, NULL);
	CHECK(got && strncmp(got, "{\n  \"cast\": {", 13) == 0, "sorted: %s", got);
	free(got);
	CHECK(test_count_entries(test_tmpdir()) == 1, "no temporary file left");

	/* What was saved loads back equal, reals bit for bit. */
	json_t *back;
	CHECK(bj_json_load(path, &back) == 0, "%s", bj_error_message());
	CHECK(json_equal(j, back));
	CHECK(json_real_value(json_array_get(json_object_get(back, "values"), 1)) == 0.1);
	json_decref(back);
	json_decref(j);
}

static void test_save_errors_leave_nothing(void)
{
	json_t *j = sample();
	char *path = bj_xasprintf("%s/no/such/folder/out.json", test_tmpdir());
	CHECK(bj_json_save(path, j, 0) == BJ_ENOENT);
	char *want = bj_xasprintf("'%s': cannot create file: No such file or directory", path);
	CHECK_STR(bj_error_message(), want);
	free(want);
	free(path);
	CHECK(test_count_entries(test_tmpdir()) == 0);

	CHECK(bj_json_save("/dev/full", j, 0) == BJ_EIO);
	CHECK_STR(bj_error_message(), "'/dev/full': cannot write: No space left on device");

	/* A save that fails keeps the old file as it was. */
	path = bj_xstrdup(test_path("keep.json"));
	test_write_file(path, "[1]\n", 4);
	CHECK(bj_json_save(test_tmpdir(), j, 0) == BJ_EIO, "saving over a folder");
	char *got = test_read_file(path, NULL);
	CHECK_STR(got, "[1]\n");
	free(got);
	free(path);
	CHECK(test_count_entries(test_tmpdir()) == 1);
	json_decref(j);
}

/* In the unprivileged child: 0 if saving into the read-only folder fails with EIO. */
static int save_json_unprivileged(void *path, const char **msg)
{
	json_t *j = json_array();
	int ret = bj_json_save(path, j, 0);
	json_decref(j);
	*msg = bj_error_message();
	return ret == BJ_EIO ? 0 : 2;
}

static void test_save_to_unwritable_folder(void)
{
	/* Root ignores folder permissions, so the save runs in a child that gives
	 * root's power up first. */
	test_check_unwritable_folder("out.json", save_json_unprivileged);
}

static void test_type_names(void)
{
	json_t *j = json_pack("[{}, [], s, i, f, b, b, n]", "x", 1, 1.5, 1, 0);
	static const char *const want[] = { "object", "array", "string", "integer", "real",
	                                    "true", "false", "null" };
	for (size_t i = 0; i < 8; i++)
		CHECK_STR(bj_json_type_name(json_array_get(j, i)), want[i]);
	CHECK_STR(bj_json_type_name(NULL), "nothing");
	json_decref(j);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_load_reads_values),
		TEST_CASE(test_load_reports_line_and_column),
		TEST_CASE(test_load_rejects_bad_input),
		TEST_CASE(test_load_missing_file_and_directory),
		TEST_CASE(test_save_format_is_stable),
		TEST_CASE(test_save_errors_leave_nothing),
		TEST_CASE(test_save_to_unwritable_folder),
		TEST_CASE(test_type_names),
		{ 0 },
	};
	return test_main(cases);
}
