/*
 * test_exchange.c - the cut for editors: the EDL read back by a small CMX 3600
 * parser of our own and compared with the timeline, frame for frame, at an
 * integer and an NTSC rate; the OTIO document walked against the schema's
 * structure with its times adding up.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "film/edl.h"
#include "film/otio.h"
#include "film/timeline.h"
#include "harness.h"

static const char json[] =
	"{\"format\":\"benjamin-timeline\",\"version\":1,\"title\":\"Zone Out\","
	"\"video\":["
	"{\"source\":\"reels/nosferatu.mp4\",\"in\":10.02,\"out\":12.5,\"at\":2,\"scene\":1,"
	" \"why\":{\"score\":0.5}},"
	"{\"source\":\"reels/nosferatu_2.mp4\",\"in\":3601,\"out\":3603.3,\"at\":4.48},"
	"{\"source\":\"stills/x.png\",\"duration\":1.5,\"at\":8},"
	"{\"source\":\"reels/nosferatu.mp4\",\"in\":20,\"out\":21,\"at\":9.5}],"
	"\"dialogue\":["
	"{\"audio\":\"v/1.wav\",\"at\":2.2,\"character\":\"H\",\"text\":\"One.\"},"
	"{\"audio\":\"v/2.wav\",\"at\":8.1,\"character\":\"C\",\"text\":\"Two.\"}],"
	"\"score\":{\"audio\":\"score.wav\",\"at\":1}}";

static int load(film_timeline *t)
{
	int ret = film_timeline_parse("t.json", ".", json, strlen(json), t);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret == 0) {
		t->lines[0].duration = 1.25;
		t->lines[1].duration = 0.7;
	}
	return ret;
}

/* One event as read back. */
struct event {
	int number;
	char reel[16], track[8];
	long long src_in, src_out, rec_in, rec_out;
	char clip[256];
};

static long long tc_frames(const char *tc, int base)
{
	int h, m, s, f;
	if (sscanf(tc, "%2d:%2d:%2d:%2d", &h, &m, &s, &f) != 4 || f >= base || m > 59 || s > 59)
		return -1;
	return ((long long)(h * 60 + m) * 60 + s) * base + f;
}

/* Parses CMX 3600 text: title, FCM, events with their clip-name comments.
 * Returns the number of events, or -1 on a malformed line. */
static int parse_edl(const char *text, int base, char *title, struct event *ev, int max)
{
	int n = 0, saw_fcm = 0;
	char *copy = strdup(text), *rest = copy, *line;
	while ((line = strsep(&rest, "\n")) != NULL) {
		char tc[4][16], trans[8];
		struct event e = { 0 };
		if (!strncmp(line, "TITLE: ", 7)) {
			snprintf(title, 256, "%s", line + 7);
		} else if (!strcmp(line, "FCM: NON-DROP FRAME")) {
			saw_fcm = 1;
		} else if (!strncmp(line, "* FROM CLIP NAME: ", 18) && n > 0) {
			snprintf(ev[n - 1].clip, sizeof ev[n - 1].clip, "%s", line + 18);
		} else if (!strncmp(line, "* ", 2) || !*line) {
			continue;
		} else if (sscanf(line, "%3d %15s %7s %7s %15s %15s %15s %15s", &e.number, e.reel, e.track,
		                  trans, tc[0], tc[1], tc[2], tc[3]) == 8 && n < max &&
		           !strcmp(trans, "C")) {
			e.src_in = tc_frames(tc[0], base);
			e.src_out = tc_frames(tc[1], base);
			e.rec_in = tc_frames(tc[2], base);
			e.rec_out = tc_frames(tc[3], base);
			if (e.src_in < 0 || e.src_out < 0 || e.rec_in < 0 || e.rec_out < 0) {
				n = -1;
				break;
			}
			ev[n++] = e;
		} else {
			n = -1;
			break;
		}
	}
	free(copy);
	return saw_fcm ? n : -1;
}

