#include "media/decoder.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "media/image.h"
#include "harness.h"

#define NOSFERATU "footage/nosferatu_1922_excerpt_silent.mp4"
#define STEAMBOAT "footage/steamboat_willie_1928_excerpt.mp4"

/* The swscale flags decoder.c uses, for the ffmpeg command line to match. */
#define SWS_FLAGS "bicubic+bitexact+full_chroma_int+full_chroma_inp"
#define SWS_FLAGS_ACCURATE SWS_FLAGS "+accurate_rnd"  /* grey, and some RGB widths */

/* ---- helpers ---------------------------------------------------------------- */

/* Runs the ffmpeg command line to make a test file; fails the case if it cannot. */
static int ffmpeg_make(const char *const argv[])
{
	char *out = test_run(argv, NULL);
	if (!out) {
		test_fail(__FILE__, __LINE__, "'%s' failed (is FFmpeg installed?)", argv[0]);
		return -1;
	}
	free(out);
	return 0;
}

/* A 2 s 25 fps test pattern of the given size ("320x240"), FFV1 (lossless)
 * in Matroska: its pixels do not depend on any lossy encoder's version.  Made
 * once, in test_shared_dir(), for every case that reads it.  Returns a path to
 * free(). */
static char *make_clip_sized(const char *size)
{
	char *path = bj_xasprintf("%s/testsrc2-%s.mkv", test_shared_dir(), size);
	if (access(path, R_OK) == 0)
		return path;
	char src[64];
	snprintf(src, sizeof(src), "testsrc2=size=%s:rate=25", size);
	const char *argv[] = { "ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
	                       src, "-t", "2", "-pix_fmt", "yuv420p", "-c:v", "ffv1", path, NULL };
	if (ffmpeg_make(argv) < 0) {
		free(path);
		return NULL;
	}
	return path;
}

/* The 320x240 pattern. */
static char *make_clip(void)
{
	return make_clip_sized("320x240");
}

/* The same pattern in H.264 with B-frames and a key frame every 20 frames, in
 * MPEG-TS (a container without a key frame index) or MP4. */
static char *make_h264(const char *name)
{
	char *path = bj_xstrdup(test_path(name));
	const char *argv[] = { "ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
	                       "testsrc2=size=320x240:rate=25", "-t", "3", "-pix_fmt", "yuv420p",
	                       "-c:v", "libx264", "-bf", "2", "-g", "20", "-threads", "1", path, NULL };
	if (ffmpeg_make(argv) < 0) {
		free(path);
		return NULL;
	}
	return path;
}

struct frame_sum {
	int64_t index, pts;
	int width, height;
	uint32_t adler;
	double time;
};

struct frames {
	struct frame_sum *v;
	size_t n, cap;
	int ret;                /* what the last read returned */
};

static void frames_release(struct frames *f)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static struct frame_sum summarise(const media_frame *f)
{
	return (struct frame_sum){ f->index, f->pts, f->image.width, f->image.height,
	                           media_image_adler32(&f->image), f->time };
}

/* Reads up to max frames (all if max < 0) from d. */
static void read_frames(media_decoder *d, long max, struct frames *out)
{
	const media_frame *f;
	while (max < 0 || (long)out->n < max) {
		out->ret = media_decoder_read(d, &f);
		if (out->ret <= 0)
			break;
		BJ_GROW(out->v, out->cap, out->n + 1);
		out->v[out->n++] = summarise(f);
	}
}

/* Opens path, sets the output and reads up to max frames (all if max < 0);
 * returns what the last read returned (1 if max was reached). */
static int decode_first(const char *path, int w, int h, int ch, long max, struct frames *out)
{
	memset(out, 0, sizeof(*out));
	media_decoder *d;
	int ret = media_decoder_open(path, &d);
	CHECK(ret == 0, "'%s': %s", path, bj_error_message());
	if (ret < 0)
		return ret;
	CHECK(media_decoder_set_output(d, w, h, ch) == 0);
	read_frames(d, max, out);
	media_decoder_close(d);
	return out->ret;
}

/* The same for every frame: 0 at the end, or a negative code. */
static int decode_file(const char *path, int w, int h, int ch, struct frames *out)
{
	return decode_first(path, w, h, ch, -1, out);
}

/* FATE's framecrc lines: "index, pts, WxH, adler32". */
static char *frames_text(const struct frames *f)
{
	size_t cap = f->n * 48 + 1, n = 0;
	char *s = bj_xmalloc(cap);
	s[0] = '\0';
	for (size_t i = 0; i < f->n; i++) {
		const struct frame_sum *x = &f->v[i];
		n += (size_t)snprintf(s + n, cap - n, "%lld, %lld, %dx%d, 0x%08x\n", (long long)x->index,
		                      (long long)x->pts, x->width, x->height, x->adler);
	}
	return s;
}

/* FFmpeg's framecrc muxer sums with av_adler32_update(0, ...), that is Adler-32
 * started from a = 0 instead of RFC 1950's a = 1.  Over n bytes that lowers a by
 * 1 and b by n (mod 65521), which turns our sums into the command line's. */
static uint32_t adler_from_zero(uint32_t adler, size_t n)
{
	const uint32_t mod = 65521;
	uint32_t a = adler & 0xffff, b = adler >> 16;
	a = (a + mod - 1) % mod;
	b = (uint32_t)((b + mod - n % mod) % mod);
	return b << 16 | a;
}

/* The width of path's video, or 0. */
static int first_width(const char *path)
{
	media_decoder *d;
	if (media_decoder_open(path, &d) < 0)
		return 0;
	const media_info *in = media_decoder_info(d);
	int w = in->video >= 0 ? in->streams[in->video].width : 0;
	media_decoder_close(d);
	return w;
}

/* Checks our frames against "ffmpeg -i path [-vf scale] -pix_fmt <fmt> -f framecrc":
 * the same decoder and swscale with the same flags must give the same bytes. */
