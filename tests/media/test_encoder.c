#include "media/encoder.h"

#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base/alloc.h"
#include "base/error.h"
#include "harness.h"

#define W 320
#define H 240
#define FPS 24
#define RATE 48000
#define AAC_FRAME 1024 /* samples per AAC-LC frame */

/* Frames are plain buffers wrapped in media_image literals: the encoder reads
 * only width, height, channels, stride and data. */
static media_image image_of(uint8_t *data, int w, int h, int channels)
{
	return (media_image){ .width = w, .height = h, .channels = channels,
	                      .stride = (size_t)w * (size_t)channels, .data = data };
}

/* When set, write_film's frames are noise, which does not compress. */
static int noisy;

/* A diagonal colour gradient that moves with t, so the encoder sees motion; or,
 * when noisy is set, seeded noise. */
static void gradient(uint8_t *px, int w, int h, int channels, int t)
{
	if (noisy) {
		uint32_t x = 2891336453u * (uint32_t)(t + 1);
		for (size_t i = 0; i < (size_t)w * (size_t)h * (size_t)channels; i++) {
			x = x * 1664525u + 1013904223u;
			px[i] = (uint8_t)(x >> 24);
		}
		return;
	}
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint8_t *p = px + ((size_t)y * (size_t)w + (size_t)x) * (size_t)channels;
			p[0] = (uint8_t)(x + y + 4 * t);
			if (channels == 3) {
				p[1] = (uint8_t)(2 * y - 3 * t);
				p[2] = (uint8_t)(255 * x / w);
			}
		}
}

/* 440 Hz at half scale; the right channel a quarter period later. */
static void sine(float *pcm, int64_t first, size_t frames, int channels)
{
	for (size_t i = 0; i < frames; i++)
		for (int ch = 0; ch < channels; ch++) {
			double t = (double)(first + (int64_t)i) / RATE + ch / (4.0 * 440.0);
			pcm[i * (size_t)channels + (size_t)ch] = (float)(0.5 * sin(2 * M_PI * 440.0 * t));
		}
}

/* The call in which write_film failed: "open", "video", "audio", "finish". */
static const char *failed_in;

/* Writes n frames of w x h (RGB or grey) and, with audio, each frame's share of
 * the sine, as a renderer does.  Returns the first error, or finish's result. */
static int write_film(const char *path, const media_encoder_opts *o, int n, int channels)
{
	media_encoder *e;
	failed_in = "open";
	int ret = media_encoder_open(path, o, &e);
	if (ret < 0)
		return ret;
	uint8_t *px = malloc((size_t)o->width * (size_t)o->height * (size_t)channels);
	float *pcm = malloc(RATE * 2 * sizeof(float));
	int64_t sent = 0;
	for (int i = 0; i < n && ret == 0; i++) {
		gradient(px, o->width, o->height, channels, i);
		media_image img = image_of(px, o->width, o->height, channels);
		failed_in = "video";
		ret = media_encoder_write_video(e, &img);
		if (ret == 0 && o->audio_rate) {
			failed_in = "audio";
			/* Sound up to the end of frame i: 2000 samples a frame at
			 * 48 kHz and 24 fps, which AAC's 1024 does not divide. */
			int64_t until = (int64_t)(i + 1) * o->audio_rate * o->fps_den / o->fps_num;
			size_t k = (size_t)(until - sent);
			sine(pcm, sent, k, o->audio_channels);
			ret = media_encoder_write_audio(e, pcm, k);
			sent = until;
		}
	}
	if (ret == 0) {
		failed_in = "finish";
		ret = media_encoder_finish(e);
	} else {
		/* After a failed write every call refuses, finish too, and the
		 * first error is the one the caller reports. */
		char first[1024];
		snprintf(first, sizeof(first), "%s", bj_error_message());
		media_image img = image_of(px, o->width, o->height, channels);
		char want[4200];
		snprintf(want, sizeof(want), "'%s': cannot continue after an earlier error", path);
		CHECK(media_encoder_write_video(e, &img) == BJ_EINVAL);
		CHECK_STR(bj_error_message(), want);
		CHECK(media_encoder_finish(e) == BJ_EINVAL);
		CHECK_STR(bj_error_message(), want);
		bj_error_set(ret, "%s", first);
	}
	media_encoder_close(e);
	free(px);
	free(pcm);
	return ret;
}