static void check_edl(int fps_num, int fps_den, const char *golden)
{
	film_timeline t;
	if (load(&t) < 0)
		return;
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	film_edl_write(&t, fps_num, fps_den, f);
	fclose(f);
	if (golden)
		test_check_golden(golden, text);
	int base = film_edl_base(fps_num, fps_den);
	char title[256] = "";
	struct event ev[16];
	int n = parse_edl(text, base, title, ev, 16);
	CHECK(n == 6, "%d events in\n%s", n, text);
	CHECK_STR(title, "Zone Out");
	film_span spans[4];
	film_timeline_spans(&t, fps_num, fps_den, spans);
	long long hour = 3600LL * base;
	size_t clip = 0, dia = 0;
	for (int i = 0; i < n && i < 16; i++) {
		CHECK(ev[i].number == i + 1);
		CHECK(ev[i].src_out - ev[i].src_in == ev[i].rec_out - ev[i].rec_in, "event %d", i + 1);
		CHECK(i == 0 || ev[i].rec_in >= ev[i - 1].rec_in, "event %d out of order", i + 1);
		if (!strcmp(ev[i].track, "V") && clip < 4) {
			CHECK(ev[i].src_in == spans[clip].src_in, "event %d src %lld want %lld", i + 1,
			      ev[i].src_in, (long long)spans[clip].src_in);
			CHECK(ev[i].rec_in == spans[clip].rec_in + hour);
			CHECK(ev[i].rec_out == spans[clip].rec_out + hour);
			const char *name = strrchr(t.clips[clip].source, '/') + 1;
			CHECK_STR(ev[i].clip, name);
			clip++;
		} else if (!strcmp(ev[i].track, "A") && dia < 2) {
			CHECK(ev[i].rec_in == film_frames(t.lines[dia].at, fps_num, fps_den) + hour);
			CHECK(ev[i].src_in == 0);
			dia++;
		}
	}
	CHECK(clip == 4 && dia == 2, "%zu clips, %zu lines", clip, dia);
	/* Same source, same reel; different sources, different reels. */
	CHECK(n == 6 && !strcmp(ev[0].reel, "NOSFERAT") && !strcmp(ev[2].reel, "NOSFERA2") &&
	      !strcmp(ev[5].reel, "NOSFERAT"), "%s %s %s", ev[0].reel, ev[2].reel, ev[5].reel);
	free(text);
	film_timeline_release(&t);
}

static void test_edl_25(void)
{
	check_edl(25, 1, "film/cut-25.edl");
}

static void test_edl_ntsc(void)
{
	/* 29.97: timecode counts 30 a second, non-drop; 3601 s of source is past an hour. */
	check_edl(30000, 1001, "film/cut-2997.edl");
}

static void test_timecode(void)
{
	char tc[12];
	film_edl_timecode(0, 25, tc);
	CHECK_STR(tc, "00:00:00:00");
	film_edl_timecode(90000 + 25 * 61 + 24, 25, tc);
	CHECK_STR(tc, "01:01:01:24");
	CHECK(film_edl_base(24000, 1001) == 24 && film_edl_base(30000, 1001) == 30);
	CHECK(tc_frames("01:01:01:24", 25) == 90000 + 25 * 61 + 24);
}

static const char *schema(const json_t *o)
{
	const char *s = json_string_value(json_object_get(o, "OTIO_SCHEMA"));
	return s ? s : "";
}

/* A TimeRange.1 at rate: its start and duration in frames, or -1. */
static long long range_frames(const json_t *r, double rate, long long *start)
{
	if (strcmp(schema(r), "TimeRange.1"))
		return -1;
	const json_t *st = json_object_get(r, "start_time"), *du = json_object_get(r, "duration");
	if (strcmp(schema(st), "RationalTime.1") || strcmp(schema(du), "RationalTime.1") ||
	    json_real_value(json_object_get(st, "rate")) != rate ||
	    json_real_value(json_object_get(du, "rate")) != rate)
		return -1;
	*start = (long long)json_real_value(json_object_get(st, "value"));
	return (long long)json_real_value(json_object_get(du, "value"));
}