static void check_against_ffmpeg(const char *path, int w, int h, int ch, int max_frames)
{
	struct frames ours;
	decode_first(path, w, h, ch, max_frames, &ours);
	char frames_arg[32], vf[256];
	snprintf(frames_arg, sizeof(frames_arg), "%d", max_frames);
	/* decoder.c adds accurate_rnd for grey and for unscaled widths that are
	 * not a multiple of 8 (the fast converter leaves their last pixels unset) */
	int accurate = ch == 1 || (!w && !h && first_width(path) % 8 != 0);
	const char *flags = accurate ? SWS_FLAGS_ACCURATE : SWS_FLAGS;
	snprintf(vf, sizeof(vf), "scale=%d:%d:flags=%s", w, h, flags);
	const char *argv[32] = { "ffmpeg", "-v", "error", "-nostdin", "-i", path, "-frames:v",
	                         frames_arg, "-fps_mode", "passthrough", "-sws_flags", flags };
	int n = 12;
	if (w || h) {
		argv[n++] = "-vf";
		argv[n++] = vf;
	}
	argv[n++] = "-pix_fmt";
	argv[n++] = ch == 3 ? "rgb24" : "gray";
	argv[n++] = "-f";
	argv[n++] = "framecrc";
	argv[n++] = "-";
	argv[n] = NULL;
	char *out = test_run(argv, NULL);
	CHECK(out, "ffmpeg failed on '%s'", path);
	if (!out) {
		frames_release(&ours);
		return;
	}
	size_t i = 0, mismatches = 0;
	char *save = NULL;
	for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		const char *crc = strrchr(line, ',');
		if (!crc || i >= ours.n) {
			i++;
			continue;
		}
		uint32_t want = (uint32_t)strtoul(crc + 1, NULL, 16);
		const struct frame_sum *x = &ours.v[i];
		uint32_t got = adler_from_zero(x->adler, (size_t)x->width * x->height * ch);
		if (got != want && mismatches++ < 3)
			test_fail(__FILE__, __LINE__, "'%s' %dx%d/%d frame %zu: ours 0x%08x, ffmpeg 0x%08x",
			          path, w, h, ch, i, got, want);
		i++;
	}
	size_t want_n = ours.n < (size_t)max_frames ? ours.n : (size_t)max_frames;
	CHECK(i == want_n, "'%s': ffmpeg gave %zu frames, we %zu", path, i, want_n);
	free(out);
	frames_release(&ours);
}

/* splitmix64: seeded test input without rand(). */
static uint64_t next_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* ---- checksums ---------------------------------------------------------------- */

static void test_adler32_known_value(void)
{
	/* Adler-32 of "Wikipedia" is 0x11E60398 (RFC 1950's algorithm). */
	uint8_t row[16] = "Wikipedia";
	media_image img = media_image_view(row, 9, 1, 1, sizeof(row));
	CHECK(media_image_adler32(&img) == 0x11E60398u, "0x%08x", media_image_adler32(&img));
	/* Row padding is not summed: two 3x1 RGB rows with junk after each. */
	uint8_t padded[2 * 12] = "Wikipe\xff\xff\xff\xff\xff\xff" "dia\x01\x02\x03\xff\xff\xff\xff\xff";
	media_image p = media_image_view(padded, 2, 2, 3, 12);
	uint8_t packed[] = "Wikipedia\x01\x02\x03";
	media_image q = media_image_view(packed, 2, 2, 3, 6);
	CHECK(media_image_adler32(&p) == media_image_adler32(&q));
	media_image *z = media_image_new(4, 4, 3);
	CHECK(z && z->owns_data && z->stride == 12 && z->data[47] == 0);
	media_image_free(z);
	CHECK(media_image_new(0, 4, 3) == NULL && bj_error_code() == BJ_EINVAL);
	CHECK(media_image_new(4, 4, 2) == NULL && bj_error_code() == BJ_EINVAL);
}

/* ---- golden frames -------------------------------------------------------------- */

static void test_golden_generated_clip(void)
{
	char *clip = make_clip();
	if (!clip)
		return;
	struct frames f;
	CHECK(decode_file(clip, 0, 0, 3, &f) == 0, "%s", bj_error_message());
	CHECK(f.n == 50, "%zu frames", f.n);
	char *text = frames_text(&f);
	test_check_golden("media/testsrc2_ffv1.frames", text);
	free(text);
	frames_release(&f);

	CHECK(decode_file(clip, 160, 0, 1, &f) == 0, "%s", bj_error_message());
	CHECK(f.n == 50 && f.v[0].width == 160 && f.v[0].height == 120);
	text = frames_text(&f);
	test_check_golden("media/testsrc2_ffv1_grey160.frames", text);
	free(text);
	frames_release(&f);
	free(clip);
}

static void test_golden_nosferatu(void)
{
	const char *path = test_data(NOSFERATU);
	if (!path)
		return;
	struct frames f;
	CHECK(decode_file(path, 0, 0, 3, &f) == 0, "%s", bj_error_message());
	CHECK(f.n == 1191, "%zu frames", f.n);
	char *text = frames_text(&f);
	test_check_golden("media/nosferatu_1922_excerpt_silent.frames", text);
	free(text);
	frames_release(&f);
}

/* The pixels equal FFmpeg's own command line with the same swscale flags, in
 * RGB and grey, at the coded size and resized: an independent check of the
 * colour matrix (BT.709 for the tagged Nosferatu, BT.601 for the untagged clip),
 * ranges and scaling. */
static void test_matches_ffmpeg_command_line(void)
{
	char *clip = make_clip();
	if (clip) {
		check_against_ffmpeg(clip, 0, 0, 3, 50);
		check_against_ffmpeg(clip, 0, 0, 1, 50);
		check_against_ffmpeg(clip, 200, 150, 3, 50);
		free(clip);
	}
	/* 854 wide, as many films cut to 16:9 at 480 lines: every pixel set */
	if ((clip = make_clip_sized("854x480"))) {
		check_against_ffmpeg(clip, 0, 0, 3, 10);
		free(clip);
	}
	const char *path = test_data(NOSFERATU);
	if (!path)
		return;
	check_against_ffmpeg(path, 0, 0, 3, 60);
	check_against_ffmpeg(path, 160, 120, 3, 60);
	check_against_ffmpeg(path, 0, 0, 1, 60);
}

/* ---- timestamps and seeking ------------------------------------------------------ */

static void check_timeline(const char *name, const struct frames *f, double fps, int64_t pts_step)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct frame_sum *x = &f->v[i];
		if (x->index != (int64_t)i || (pts_step && x->pts - f->v[0].pts != (int64_t)i * pts_step) ||
		    fabs(x->time - (double)i / fps) > 1e-9) {
			test_fail(__FILE__, __LINE__, "%s: frame %zu has index %lld pts %lld time %.9f", name, i,
			          (long long)x->index, (long long)x->pts, x->time);
			return;
		}
	}
}

static void test_timestamps(void)
{
	char *clip = make_clip();
	if (clip) {
		media_decoder *d;
		CHECK(media_decoder_open(clip, &d) == 0, "%s", bj_error_message());
		const media_frame *fr;
		CHECK(media_decoder_read(d, &fr) == 1);
		CHECK(fr->tb_num == 1 && fr->tb_den == 1000, "Matroska's time base %d/%d", fr->tb_num, fr->tb_den);
		media_decoder_close(d);
		struct frames f;
		decode_file(clip, 80, 60, 1, &f);
		check_timeline("testsrc2.mkv", &f, 25, 40);
		frames_release(&f);
		free(clip);
	}
	const char *path = test_data(NOSFERATU);
	if (!path)
		return;
	struct frames f;
	decode_file(path, 80, 60, 1, &f);
	check_timeline("nosferatu", &f, 25, 512);  /* time base 1/12800 */
	frames_release(&f);
}

