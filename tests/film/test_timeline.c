/*
 * test_timeline.c - timeline.json: a full file loads with every field, every
 * kind of bad value is refused with its JSON path, spans round to frames.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "film/timeline.h"
#include "harness.h"

static const char good[] =
	"{ \"format\": \"benjamin-timeline\", \"version\": 1, \"title\": \"Sunspring\",\n"
	"  \"width\": 640, \"height\": 360, \"fps\": \"30000/1001\",\n"
	"  \"title_card\": { \"at\": 0, \"duration\": 3 },\n"
	"  \"video\": [\n"
	"    { \"source\": \"reels/a.mp4\", \"in\": 12.5, \"out\": 15, \"at\": 3, \"scene\": 1,\n"
	"      \"why\": { \"score\": 0.75, \"features\": [1, 2] } },\n"
	"    { \"source\": \"/abs/b.JPG\", \"duration\": 2, \"at\": 5.5, \"scene\": 2,\n"
	"      \"effect\": { \"type\": \"ken_burns\", \"from\": { \"zoom\": 1 },\n"
	"                  \"to\": { \"zoom\": 1.5, \"x\": 0.25, \"y\": 0.75 } } } ],\n"
	"  \"dialogue\": [ { \"audio\": \"v/1.wav\", \"at\": 3.2, \"character\": \"H\",\n"
	"      \"text\": \"I am not a doctor.\",\n"
	"      \"words\": [ { \"text\": \"I\", \"start\": 0, \"end\": 0.2 },\n"
	"                   { \"text\": \"am\", \"start\": 0.3, \"end\": 0.5 } ] } ],\n"
	"  \"ambience\": { \"duck_db\": -20 },\n"
	"  \"score\": { \"audio\": \"score.wav\", \"gain_db\": -12 },\n"
	"  \"credits\": { \"at\": 7.5, \"duration\": 5, \"lines\": [ \"Sunspring\", \"\", \"by benjamin\" ] } }\n";

static void test_good(void)
{
	film_timeline t;
	int ret = film_timeline_parse("t.json", "work", good, strlen(good), &t);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret < 0)
		return;
	CHECK_STR(t.title, "Sunspring");
	CHECK(t.width == 640 && t.height == 360, "%dx%d", t.width, t.height);
	CHECK(t.fps_num == 30000 && t.fps_den == 1001);
	CHECK(t.title_card.present && t.title_card.duration == 3);
	CHECK(t.n_clips == 2);
	CHECK_STR(t.clips[0].source, "work/reels/a.mp4");
	CHECK(t.clips[0].in == 12.5 && t.clips[0].out == 15 && t.clips[0].at == 3 && !t.clips[0].still);
	CHECK_STR(t.clips[0].why, "{\"score\":0.75,\"features\":[1,2]}");
	CHECK_STR(t.clips[1].source, "/abs/b.JPG");
	CHECK(t.clips[1].still && t.clips[1].in == 0 && t.clips[1].out == 2 && t.clips[1].has_effect);
	CHECK(t.clips[1].from.zoom == 1 && t.clips[1].from.x == 0.5 && t.clips[1].to.zoom == 1.5 &&
	      t.clips[1].to.y == 0.75);
	CHECK(t.clips[1].why == NULL);
	CHECK(t.n_lines == 1 && t.lines[0].n_words == 2);
	CHECK_STR(t.lines[0].audio, "work/v/1.wav");
	CHECK_STR(t.lines[0].words[1].text, "am");
	CHECK(t.ambience.duck_db == -20 && t.ambience.attack > 0);
	CHECK_STR(t.score.audio, "work/score.wav");
	CHECK(t.score.gain_db == -12);
	CHECK(t.n_credit_lines == 3);
	CHECK_STR(t.credit_lines[2], "by benjamin");
	CHECK_NEAR(film_timeline_duration(&t), 12.5, 1e-9);
	film_timeline_release(&t);
	film_timeline_release(&t);   /* safe twice */
}

