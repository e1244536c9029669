#include "base/json.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/atomic.h"
#include "base/error.h"

/* Reads all of fd into a new buffer (free()), reading until end of file rather
 * than trusting st_size, which may change under us. */
static int read_all(int fd, const char *path, char **out, size_t *size)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return bj_error_set_errno(errno, "'%s': cannot read", path);
	if (S_ISDIR(st.st_mode))
		return bj_error_set(BJ_EIO, "'%s': cannot read: is a directory", path);
	size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	size_t n = 0;
	char *buf = bj_try_malloc(cap);
	if (!buf)
		return bj_error_prefix("'%s'", path);
	for (;;) {
		if (n == cap) {
			size_t bigger;
			if (!bj_size_mul(&bigger, cap, 2)) {
				free(buf);
				return bj_error_set(BJ_ENOMEM, "'%s': file too large", path);
			}
			char *p = realloc(buf, bigger);
			if (!p) {
				free(buf);
				return bj_error_set(BJ_ENOMEM, "'%s': out of memory reading %zu "
				                    "bytes", path, bigger);
			}
			buf = p;
			cap = bigger;
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			free(buf);
			return bj_error_set_errno(e, "'%s': cannot read", path);
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	*out = buf;
	*size = n;
	return 0;
}

int bj_json_parse(const char *name, const void *buf, size_t len, struct json_t **out)
{
	json_error_t err;
	/* Duplicate keys in a hand-edited file are a mistake: one of the two values
	 * would be silently ignored. */
	*out = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
	if (!*out)
		return bj_error_set(BJ_EFORMAT, "'%s': line %d column %d: %s", name, err.line,
		                    err.column, err.text);
	return 0;
}

int bj_json_load(const char *path, struct json_t **out)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bj_error_set_errno(errno, "'%s': cannot open", path);
	char *buf = NULL;
	size_t n = 0;
	int ret = read_all(fd, path, &buf, &n);
	close(fd);
	if (ret < 0)
		return ret;
	ret = bj_json_parse(path, buf, n, out);
	free(buf);
	return ret;
}

int bj_json_save(const char *path, const struct json_t *value, int flags)
{
	BJ_ASSERT(value);
	size_t jflags = JSON_INDENT(2) | JSON_REAL_PRECISION(17);
	if (flags & BJ_JSON_SORT_KEYS)
		jflags |= JSON_SORT_KEYS;
	bj_atomic *a;
	int ret = bj_atomic_open(path, &a);
	if (ret < 0)
		return ret;
	FILE *f = bj_atomic_stream(a);
	/* Most write errors surface only when commit flushes the stream; this
	 * catches those stdio reports at once. */
	errno = 0;
	if (json_dumpf(value, f, jflags) != 0 || fputc('\n', f) == EOF) {
		int e = errno ? errno : EIO;
		bj_atomic_abort(a);
		return bj_error_set_errno(e, "'%s': cannot write", path);
	}
	return bj_atomic_commit(a);
}

const char *bj_json_type_name(const struct json_t *value)
{
	if (!value)
		return "nothing";
	switch (json_typeof(value)) {
	case JSON_OBJECT: return "object";
	case JSON_ARRAY: return "array";
	case JSON_STRING: return "string";
	case JSON_INTEGER: return "integer";
	case JSON_REAL: return "real";
	case JSON_TRUE: return "true";
	case JSON_FALSE: return "false";
	case JSON_NULL: return "null";
	}
	return "unknown value";
}
