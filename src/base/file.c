#include "base/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/atomic.h"
#include "base/error.h"

int bj_file_read(const char *path, size_t max_size, uint8_t **data, size_t *size)
{
	*data = NULL;
	*size = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bj_error_set_errno(errno, "'%s'", path);
	int ret;
	uint8_t *buf = NULL;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		ret = bj_error_set_errno(errno, "'%s'", path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		ret = bj_error_set(BJ_EIO, "'%s': is a directory", path);
		goto out;
	}
	if (st.st_size == 0 && S_ISREG(st.st_mode)) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': empty file", path);
		goto out;
	}
	if ((uint64_t)st.st_size > max_size) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': file is %lld bytes, limit %zu", path,
		                   (long long)st.st_size, max_size);
		goto out;
	}
	/* Read to the end rather than trusting st_size: the file may change under us. */
	size_t cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536, n = 0;
	buf = bj_try_malloc(cap + 1);
	if (!buf) {
		ret = BJ_ENOMEM;
		goto out;
	}
	for (;;) {
		if (n == cap) {
			if (cap > max_size) {
				ret = bj_error_set(BJ_EFORMAT, "'%s': file is larger than the limit of %zu bytes",
				                   path, max_size);
				goto out;
			}
			cap *= 2;
			buf = bj_xrealloc(buf, cap + 1);
		}
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ret = bj_error_set_errno(errno, "'%s': cannot read", path);
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n == 0) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': empty file", path);
		goto out;
	}
	if (n > max_size) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': file is %zu bytes, limit %zu", path, n, max_size);
		goto out;
	}
	buf[n] = 0;
	*data = buf;
	*size = n;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	close(fd);
	return ret;
}

int bj_file_write(const char *path, const void *data, size_t size)
{
	bj_atomic *a;
	int ret = bj_atomic_open(path, &a);
	if (ret < 0)
		return ret;
	/* A short write sets the stream's error flag, which the commit reports
	 * (removing the temporary file). */
	fwrite(data, 1, size, bj_atomic_stream(a));
	return bj_atomic_commit(a);
}

static int make_one_dir(const char *path)
{
	if (mkdir(path, 0777) == 0)
		return 0;
	int err = errno;
	struct stat st;
	if (err == EEXIST && stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		return bj_error_set(BJ_EIO, "'%s': not a folder", path);
	}
	return bj_error_set_errno(err, "'%s': cannot create folder", path);
}

int bj_make_dirs(const char *path)
{
	char *p = bj_xstrdup(path);
	int ret = 0;
	/* Each parent in turn, from the first component after a leading slash. */
	for (char *s = p + 1; ret == 0 && *s; s++) {
		if (*s != '/' || s[-1] == '/')
			continue;
		*s = '\0';
		ret = make_one_dir(p);
		*s = '/';
	}
	if (ret == 0)
		ret = make_one_dir(p);
	free(p);
	return ret;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int bj_dir_files(const char *path, char ***names, size_t *n)
{
	*names = NULL;
	*n = 0;
	DIR *d = opendir(path);
	if (!d)
		return bj_error_set_errno(errno, "'%s'", path);
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *full = bj_xasprintf("%s/%s", path, e->d_name);
		struct stat st;
		if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(full);
			continue;
		}
		BJ_GROW(*names, cap, *n + 1);
		(*names)[(*n)++] = full;
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_names);
	return 0;
}

void bj_free_strings(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