/* A minimal valid file with `extra` spliced in after the clip list. */
static void expect_bad(const char *json, const char *want)
{
	film_timeline t;
	int ret = film_timeline_parse("t.json", ".", json, strlen(json), &t);
	CHECK(ret == BJ_EFORMAT, "ret %d for %s", ret, json);
	CHECK_STR(bj_error_message(), want);
	CHECK(t.clips == NULL && t.title == NULL, "not released");
	if (ret == 0)
		film_timeline_release(&t);
}

#define HEAD "{\"format\":\"benjamin-timeline\",\"version\":1,\"title\":\"T\","
#define CLIP "{\"source\":\"a.mp4\",\"in\":0,\"out\":2,\"at\":0}"

static void test_bad(void)
{
	expect_bad("[1]", "'t.json': the top level must be an object, not array");
	expect_bad("{\"version\":1}", "'t.json': format: must be \"benjamin-timeline\"");
	expect_bad("{\"format\":\"benjamin-timeline\",\"version\":2}",
	           "'t.json': version: 2 is not a version this program reads (1)");
	expect_bad(HEAD "\"video\":[" CLIP "],\"colour\":1}", "'t.json': colour: unknown key");
	expect_bad("{\"format\":\"benjamin-timeline\",\"version\":1,\"video\":[" CLIP "]}",
	           "'t.json': title: missing");
	expect_bad(HEAD "\"video\":[]}", "'t.json': video: the timeline has no video clips");
	expect_bad(HEAD "\"video\":{}}", "'t.json': video: must be an array, not object");
	expect_bad(HEAD "\"video\":[3]}", "'t.json': video[0]: must be an object, not integer");
	expect_bad(HEAD "\"video\":[{\"source\":\"a.mp4\",\"in\":3,\"out\":2,\"at\":0}]}",
	           "'t.json': video[0].out: 2 is not after in (3)");
	expect_bad(HEAD "\"video\":[{\"source\":\"a.mp4\",\"out\":2}]}", "'t.json': video[0].at: missing");
	expect_bad(HEAD "\"video\":[{\"source\":\"a.mp4\",\"out\":\"2\",\"at\":0}]}",
	           "'t.json': video[0].out: must be a number, not string");
	expect_bad(HEAD "\"video\":[{\"source\":\"a.mp4\",\"out\":2,\"at\":-1}]}",
	           "'t.json': video[0].at: -1 is out of range (0..36000)");
	expect_bad(HEAD "\"video\":[{\"source\":\"\",\"out\":2,\"at\":0}]}", "'t.json': video[0].source: is empty");
	expect_bad(HEAD "\"video\":[" CLIP ",{\"source\":\"b.mp4\",\"out\":2,\"at\":1.5}]}",
	           "'t.json': video[1]: overlaps video[0] (1.5 s < 2 s); clips must be in order");
	expect_bad(HEAD "\"video\":[{\"source\":\"s.png\",\"in\":0,\"duration\":2,\"at\":0}]}",
	           "'t.json': video[0].in: a still has a duration, not in and out");
	expect_bad(HEAD "\"video\":[{\"source\":\"a.mp4\",\"duration\":2,\"at\":0}]}",
	           "'t.json': video[0].duration: a video clip has in and out, not a duration");
	expect_bad(HEAD "\"video\":[{\"source\":\"a.mp4\",\"out\":2,\"at\":0,\"effect\":{}}]}",
	           "'t.json': video[0].effect: only stills take an effect");
	expect_bad(HEAD "\"video\":[{\"source\":\"s.png\",\"duration\":2,\"at\":0,"
	           "\"effect\":{\"type\":\"ken_burns\",\"to\":{\"zoom\":0.5}}}]}",
	           "'t.json': video[0].effect.to.zoom: 0.5 is out of range (1..10)");
	expect_bad(HEAD "\"video\":[{\"source\":\"s.png\",\"duration\":2,\"at\":0,"
	           "\"effect\":{\"type\":\"spin\"}}]}",
	           "'t.json': video[0].effect.type: must be \"ken_burns\"");
	expect_bad(HEAD "\"video\":[" CLIP "],\"dialogue\":[{\"audio\":\"1.wav\",\"at\":1,"
	           "\"character\":\"H\",\"text\":\"Hi there\",\"words\":[{\"text\":\"Hi\",\"start\":0.5,"
	           "\"end\":0.2}]}]}",
	           "'t.json': dialogue[0].words[0].end: 0.2 is before start (0.5)");
	expect_bad(HEAD "\"video\":[" CLIP "],\"dialogue\":[{\"audio\":\"1.wav\",\"at\":1,"
	           "\"character\":\"H\",\"text\":\"a b\",\"words\":[{\"text\":\"a\",\"start\":0.5,"
	           "\"end\":0.6},{\"text\":\"b\",\"start\":0.1,\"end\":0.2}]}]}",
	           "'t.json': dialogue[0].words[1].start: 0.1 is before the previous word's start (0.5)");
	expect_bad(HEAD "\"video\":[" CLIP "],\"dialogue\":[{\"audio\":\"1.wav\",\"at\":1,"
	           "\"text\":\"x\"}]}", "'t.json': dialogue[0].character: missing");
	expect_bad(HEAD "\"video\":[" CLIP "],\"dialogue\":[{\"audio\":\"1.wav\",\"at\":3,"
	           "\"character\":\"H\",\"text\":\"x\"},{\"audio\":\"2.wav\",\"at\":1,"
	           "\"character\":\"H\",\"text\":\"y\"}]}",
	           "'t.json': dialogue[1].at: 1 is before dialogue[0] (3); lines must be in order");
	expect_bad(HEAD "\"width\":641,\"height\":360,\"video\":[" CLIP "]}",
	           "'t.json': width: 641 is odd (H.264 needs even sides)");
	expect_bad(HEAD "\"width\":640,\"video\":[" CLIP "]}",
	           "'t.json': height: missing (give both sides or neither)");
	expect_bad(HEAD "\"fps\":23.976,\"video\":[" CLIP "]}",
	           "'t.json': fps: must be a whole number or a string such as \"30000/1001\", not real");
	expect_bad(HEAD "\"fps\":\"24/0\",\"video\":[" CLIP "]}",
	           "'t.json': fps: 24/0 is out of range (1..240 frames a second)");
	expect_bad(HEAD "\"video\":[" CLIP "],\"credits\":{\"at\":1,\"duration\":2,\"lines\":[1]}}",
	           "'t.json': credits.lines[0]: must be a string, not integer");
	expect_bad(HEAD "\"video\":[" CLIP "],\"score\":{\"at\":1}}", "'t.json': score.audio: missing");
	expect_bad(HEAD "\"video\":[" CLIP "],\"ambience\":{\"duck_db\":3}}",
	           "'t.json': ambience.duck_db: 3 is out of range (-60..0)");
	expect_bad(HEAD "\"video\":[" CLIP "]", "'t.json': line 1 column 104: '}' expected near end of file");
}