/* Runs ffprobe on path and returns its JSON (json_decref), or NULL. */
static json_t *probe(const char *path)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "ffprobe -v error -of json -show_streams -show_format "
	         "-count_frames '%s'", path);
	FILE *p = popen(cmd, "r");
	if (!p) {
		test_fail(__FILE__, __LINE__, "cannot run ffprobe: %s", strerror(errno));
		return NULL;
	}
	json_error_t err;
	json_t *j = json_loadf(p, 0, &err);
	int status = pclose(p);
	CHECK(status == 0, "ffprobe exit status %d", status);
	CHECK(j, "ffprobe output is not JSON: %s", err.text);
	return status == 0 ? j : (json_decref(j), NULL);
}

static const char *jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* ffprobe writes some numbers as JSON numbers and others as strings. */
static double jnum(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	if (json_is_number(v))
		return json_number_value(v);
	const char *s = json_string_value(v);
	return s ? strtod(s, NULL) : NAN;
}

/* The stream of the given codec_type, or NULL. */
static const json_t *stream_of(const json_t *probe, const char *type)
{
	const json_t *streams = json_object_get(probe, "streams");
	for (size_t i = 0; i < json_array_size(streams); i++) {
		const json_t *s = json_array_get(streams, i);
		if (strcmp(jstr(s, "codec_type"), type) == 0)
			return s;
	}
	return NULL;
}

/* The types of the top-level ISO BMFF boxes (ISO/IEC 14496-12, 4.2), in order,
 * as one string ("ftyp moov mdat"). */
static void top_level_boxes(const char *path, char *out, size_t cap)
{
	out[0] = '\0';
	size_t size;
	uint8_t *b = (uint8_t *)test_read_file(path, &size);
	if (!b) {
		test_fail(__FILE__, __LINE__, "cannot read '%s'", path);
		return;
	}
	size_t pos = 0, len = 0;
	while (pos + 8 <= size && len + 6 < cap) {
		uint64_t box = (uint64_t)b[pos] << 24 | (uint64_t)b[pos + 1] << 16 |
		               (uint64_t)b[pos + 2] << 8 | b[pos + 3];
		size_t header = 8;
		if (box == 1 && pos + 16 <= size) { /* 64-bit largesize follows the type */
			box = 0;
			for (int i = 0; i < 8; i++)
				box = box << 8 | b[pos + 8 + (size_t)i];
			header = 16;
		} else if (box == 0) {              /* extends to the end of the file */
			box = size - pos;
		}
		len += (size_t)snprintf(out + len, cap - len, "%s%.4s", len ? " " : "", b + pos + 4);
		if (box < header || box > size - pos)
			break;
		pos += box;
	}
	CHECK(pos == size, "boxes end at %zu, file has %zu bytes", pos, size);
	free(b);
}

