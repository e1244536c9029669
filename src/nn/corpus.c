#include "nn/corpus.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"
#include "base/utf8.h"

struct corpus_file {
	char *path;
	const uint8_t *data;   /* (size) mapped read-only */
	size_t size;
	uint64_t start;        /* its first byte in the concatenation */
	int owned;             /* data is a heap copy (nn_corpus_from_text), not a map */
};

struct nn_corpus {
	struct corpus_file *files;   /* (n_files) */
	int n_files;
	size_t cap_files;
	uint64_t bytes, chars, hash;
};

static int add_file(nn_corpus *c, const char *path)
{
	BJ_GROW(c->files, c->cap_files, (size_t)c->n_files + 1);
	struct corpus_file *f = &c->files[c->n_files];
	memset(f, 0, sizeof(*f));
	f->path = bj_xstrdup(path);
	c->n_files++;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return bj_error_set_errno(errno, "'%s'", path);
	struct stat st;
	int ret = 0;
	if (fstat(fd, &st) != 0) {
		ret = bj_error_set_errno(errno, "'%s'", path);
	} else if (!S_ISREG(st.st_mode)) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': not a regular file", path);
	} else if (st.st_size == 0) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': empty file", path);
	} else if ((uint64_t)st.st_size > SIZE_MAX / 2) {
		ret = bj_error_set(BJ_EFORMAT, "'%s': file is too large", path);
	} else {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			ret = bj_error_set_errno(errno, "'%s': cannot map", path);
		else
			f->data = p, f->size = (size_t)st.st_size;
	}
	close(fd);
	return ret;
}

/* Adds the regular files of folder path, sorted by name. */
static int add_folder(nn_corpus *c, const char *path)
{
	char **names;
	size_t n;
	int ret = bj_dir_files(path, &names, &n);
	if (ret == 0 && n == 0)
		ret = bj_error_set(BJ_EFORMAT, "'%s': no files in folder", path);
	for (size_t i = 0; ret == 0 && i < n; i++)
		ret = add_file(c, names[i]);
	bj_free_strings(names, n);
	return ret;
}

/* Checks file f is text: no NUL byte, well-formed UTF-8. */
static int check_text(const struct corpus_file *f)
{
	if (memchr(f->data, 0, f->size))
		return bj_error_set(BJ_EFORMAT, "'%s': binary file, not text", f->path);
	size_t bad;
	if (bj_utf8_validate((const char *)f->data, f->size, &bad))
		return 0;
	size_t line = 1, line_start = 0;
	for (size_t i = 0; i < bad; i++)
		if (f->data[i] == '\n')
			line++, line_start = i + 1;
	size_t column = bj_utf8_count((const char *)f->data + line_start, bad - line_start) + 1;
	return bj_error_set(BJ_EFORMAT, "'%s': not UTF-8: invalid byte 0x%02X at line %zu, column %zu",
	                    f->path, f->data[bad], line, column);
}

/* Checks every file, counts and hashes the whole; stores c in *out or frees it. */
static int finish(nn_corpus *c, nn_corpus **out)
{
	int ret = 0;
	/* 64-bit FNV-1a (Fowler, Noll, Vo) over every byte in order. */
	uint64_t h = 0xcbf29ce484222325ull;
	for (int i = 0; i < c->n_files && ret == 0; i++) {
		struct corpus_file *f = &c->files[i];
		if ((ret = check_text(f)) < 0)
			break;
		f->start = c->bytes;
		c->bytes += f->size;
		c->chars += bj_utf8_count((const char *)f->data, f->size);
		for (size_t k = 0; k < f->size; k++)
			h = (h ^ f->data[k]) * 0x100000001b3ull;
	}
	c->hash = h;
	if (ret < 0) {
		nn_corpus_close(c);
		return ret;
	}
	*out = c;
	return 0;
}
int nn_corpus_open(const char *const *paths, int n_paths, nn_corpus **out)
{
	*out = NULL;
	nn_corpus *c = bj_xcalloc(1, sizeof(*c));
	int ret = 0;
	if (n_paths < 1)
		ret = bj_error_set(BJ_EINVAL, "no corpus given");
	for (int i = 0; i < n_paths && ret == 0; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0)
			ret = bj_error_set_errno(errno, "'%s'", paths[i]);
		else if (S_ISDIR(st.st_mode))
			ret = add_folder(c, paths[i]);
		else
			ret = add_file(c, paths[i]);
	}
	if (ret < 0) {
		nn_corpus_close(c);
		return ret;
	}
	return finish(c, out);
}

