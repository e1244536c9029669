/*
 * test_roundtrip.c - films written by media_encoder read back by media_decoder
 * and media_audio_load: the same number of frames at the same times, pictures
 * and sound close to what went in, and the two tracks starting together.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "harness.h"
#include "media/audio.h"
#include "media/decoder.h"
#include "media/encoder.h"

#define W 320
#define H 240
#define FPS 24
#define FRAMES 48
#define RATE 48000

/* A picture that changes every frame: moving bars over a gradient. */
static void paint(media_image *img, int t)
{
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			uint8_t *p = img->data + (size_t)y * img->stride + 3 * (size_t)x;
			int bar = ((x + 4 * t) / 40) % 2;
			p[0] = (uint8_t)(bar ? 220 : 40);
			p[1] = (uint8_t)(y * 255 / (H - 1));
			p[2] = (uint8_t)((x * 255 / (W - 1) + t * 5) % 256);
		}
}

static double mean_abs_diff(const media_image *a, const media_image *b)
{
	double sum = 0;
	for (int y = 0; y < H; y++)
		for (int i = 0; i < 3 * W; i++)
			sum += fabs((double)a->data[y * a->stride + i] - b->data[y * b->stride + i]);
	return sum / (3.0 * W * H);
}

static void write_film(const char *path)
{
	media_encoder_opts o = media_encoder_defaults(W, H, FPS, 1);
	o.audio_rate = RATE;
	o.audio_channels = 2;
	media_encoder *e;
	CHECK(media_encoder_open(path, &o, &e) == 0, "%s", bj_error_message());
	media_image *img = media_image_new(W, H, 3);
	float pcm[2 * RATE / FPS];
	for (int t = 0; t < FRAMES; t++) {
		paint(img, t);
		CHECK(media_encoder_write_video(e, img) == 0, "%s", bj_error_message());
		/* A 440 Hz tone on the left, silence on the right, one frame's worth. */
		for (int i = 0; i < RATE / FPS; i++) {
			double s = (double)(t * (RATE / FPS) + i) / RATE;
			pcm[2 * i] = (float)(0.5 * sin(2 * M_PI * 440 * s));
			pcm[2 * i + 1] = 0;
		}
		CHECK(media_encoder_write_audio(e, pcm, RATE / FPS) == 0, "%s", bj_error_message());
	}
	CHECK(media_encoder_finish(e) == 0, "%s", bj_error_message());
	media_encoder_close(e);
	media_image_free(img);
}

static void test_frames_come_back(void)
{
	const char *path = test_path("film.mp4");
	write_film(path);
	media_decoder *d;
	CHECK(media_decoder_open(path, &d) == 0, "%s", bj_error_message());
	if (!d)
		return;
	const media_info *info = media_decoder_info(d);
	CHECK(info->video >= 0 && info->audio >= 0);
	const media_stream_info *v = &info->streams[info->video];
	CHECK(v->width == W && v->height == H && v->fps_num == FPS && v->fps_den == 1);
	CHECK(strcmp(v->codec, "h264") == 0 && strcmp(v->pix_fmt, "yuv420p") == 0);
	CHECK(v->frames == FRAMES, "%lld frames", (long long)v->frames);
	CHECK_NEAR(info->duration, 2.0, 0.03);

	media_image *want = media_image_new(W, H, 3);
	const media_frame *f;
	int n = 0, ret;
	double worst = 0;
	while ((ret = media_decoder_read(d, &f)) > 0) {
		CHECK(f->index == n, "frame %d has index %lld", n, (long long)f->index);
		CHECK_NEAR(f->time, (double)n / FPS, 1e-9);
		paint(want, n);
		double err = mean_abs_diff(&f->image, want);
		worst = err > worst ? err : worst;
		n++;
	}
	CHECK(ret == 0, "%s", bj_error_message());
	CHECK(n == FRAMES, "read %d frames", n);
	/* x264 at its default quality, then back to RGB: small losses only. */
	CHECK(worst < 4.0, "worst frame differs by %.2f on average", worst);
	media_image_free(want);
	media_decoder_close(d);
}

static void test_sound_comes_back_in_time(void)
{
	const char *path = test_path("film.mp4");
	write_film(path);
	media_audio a;
	CHECK(media_audio_load(path, RATE, 2, &a) == 0, "%s", bj_error_message());
	CHECK(a.channels == 2 && a.rate == RATE);
	/* The track lasts what was written (the AAC encoder's priming is trimmed). */
	CHECK(labs((long)a.frames - (long)(FRAMES * RATE / FPS)) <= 1024, "%zu frames", a.frames);
	/* The tone is where it was put, and in phase: correlate with the original
	 * in the middle of the film (away from the codec's edges). */
	double dot = 0, ours = 0, ref = 0, right = 0;
	for (size_t i = RATE / 2; i < RATE && i < a.frames; i++) {
		double s = 0.5 * sin(2 * M_PI * 440 * (double)i / RATE);
		dot += a.samples[2 * i] * s;
		ours += (double)a.samples[2 * i] * a.samples[2 * i];
		ref += s * s;
		right += fabs(a.samples[2 * i + 1]);
	}
	double corr = dot / sqrt(ours * ref + 1e-30);
	CHECK(corr > 0.99, "correlation with the tone %.4f: the sound is shifted or damaged", corr);
	CHECK(right / (RATE / 2) < 0.01, "the silent channel stays silent");
	media_audio_release(&a);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_frames_come_back),
		TEST_CASE(test_sound_comes_back_in_time),
		{ 0 },
	};
	return test_main(cases);
}
