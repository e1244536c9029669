/* Sorting numbers: ascending, with repeats and negatives; empty and one-long
 * arrays (NULL too) are left alone. */
#include "base/sort.h"
#include "harness.h"

static void test_floats(void)
{
	float v[] = { 3.5f, -1, 0, 3.5f, -7.25f, 2, 0 };
	const float want[] = { -7.25f, -1, 0, 0, 2, 3.5f, 3.5f };
	bj_sort_floats(v, sizeof(v) / sizeof(v[0]));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		CHECK(v[i] == want[i], "[%zu] %g, want %g", i, v[i], want[i]);
	float one = 4;
	bj_sort_floats(&one, 1);
	bj_sort_floats(NULL, 0);
	CHECK(one == 4);
}

static void test_doubles(void)
{
	double v[] = { 1e-300, -2, 1e300, 0.5, -2 };
	const double want[] = { -2, -2, 1e-300, 0.5, 1e300 };
	bj_sort_doubles(v, 5);
	for (int i = 0; i < 5; i++)
		CHECK(v[i] == want[i], "[%d] %g, want %g", i, v[i], want[i]);
	bj_sort_doubles(NULL, 0);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_floats),
		TEST_CASE(test_doubles),
		{ 0 },
	};
	return test_main(cases);
}