/* Entries in the case's temporary folder. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_film_has_the_promised_streams(void)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s", test_path("film.mp4"));
	media_encoder_opts o = media_encoder_defaults(W, H, FPS, 1);
	o.preset = "veryfast";
	o.audio_rate = RATE;
	o.audio_channels = 2;
	o.tags = (const char *[]){ "title", "Sunspring", "comment", "AI-generated", NULL };
	const int frames = 3 * FPS;
	int ret = write_film(path, &o, frames, 3);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret)
		return;
	CHECK(entries(test_tmpdir()) == 1, "temporary file left beside the film");

	json_t *j = probe(path);
	if (!j)
		return;
	const json_t *fmt = json_object_get(j, "format");
	CHECK(json_array_size(json_object_get(j, "streams")) == 2);
	CHECK(jnum(fmt, "nb_streams") == 2);
	const json_t *tags = json_object_get(fmt, "tags");
	CHECK_STR(jstr(tags, "title"), "Sunspring");
	CHECK_STR(jstr(tags, "comment"), "AI-generated");
	CHECK(!json_object_get(tags, "encoder"), "library version in the file: '%s'",
	      jstr(tags, "encoder"));

	const json_t *v = stream_of(j, "video"), *a = stream_of(j, "audio");
	CHECK(v && a, "no video or no audio stream");
	if (v && a) {
		CHECK_STR(jstr(v, "codec_name"), "h264");
		CHECK_STR(jstr(v, "pix_fmt"), "yuv420p");
		CHECK(jnum(v, "width") == W && jnum(v, "height") == H, "%gx%g",
		      jnum(v, "width"), jnum(v, "height"));
		CHECK_STR(jstr(v, "avg_frame_rate"), "24/1");
		CHECK_STR(jstr(v, "r_frame_rate"), "24/1");
		CHECK(jnum(v, "nb_read_frames") == frames, "read %g frames of %d",
		      jnum(v, "nb_read_frames"), frames);
		CHECK_STR(jstr(v, "color_space"), "bt709");
		CHECK_STR(jstr(v, "color_range"), "tv");
		CHECK_STR(jstr(a, "codec_name"), "aac");
		CHECK_STR(jstr(a, "sample_rate"), "48000");
		CHECK(jnum(a, "channels") == 2, "%g channels", jnum(a, "channels"));
		CHECK_STR(jstr(a, "channel_layout"), "stereo");

		double vdur = jnum(v, "duration"), adur = jnum(a, "duration");
		CHECK_NEAR(vdur, 3.0, 1.0 / FPS);
		CHECK_NEAR(adur, 3.0, (double)AAC_FRAME / RATE);
		/* AAC's priming samples and H.264's reordering delay are both hidden by
		 * edit lists: picture and sound must start together. */
		double vstart = jnum(v, "start_time"), astart = jnum(a, "start_time");
		CHECK_NEAR(vstart, astart, (double)AAC_FRAME / RATE);
		CHECK_NEAR(vstart, 0.0, (double)AAC_FRAME / RATE);
	}
	json_decref(j);

	char boxes[256];
	top_level_boxes(path, boxes, sizeof(boxes));
	const char *moov = strstr(boxes, "moov"), *mdat = strstr(boxes, "mdat");
	CHECK(!strncmp(boxes, "ftyp", 4) && moov && mdat && moov < mdat,
	      "top-level boxes: %s", boxes);
}

static void test_grey_video_only(void)
{
	const char *path = test_path("grey.mp4");
	media_encoder_opts o = media_encoder_defaults(160, 90, 25, 1);
	o.preset = "ultrafast";
	int ret = write_film(path, &o, 30, 1);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret)
		return;
	json_t *j = probe(path);
	if (!j)
		return;
	CHECK(json_array_size(json_object_get(j, "streams")) == 1);
	const json_t *v = stream_of(j, "video");
	CHECK(v);
	if (v) {
		CHECK_STR(jstr(v, "codec_name"), "h264");
		CHECK_STR(jstr(v, "pix_fmt"), "yuv420p");
		CHECK(jnum(v, "width") == 160 && jnum(v, "height") == 90);
		CHECK_STR(jstr(v, "avg_frame_rate"), "25/1");
		CHECK(jnum(v, "nb_read_frames") == 30, "read %g frames", jnum(v, "nb_read_frames"));
		CHECK_NEAR(jnum(v, "duration"), 30.0 / 25, 1e-6);
	}
	json_decref(j);
}

/* Decodes path's frames with the ffmpeg CLI into rgb24 (n bytes expected). */
static uint8_t *decode_rgb(const char *path, size_t n)
{
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "ffmpeg -v error -i '%s' -f rawvideo -pix_fmt rgb24 -", path);
	FILE *p = popen(cmd, "r");
	if (!p)
		return NULL;
	uint8_t *buf = malloc(n + 1);
	size_t got = fread(buf, 1, n + 1, p);
	int status = pclose(p);
	CHECK(status == 0 && got == n, "ffmpeg status %d, %zu bytes of %zu", status, got, n);
	if (status != 0 || got != n) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* At crf 0 x264 is lossless, so what comes back differs from what went in only
 * by the RGB -> limited-range yuv420p -> RGB round trip: this checks the matrix,
 * the range and their tags together.  Chroma is filtered when subsampled, so
 * colours bleed a few pixels across block edges: only block interiors count. */
