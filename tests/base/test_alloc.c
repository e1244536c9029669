#include "base/alloc.h"

#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"

static void test_size_arithmetic_detects_overflow(void)
{
	size_t n = 7;
	CHECK(bj_size_mul(&n, 1000, 1000) && n == 1000000);
	CHECK(!bj_size_mul(&n, SIZE_MAX / 2 + 1, 2));
	CHECK(n == 1000000, "unchanged on overflow");
	CHECK(bj_size_add(&n, SIZE_MAX - 1, 1) && n == SIZE_MAX);
	CHECK(!bj_size_add(&n, SIZE_MAX, 1));
	CHECK(bj_size_mul3(&n, 32768, 32768, 3) && n == 3221225472u);
	CHECK(!bj_size_mul3(&n, SIZE_MAX / 4, 2, 3));
	CHECK(bj_size_mul(&n, 0, SIZE_MAX) && n == 0);
}

static void test_try_malloc_reports_failure(void)
{
	bj_error_clear();
	void *p = bj_try_calloc(SIZE_MAX / 2, 4);
	CHECK(p == NULL);
	CHECK(bj_error_code() == BJ_ENOMEM);
	p = bj_try_malloc(SIZE_MAX - 16);
	CHECK(p == NULL && bj_error_code() == BJ_ENOMEM);
	p = bj_try_malloc(0);
	CHECK(p != NULL, "zero bytes still gives a pointer");
	free(p);
}

static void test_grow_and_strings(void)
{
	int *v = NULL;
	size_t cap = 0;
	for (int i = 0; i < 1000; i++) {
		BJ_GROW(v, cap, (size_t)i + 1);
		v[i] = i;
	}
	CHECK(cap >= 1000);
	CHECK(v[999] == 999 && v[0] == 0);
	free(v);

	char *s = bj_xasprintf("%s-%03d", "take", 7);
	CHECK_STR(s, "take-007");
	char *t = bj_xstrdup(s);
	CHECK(t != s);
	CHECK_STR(t, "take-007");
	free(s);
	free(t);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_size_arithmetic_detects_overflow),
		TEST_CASE(test_try_malloc_reports_failure),
		TEST_CASE(test_grow_and_strings),
		{ 0 },
	};
	return test_main(cases);
}
