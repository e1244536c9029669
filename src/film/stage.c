/*
 * stage.c - cached stages of `benjamin make` (see stage.h).
 */
#include "film/stage.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/atomic.h"
#include "base/error.h"
#include "base/file.h"

/* The largest product copied where a hard link is refused. */
#define COPY_MAX ((size_t)1 << 34)

void film_stage_key_init(film_stage *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
}

int film_stage_key_add(film_stage *s, const char *what, const char *value)
{
	if (!value)
		value = "-";
	size_t add = strlen(what) + strlen(value) + 24;
	char *m = realloc(s->material, s->len + add + 1);
	if (!m)
		return bj_error_set(BJ_ENOMEM, "out of memory");
	s->material = m;
	/* The value's length first, so that no two lists of values read alike. */
	s->len += (size_t)snprintf(m + s->len, add + 1, "%s=%zu:%s\n", what, strlen(value), value);
	return 0;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0777) == 0 || errno == EEXIST)
		return 0;
	return bj_error_set_errno(errno, "'%s': cannot create folder", path);
}

/* Removes the regular files of dir (a stage's outputs are flat). */
static int empty_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return bj_error_set_errno(errno, "'%s'", dir);
	struct dirent *e;
	char path[4400];
	int ret = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path) < 0 && ret == 0)
			ret = bj_error_set_errno(errno, "'%s': cannot remove", path);
	}
	closedir(d);
	return ret;
}

int film_stage_open(film_stage *s, const char *root, int keep)
{
	char head[64];
	int n = snprintf(head, sizeof(head), "stage %s %zu\n", s->name, s->len);
	char *all = malloc((size_t)n + s->len + 1);
	if (!all)
		return bj_error_set(BJ_ENOMEM, "out of memory");
	memcpy(all, head, (size_t)n);
	memcpy(all + n, s->material ? s->material : "", s->len);
	library_hash_buffer(all, (size_t)n + s->len, s->key);
	free(all);
	if ((size_t)snprintf(s->dir, sizeof(s->dir), "%s/%s-%.16s", root, s->name, s->key) >=
	    sizeof(s->dir))
		return bj_error_set(BJ_EINVAL, "'%s': path too long", root);
	if (make_dir(root) < 0 || make_dir(s->dir) < 0)
		return bj_error_code();
	char marker[4400];
	uint8_t *data;
	size_t size;
	film_stage_path(s, FILM_STAGE_MARKER, marker, sizeof(marker));
	s->done = 0;
	if (bj_file_read(marker, 64, &data, &size) == 0) {
		s->done = size >= LIBRARY_HASH_LEN && !memcmp(data, s->key, LIBRARY_HASH_LEN);
		free(data);
	}
	bj_error_clear();
	if (!s->done && !keep)
		return empty_dir(s->dir);
	return 0;
}

char *film_stage_path(const film_stage *s, const char *file, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", s->dir, file);
	return buf;
}

int film_stage_commit(film_stage *s)
{
	char marker[4400], text[LIBRARY_HASH_LEN + 2];
	snprintf(text, sizeof(text), "%s\n", s->key);
	int ret = bj_file_write(film_stage_path(s, FILM_STAGE_MARKER, marker, sizeof(marker)), text,
	                        strlen(text));
	if (ret == 0)
		s->done = 1;
	return ret;
}

void film_stage_release(film_stage *s)
{
	free(s->material);
	s->material = NULL;
	s->len = 0;
}

static int copy_file(const char *file, const char *dest)
{
	uint8_t *data;
	size_t size;
	if (bj_file_read(file, COPY_MAX, &data, &size) < 0)
		return bj_error_code();
	int ret = bj_file_write(dest, data, size);
	free(data);
	return ret;
}

int film_stage_publish(const char *file, const char *dest)
{
	struct stat a, b;
	if (stat(file, &a) < 0)
		return bj_error_set_errno(errno, "'%s'", file);
	if (stat(dest, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return 0;
	char tmp[4400];
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", dest, (long)getpid());
	unlink(tmp);
	if (link(file, tmp) < 0)
		return copy_file(file, dest);
	if (rename(tmp, dest) < 0) {
		int e = errno;
		unlink(tmp);
		return bj_error_set_errno(e, "'%s': cannot rename into place", dest);
	}
	return 0;
}