static void test_colours_come_back(void)
{
	enum { w = 128, h = 32, block = 16, margin = 4, frames = 3 };
	static const uint8_t colours[][3] = {
		{ 0, 0, 0 }, { 255, 255, 255 }, { 200, 30, 40 }, { 20, 180, 60 },
		{ 30, 60, 220 }, { 128, 128, 128 }, { 250, 220, 20 }, { 90, 40, 160 },
		{ 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 }, { 0, 255, 255 },
		{ 255, 0, 255 }, { 255, 255, 0 }, { 16, 16, 16 }, { 240, 240, 240 },
	};
	static uint8_t rgb[w * h * 3], grey[w * h];
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			memcpy(rgb + (y * w + x) * 3, colours[x / block + y / block * (w / block)], 3);
			grey[y * w + x] = (uint8_t)(x * 2 + y / block * 1);
		}

	const char *path = test_path("lossless.mp4");
	media_encoder_opts o = media_encoder_defaults(w, h, 24, 1);
	o.crf = 0;
	o.preset = "ultrafast";
	media_encoder *e;
	int ret = media_encoder_open(path, &o, &e);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret)
		return;
	for (int i = 0; i < frames && ret == 0; i++) {
		media_image img = i == 1 ? image_of(grey, w, h, 1) : image_of(rgb, w, h, 3);
		ret = media_encoder_write_video(e, &img);
	}
	if (ret == 0)
		ret = media_encoder_finish(e);
	media_encoder_close(e);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret)
		return;
	uint8_t *out = decode_rgb(path, (size_t)frames * sizeof(rgb));
	if (!out)
		return;
	int worst = 0, worst_grey = 0, wx = 0, wy = 0;
	for (int f = 0; f < frames; f++)
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				int inside = x % block >= margin && x % block < block - margin &&
				             y % block >= margin && y % block < block - margin;
				for (int c = 0; c < 3; c++) {
					size_t i = (size_t)(y * w + x);
					int got = out[(size_t)f * sizeof(rgb) + i * 3 + (size_t)c];
					int d = abs(got - (f == 1 ? grey[i] : rgb[i * 3 + (size_t)c]));
					if (f == 1 && d > worst_grey)
						worst_grey = d;
					if (f != 1 && inside && d > worst)
						worst = d, wx = x, wy = y;
				}
			}
	/* 8-bit limited range rounds twice: a level or two either way. */
	CHECK(worst <= 3, "RGB comes back off by %d levels at (%d, %d)", worst, wx, wy);
	CHECK(worst_grey <= 2, "grey comes back off by %d levels", worst_grey);
	free(out);
}

static void test_mono_audio_in_odd_chunks(void)
{
	const char *path = test_path("mono.mp4");
	media_encoder_opts o = media_encoder_defaults(64, 64, 30000, 1001);
	o.preset = "ultrafast";
	o.audio_rate = 44100;
	o.audio_channels = 1;
	o.audio_bit_rate = 64000;
	media_encoder *e;
	int ret = media_encoder_open(path, &o, &e);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret)
		return;
	uint8_t px[64 * 64 * 3];
	float pcm[5000];
	static const size_t chunks[] = { 1, 7, 1023, 1024, 1025, 5000, 0, 333 };
	size_t total = 0;
	for (int i = 0; i < 10 && ret == 0; i++) {
		gradient(px, 64, 64, 3, i);
		media_image img = image_of(px, 64, 64, 3);
		ret = media_encoder_write_video(e, &img);
		size_t n = chunks[i % BJ_ARRAY_SIZE(chunks)];
		sine(pcm, (int64_t)total, n, 1);
		if (ret == 0)
			ret = media_encoder_write_audio(e, pcm, n);
		total += n;
	}
	if (ret == 0)
		ret = media_encoder_finish(e);
	media_encoder_close(e);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret)
		return;
	json_t *j = probe(path);
	if (!j)
		return;
	const json_t *v = stream_of(j, "video"), *a = stream_of(j, "audio");
	CHECK(v && a);
	if (v && a) {
		CHECK_STR(jstr(v, "avg_frame_rate"), "30000/1001");
		CHECK(jnum(v, "nb_read_frames") == 10, "%g frames", jnum(v, "nb_read_frames"));
		CHECK_STR(jstr(a, "sample_rate"), "44100");
		CHECK(jnum(a, "channels") == 1);
		CHECK_STR(jstr(a, "channel_layout"), "mono");
		CHECK_NEAR(jnum(a, "duration"), (double)total / 44100, (double)AAC_FRAME / 44100);
	}
	json_decref(j);
}

