#include "score/tunes.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"

/* ABC files are small; this bounds what one file may make us allocate. */
#define MAX_FILE (256u << 20)

static int is_field_line(const char *p, const char *end, char letter)
{
	return end - p >= 2 && p[0] == letter && p[1] == ':';
}

static int add_file(score_tunes *t, const char *path)
{
	uint8_t *data;
	size_t size;
	int ret = bj_file_read(path, MAX_FILE, &data, &size);
	if (ret < 0)
		return ret;
	if (memchr(data, 0, size)) {
		free(data);
		return bj_error_set(BJ_EFORMAT, "'%s': binary file, not ABC", path);
	}
	BJ_GROW(t->files, t->cap_files, (size_t)t->n_files + 1);
	BJ_GROW(t->names, t->cap_names, (size_t)t->n_files + 1);
	char *text = (char *)data;
	t->files[t->n_files] = text;
	t->names[t->n_files] = bj_xstrdup(path);
	const char *name = t->names[t->n_files];
	t->n_files++;
	size_t before = t->n;
	const char *p = text, *end = text + size;
	int line = 1;
	score_tune *cur = NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		if (is_field_line(p, eol, 'X')) {
			if (cur)
				cur->len = (size_t)(p - cur->text);
			BJ_GROW(t->tunes, t->cap, t->n + 1);
			cur = &t->tunes[t->n++];
			*cur = (score_tune){ .text = p, .file = name, .line = line };
		}
		p = nl ? nl + 1 : end;
		line++;
	}
	if (cur)
		cur->len = (size_t)(end - cur->text);
	if (t->n == before)
		return bj_error_set(BJ_EFORMAT, "'%s': no tunes (no X: line)", path);
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_folder(score_tunes *t, const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return bj_error_set_errno(errno, "'%s'", path);
	char **names = NULL;
	size_t n = 0, cap = 0;
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
		BJ_GROW(names, cap, n + 1);
		names[n++] = full;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_names);
	int ret = n ? 0 : bj_error_set(BJ_EFORMAT, "'%s': no files in folder", path);
	for (size_t i = 0; i < n; i++) {
		if (ret == 0)
			ret = add_file(t, names[i]);
		free(names[i]);
	}
	free(names);
	return ret;
}

int score_tunes_load(const char *const *paths, int n_paths, score_tunes *t)
{
	memset(t, 0, sizeof(*t));
	if (n_paths < 1)
		return bj_error_set(BJ_EINVAL, "no ABC files given");
	for (int i = 0; i < n_paths; i++) {
		struct stat st;
		int ret;
		if (stat(paths[i], &st) != 0)
			ret = bj_error_set_errno(errno, "'%s'", paths[i]);
		else if (S_ISDIR(st.st_mode))
			ret = add_folder(t, paths[i]);
		else
			ret = add_file(t, paths[i]);
		if (ret < 0)
			return ret;
	}
	return 0;
}

void score_tunes_release(score_tunes *t)
{
	for (int i = 0; i < t->n_files; i++) {
		free(t->files[i]);
		free(t->names[i]);
	}
	free(t->files);
	free(t->names);
	free(t->tunes);
	memset(t, 0, sizeof(*t));
}

/* [p, end) without leading and trailing blanks. */
static void trim(const char **p, const char **end)
{
	while (*p < *end && (**p == ' ' || **p == '\t' || **p == '\r'))
		(*p)++;
	while (*end > *p && ((*end)[-1] == ' ' || (*end)[-1] == '\t' || (*end)[-1] == '\r'))
		(*end)--;
}

/* The end of a body line's music: before a '%' comment that is not inside a
 * quoted chord symbol or annotation, and not an escaped "\%". */
static const char *music_end(const char *p, const char *end)
{
	int quoted = 0;
	for (const char *q = p; q < end; q++) {
		if (*q == '"')
			quoted = !quoted;
		else if (*q == '%' && !quoted && (q == p || q[-1] != '\\'))
			return q;
	}
	return end;
}

/* The default unit note length (ABC 2.1, section 3.1.7): 1/16 when the meter
 * is below 3/4, 1/8 otherwise (and for free or common time). */
static const char *default_length(const char *m, size_t n)
{
	int num = 0, den = 0;
	char buf[32];
	if (n >= sizeof(buf))
		return "1/8";
	memcpy(buf, m, n);
	buf[n] = '\0';
	if (sscanf(buf, "%d/%d", &num, &den) == 2 && num > 0 && den > 0 && 4 * num < 3 * den)
		return "1/16";
	return "1/8";
}

int score_tune_plain(const char *text, size_t len, score_sbuf *out)
{
	const char *p = text, *end = text + len;
	const char *m = NULL, *l = NULL, *k = NULL;
	size_t mn = 0, ln = 0, kn = 0;
	size_t start = out->len;
	int in_body = 0, body_lines = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end, *next = nl ? nl + 1 : end;
		const char *a = p, *b = eol;
		trim(&a, &b);
		p = next;
		if (a == b || *a == '%')
			continue;
		int field = b - a >= 2 && a[1] == ':' &&
		            ((a[0] >= 'A' && a[0] <= 'Z') || (a[0] >= 'a' && a[0] <= 'z'));
		if (field && a[0] == 'V')
			goto reject;
		if (!in_body) {
			if (!field)
				continue;   /* stray text in a header */
			const char *v = a + 2, *ve = music_end(v, b);
			trim(&v, &ve);
			if (a[0] == 'M')
				m = v, mn = (size_t)(ve - v);
			else if (a[0] == 'L')
				l = v, ln = (size_t)(ve - v);
			else if (a[0] == 'K') {
				k = v, kn = (size_t)(ve - v);
				in_body = 1;
				if (!m)
					m = "none", mn = 4;
				score_sbuf_addf(out, "M:%.*s\nL:%.*s\nK:%.*s\n", (int)mn, m,
				                l ? (int)ln : 3, l ? l : default_length(m, mn), (int)kn, k);
			}
			continue;
		}
		if (field && a[0] != 'K' && a[0] != 'M' && a[0] != 'L' && a[0] != 'P')
			continue;
		const char *me = field ? b : music_end(a, b);
		trim(&a, &me);
		if (a == me)
			continue;
		score_sbuf_add(out, a, (size_t)(me - a));
		score_sbuf_putc(out, '\n');
		body_lines++;
	}
	if (k && body_lines) {
		score_sbuf_putc(out, '\n');
		return 0;
	}
reject:
	out->len = start;
	if (out->s)
		out->s[start] = '\0';
	return -1;
}

int score_tune_held_out(const char *text, size_t len, double fraction)
{
	/* 64-bit FNV-1a, then the top bits as a number in [0, 1). */
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)text[i]) * 0x100000001b3ull;
	return (double)(h >> 11) / 9007199254740992.0 < fraction;
}