static void test_load_file(void)
{
	const char *path = test_path("timeline.json");
	test_write_file(path, good, strlen(good));
	film_timeline t;
	int ret = film_timeline_load(path, &t);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret == 0) {
		char *want = malloc(strlen(test_tmpdir()) + 32);
		snprintf(want, strlen(test_tmpdir()) + 32, "%s/reels/a.mp4", test_tmpdir());
		CHECK_STR(t.clips[0].source, want);
		free(want);
		film_timeline_release(&t);
	}
	/* The example in tests/fixtures (also the fuzzer's seed) loads. */
	ret = film_timeline_load("tests/fixtures/film/timeline.json", &t);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret == 0) {
		CHECK_STR(t.clips[1].source, "tests/fixtures/film/footage/barbara.jpg");
		CHECK(t.fps_num == 24000 && t.n_clips == 2 && t.credits.present && !t.credit_lines);
		film_timeline_release(&t);
	}
	ret = film_timeline_load(test_path("missing.json"), &t);
	CHECK(ret == BJ_ENOENT, "ret %d", ret);
	/* A WAV that is not there is found when measured. */
	ret = film_timeline_parse("t.json", test_tmpdir(), good, strlen(good), &t);
	CHECK(ret == 0);
	CHECK(film_timeline_measure(&t) < 0);
	CHECK(strstr(bj_error_message(), "1.wav") != NULL, "%s", bj_error_message());
	film_timeline_release(&t);
}

/* Saved and loaded again: the same timeline; saved again: the same bytes;
 * paths inside the folder stay relative. */