/* Opens with o and expects BJ_EINVAL with message want ("%s" stands for the path),
 * and no file left behind. */
static void expect_rejected(const media_encoder_opts *o, const char *want, int line)
{
	const char *path = test_path("bad.mp4");
	char msg[4400];
	snprintf(msg, sizeof(msg), want, path);
	media_encoder *e = (media_encoder *)1;
	int ret = media_encoder_open(path, o, &e);
	if (ret != BJ_EINVAL || e != NULL)
		test_fail(__FILE__, line, "open returned %d (%s)", ret, bj_error_message());
	test_check_str(__FILE__, line, "message", bj_error_message(), msg);
	if (entries(test_tmpdir()) != 0)
		test_fail(__FILE__, line, "a file was left in the folder");
	media_encoder_close(ret == 0 ? e : NULL);
}

static void test_bad_options_are_rejected(void)
{
	const media_encoder_opts good = media_encoder_defaults(W, H, FPS, 1);
	media_encoder_opts o;
#define REJECT(field, value, want) \
	do { o = good; o.field = value; expect_rejected(&o, want, __LINE__); } while (0)
	REJECT(width, 641, "'%s': width 641 is odd");
	REJECT(height, 241, "'%s': height 241 is odd");
	REJECT(width, 0, "'%s': width 0 is not in 2..8192");
	REJECT(height, -2, "'%s': height -2 is not in 2..8192");
	REJECT(width, 8194, "'%s': width 8194 is not in 2..8192");
	REJECT(fps_num, 0, "'%s': frame rate 0/1 is not positive");
	REJECT(fps_den, -1, "'%s': frame rate 24/-1 is not positive");
	REJECT(crf, 52, "'%s': crf 52 is not in 0..51");
	REJECT(crf, -1, "'%s': crf -1 is not in 0..51");
	REJECT(preset, "fastest", "'%s': preset 'fastest' is not an x264 preset");
	REJECT(preset, NULL, "'%s': preset '(null)' is not an x264 preset");
	REJECT(threads, 0, "'%s': threads 0 is not in 1..64");
	REJECT(audio_rate, -48000, "'%s': audio rate -48000 is negative");
	REJECT(audio_rate, 44000, "'%s': audio rate 44000 Hz is not an AAC rate");
	o = good;
	o.audio_rate = RATE;
	o.audio_channels = 3;
	expect_rejected(&o, "'%s': audio channels 3 is not 1 or 2", __LINE__);
	o.audio_channels = 0;
	expect_rejected(&o, "'%s': audio channels 0 is not 1 or 2", __LINE__);
	o.audio_channels = 2;
	o.audio_bit_rate = 0;
	expect_rejected(&o, "'%s': audio bit rate 0 is not in 16000..512000", __LINE__);
	REJECT(tags, ((const char *[]){ "title", "x", "director", "y", NULL }),
	       "'%s': tag 'director' is not an MP4 tag");
	REJECT(tags, ((const char *[]){ "comment", NULL }), "'%s': tag 'comment' has no value");
#undef REJECT
}

static void test_bad_frames_are_rejected(void)
{
	const char *path = test_path("film.mp4");
	media_encoder_opts o = media_encoder_defaults(64, 48, FPS, 1);
	o.preset = "ultrafast";
	media_encoder *e;
	int ret = media_encoder_open(path, &o, &e);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret)
		return;
	uint8_t px[66 * 48 * 4] = { 0 };
	media_image img = image_of(px, 66, 48, 3);
	CHECK(media_encoder_write_video(e, &img) == BJ_EINVAL);
	char want[4200];
	snprintf(want, sizeof(want), "'%s': frame is 66x48, the film is 64x48", path);
	CHECK_STR(bj_error_message(), want);
	img = image_of(px, 64, 48, 4);
	CHECK(media_encoder_write_video(e, &img) == BJ_EINVAL);
	snprintf(want, sizeof(want), "'%s': frame has 4 channels, not 1 or 3", path);
	CHECK_STR(bj_error_message(), want);
	float pcm[2] = { 0 };
	CHECK(media_encoder_write_audio(e, pcm, 1) == BJ_EINVAL);
	snprintf(want, sizeof(want), "'%s': the film has no audio track", path);
	CHECK_STR(bj_error_message(), want);
	/* Refused frames leave the encoder usable. */
	img = image_of(px, 64, 48, 3);
	CHECK(media_encoder_write_video(e, &img) == 0, "%s", bj_error_message());
	CHECK(media_encoder_finish(e) == 0, "%s", bj_error_message());
	media_encoder_close(e);
	CHECK(entries(test_tmpdir()) == 1);
}