/* Seeks to each time and checks that the next frames are those the whole
 * decode gave from the first frame whose time is >= the target: same index,
 * pts and checksum. */
static void check_seeks(const char *path, int w, int h, int ch, const double *times, size_t n_times)
{
	struct frames all;
	if (decode_file(path, w, h, ch, &all) < 0 || all.n == 0)
		return;
	media_decoder *d;
	if (media_decoder_open(path, &d) < 0)
		return;
	media_decoder_set_output(d, w, h, ch);
	for (size_t k = 0; k < n_times; k++) {
		double t = times[k];
		int ret = media_decoder_seek(d, t);
		CHECK(ret == 0, "'%s' seek to %.3f: %s", path, t, bj_error_message());
		size_t first = 0;
		while (first < all.n && all.v[first].time < (t > 0 ? t : 0) - 1e-9)
			first++;
		struct frames got = { 0 };
		read_frames(d, 3, &got);
		size_t want_n = all.n - first < 3 ? all.n - first : 3;
		CHECK(got.n == want_n, "'%s' seek to %.3f: %zu frames, want %zu", path, t, got.n, want_n);
		for (size_t i = 0; i < got.n && i < want_n; i++) {
			const struct frame_sum *g = &got.v[i], *e = &all.v[first + i];
			if (g->index != e->index || g->pts != e->pts || g->adler != e->adler)
				test_fail(__FILE__, __LINE__, "'%s' seek to %.3f, frame %zu: got %lld, %lld, 0x%08x; "
				          "want %lld, %lld, 0x%08x", path, t, i, (long long)g->index,
				          (long long)g->pts, g->adler, (long long)e->index, (long long)e->pts,
				          e->adler);
		}
		frames_release(&got);
	}
	media_decoder_close(d);
	frames_release(&all);
}

static void test_seek_matches_sequential_decode(void)
{
	uint64_t rng = 20240607;
	char *clip = make_clip();
	if (clip) {
		const double t[] = { 0, 1.0, 0.52, 1.96, 1.99, 0.04, 5.0, -1 };
		check_seeks(clip, 0, 0, 3, t, BJ_ARRAY_SIZE(t));
		free(clip);
	}
	/* H.264 with B-frames: in MP4 a key frame's decode time precedes its
	 * presentation time; MPEG-TS has no index, so seeks land between key frames. */
	const char *names[] = { "x264.mp4", "x264.ts" };
	for (size_t i = 0; i < BJ_ARRAY_SIZE(names); i++) {
		char *p = make_h264(names[i]);
		if (!p)
			continue;
		/* 0.9 and 1.2 read on from the frames after 0.77 (no key frame between). */
		double t[12] = { 0, 0.8, 0.76, 0.77, 0.9, 1.2, 2.96, 1.5, 3.5 };
		for (size_t k = 9; k < BJ_ARRAY_SIZE(t); k++)
			t[k] = (double)(next_random(&rng) % 3000) / 1000.0;
		check_seeks(p, 0, 0, 3, t, BJ_ARRAY_SIZE(t));
		free(p);
	}
	const char *path = test_data(NOSFERATU);
	if (!path)
		return;
	/* 2.75 s: the key frame at 2.80 s is decoded before the frame at 2.76 s. */
	double t[14] = { 0, 2.75, 2.8, 1.4, 10.3, 47.6, 47.55, 47.64, 60 };
	for (size_t k = 9; k < BJ_ARRAY_SIZE(t); k++)
		t[k] = (double)(next_random(&rng) % 47640) / 1000.0;
	check_seeks(path, 160, 0, 3, t, BJ_ARRAY_SIZE(t));
}

/* After a seek the frame index keeps counting from the position sought. */
static void test_seek_then_read_to_end(void)
{
	const char *path = test_data(NOSFERATU);
	if (!path)
		return;
	media_decoder *d;
	if (media_decoder_open(path, &d) < 0)
		return;
	media_decoder_set_output(d, 64, 48, 1);
	struct frames f = { 0 };
	read_frames(d, 10, &f);
	CHECK(media_decoder_seek(d, 40.0) == 0);
	f.n = 0;
	read_frames(d, -1, &f);
	CHECK(f.ret == 0 && f.n == 191, "ret %d, %zu frames", f.ret, f.n);
	for (size_t i = 0; i < f.n; i++)
		if (f.v[i].index != 1000 + (int64_t)i || f.v[i].pts != (1000 + (int64_t)i) * 512) {
			test_fail(__FILE__, __LINE__, "frame %zu: index %lld pts %lld", i,
			          (long long)f.v[i].index, (long long)f.v[i].pts);
			break;
		}
	/* The end is sticky, and seeking back starts again. */
	const media_frame *fr;
	CHECK(media_decoder_read(d, &fr) == 0 && fr == NULL);
	CHECK(media_decoder_seek(d, 0) == 0);
	CHECK(media_decoder_read(d, &fr) == 1 && fr->index == 0 && fr->pts == 0);
	frames_release(&f);
	media_decoder_close(d);
}

/* ---- output size and channels ----------------------------------------------------- */

static void check_size(const char *path, int w, int h, int want_w, int want_h)
{
	media_decoder *d;
	if (media_decoder_open(path, &d) < 0)
		return;
	CHECK(media_decoder_set_output(d, w, h, 3) == 0);
	const media_frame *f;
	CHECK(media_decoder_read(d, &f) == 1, "%s", bj_error_message());
	if (f) {
		CHECK(f->image.width == want_w && f->image.height == want_h,
		      "'%s' at %dx%d: got %dx%d, want %dx%d", path, w, h, f->image.width, f->image.height,
		      want_w, want_h);
		CHECK(f->image.channels == 3 && f->image.stride == (size_t)want_w * 3 && !f->image.owns_data);
	}
	media_decoder_close(d);
}

static void test_output_sizes_keep_aspect(void)
{
	const char *path = test_data(NOSFERATU);
	if (path) {
		check_size(path, 0, 0, 640, 480);
		check_size(path, 160, 0, 160, 120);
		check_size(path, 0, 240, 320, 240);
		check_size(path, 100, 100, 100, 100);
		check_size(path, 1, 0, 1, 1);
	}
	/* 854x480 with sample aspect 1280:1281: displayed 853.3x480, 16:9. */
	path = test_data(STEAMBOAT);
	if (path) {
		check_size(path, 0, 0, 854, 480);
		check_size(path, 320, 0, 320, 180);
		check_size(path, 0, 180, 320, 180);
		check_size(path, 853, 0, 853, 480);
	}
}

