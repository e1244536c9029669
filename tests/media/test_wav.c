#include "media/wav.h"

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/error.h"
#include "harness.h"

static void sine(media_audio *a, int rate, int channels, double seconds)
{
	media_audio_init(a, rate, channels);
	size_t frames = (size_t)(rate * seconds);
	float *buf = malloc(frames * (size_t)channels * sizeof(float));
	for (size_t i = 0; i < frames; i++)
		for (int c = 0; c < channels; c++)
			buf[i * (size_t)channels + (size_t)c] = 0.8f * (float)sin(2 * M_PI * 440.0 * (double)i / rate + c);
	media_audio_append(a, buf, frames);
	free(buf);
}

static void test_round_trips(void)
{
	media_audio a, b;
	sine(&a, 48000, 2, 0.5);
	const char *path = test_path("tone.wav");
	CHECK(media_wav_write(path, &a, MEDIA_WAV_FLOAT32) == 0, "%s", bj_error_message());
	CHECK(media_wav_read(path, &b) == 0, "%s", bj_error_message());
	CHECK(b.rate == 48000 && b.channels == 2 && b.frames == a.frames);
	CHECK_CLOSE("float32", b.samples, a.samples, a.frames * 2, 0, 0);
	media_audio_release(&b);

	CHECK(media_wav_write(path, &a, MEDIA_WAV_PCM16) == 0);
	CHECK(media_wav_read(path, &b) == 0);
	CHECK_CLOSE("pcm16", b.samples, a.samples, a.frames * 2, 0.5 / 32768 + 1e-7, 0);
	struct stat st;
	CHECK(stat(path, &st) == 0 && st.st_size == (off_t)(44 + a.frames * 4));
	media_audio_release(&b);
	media_audio_release(&a);
}

static void test_pcm16_clips(void)
{
	media_audio a, b;
	media_audio_init(&a, 8000, 1);
	float loud[] = { 1.5f, -2.0f, 1.0f, -1.0f, NAN };
	media_audio_append(&a, loud, 5);
	CHECK(media_wav_write(test_path("loud.wav"), &a, MEDIA_WAV_PCM16) == 0);
	CHECK(media_wav_read(test_path("loud.wav"), &b) == 0);
	float want[] = { 32767 / 32768.0f, -1.0f, 32767 / 32768.0f, -1.0f, 0.0f };
	CHECK_CLOSE("clipped", b.samples, want, 5, 0, 0);
	media_audio_release(&a);
	media_audio_release(&b);
}

/* A hand-made header: 24-bit, 8-bit and extensible files read correctly. */
static void test_other_sample_formats(void)
{
	uint8_t wav24[44 + 6] = "RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x40\x1f\0\0\0\0\0\0\x03\0\x18\0data\x06\0\0\0";
	memcpy(wav24 + 44, "\x00\x00\x40\xff\xff\xff", 6); /* +0.5, -1/2^23 */
	test_write_file(test_path("24.wav"), wav24, sizeof(wav24));
	media_audio a;
	CHECK(media_wav_read(test_path("24.wav"), &a) == 0, "%s", bj_error_message());
	float want24[] = { 0.5f, -1.0f / 8388608 };
	CHECK(a.frames == 2);
	if (a.frames == 2)
		CHECK_CLOSE("24-bit", a.samples, want24, 2, 0, 0);
	media_audio_release(&a);

	uint8_t wav8[44 + 3] = "RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x40\x1f\0\0\0\0\0\0\x01\0\x08\0data\x03\0\0\0";
	memcpy(wav8 + 44, "\x80\xc0\x00", 3);
	test_write_file(test_path("8.wav"), wav8, sizeof(wav8));
	CHECK(media_wav_read(test_path("8.wav"), &a) == 0, "%s", bj_error_message());
	float want8[] = { 0.0f, 0.5f, -1.0f };
	if (a.frames == 3)
		CHECK_CLOSE("8-bit", a.samples, want8, 3, 0, 0);
	media_audio_release(&a);
}

