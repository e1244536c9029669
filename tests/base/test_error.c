#include "base/error.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "harness.h"

static void test_set_returns_code_and_formats(void)
{
	bj_error_clear();
	CHECK(bj_error_code() == BJ_OK);
	CHECK_STR(bj_error_message(), "");
	int ret = bj_error_set(BJ_EFORMAT, "'%s': header is %d bytes", "m.safetensors", 12);
	CHECK(ret == BJ_EFORMAT);
	CHECK(bj_error_code() == BJ_EFORMAT);
	CHECK_STR(bj_error_message(), "'m.safetensors': header is 12 bytes");
}

static void test_errno_maps_codes(void)
{
	CHECK(bj_error_set_errno(ENOENT, "'%s': cannot open", "x") == BJ_ENOENT);
	CHECK_STR(bj_error_message(), "'x': cannot open: No such file or directory");
	CHECK(bj_error_set_errno(EACCES, "'%s': cannot open", "y") == BJ_EIO);
	CHECK_STR(bj_error_message(), "'y': cannot open: Permission denied");
}

static void test_prefix_adds_context(void)
{
	bj_error_set(BJ_EIO, "short read");
	CHECK(bj_error_prefix("'%s'", "a.wav") == BJ_EIO);
	CHECK_STR(bj_error_message(), "'a.wav': short read");
}

static void test_long_message_is_truncated(void)
{
	char big[4000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	bj_error_set(BJ_EIO, "%s", big);
	CHECK(strlen(bj_error_message()) == 1023, "length %zu", strlen(bj_error_message()));
}

static void test_prefix_of_long_message_is_truncated(void)
{
	char big[1100];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	bj_error_set(BJ_EFORMAT, "%s", big);
	CHECK(bj_error_prefix("'%s'", "m.safetensors") == BJ_EFORMAT);
	const char *m = bj_error_message();
	CHECK(strlen(m) == 1023, "length %zu", strlen(m));
	CHECK(strncmp(m, "'m.safetensors': xxx", 20) == 0, "%.30s", m);
}

static void *other_thread(void *arg)
{
	(void)arg;
	bj_error_set(BJ_ENOMEM, "from another thread");
	return NULL;
}

static void test_message_is_per_thread(void)
{
	bj_error_set(BJ_EIO, "main");
	pthread_t t;
	CHECK(pthread_create(&t, NULL, other_thread, NULL) == 0);
	pthread_join(t, NULL);
	CHECK_STR(bj_error_message(), "main");
	CHECK(bj_error_code() == BJ_EIO);
}

static void test_names(void)
{
	CHECK_STR(bj_error_name(BJ_EFORMAT), "format error");
	CHECK_STR(bj_error_name(12345), "unknown error");
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_set_returns_code_and_formats),
		TEST_CASE(test_errno_maps_codes),
		TEST_CASE(test_prefix_adds_context),
		TEST_CASE(test_long_message_is_truncated),
		TEST_CASE(test_prefix_of_long_message_is_truncated),
		TEST_CASE(test_message_is_per_thread),
		TEST_CASE(test_names),
		{ 0 },
	};
	return test_main(cases);
}