/* Scaling in YUV first (media_decoder_set_yuv_scale) gives nearly the pictures
 * of the direct RGB scale, enlarged and shrunk, and the same bytes twice. */
static void read_scaled(const char *path, int yuv, int w, int h, media_image *out)
{
	media_decoder *d;
	if (media_decoder_open(path, &d) < 0)
		return;
	media_decoder_set_yuv_scale(d, yuv);
	const media_frame *f;
	CHECK(media_decoder_set_output(d, w, h, 3) == 0 && media_decoder_seek(d, 10) == 0);
	CHECK(media_decoder_read(d, &f) == 1, "%s", bj_error_message());
	if (f && f->image.width == w && f->image.height == h)
		for (int y = 0; y < h; y++)
			memcpy(out->data + (size_t)y * out->stride, f->image.data + (size_t)y * f->image.stride,
			       (size_t)w * 3);
	media_decoder_close(d);
}

static void test_yuv_scale_is_close(void)
{
	const char *path = test_data(STEAMBOAT);
	if (!path)
		return;
	static const int sizes[][2] = { { 1280, 720 }, { 320, 180 } };
	for (int k = 0; k < 2; k++) {
		int w = sizes[k][0], h = sizes[k][1];
		media_image *a = media_image_new(w, h, 3), *b = media_image_new(w, h, 3),
		            *c = media_image_new(w, h, 3);
		read_scaled(path, 0, w, h, a);
		read_scaled(path, 1, w, h, b);
		read_scaled(path, 1, w, h, c);
		double sum = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w * 3; x++)
				sum += abs(a->data[(size_t)y * a->stride + (size_t)x] -
				           b->data[(size_t)y * b->stride + (size_t)x]);
		double mean = sum / ((double)w * h * 3);
		CHECK(mean > 0 && mean < 1.5, "%dx%d: mean difference %.3f levels", w, h, mean);
		CHECK(memcmp(b->data, c->data, (size_t)w * h * 3) == 0, "%dx%d: not the same twice", w, h);
		media_image_free(a);
		media_image_free(b);
		media_image_free(c);
	}
}

/* Grey is the luma of the RGB picture (BT.601 weights for this untagged clip,
 * within rounding), and the output can change between reads. */
static void test_grey_and_rgb_agree(void)
{
	char *clip = make_clip();
	if (!clip)
		return;
	media_decoder *d;
	if (media_decoder_open(clip, &d) < 0) {
		free(clip);
		return;
	}
	const media_frame *f;
	CHECK(media_decoder_set_output(d, 0, 0, 3) == 0);
	CHECK(media_decoder_read(d, &f) == 1);
	media_image *rgb = media_image_new(320, 240, 3);
	for (int y = 0; y < 240; y++)
		memcpy(rgb->data + y * rgb->stride, f->image.data + y * f->image.stride, 320 * 3);
	CHECK(media_decoder_seek(d, 0) == 0);
	CHECK(media_decoder_set_output(d, 0, 0, 1) == 0);
	CHECK(media_decoder_read(d, &f) == 1 && f->image.channels == 1 && f->image.width == 320);
	double err = 0, max_err = 0;
	for (int y = 0; y < 240; y++)
		for (int x = 0; x < 320; x++) {
			const uint8_t *p = rgb->data + y * rgb->stride + 3 * x;
			double luma = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
			double e = fabs(luma - f->image.data[y * f->image.stride + x]);
			err += e;
			max_err = e > max_err ? e : max_err;
		}
	err /= 320 * 240;
	/* Chroma is subsampled, so RGB edges carry some of the neighbours' colour. */
	CHECK(err < 1.5 && max_err < 40, "mean %.3f max %.3f", err, max_err);
	CHECK(media_decoder_set_output(d, 33, 0, 3) == 0);
	CHECK(media_decoder_read(d, &f) == 1 && f->image.width == 33 && f->image.height == 25 &&
	      f->index == 1);

	CHECK(media_decoder_set_output(d, -1, 0, 3) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "output size -1x0 is out of range (0..32768)");
	CHECK(media_decoder_set_output(d, 0, 40000, 3) == BJ_EINVAL);
	CHECK(media_decoder_set_output(d, 0, 0, 2) == BJ_EINVAL);
	CHECK_STR(bj_error_message(), "output channels must be 1 or 3, not 2");
	CHECK(media_decoder_seek(d, NAN) == BJ_EINVAL);
	media_image_free(rgb);
	media_decoder_close(d);
	free(clip);
}

/* The fast conversion gives the same size and nearly the same picture as the
 * exact one, and switching back gives the exact bytes again. */
static void test_fast_output(void)
{
	const char *path = test_data(NOSFERATU);
	if (!path)
		return;
	media_decoder *d;
	CHECK(media_decoder_open(path, &d) == 0);
	if (!d)
		return;
	const media_frame *f;
	CHECK(media_decoder_set_output(d, 320, 0, 3) == 0);
	CHECK(media_decoder_seek(d, 2.0) == 0 && media_decoder_read(d, &f) == 1);
	media_image *exact = media_image_new(320, 240, 3);
	for (int y = 0; y < 240; y++)
		memcpy(exact->data + y * exact->stride, f->image.data + y * f->image.stride, 320 * 3);
	media_decoder_set_fast(d, 1);
	CHECK(media_decoder_seek(d, 2.0) == 0 && media_decoder_read(d, &f) == 1);
	CHECK(f->image.width == 320 && f->image.height == 240 && f->image.channels == 3);
	double err = 0;
	for (int y = 0; y < 240; y++)
		for (int x = 0; x < 320 * 3; x++)
			err += abs(exact->data[y * exact->stride + x] - f->image.data[y * f->image.stride + x]);
	err /= 320 * 240 * 3;
	CHECK(err < 4, "mean difference %.2f", err);
	media_decoder_set_fast(d, 0);
	CHECK(media_decoder_seek(d, 2.0) == 0 && media_decoder_read(d, &f) == 1);
	int same = 1;
	for (int y = 0; y < 240; y++)
		same &= memcmp(exact->data + y * exact->stride, f->image.data + y * f->image.stride, 320 * 3) == 0;
	CHECK(same, "exact again after fast");
	media_image_free(exact);
	media_decoder_close(d);
}

/* Rough decoding (no deblocking) of a frame late in a group of pictures: close
 * to the true picture, but not the same; and exact again once turned off. */
