#include "base/log.h"

#include <string.h>

#include "harness.h"

struct captured {
	int count;
	enum bj_log_level level;
	char last[256];
};

static void capture(enum bj_log_level level, const char *message, void *ctx)
{
	struct captured *c = ctx;
	c->count++;
	c->level = level;
	snprintf(c->last, sizeof(c->last), "%s", message);
}

static void test_levels_filter_messages(void)
{
	struct captured c = { 0 };
	bj_log_set_sink(capture, &c);
	bj_log_set_level(BJ_LOG_WARN);
	bj_log(BJ_LOG_INFO, "hidden %d", 1);
	CHECK(c.count == 0);
	bj_log(BJ_LOG_WARN, "'%s': skipped: not a video", "notes.txt");
	CHECK(c.count == 1 && c.level == BJ_LOG_WARN);
	CHECK_STR(c.last, "'notes.txt': skipped: not a video");
	bj_log_set_level(BJ_LOG_DEBUG);
	CHECK(bj_log_enabled(BJ_LOG_DEBUG));
	bj_log(BJ_LOG_DEBUG, "shot %d", 3);
	CHECK(c.count == 2);
	CHECK_STR(c.last, "shot 3");
	bj_log_set_level(BJ_LOG_WARN);
	bj_log_set_sink(NULL, NULL);
}

static void test_level_names(void)
{
	CHECK_STR(bj_log_level_name(BJ_LOG_WARN), "warning");
	CHECK_STR(bj_log_level_name(BJ_LOG_DEBUG), "debug");
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_levels_filter_messages),
		TEST_CASE(test_level_names),
		{ 0 },
	};
	return test_main(cases);
}