static int same_bytes(const char *a, const char *b)
{
	size_t na, nb;
	char *da = test_read_file(a, &na), *db = test_read_file(b, &nb);
	int same = da && db && na == nb && memcmp(da, db, na) == 0;
	if (!same)
		printf("    '%s' has %zu bytes, '%s' %zu\n", a, na, b, nb);
	free(da);
	free(db);
	return same;
}

/* Same input, same bytes, for each encoder in a process: x264's AVX-512 code once
 * made the second or third encode differ (64x64 showed it every time). */
static void test_same_input_same_bytes(void)
{
	static const struct {
		int w, h, threads;
	} films[] = { { W, H, 2 }, { 64, 64, 1 }, { 64, 64, 2 } };
	for (size_t i = 0; i < BJ_ARRAY_SIZE(films); i++) {
		char a[4096], b[4096];
		snprintf(a, sizeof(a), "%s", test_path("a.mp4"));
		snprintf(b, sizeof(b), "%s", test_path("b.mp4"));
		media_encoder_opts o = media_encoder_defaults(films[i].w, films[i].h, FPS, 1);
		o.preset = "veryfast";
		o.threads = films[i].threads;
		o.audio_rate = RATE;
		o.tags = (const char *[]){ "title", "Zone Out", NULL };
		int ret = write_film(a, &o, 48, 3);
		ret = ret ? ret : write_film(b, &o, 48, 3);
		CHECK(ret == 0, "%s", bj_error_message());
		if (ret)
			return;
		CHECK(same_bytes(a, b), "%dx%d, %d threads: two encodes differ", films[i].w,
		      films[i].h, films[i].threads);
	}
}

/* Opening path must fail with code and the message "'<path>': <want>". */
static void expect_cannot_create(const char *path, int code, const char *want, int line)
{
	media_encoder_opts o = media_encoder_defaults(64, 48, FPS, 1);
	media_encoder *e = (media_encoder *)1;
	int ret = media_encoder_open(path, &o, &e);
	if (ret != code || e != NULL)
		test_fail(__FILE__, line, "open returned %d, want %d (%s)", ret, code,
		          bj_error_message());
	char msg[4400];
	snprintf(msg, sizeof(msg), "'%s': %s", path, want);
	test_check_str(__FILE__, line, "message", bj_error_message(), msg);
	media_encoder_close(ret == 0 ? e : NULL);
}

static void test_missing_folder(void)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s", test_path("no/such/folder/film.mp4"));
	expect_cannot_create(path, BJ_ENOENT, "cannot create file: No such file or directory",
	                     __LINE__);
	CHECK(entries(test_tmpdir()) == 0);
}

static void test_path_under_a_file(void)
{
	char path[4096];
	test_write_file(test_path("file"), "x", 1);
	snprintf(path, sizeof(path), "%s", test_path("file/film.mp4"));
	expect_cannot_create(path, BJ_ENOENT, "cannot create file: Not a directory", __LINE__);
	CHECK(entries(test_tmpdir()) == 1);
}