static void test_rough_output(void)
{
	const char *path = test_data(NOSFERATU);
	if (!path)
		return;
	media_decoder *d;
	CHECK(media_decoder_open(path, &d) == 0);
	if (!d)
		return;
	const media_frame *f;
	CHECK(media_decoder_seek(d, 3.0) == 0 && media_decoder_read(d, &f) == 1);
	int w = f->image.width, h = f->image.height;
	media_image *exact = media_image_new(w, h, 3);
	for (int y = 0; y < h; y++)
		memcpy(exact->data + y * exact->stride, f->image.data + y * f->image.stride, (size_t)w * 3);
	double err[2];
	for (int k = 0; k < 2; k++) {
		media_decoder_set_rough(d, k == 0);
		CHECK(media_decoder_seek(d, 3.0) == 0 && media_decoder_read(d, &f) == 1);
		err[k] = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w * 3; x++)
				err[k] += abs(exact->data[y * exact->stride + x] - f->image.data[y * f->image.stride + x]);
		err[k] /= (double)w * h * 3;
	}
	/* 0.54 levels here */
	CHECK(err[0] > 0.05 && err[0] < 3, "rough: mean difference %.3f", err[0]);
	CHECK(err[1] == 0, "exact again: mean difference %.3f", err[1]);
	media_image_free(exact);
	media_decoder_close(d);
}

/* Video levels (Y 16..235) come out full range: black 0, white 255, in grey and
 * RGB, at the coded size and resized. */
static void test_full_range_output(void)
{
	char *path = bj_xstrdup(test_path("black_white.mkv"));
	const char *argv[] = { "ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
	                       "color=c=black:size=64x48:rate=25", "-f", "lavfi", "-i",
	                       "color=c=white:size=64x48:rate=25", "-filter_complex",
	                       "[0][1]hstack,format=yuv420p", "-t", "0.2", "-c:v", "ffv1", path, NULL };
	if (ffmpeg_make(argv) < 0) {
		free(path);
		return;
	}
	const int sizes[][2] = { { 0, 0 }, { 64, 0 } };
	for (size_t k = 0; k < BJ_ARRAY_SIZE(sizes); k++)
		for (int ch = 1; ch <= 3; ch += 2) {
			media_decoder *d;
			if (media_decoder_open(path, &d) < 0)
				continue;
			media_decoder_set_output(d, sizes[k][0], sizes[k][1], ch);
			const media_frame *f;
			CHECK(media_decoder_read(d, &f) == 1);
			const media_image *im = &f->image;
			int w = im->width, y = im->height / 2;
			CHECK(w == (sizes[k][0] ? 64 : 128) && im->height == (sizes[k][0] ? 24 : 48));
			for (int c = 0; c < ch; c++) {
				int black = im->data[y * im->stride + (size_t)(w / 8) * ch + c];
				int white = im->data[y * im->stride + (size_t)(w * 7 / 8) * ch + c];
				CHECK(black == 0 && white == 255, "%dx%d/%d: black %d, white %d", w, im->height, ch,
				      black, white);
			}
			media_decoder_close(d);
		}
	free(path);
}

/* ---- information -------------------------------------------------------------- */

static const char *json_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ffprobe prints numbers as strings ("47.640000"); NAN when absent. */
static double json_num(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_number(v))
		return json_number_value(v);
	if (json_is_string(v)) {
		char *end;
		double x = strtod(json_string_value(v), &end);
		if (end != json_string_value(v) && *end == '\0')
			return x;
	}
	return NAN;
}

static void parse_ratio(const char *s, char sep, int *num, int *den)
{
	*num = 0;
	*den = 0;
	if (!s)
		return;
	char *end;
	long n = strtol(s, &end, 10);
	if (*end != sep)
		return;
	long d = strtol(end + 1, &end, 10);
	if (*end)
		return;
	*num = (int)n;
	*den = (int)d;
}