static void test_save_roundtrip(void)
{
	film_timeline a, b;
	int ret = film_timeline_parse("t.json", test_tmpdir(), good, strlen(good), &a);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret < 0)
		return;
	char *p1 = strdup(test_path("one.json")), *p2 = strdup(test_path("two.json"));
	CHECK(film_timeline_save(&a, p1) == 0, "%s", bj_error_message());
	ret = film_timeline_load(p1, &b);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret == 0) {
		CHECK_STR(b.title, a.title);
		CHECK(b.width == a.width && b.fps_num == a.fps_num && b.fps_den == a.fps_den);
		CHECK(b.n_clips == a.n_clips && b.n_lines == a.n_lines && b.n_credit_lines == 3);
		for (size_t i = 0; i < a.n_clips && i < b.n_clips; i++) {
			CHECK_STR(b.clips[i].source, a.clips[i].source);
			CHECK(b.clips[i].in == a.clips[i].in && b.clips[i].out == a.clips[i].out &&
			      b.clips[i].at == a.clips[i].at && b.clips[i].still == a.clips[i].still &&
			      b.clips[i].scene == a.clips[i].scene && b.clips[i].to.x == a.clips[i].to.x);
		}
		CHECK_STR(b.clips[0].why, a.clips[0].why);
		CHECK_STR(b.lines[0].audio, a.lines[0].audio);
		CHECK(b.lines[0].n_words == 2 && b.lines[0].words[1].end == a.lines[0].words[1].end);
		CHECK_STR(b.score.audio, a.score.audio);
		CHECK(b.score.gain_db == a.score.gain_db && b.ambience.duck_db == a.ambience.duck_db);
		CHECK(b.title_card.present && b.credits.duration == a.credits.duration);
		CHECK(film_timeline_save(&b, p2) == 0);
		char *x = test_read_file(p1, NULL), *y = test_read_file(p2, NULL);
		CHECK(x && y && !strcmp(x, y), "saved twice, different bytes");
		CHECK(x && strstr(x, "\"source\": \"reels/a.mp4\"") && strstr(x, "\"/abs/b.JPG\""),
		      "%s", x ? x : "");
		free(x);
		free(y);
		film_timeline_release(&b);
	}
	CHECK(film_timeline_save(&a, "/nonexistent-dir/t.json") < 0);
	free(p1);
	free(p2);
	film_timeline_release(&a);
}

static void test_spans(void)
{
	static const char json[] = HEAD "\"video\":["
		"{\"source\":\"a.mp4\",\"in\":1.01,\"out\":2.03,\"at\":0.5},"
		"{\"source\":\"b.mp4\",\"in\":0,\"out\":0.01,\"at\":1.53},"
		"{\"source\":\"c.mp4\",\"in\":4,\"out\":5,\"at\":1.54}]}";
	film_timeline t;
	int ret = film_timeline_parse("t.json", ".", json, strlen(json), &t);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret < 0)
		return;
	film_span s[3];
	film_timeline_spans(&t, 25, 1, s);
	/* a: 0.5 s is frame 12.5, rounded away from zero to 13; it ends at 1.52 s, frame 38 */
	CHECK(s[0].rec_in == 13 && s[0].rec_out == 38 && s[0].src_in == 25, "%lld %lld %lld",
	      (long long)s[0].rec_in, (long long)s[0].rec_out, (long long)s[0].src_in);
	/* b: shorter than a frame: one frame, from where a ends */
	CHECK(s[1].rec_in == 38 && s[1].rec_out == 39, "%lld %lld", (long long)s[1].rec_in,
	      (long long)s[1].rec_out);
	/* c: would start at 38.5 -> 39 */
	CHECK(s[2].rec_in == 39 && s[2].rec_out == 64 && s[2].src_in == 100, "%lld %lld",
	      (long long)s[2].rec_in, (long long)s[2].rec_out);
	CHECK(film_frames(1.0, 30000, 1001) == 30);
	film_timeline_release(&t);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_good),
		TEST_CASE(test_bad),
		TEST_CASE(test_load_file),
		TEST_CASE(test_save_roundtrip),
		TEST_CASE(test_spans),
		{ 0 },
	};
	return test_main(cases);
}