static void test_otio(void)
{
	film_timeline t;
	if (load(&t) < 0)
		return;
	char *text = film_otio_text(&t, 24000, 1001);
	json_error_t err;
	json_t *root = json_loads(text, 0, &err);
	CHECK(root != NULL, "%s", err.text);
	if (!root)
		goto out;
	double rate = 24000.0 / 1001;
	CHECK_STR(schema(root), "Timeline.1");
	CHECK_STR(json_string_value(json_object_get(root, "name")), "Zone Out");
	const json_t *stack = json_object_get(root, "tracks");
	CHECK_STR(schema(stack), "Stack.1");
	const json_t *tracks = json_object_get(stack, "children");
	CHECK(json_array_size(tracks) == 3, "%zu tracks", json_array_size(tracks));
	static const char *const kinds[] = { "Video", "Audio", "Audio" };
	film_span spans[4];
	film_timeline_spans(&t, 24000, 1001, spans);
	for (size_t k = 0; k < json_array_size(tracks) && k < 3; k++) {
		const json_t *tr = json_array_get(tracks, k);
		CHECK_STR(schema(tr), "Track.1");
		CHECK_STR(json_string_value(json_object_get(tr, "kind")), kinds[k]);
		const json_t *items = json_object_get(tr, "children");
		long long cursor = 0;
		size_t clips = 0;
		for (size_t i = 0; i < json_array_size(items); i++) {
			const json_t *it = json_array_get(items, i);
			long long start = -1;
			long long len = range_frames(json_object_get(it, "source_range"), rate, &start);
			CHECK(len > 0, "track %zu item %zu has no range", k, i);
			if (!strcmp(schema(it), "Gap.1")) {
				CHECK(start == 0);
			} else {
				CHECK_STR(schema(it), "Clip.1");
				const json_t *ref = json_object_get(it, "media_reference");
				CHECK_STR(schema(ref), "ExternalReference.1");
				const char *url = json_string_value(json_object_get(ref, "target_url"));
				CHECK(url && !strncmp(url, "file:///", 8), "%s", url ? url : "(none)");
				if (k == 0 && clips < 4) {
					/* The clip starts where the items before it end. */
					CHECK(cursor == spans[clips].rec_in, "clip %zu at %lld, want %lld", clips,
					      cursor, (long long)spans[clips].rec_in);
					CHECK(start == spans[clips].src_in);
					CHECK(len == spans[clips].rec_out - spans[clips].rec_in);
					const char *name = strrchr(t.clips[clips].source, '/') + 1;
					CHECK(url && strlen(url) > strlen(name) &&
					      !strcmp(url + strlen(url) - strlen(name), name), "%s", url);
				}
				if (k == 1 && clips < 2)
					CHECK(cursor == film_frames(t.lines[clips].at, 24000, 1001));
				clips++;
			}
			cursor += len;
		}
		CHECK(clips == (k == 0 ? 4u : k == 1 ? 2u : 1u), "track %zu: %zu clips", k, clips);
		if (k == 0)
			CHECK(cursor == spans[3].rec_out, "V1 ends at %lld", cursor);
	}
	const json_t *first = json_array_get(json_object_get(json_array_get(tracks, 0), "children"), 1);
	const json_t *why = json_object_get(json_object_get(json_object_get(first, "metadata"),
	                                                    "benjamin"), "why");
	CHECK(json_real_value(json_object_get(why, "score")) == 0.5, "why not kept");
	json_decref(root);
out:
	free(text);
	film_timeline_release(&t);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_timecode),
		TEST_CASE(test_edl_25),
		TEST_CASE(test_edl_ntsc),
		TEST_CASE(test_otio),
		{ 0 },
	};
	return test_main(cases);
}