static void test_unwritable_folder(void)
{
	char dir[4096], path[4200];
	snprintf(dir, sizeof(dir), "%s", test_path("ro"));
	CHECK(mkdir(dir, 0555) == 0 && chmod(dir, 0555) == 0, "%s", strerror(errno));
	snprintf(path, sizeof(path), "%s/film.mp4", dir);
	if (access(dir, W_OK) == 0) {
		/* Root writes anywhere: the permission cannot be tested, so the
		 * unwritable folder is a regular file instead, which fails for root too. */
		CHECK(rmdir(dir) == 0);
		test_write_file(dir, "x", 1);
		expect_cannot_create(path, BJ_ENOENT, "cannot create file: Not a directory",
		                     __LINE__);
	} else {
		expect_cannot_create(path, BJ_EIO, "cannot create file: Permission denied", __LINE__);
		CHECK(entries(dir) == 0);
	}
	CHECK(entries(test_tmpdir()) == 1);
}

/* MP4 is written with seeks, so a pipe is refused at open, not half-written. */
static void test_pipe_is_refused(void)
{
	char fifo[4096], cmd[4200], want[4200];
	snprintf(fifo, sizeof(fifo), "%s", test_path("pipe"));
	CHECK(mkfifo(fifo, 0600) == 0, "%s", strerror(errno));
	/* A reader, or opening the pipe for writing would wait for one. */
	snprintf(cmd, sizeof(cmd), "cat '%s'", fifo);
	FILE *reader = popen(cmd, "r");
	CHECK(reader);
	if (!reader)
		return;
	media_encoder_opts o = media_encoder_defaults(64, 48, FPS, 1);
	media_encoder *e = (media_encoder *)1;
	int ret = media_encoder_open(fifo, &o, &e);
	CHECK(ret == BJ_EUNSUPPORTED && e == NULL, "code %d", ret);
	snprintf(want, sizeof(want), "'%s': cannot write an MP4 film to a pipe", fifo);
	CHECK_STR(bj_error_message(), want);
	char buf[64];
	CHECK(fread(buf, 1, sizeof(buf), reader) == 0, "bytes went down the pipe");
	pclose(reader);
	media_encoder_close(ret == 0 ? e : NULL);
	CHECK(entries(test_tmpdir()) == 1);
}

static int count_glob(const char *pattern)
{
	glob_t g;
	int n = glob(pattern, 0, NULL, &g) == 0 ? (int)g.gl_pathc : 0;
	globfree(&g);
	return n;
}

/* Writing to /dev/full fails on the first flush, which comes at open (the muxer
 * flushes the header) or later; wherever it comes, the error names the file and
 * the cause, and no later call claims success. */
static void test_full_disk(void)
{
	struct stat st;
	if (stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode)) {
		test_skip("no /dev/full");
		return;
	}
	media_encoder_opts o = media_encoder_defaults(W, H, FPS, 1);
	o.preset = "ultrafast";
	o.audio_rate = RATE;
	int ret = write_film("/dev/full", &o, 24, 3);
	CHECK(ret == BJ_EIO, "code %d", ret);
	CHECK_STR(bj_error_message(), "'/dev/full': cannot write: No space left on device");
	CHECK(count_glob("/dev/full.tmp.*") == 0);
}

static size_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (size_t)st.st_size : 0;
}

/* Runs write_film with the process's file size limit at limit bytes, which
 * makes write(2) fail with EFBIG past it: a disk filling up at a chosen byte.
 * Returns its result. */
static int write_film_limited(const char *path, const media_encoder_opts *o, size_t limit)
{
	struct rlimit old, lim;
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = limit;
	void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
	CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0, "%s", strerror(errno));
	int ret = write_film(path, o, 24, 3);
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, old_handler);
	return ret;
}

/* The disk fills up while frames are written, and again while the trailer moves
 * the index to the front: both are reported, and the temporary file goes.  The
 * film is noise, so it outgrows the muxer's write buffer (256 KiB) mid-way. */
