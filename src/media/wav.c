#include "media/wav.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/atomic.h"
#include "base/error.h"
#include "base/file.h"

/* Largest WAV read: 4 GiB is the format's own limit. */
#define MAX_WAV_FILE ((size_t)4 << 30)
#define MAX_CHANNELS 16

/* Format tags (RIFF "fmt " chunk, Microsoft mmreg.h). */
enum { TAG_PCM = 1, TAG_FLOAT = 3, TAG_EXTENSIBLE = 0xfffe };

static uint32_t le16(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

struct wav_format {
	unsigned tag, channels, rate, bits, block_align;
};

static int parse_fmt(const char *path, const uint8_t *p, uint32_t size, struct wav_format *f)
{
	if (size < 16)
		return bj_error_set(BJ_EFORMAT, "'%s': 'fmt ' chunk is %u bytes, needs 16", path, size);
	f->tag = le16(p);
	f->channels = le16(p + 2);
	f->rate = le32(p + 4);
	f->block_align = le16(p + 12);
	f->bits = le16(p + 14);
	if (f->tag == TAG_EXTENSIBLE) {
		if (size < 40)
			return bj_error_set(BJ_EFORMAT, "'%s': extensible 'fmt ' chunk is %u bytes, needs 40",
			                    path, size);
		/* The sub-format GUID starts with the plain format tag. */
		f->tag = le16(p + 24);
	}
	if (f->tag != TAG_PCM && f->tag != TAG_FLOAT)
		return bj_error_set(BJ_EUNSUPPORTED, "'%s': WAVE format %u is not supported (PCM or float only)",
		                    path, f->tag);
	if (f->channels < 1 || f->channels > MAX_CHANNELS)
		return bj_error_set(BJ_EFORMAT, "'%s': %u channels", path, f->channels);
	if (f->rate < 1 || f->rate > 1000000)
		return bj_error_set(BJ_EFORMAT, "'%s': sample rate %u Hz", path, f->rate);
	int ok = f->tag == TAG_PCM ? (f->bits == 8 || f->bits == 16 || f->bits == 24 || f->bits == 32)
	                           : (f->bits == 32 || f->bits == 64);
	if (!ok)
		return bj_error_set(BJ_EUNSUPPORTED, "'%s': %u-bit %s samples are not supported", path,
		                    f->bits, f->tag == TAG_PCM ? "integer" : "float");
	if (f->block_align != f->channels * f->bits / 8)
		return bj_error_set(BJ_EFORMAT, "'%s': block align %u does not match %u channels of %u bits",
		                    path, f->block_align, f->channels, f->bits);
	return 0;
}

static float sample_at(const uint8_t *p, const struct wav_format *f)
{
	switch (f->bits) {
	case 8:
		return ((int)p[0] - 128) / 128.0f;
	case 16:
		return (int16_t)le16(p) / 32768.0f;
	case 24: {
		int32_t v = (int32_t)(le32((const uint8_t[4]){ 0, p[0], p[1], p[2] })) >> 8;
		return (float)(v / 8388608.0);
	}
	case 32:
		if (f->tag == TAG_FLOAT) {
			uint32_t u = le32(p);
			float v;
			memcpy(&v, &u, sizeof(v));
			return v;
		}
		return (float)((int32_t)le32(p) / 2147483648.0);
	default: {
		uint64_t u = (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
		double v;
		memcpy(&v, &u, sizeof(v));
		return (float)v;
	}
	}
}

int media_wav_read(const char *path, media_audio *a)
{
	memset(a, 0, sizeof(*a));
	uint8_t *data;
	size_t size;
	int ret = bj_file_read(path, MAX_WAV_FILE, &data, &size);
	if (ret < 0)
		return ret;
	if (size < 12 || memcmp(data, "RIFF", 4) != 0 || memcmp(data + 8, "WAVE", 4) != 0) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': not a WAVE file", path);
		goto out;
	}
	struct wav_format fmt = { 0 };
	int have_fmt = 0;
	size_t pos = 12;
	/* Walk the chunks: id, 32-bit size, body padded to an even length. */
	while (pos + 8 <= size) {
		const uint8_t *chunk = data + pos;
		uint32_t body = le32(chunk + 4);
		size_t avail = size - pos - 8;
		if (memcmp(chunk, "fmt ", 4) == 0) {
			if (body > avail) {
				ret = bj_error_set(BJ_EFORMAT, "'%s': 'fmt ' chunk runs past the end of the file", path);
				goto out;
			}
			if ((ret = parse_fmt(path, chunk + 8, body, &fmt)) < 0)
				goto out;
			have_fmt = 1;
		} else if (memcmp(chunk, "data", 4) == 0) {
			if (!have_fmt) {
				ret = bj_error_set(BJ_EFORMAT, "'%s': 'data' chunk before 'fmt ' chunk", path);
				goto out;
			}
			/* Streaming writers leave 0 or 0xffffffff here: the data runs to the end. */
			if (body == 0 || body == 0xffffffffu)
				body = (uint32_t)(avail < 0xffffffffu ? avail : 0xfffffffeu);
			if (body > avail) {
				ret = bj_error_set(BJ_EFORMAT, "'%s': truncated: 'data' chunk is %u bytes, file has %zu",
				                   path, body, avail);
				goto out;
			}
			size_t frames = body / fmt.block_align;
			media_audio_init(a, (int)fmt.rate, (int)fmt.channels);
			size_t n;
			if (!bj_size_mul(&n, frames, fmt.channels) ||
			    !(a->samples = bj_try_malloc(n * sizeof(float)))) {
				ret = BJ_ENOMEM;
				goto out;
			}
			const uint8_t *p = chunk + 8;
			unsigned step = fmt.bits / 8;
			for (size_t i = 0; i < n; i++, p += step)
				a->samples[i] = sample_at(p, &fmt);
			a->frames = a->capacity = frames;
			ret = 0;
			goto out;
		}
		if (body > avail) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': chunk '%.4s' runs past the end of the file",
			                   path, (const char *)chunk);
			goto out;
		}
		pos += 8 + (size_t)body + (body & 1);
	}
	ret = bj_error_set(BJ_EFORMAT, "'%s': no 'data' chunk", path);
