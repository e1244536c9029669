#include "nn/arena.h"

#include <stdint.h>

#include "base/error.h"
#include "harness.h"

struct acts {
	float *a, *b, *c;
};

static void take(struct acts *x, nn_arena *ar, size_t n)
{
	x->a = nn_arena_take(ar, n);
	x->b = nn_arena_take(ar, 1);
	x->c = nn_arena_take(ar, 2 * n);
}

static void test_arena_measures_then_allocates(void)
{
	nn_arena ar;
	nn_arena_init(&ar);
	struct acts x;
	nn_arena_reset(&ar);
	take(&x, &ar, 20);
	CHECK(!x.a && !x.b && !x.c);
	CHECK(ar.used == 32 + 16 + 48, "%zu", ar.used);
	CHECK(nn_arena_alloc(&ar) == 0);
	take(&x, &ar, 20);
	CHECK(x.a == ar.base && x.b == ar.base + 32 && x.c == ar.base + 48);
	CHECK((uintptr_t)x.c % 64 == 0);
	CHECK(ar.used == ar.cap);
	for (int i = 0; i < 40; i++)
		CHECK(x.c[i] == 0.0f);
	/* A new shape: measure again, reallocate. */
	nn_arena_release(&ar);
	take(&x, &ar, 100);
	CHECK(nn_arena_alloc(&ar) == 0);
	take(&x, &ar, 100);
	CHECK(ar.cap == 112 + 16 + 208, "%zu", ar.cap);
	nn_arena_release(&ar);
	nn_arena_release(&ar);
}

static void test_arena_too_big_is_an_error(void)
{
	nn_arena ar;
	nn_arena_init(&ar);
	nn_arena_take(&ar, SIZE_MAX / 8);
	CHECK(nn_arena_alloc(&ar) == BJ_ENOMEM);
	CHECK(!ar.base);
	nn_arena_release(&ar);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_arena_measures_then_allocates),
		TEST_CASE(test_arena_too_big_is_an_error),
		{ 0 },
	};
	return test_main(cases);
}