static void test_disk_fills_up(void)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s", test_path("film.mp4"));
	media_encoder_opts o = media_encoder_defaults(W, H, FPS, 1);
	o.preset = "ultrafast";
	o.audio_rate = RATE;
	noisy = 1;
	int ret = write_film(path, &o, 24, 3);
	CHECK(ret == 0, "%s", bj_error_message());
	size_t size = file_size(path);
	CHECK(size > 1000000, "%zu bytes", size);
	CHECK(unlink(path) == 0);
	if (ret || size <= 1000000) {
		noisy = 0;
		return;
	}
	char want[4200];
	snprintf(want, sizeof(want), "'%s': cannot write: File too large", path);

	/* Encoding is deterministic, so each limit falls at the same byte every run. */
	static const struct {
		int num, den;           /* the limit is size * num / den + off */
		int off;
		const char *failed_in;  /* where write_film must fail */
	} cases[] = {
		{ 1, 3, 0, "video" },   /* while writing frames */
		{ 1, 1, -100, "finish" }, /* while moving the index to the front */
		{ 1, 1, -1, "finish" },
	};
	for (size_t i = 0; i < BJ_ARRAY_SIZE(cases); i++) {
		size_t limit = size / (size_t)cases[i].den * (size_t)cases[i].num + (size_t)cases[i].off;
		ret = write_film_limited(path, &o, limit);
		CHECK(ret == BJ_EIO, "limit %zu: code %d", limit, ret);
		CHECK_STR(bj_error_message(), want);
		CHECK(entries(test_tmpdir()) == 0, "limit %zu: a file was left behind", limit);
		CHECK(strcmp(failed_in, cases[i].failed_in) == 0 ||
		      (strcmp(cases[i].failed_in, "video") == 0 && strcmp(failed_in, "audio") == 0),
		      "limit %zu of %zu bytes: failed in %s, not %s", limit, size, failed_in,
		      cases[i].failed_in);
	}
	/* Exactly enough room. */
	ret = write_film_limited(path, &o, size);
	CHECK(ret == 0, "%s", bj_error_message());
	CHECK(file_size(path) == size);
	noisy = 0;
}

static void test_close_without_finish_leaves_nothing(void)
{
	const char *path = test_path("film.mp4");
	media_encoder_opts o = media_encoder_defaults(W, H, FPS, 1);
	o.preset = "ultrafast";
	o.audio_rate = RATE;
	media_encoder *e;
	int ret = media_encoder_open(path, &o, &e);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret)
		return;
	CHECK(entries(test_tmpdir()) == 1, "the temporary file should exist while writing");
	uint8_t *px = malloc(W * H * 3);
	float pcm[RATE / FPS * 2];
	for (int i = 0; i < 30; i++) {
		gradient(px, W, H, 3, i);
		media_image img = image_of(px, W, H, 3);
		CHECK(media_encoder_write_video(e, &img) == 0, "%s", bj_error_message());
		sine(pcm, (int64_t)i * (RATE / FPS), RATE / FPS, 2);
		CHECK(media_encoder_write_audio(e, pcm, RATE / FPS) == 0, "%s", bj_error_message());
	}
	media_encoder_close(e);
	free(px);
	CHECK(entries(test_tmpdir()) == 0, "a file was left behind");
	media_encoder_close(NULL);
}

static void test_finish_without_frames_leaves_nothing(void)
{
	const char *path = test_path("empty.mp4");
	media_encoder_opts o = media_encoder_defaults(64, 48, FPS, 1);
	media_encoder *e;
	int ret = media_encoder_open(path, &o, &e);
	CHECK(ret == 0, "%s", bj_error_message());
	if (ret)
		return;
	CHECK(media_encoder_finish(e) == BJ_EINVAL);
	char want[4200];
	snprintf(want, sizeof(want), "'%s': no video frames to write", path);
	CHECK_STR(bj_error_message(), want);
	CHECK(entries(test_tmpdir()) == 0, "a file was left behind");
	media_encoder_close(e);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_film_has_the_promised_streams),
		TEST_CASE(test_grey_video_only),
		TEST_CASE(test_colours_come_back),
		TEST_CASE(test_mono_audio_in_odd_chunks),
		TEST_CASE(test_bad_options_are_rejected),
		TEST_CASE(test_bad_frames_are_rejected),
		TEST_CASE(test_same_input_same_bytes),
		TEST_CASE(test_missing_folder),
		TEST_CASE(test_path_under_a_file),
		TEST_CASE(test_unwritable_folder),
		TEST_CASE(test_pipe_is_refused),
		TEST_CASE(test_full_disk),
		TEST_CASE(test_disk_fills_up),
		TEST_CASE(test_close_without_finish_leaves_nothing),
		TEST_CASE(test_finish_without_frames_leaves_nothing),
		{ 0 },
	};
	return test_main(cases);
}