out:
	free(data);
	if (ret < 0)
		media_audio_release(a);
	return ret;
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

int media_wav_write(const char *path, const media_audio *a, enum media_wav_format format)
{
	BJ_ASSERT(a->channels >= 1 && a->channels <= MAX_CHANNELS && a->rate > 0);
	unsigned bytes = format == MEDIA_WAV_PCM16 ? 2 : 4;
	size_t n = a->frames * (size_t)a->channels, data_size;
	if (!bj_size_mul(&data_size, n, bytes) || data_size > 0xffffffffu - 36)
		return bj_error_set(BJ_EINVAL, "'%s': %zu samples are too many for a WAVE file", path, n);

	uint8_t header[44];
	memcpy(header, "RIFF", 4);
	put32(header + 4, (uint32_t)(36 + data_size));
	memcpy(header + 8, "WAVEfmt ", 8);
	put32(header + 16, 16);
	put16(header + 20, format == MEDIA_WAV_PCM16 ? TAG_PCM : TAG_FLOAT);
	put16(header + 22, (uint32_t)a->channels);
	put32(header + 24, (uint32_t)a->rate);
	put32(header + 28, (uint32_t)a->rate * (uint32_t)a->channels * bytes);
	put16(header + 32, (uint32_t)a->channels * bytes);
	put16(header + 34, bytes * 8);
	memcpy(header + 36, "data", 4);
	put32(header + 40, (uint32_t)data_size);

	bj_atomic *out;
	int ret = bj_atomic_open(path, &out);
	if (ret < 0)
		return ret;
	FILE *f = bj_atomic_stream(out);
	fwrite(header, 1, sizeof(header), f);
	uint8_t buf[4096];
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		float s = a->samples[i];
		if (format == MEDIA_WAV_PCM16) {
			float c = s * 32768.0f;
			long v = isnan(c) ? 0 : c <= -32768.0f ? -32768 : c >= 32767.0f ? 32767 : lrintf(c);
			put16(buf + used, (uint32_t)(uint16_t)(int16_t)v);
		} else {
			uint32_t u;
			memcpy(&u, &s, sizeof(u));
			put32(buf + used, u);
		}
		used += bytes;
		if (used == sizeof(buf) || i + 1 == n) {
			fwrite(buf, 1, used, f);
			used = 0;
		}
	}
	/* Write errors are sticky on the stream; the commit reports them. */
	return bj_atomic_commit(out);
}