static void test_reads_voice_samples(void)
{
	const char *dir = test_data("voice");
	if (!dir)
		return;
	char folder[4096];
	snprintf(folder, sizeof(folder), "%s", dir);
	DIR *d = opendir(folder);
	int files = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".wav") != 0)
			continue;
		char path[4400];
		snprintf(path, sizeof(path), "%s/%s", folder, e->d_name);
		/* ffprobe counts the samples independently. */
		char cmd[4600];
		snprintf(cmd, sizeof(cmd), "ffprobe -v error -show_entries stream=duration_ts -of csv=p=0 '%s'", path);
		FILE *probe = popen(cmd, "r");
		long long want_frames = -1;
		if (!probe || fscanf(probe, "%lld", &want_frames) != 1)
			test_fail(__FILE__, __LINE__, "ffprobe failed on '%s'", path);
		if (probe)
			pclose(probe);
		media_audio a;
		CHECK(media_wav_read(path, &a) == 0, "%s", bj_error_message());
		CHECK(a.rate == 16000 && a.channels == 1, "'%s'", path);
		CHECK((long long)a.frames == want_frames, "'%s': %zu frames, ffprobe %lld", path,
		      a.frames, want_frames);
		double energy = 0;
		for (size_t i = 0; i < a.frames; i++)
			energy += (double)a.samples[i] * a.samples[i];
		CHECK(sqrt(energy / (double)a.frames) > 0.01, "'%s' is not silent", path);
		media_audio_release(&a);
		files++;
	}
	if (d)
		closedir(d);
	CHECK(files == 5, "read %d files", files);
}

static void check_error(const char *name, const void *bytes, size_t size, const char *suffix)
{
	const char *path = test_path(name);
	test_write_file(path, bytes, size);
	media_audio a;
	CHECK(media_wav_read(path, &a) < 0);
	CHECK(a.samples == NULL && a.frames == 0);
	char want[4400];
	snprintf(want, sizeof(want), "'%s': %s", path, suffix);
	CHECK_STR(bj_error_message(), want);
}

static void test_bad_files(void)
{
	check_error("text.wav", "hello there, not audio", 22, "not a WAVE file");
	uint8_t good[44 + 8] = "RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x01\0\x40\x1f\0\0\0\0\0\0\x02\0\x10\0data\x08\0\0\0";
	check_error("short.wav", good, 44 + 4, "truncated: 'data' chunk is 8 bytes, file has 4");
	check_error("nodata.wav", good, 36, "no 'data' chunk");
	uint8_t adpcm[sizeof(good)];
	memcpy(adpcm, good, sizeof(good));
	adpcm[20] = 2;
	check_error("adpcm.wav", adpcm, sizeof(adpcm), "WAVE format 2 is not supported (PCM or float only)");
	uint8_t align[sizeof(good)];
	memcpy(align, good, sizeof(good));
	align[32] = 3;
	check_error("align.wav", align, sizeof(align), "block align 3 does not match 1 channels of 16 bits");
	uint8_t longfmt[sizeof(good)];
	memcpy(longfmt, good, sizeof(good));
	longfmt[16] = 0xff, longfmt[17] = 0xff;
	check_error("fmt.wav", longfmt, sizeof(longfmt), "'fmt ' chunk runs past the end of the file");

	media_audio a;
	sine(&a, 8000, 1, 0.1);
	CHECK(media_wav_write("/dev/full", &a, MEDIA_WAV_PCM16) == BJ_EIO);
	CHECK_STR(bj_error_message(), "'/dev/full': cannot write: No space left on device");
	media_audio_release(&a);
}

int main(void)
{
	static const struct test_case cases[] = {
		TEST_CASE(test_round_trips),
		TEST_CASE(test_pcm16_clips),
		TEST_CASE(test_other_sample_formats),
		TEST_CASE(test_reads_voice_samples),
		TEST_CASE(test_bad_files),
		{ 0 },
	};
	return test_main(cases);
}
