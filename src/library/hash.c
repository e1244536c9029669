#include "library/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"

#define EDGE ((size_t)1 << 20)     /* bytes hashed at each end */
#define BLOCK ((size_t)64 << 10)   /* bytes per sampled block */
#define BLOCKS 64
#define WHOLE ((size_t)8 << 20)    /* files up to this are hashed whole */

struct hstate {
	uint64_t a, b;
};

/* moremur-style finaliser: a bijective 64-bit mix. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 27;
	x *= 0x3C79AC492BA7B653ull;
	x ^= x >> 33;
	x *= 0x1C69B3F74AC4AE35ull;
	x ^= x >> 27;
	return x;
}

static void word(struct hstate *h, uint64_t w)
{
	h->a = mix(h->a ^ w) + 0x9E3779B97F4A7C15ull;
	h->b = mix(h->b + w * 0xD6E8FEB86659FD93ull) ^ (h->b >> 29);
}

/* Absorbs n bytes; only the last call of a digest may have n % 8 != 0 (the
 * chunks read are multiples of 8), so chunking does not change the digest. */
static void absorb(struct hstate *h, const uint8_t *p, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		word(h, w);
	}
	if (i < n) {
		uint64_t tail = 0;
		memcpy(&tail, p + i, n - i);
		word(h, tail ^ (uint64_t)(n - i) << 56);
	}
}

static void init(struct hstate *h, uint64_t size)
{
	h->a = 0x243F6A8885A308D3ull ^ size;
	h->b = 0x13198A2E03707344ull + mix(size);
}

static void finish(struct hstate *h, char hex[LIBRARY_HASH_LEN + 1])
{
	snprintf(hex, LIBRARY_HASH_LEN + 1, "%016llx%016llx", (unsigned long long)mix(h->a ^ (h->b >> 1)),
	         (unsigned long long)mix(h->b + h->a));
}

void library_hash_buffer(const void *data, size_t size, char hex[LIBRARY_HASH_LEN + 1])
{
	struct hstate h;
	init(&h, size);
	absorb(&h, data, size);
	finish(&h, hex);
}

static int read_at(int fd, const char *path, uint8_t *buf, size_t n, off_t off)
{
	size_t done = 0;
	while (done < n) {
		ssize_t r = pread(fd, buf + done, n - done, off + (off_t)done);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return bj_error_set_errno(errno, "'%s': cannot read", path);
		if (r == 0)
			return bj_error_set(BJ_EIO, "'%s': file shrank while it was hashed", path);
		done += (size_t)r;
	}
	return 0;
}

int library_hash_file(const char *path, char hex[LIBRARY_HASH_LEN + 1])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bj_error_set_errno(errno, "'%s'", path);
	struct stat st;
	int ret = 0;
	uint8_t *buf = NULL;
	if (fstat(fd, &st) != 0) {
		ret = bj_error_set_errno(errno, "'%s'", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = bj_error_set(BJ_EIO, "'%s': not a regular file", path);
		goto out;
	}
	size_t size = (size_t)st.st_size;
	struct hstate h;
	init(&h, size);
	buf = bj_xmalloc(EDGE);
	if (size <= WHOLE) {
		for (size_t off = 0; off < size && ret == 0; off += EDGE) {
			size_t n = size - off < EDGE ? size - off : EDGE;
			if ((ret = read_at(fd, path, buf, n, (off_t)off)) == 0)
				absorb(&h, buf, n);
		}
	} else {
		if ((ret = read_at(fd, path, buf, EDGE, 0)) < 0)
			goto out;
		absorb(&h, buf, EDGE);
		size_t span = size - 2 * EDGE - BLOCK;
		for (int i = 0; i < BLOCKS && ret == 0; i++) {
			size_t off = EDGE + (size_t)((double)span * i / (BLOCKS - 1));
			if ((ret = read_at(fd, path, buf, BLOCK, (off_t)off)) == 0)
				absorb(&h, buf, BLOCK);
		}
		if (ret == 0 && (ret = read_at(fd, path, buf, EDGE, (off_t)(size - EDGE))) == 0)
			absorb(&h, buf, EDGE);
	}
	if (ret == 0)
		finish(&h, hex);
out:
	free(buf);
	close(fd);
	return ret;
}