int nn_corpus_from_text(const char *name, const char *text, size_t len, nn_corpus **out)
{
	*out = NULL;
	nn_corpus *c = bj_xcalloc(1, sizeof(*c));
	if (len == 0) {
		nn_corpus_close(c);
		return bj_error_set(BJ_EFORMAT, "'%s': empty text", name);
	}
	BJ_GROW(c->files, c->cap_files, 1);
	struct corpus_file *f = &c->files[0];
	memset(f, 0, sizeof(*f));
	f->path = bj_xstrdup(name);
	uint8_t *copy = bj_xmalloc(len);
	memcpy(copy, text, len);
	f->data = copy;
	f->size = len;
	f->owned = 1;
	c->n_files = 1;
	return finish(c, out);
}

void nn_corpus_close(nn_corpus *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->n_files; i++) {
		if (c->files[i].owned)
			free((void *)c->files[i].data);
		else if (c->files[i].data)
			munmap((void *)c->files[i].data, c->files[i].size);
		free(c->files[i].path);
	}
	free(c->files);
	free(c);
}

uint64_t nn_corpus_bytes(const nn_corpus *c)
{
	return c->bytes;
}

uint64_t nn_corpus_chars(const nn_corpus *c)
{
	return c->chars;
}

int nn_corpus_files(const nn_corpus *c)
{
	return c->n_files;
}

const char *nn_corpus_file(const nn_corpus *c, int i)
{
	BJ_ASSERT(i >= 0 && i < c->n_files);
	return c->files[i].path;
}

uint64_t nn_corpus_hash(const nn_corpus *c)
{
	return c->hash;
}

#define N_CODEPOINTS 0x110000u

void nn_corpus_vocab(const nn_corpus *c, uint64_t min_count, uint32_t **codepoints, int *V)
{
	BJ_ASSERT(min_count >= 1);
	uint64_t *count = bj_xcalloc(N_CODEPOINTS, sizeof(*count));
	for (int i = 0; i < c->n_files; i++) {
		const char *s = (const char *)c->files[i].data;
		size_t n = c->files[i].size;
		for (size_t k = 0; k < n;) {
			uint32_t cp;
			int len = bj_utf8_decode(s + k, n - k, &cp);
			count[cp]++;
			k += (size_t)(len < 0 ? -len : len);
		}
	}
	int n = 1;
	for (uint32_t cp = 0; cp < N_CODEPOINTS; cp++)
		n += cp != BJ_UTF8_REPLACEMENT && count[cp] >= min_count;
	uint32_t *cps = bj_xmalloc((size_t)n * sizeof(*cps));
	cps[0] = BJ_UTF8_REPLACEMENT;
	n = 1;
	for (uint32_t cp = 0; cp < N_CODEPOINTS; cp++)
		if (cp != BJ_UTF8_REPLACEMENT && count[cp] >= min_count)
			cps[n++] = cp;
	free(count);
	*codepoints = cps;
	*V = n;
}

/* The file holding byte pos (< bytes): binary search on the starts. */
static int file_at(const nn_corpus *c, uint64_t pos)
{
	int lo = 0, hi = c->n_files - 1;
	while (lo < hi) {
		int mid = lo + (hi - lo + 1) / 2;
		if (c->files[mid].start <= pos)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

static int is_continuation(uint8_t b)
{
	return (b & 0xC0) == 0x80;
}

uint64_t nn_corpus_split(const nn_corpus *c, double fraction)
{
	BJ_ASSERT(fraction >= 0.0 && fraction < 1.0);
	uint64_t tail = (uint64_t)((double)c->chars * fraction + 0.5);
	uint64_t pos = c->bytes;
	/* Walk back over tail code points, counting their first bytes. */
	for (int i = c->n_files - 1; i >= 0 && tail > 0; i--) {
		const struct corpus_file *f = &c->files[i];
		size_t k = f->size;
		while (k > 0 && tail > 0) {
			k--;
			if (!is_continuation(f->data[k]))
				tail--;
		}
		pos = f->start + k;
	}
	return pos;
}

uint64_t nn_corpus_align(const nn_corpus *c, uint64_t pos, uint64_t end)
{
	if (end > c->bytes)
		end = c->bytes;
	while (pos < end) {
		const struct corpus_file *f = &c->files[file_at(c, pos)];
		if (!is_continuation(f->data[pos - f->start]))
			break;
		pos++;
	}
	return pos < end ? pos : end;
}

size_t nn_corpus_decode(const nn_corpus *c, uint64_t *pos, uint64_t end, uint32_t *cps,
                        size_t n)
{
	if (end > c->bytes)
		end = c->bytes;
	size_t got = 0;
	uint64_t p = *pos;
	while (got < n && p < end) {
		const struct corpus_file *f = &c->files[file_at(c, p)];
		size_t k = (size_t)(p - f->start);
		size_t stop = end - f->start < f->size ? (size_t)(end - f->start) : f->size;
		const char *s = (const char *)f->data;
		while (got < n && k < stop) {
			/* Checked when opened; a file changed since reads as U+FFFD. */
			int len = bj_utf8_decode(s + k, f->size - k, &cps[got++]);
			k += (size_t)(len < 0 ? -len : len);
		}
		p = f->start + k;
	}
	*pos = p;
	return got;
}