static int gcd(int a, int b)
{
	while (b) {
		int t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* ratios equal as fractions (ffprobe reduces some and not others) */
static int same_ratio(int a, int b, int c, int d)
{
	return (int64_t)a * d == (int64_t)b * c;
}

static void check_stream(const char *path, json_t *js, const media_stream_info *s)
{
	const char *type = json_str(js, "codec_type");
	static const char *const types[] = { "video", "audio", "subtitle" };
	int want_type = MEDIA_STREAM_OTHER;
	for (int i = 0; i < 3; i++)
		if (type && strcmp(type, types[i]) == 0)
			want_type = i;
	CHECK((int)s->type == want_type, "'%s' #%d: type %d, ffprobe %s", path, s->index, s->type, type);
	const char *codec = json_str(js, "codec_name");
	CHECK(codec && strcmp(codec, s->codec) == 0, "'%s' #%d: codec '%s', ffprobe '%s'", path,
	      s->index, s->codec, codec);
	double dur = json_num(js, "duration");
	CHECK(isnan(dur) ? s->duration == 0 : fabs(dur - s->duration) < 1e-6,
	      "'%s' #%d: duration %.6f, ffprobe %.6f", path, s->index, s->duration, dur);
	double br = json_num(js, "bit_rate");
	CHECK(isnan(br) ? s->bit_rate == 0 : br == (double)s->bit_rate, "'%s' #%d: bit rate", path, s->index);
	double nb = json_num(js, "nb_frames");
	CHECK(isnan(nb) ? s->frames == 0 : nb == (double)s->frames, "'%s' #%d: %lld frames, ffprobe %.0f",
	      path, s->index, (long long)s->frames, nb);
	if (s->type == MEDIA_STREAM_VIDEO) {
		CHECK(json_num(js, "width") == s->width && json_num(js, "height") == s->height,
		      "'%s': %dx%d", path, s->width, s->height);
		int num, den;
		parse_ratio(json_str(js, "avg_frame_rate"), '/', &num, &den);
		if (num <= 0 || den <= 0)
			parse_ratio(json_str(js, "r_frame_rate"), '/', &num, &den);
		if (num > 0 && den > 0)
			CHECK(same_ratio(s->fps_num, s->fps_den, num, den), "'%s': fps %d/%d, ffprobe %d/%d",
			      path, s->fps_num, s->fps_den, num, den);
		else
			CHECK(s->fps_num == 0 && s->fps_den == 1);
		parse_ratio(json_str(js, "sample_aspect_ratio"), ':', &num, &den);
		if (num <= 0 || den <= 0)
			num = den = 1;
		CHECK(same_ratio(s->sar_num, s->sar_den, num, den) && gcd(s->sar_num, s->sar_den) == 1,
		      "'%s': sar %d:%d, ffprobe %d:%d", path, s->sar_num, s->sar_den, num, den);
		const char *pf = json_str(js, "pix_fmt");
		CHECK(strcmp(pf ? pf : "", s->pix_fmt) == 0, "'%s': pix_fmt '%s', ffprobe '%s'", path,
		      s->pix_fmt, pf);
		int rotation = 0;
		json_t *side = json_object_get(js, "side_data_list"), *e;
		size_t i;
		json_array_foreach(side, i, e) {
			double r = json_num(e, "rotation");
			if (!isnan(r))
				rotation = ((-(int)r) % 360 + 360) % 360;
		}
		CHECK(s->rotation == rotation, "'%s': rotation %d, ffprobe %d", path, s->rotation, rotation);
	} else if (s->type == MEDIA_STREAM_AUDIO) {
		CHECK(json_num(js, "sample_rate") == s->sample_rate, "'%s': %d Hz", path, s->sample_rate);
		CHECK(json_num(js, "channels") == s->channels, "'%s': %d channels", path, s->channels);
		const char *sf = json_str(js, "sample_fmt");
		CHECK(sf && strcmp(sf, s->sample_fmt) == 0, "'%s': sample_fmt '%s'", path, s->sample_fmt);
	}
}

#define FFPROBE "ffprobe", "-v", "error", "-of", "json", "-show_streams", "-show_format"

/* Compares media_info with out, what "ffprobe -of json -show_streams
 * -show_format path" printed (NULL when it failed); frees out.  Returns 1 if
 * ffprobe could read the file. */
static int check_info_json(const char *path, char *out)
{
	media_decoder *d;
	int ret = media_decoder_open(path, &d);
	if (!out) {
		/* What FFmpeg cannot read, we cannot either, and say so. */
		CHECK(ret == BJ_EFORMAT, "'%s': ffprobe fails, we return %d", path, ret);
		char want[4200];
		snprintf(want, sizeof(want), "'%s': not a media file FFmpeg can read", path);
		CHECK_STR(bj_error_message(), want);
		if (ret == 0)
			media_decoder_close(d);
		return 0;
	}
	CHECK(ret == 0, "'%s': %s", path, bj_error_message());
	json_error_t jerr;
	json_t *root = json_loads(out, 0, &jerr);
	free(out);
	CHECK(root, "ffprobe's JSON: %s", jerr.text);
	if (ret < 0 || !root) {
		json_decref(root);
		if (ret == 0)
			media_decoder_close(d);
		return 1;
	}
	const media_info *in = media_decoder_info(d);
	json_t *fmt = json_object_get(root, "format");
	const char *name = json_str(fmt, "format_name");
	CHECK(name && strcmp(name, in->format) == 0, "'%s': format '%s'", path, in->format);
	double dur = json_num(fmt, "duration");
	CHECK(isnan(dur) ? in->duration == 0 : fabs(dur - in->duration) < 1e-6,
	      "'%s': duration %.6f, ffprobe %.6f", path, in->duration, dur);
	CHECK(json_num(fmt, "size") == (double)in->file_size, "'%s': size %lld", path,
	      (long long)in->file_size);
	double br = json_num(fmt, "bit_rate");
	CHECK(isnan(br) ? in->bit_rate == 0 : br == (double)in->bit_rate, "'%s': bit rate %lld", path,
	      (long long)in->bit_rate);
	json_t *tags = json_object_get(fmt, "tags");
	CHECK((size_t)in->n_tags == json_object_size(tags), "'%s': %d tags", path, in->n_tags);
	for (int i = 0; i < in->n_tags; i++) {
		const char *v = json_str(tags, in->tags[2 * i]);
		CHECK(v && strcmp(v, in->tags[2 * i + 1]) == 0, "'%s': tag '%s'", path, in->tags[2 * i]);
	}
	json_t *streams = json_object_get(root, "streams");
	CHECK((size_t)in->n_streams == json_array_size(streams), "'%s': %d streams", path, in->n_streams);
	for (int i = 0; i < in->n_streams && (size_t)i < json_array_size(streams); i++) {
		CHECK(in->streams[i].index == i);
		check_stream(path, json_array_get(streams, (size_t)i), &in->streams[i]);
	}
	CHECK(in->video < 0 || in->streams[in->video].type == MEDIA_STREAM_VIDEO);
	CHECK(in->audio < 0 || in->streams[in->audio].type == MEDIA_STREAM_AUDIO);
	CHECK(in->video >= 0 || in->audio >= 0);
	json_decref(root);
	media_decoder_close(d);
	return 1;
}

static int check_info(const char *path)
{
	const char *argv[] = { FFPROBE, path, NULL };
	return check_info_json(path, test_run(argv, NULL));
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the path of every file under dir, recursively, in name order. */
static void list_tree(const char *dir, char ***paths, size_t *n, size_t *cap)
{
	DIR *dp = opendir(dir);
	CHECK(dp, "cannot open '%s'", dir);
	if (!dp)
		return;
	char **names = NULL;
	size_t k = 0, kcap = 0;
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		BJ_GROW(names, kcap, k + 1);
		names[k++] = bj_xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(dp);
	qsort(names, k, sizeof(*names), compare_names);
	for (size_t i = 0; i < k; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			list_tree(names[i], paths, n, cap);
			free(names[i]);
		} else {
			BJ_GROW(*paths, *cap, *n + 1);
			(*paths)[(*n)++] = names[i];
		}
	}
	free(names);
}

/* The video at path decodes to the end, cleanly, giving as many frames as
 * the container states, with increasing times. */
static void decode_to_end(const char *path)
{
	media_decoder *d;
	if (media_decoder_open(path, &d) < 0) {
		test_fail(__FILE__, __LINE__, "%s", bj_error_message());
		return;
	}
	const media_info *in = media_decoder_info(d);
	int64_t want = in->streams[in->video].frames;
	/* Small, rough and fast: what is checked here is the stream (clean to the
	 * end, every frame, times in order), not the pixels, which the golden and
	 * ffmpeg cases check exactly; this saves a third of the decoding. */
	media_decoder_set_output(d, 64, 0, 1);
	media_decoder_set_rough(d, 1);
	media_decoder_set_fast(d, 1);
	struct frames f = { 0 };
	read_frames(d, -1, &f);
	CHECK(f.ret == 0, "'%s': %s", path, bj_error_message());
	CHECK((int64_t)f.n == want, "'%s': %zu frames, the container says %lld", path, f.n,
	      (long long)want);
	for (size_t i = 1; i < f.n; i++)
		if (f.v[i].time <= f.v[i - 1].time || f.v[i].index != (int64_t)i) {
			test_fail(__FILE__, __LINE__, "'%s': frame %zu at %.6f s after %.6f s", path, i,
			          f.v[i].time, f.v[i - 1].time);
			break;
		}
	frames_release(&f);
	media_decoder_close(d);
}

static int spawn_ffprobe(const char *path, test_job *job)
{
	const char *argv[] = { FFPROBE, path, NULL };
	return test_spawn(argv, job);
}

/* Every file of the footage folder, each once: its media_info against
 * ffprobe's, and every video (.mp4) decoded to the end.  ffprobe runs on the
 * files ahead, in the background, while the decoder works. */
static void test_footage_matches_ffprobe_and_decodes(void)
{
	const char *root = test_data("footage");
	if (!root)
		return;
	char *dir = bj_xstrdup(root);
	char **paths = NULL;
	size_t n = 0, cap = 0;
	list_tree(dir, &paths, &n, &cap);
	enum { AHEAD = 2 };
	test_job jobs[AHEAD];
	for (size_t i = 0; i < n && i < AHEAD; i++)
		spawn_ffprobe(paths[i], &jobs[i]);
	int media = 0, videos = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(paths[i]);
		if (len > 4 && strcmp(paths[i] + len - 4, ".mp4") == 0) {
			decode_to_end(paths[i]);
			videos++;
		}
		media += check_info_json(paths[i], test_collect(&jobs[i % AHEAD], NULL));
		if (i + AHEAD < n)
			spawn_ffprobe(paths[i + AHEAD], &jobs[i % AHEAD]);
		free(paths[i]);
	}
	free(paths);
	printf("    %zu files, %d of them media; %d videos decoded\n", n, media, videos);
	CHECK(media >= 30, "only %d media files under '%s'", media, dir);
	CHECK(videos >= 30, "only %d videos under '%s'", videos, dir);
	free(dir);
}

/* What the decoder says of one known file. */
static void test_info_nosferatu(void)
{
	const char *path = test_data(NOSFERATU);
	if (!path)
		return;
	media_decoder *d;
	if (media_decoder_open(path, &d) < 0)
		return;
	const media_info *in = media_decoder_info(d);
	CHECK_STR(in->format, "mov,mp4,m4a,3gp,3g2,mj2");
	CHECK(in->n_streams == 1 && in->video == 0 && in->audio == -1);
	const media_stream_info *s = &in->streams[0];
	CHECK_STR(s->codec, "h264");
	CHECK(s->width == 640 && s->height == 480 && s->fps_num == 25 && s->fps_den == 1 &&
	      s->frames == 1191 && s->rotation == 0);
	CHECK_STR(s->pix_fmt, "yuv420p");
	CHECK_NEAR(in->duration, 47.64, 1e-9);
	CHECK(in->file_size == 1210779);
	media_decoder_close(d);
}

/* The display matrix of an MP4's track header (ISO 14496-12 8.3.2): patched to
 * turn the picture by 90, 180 or 270 degrees.  Returns 0 on success. */
static int set_tkhd_matrix(const char *path, int degrees)
{
	size_t n;
	char *buf = test_read_file(path, &n);
	if (!buf)
		return -1;
	char *t = memmem(buf, n, "tkhd", 4);
	int ret = -1;
	/* version 0: the matrix sits 40 bytes after the version byte */
	if (t && t + 4 + 4 + 40 + 36 <= buf + n && t[4] == 0) {
		static const int32_t m90[9] = { 0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000 };
		static const int32_t m180[9] = { -0x10000, 0, 0, 0, -0x10000, 0, 0, 0, 0x40000000 };
		static const int32_t m270[9] = { 0, -0x10000, 0, 0x10000, 0, 0, 0, 0, 0x40000000 };
		const int32_t *m = degrees == 90 ? m90 : degrees == 180 ? m180 : m270;
		uint8_t *p = (uint8_t *)t + 4 + 40;
		for (int i = 0; i < 9; i++) {
			uint32_t v = (uint32_t)m[i];
			p[4 * i] = (uint8_t)(v >> 24);
			p[4 * i + 1] = (uint8_t)(v >> 16);
			p[4 * i + 2] = (uint8_t)(v >> 8);
			p[4 * i + 3] = (uint8_t)v;
		}
		test_write_file(path, buf, n);
		ret = 0;
	}
	free(buf);
	return ret;
}

static void test_rotation_from_display_matrix(void)
{
	char *src = bj_xstrdup(test_path("plain.mp4"));
	const char *argv[] = { "ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
	                       "testsrc2=size=160x120:rate=25", "-t", "0.2", "-c:v", "mpeg4", src, NULL };
	if (ffmpeg_make(argv) < 0) {
		free(src);
		return;
	}
	const int degrees[] = { 90, 180, 270 };
	for (size_t i = 0; i < BJ_ARRAY_SIZE(degrees); i++) {
		CHECK(set_tkhd_matrix(src, degrees[i]) == 0, "no tkhd in '%s'", src);
		check_info(src);  /* and ffprobe agrees */
		media_decoder *d;
		if (media_decoder_open(src, &d) < 0)
			continue;
		const media_info *in = media_decoder_info(d);
		CHECK(in->streams[in->video].rotation == degrees[i], "%d, want %d",
		      in->streams[in->video].rotation, degrees[i]);
		/* reported, not applied */
		const media_frame *f;
		CHECK(media_decoder_read(d, &f) == 1 && f->image.width == 160 && f->image.height == 120);
		media_decoder_close(d);
	}
	free(src);
}

/* ---- files without video, and bad input ------------------------------------------- */

static void test_audio_only_file(void)
{
	const char *path = test_data("voice/jfk_1961_inaugural_male_16k.wav");
	if (!path)
		return;
	media_decoder *d;
	CHECK(media_decoder_open(path, &d) == 0, "%s", bj_error_message());
	if (!d)
		return;
	const media_info *in = media_decoder_info(d);
	CHECK(in->video == -1 && in->audio == 0);
	const media_frame *f;
	CHECK(media_decoder_read(d, &f) == 0 && f == NULL);
	CHECK(media_decoder_seek(d, 1.0) == 0);
	CHECK(media_decoder_read(d, &f) == 0);
	media_decoder_close(d);
	media_decoder_close(NULL);
}

static void check_open_fails(const char *path, int code, const char *problem)
{
	media_decoder *d = (media_decoder *)1;
	int ret = media_decoder_open(path, &d);
	CHECK(ret == code, "'%s': %d, want %d", path, ret, code);
	CHECK(d == NULL);
	char want[4200];
	snprintf(want, sizeof(want), "'%s': %s", path, problem);
	CHECK_STR(bj_error_message(), want);
}

static void test_bad_input(void)
{
	check_open_fails(test_path("missing.mp4"), BJ_ENOENT, "No such file or directory");
	check_open_fails(test_tmpdir(), BJ_EIO, "is a directory");
	char *empty = bj_xstrdup(test_path("empty.mp4"));
	test_write_file(empty, "", 0);
	check_open_fails(empty, BJ_EFORMAT, "empty file");
	free(empty);

	uint64_t rng = 42;
	size_t n = 256 * 1024;
	uint8_t *noise = bj_xmalloc(n);
	for (size_t i = 0; i < n; i++)
		noise[i] = (uint8_t)next_random(&rng);
	char *rnd = bj_xstrdup(test_path("noise.mp4"));
	test_write_file(rnd, noise, n);
	check_open_fails(rnd, BJ_EFORMAT, "not a media file FFmpeg can read");
	free(rnd);
	free(noise);

	/* A file FFmpeg reads that holds neither video nor audio. */
	char *srt = bj_xstrdup(test_path("subtitles.srt"));
	const char *text = "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n";
	test_write_file(srt, text, strlen(text));
	check_open_fails(srt, BJ_EUNSUPPORTED, "no video or audio stream");
	free(srt);

	/* A relative name with a colon is a file, not a URL or protocol. */
	char cwd[4096];
	if (getcwd(cwd, sizeof(cwd)) && chdir(test_tmpdir()) == 0) {
		check_open_fails("http:x.mp4", BJ_ENOENT, "No such file or directory");
		test_write_file("concat:x.mp4", "not media", 9);
		check_open_fails("concat:x.mp4", BJ_EFORMAT, "not a media file FFmpeg can read");
		CHECK(chdir(cwd) == 0);
	}
	char *unreadable = bj_xstrdup(test_path("unreadable.mp4"));
	test_write_file(unreadable, "x", 1);
	chmod(unreadable, 0);
	if (access(unreadable, R_OK) != 0)  /* root reads anything */
		check_open_fails(unreadable, BJ_EIO, "Permission denied");
	free(unreadable);
}

/* The first half of Nosferatu: the frames before the cut come out as in the
 * whole file, then one clean error naming the file. */
static void test_truncated_file(void)
{
	const char *path = test_data(NOSFERATU);
	if (!path)
		return;
	size_t n;
	char *buf = test_read_file(path, &n);
	CHECK(buf);
	if (!buf)
		return;
	char *cut = bj_xstrdup(test_path("nosferatu_half.mp4"));
	test_write_file(cut, buf, n / 2);
	free(buf);

	struct frames whole, half;
	decode_file(path, 80, 60, 1, &whole);
	int ret = decode_file(cut, 80, 60, 1, &half);
	CHECK(ret == BJ_EFORMAT, "%d", ret);
	char want[4200];
	snprintf(want, sizeof(want), "'%s': truncated: data ends at 31.44 s of 47.64 s", cut);
	CHECK_STR(bj_error_message(), want);
	CHECK(half.n > 700 && half.n < whole.n, "%zu frames", half.n);
	for (size_t i = 0; i < half.n && i < whole.n; i++)
		if (half.v[i].pts != whole.v[i].pts || half.v[i].adler != whole.v[i].adler) {
			test_fail(__FILE__, __LINE__, "frame %zu differs from the whole file's", i);
			break;
		}

	/* The error is sticky; a seek back reads again. */
	media_decoder *d;
	if (media_decoder_open(cut, &d) == 0) {
		const media_frame *f;
		CHECK(media_decoder_seek(d, 31.0) == 0, "%s", bj_error_message());
		while ((ret = media_decoder_read(d, &f)) > 0)
			;
		CHECK(ret == BJ_EFORMAT);
		bj_error_clear();
		CHECK(media_decoder_read(d, &f) == BJ_EFORMAT && f == NULL);
		CHECK_STR(bj_error_message(), want);
		CHECK(media_decoder_seek(d, 10.0) == 0);
		CHECK(media_decoder_read(d, &f) == 1 && f->index == 250);
		/* Seeking past the damage reports it. */
		CHECK(media_decoder_seek(d, 40.0) == BJ_EFORMAT);
		CHECK_STR(bj_error_message(), want);
		media_decoder_close(d);
	}
	frames_release(&whole);
	frames_release(&half);
	free(cut);
}

/* Bytes overwritten in the middle: decoding must neither crash nor hang, and
 * must end with 0 or an error naming the file. */
static void test_corrupt_file(void)
{
	const char *path = test_data(NOSFERATU);
	if (!path)
		return;
	size_t n;
	char *buf = test_read_file(path, &n);
	if (!buf)
		return;
	uint64_t rng = 7;
	for (int k = 0; k < 8; k++) {
		size_t at = n / 3 + (size_t)(next_random(&rng) % (n / 2));
		for (size_t i = 0; i < 2048 && at + i < n; i++)
			buf[at + i] = (char)next_random(&rng);
	}
	char *bad = bj_xstrdup(test_path("nosferatu_corrupt.mp4"));
	test_write_file(bad, buf, n);
	free(buf);
	struct frames f;
	int ret = decode_file(bad, 80, 60, 1, &f);
	CHECK(f.n > 300, "%zu frames", f.n);
	if (ret < 0) {
		char prefix[4200];
		snprintf(prefix, sizeof(prefix), "'%s': ", bad);
		CHECK(strncmp(bj_error_message(), prefix, strlen(prefix)) == 0, "%s", bj_error_message());
	}
	printf("    corrupt file: %zu frames, then %d (%s)\n", f.n, ret, ret < 0 ? bj_error_message() : "end");
	frames_release(&f);
	free(bad);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_adler32_known_value),
		TEST_CASE(test_golden_generated_clip),
		TEST_CASE(test_golden_nosferatu),
		TEST_CASE(test_matches_ffmpeg_command_line),
		TEST_CASE(test_timestamps),
		TEST_CASE(test_seek_matches_sequential_decode),
		TEST_CASE(test_seek_then_read_to_end),
		TEST_CASE(test_output_sizes_keep_aspect),
		TEST_CASE(test_grey_and_rgb_agree),
		TEST_CASE(test_fast_output),
		TEST_CASE(test_rough_output),
		TEST_CASE(test_full_range_output),
		TEST_CASE(test_yuv_scale_is_close),
		TEST_CASE(test_footage_matches_ffprobe_and_decodes),
		TEST_CASE(test_info_nosferatu),
		TEST_CASE(test_rotation_from_display_matrix),
		TEST_CASE(test_audio_only_file),
		TEST_CASE(test_bad_input),
		TEST_CASE(test_truncated_file),
		TEST_CASE(test_corrupt_file),
		{ 0 },
	};
	return test_main(cases);
}
