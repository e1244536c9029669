#include "score/tunes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"
#include "score/abc.h"
#include "score/music.h"

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

/* Adds the regular files of folder path, sorted by name. */
static int add_folder(score_tunes *t, const char *path)
{
	char **names;
	size_t n;
	int ret = bj_dir_files(path, &names, &n);
	if (ret == 0 && n == 0)
		ret = bj_error_set(BJ_EFORMAT, "'%s': no files in folder", path);
	for (size_t i = 0; ret == 0 && i < n; i++)
		ret = add_file(t, names[i]);
	bj_free_strings(names, n);
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

/* The default unit note length (ABC 2.1, section 3.1.7): 1/16 when the meter
 * is below 3/4, 1/8 otherwise (and for free or common time). */
static const char *default_length(const char *meter)
{
	int num, den;
	if (meter && score_meter_parse(meter, &num, &den) == 0 && den && 4 * num < 3 * den)
		return "1/16";
	return "1/8";
}

/* Whether the composer keeps item it of a body: the music and its chord
 * symbols, bar lines and line ends; not decorations, annotations, slurs,
 * grace notes, line continuations or fields other than K:, M: and L:. */
static int keep(const score_abc_tune *t, const score_abc_item *it)
{
	switch ((enum score_abc_kind)it->kind) {
	case SCORE_ABC_DECORATION:
	case SCORE_ABC_SLUR_OPEN:
	case SCORE_ABC_SLUR_CLOSE:
	case SCORE_ABC_CONTINUE:
	case SCORE_ABC_SPACER:
		return 0;
	case SCORE_ABC_TEXT: {
		const char c = score_abc_text(t, it)[0];
		return c >= 'A' && c <= 'G';
	}
	case SCORE_ABC_FIELD:
		return it->letter == 'K' || it->letter == 'M' || it->letter == 'L';
	default:
		return 1;
	}
}

/* The meter as the composer is primed with it: "C" is "4/4", "C|" "2/2". */
static const char *plain_meter(const char *m, char buf[16])
{
	int num, den;
	if (!m)
		return "none";
	if ((strcmp(m, "C") == 0 || strcmp(m, "C|") == 0) && score_meter_parse(m, &num, &den) == 0) {
		snprintf(buf, 16, "%d/%d", num, den);
		return buf;
	}
	return m;
}

/* The key as the composer is primed with it: tonic and the mode's short name
 * ("E Minor" is "Em", "A Mixolydian" "Amix"); anything else as written. */
static const char *plain_key(const char *k, char buf[16])
{
	score_key key;
	if (score_key_parse(k, &key) < 0 || !((k[0] >= 'A' && k[0] <= 'G')))
		return k;
	static const struct { int mode; const char *name; } names[] = {
		{ 0, "" }, { 9, "m" }, { 2, "dor" }, { 4, "phr" }, { 5, "lyd" }, { 7, "mix" }, { 11, "loc" },
	};
	const char *mode = "";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].mode == key.mode)
			mode = names[i].name;
	int acc = k[1] == '#' || k[1] == 'b';
	/* Explicit accidentals ("Ador =c") change the scale: keep those as written. */
	if (strpbrk(k, "^_="))
		return k;
	snprintf(buf, 16, "%c%s%s", k[0], acc ? (k[1] == '#' ? "#" : "b") : "", mode);
	return buf;
}

int score_tune_plain(const char *text, size_t len, score_sbuf *out)
{
	score_abc_tune t, p = { 0 };
	int ret = -1;
	size_t start = out->len;
	if (score_abc_parse(&t, text, len, "tune", 1) < 0 || !score_music_fits_meter(&t, NULL, 0))
		goto out;
	/* The body, filtered: no grace notes, no empty lines, no blanks at the
	 * ends of lines.  The copy borrows t's strings. */
	p.pool = t.pool, p.pool_len = t.pool_len;
	int grace = 0, notes = 0;
	for (size_t i = t.n_header; i < t.n; i++) {
		const score_abc_item *it = &t.items[i];
		if (it->kind == SCORE_ABC_OVERLAY || (it->kind == SCORE_ABC_FIELD && it->letter == 'V'))
			goto out;   /* several voices */
		if (it->kind == SCORE_ABC_GRACE_OPEN || it->kind == SCORE_ABC_GRACE_CLOSE) {
			grace = it->kind == SCORE_ABC_GRACE_OPEN;
			continue;
		}
		if (grace || !keep(&t, it))
			continue;
		int line_start = p.n == 0 || p.items[p.n - 1].kind == SCORE_ABC_EOL;
		if (it->kind == SCORE_ABC_EOL && line_start)
			continue;
		if (it->kind == SCORE_ABC_SPACE && line_start)
			continue;
		if (it->kind == SCORE_ABC_EOL && p.items[p.n - 1].kind == SCORE_ABC_SPACE)
			p.n--;
		if (p.n && it->kind == SCORE_ABC_SPACE && p.items[p.n - 1].kind == SCORE_ABC_SPACE)
			continue;
		notes += it->kind == SCORE_ABC_NOTE;
		BJ_GROW(p.items, p.cap, p.n + 1);
		p.items[p.n++] = *it;
	}
	if (notes > 0) {
		const char *m = score_abc_header(&t, 'M'), *l = score_abc_header(&t, 'L');
		char mb[16], kb[16];
		score_sbuf_addf(out, "M:%s\nL:%s\nK:%s\n", plain_meter(m, mb),
		                l ? l : default_length(m), plain_key(score_abc_header(&t, 'K'), kb));
		score_abc_emit(&p, out);
		if (out->len && out->s[out->len - 1] != '\n')
			score_sbuf_putc(out, '\n');
		score_sbuf_putc(out, '\n');
		ret = 0;
		/* What the filter left must still be a tune that fits. */
		score_abc_tune back;
		if (score_abc_parse(&back, out->s + start, out->len - start, "plain", 1) < 0 ||
		    !score_music_fits_meter(&back, NULL, 0))
			ret = -1;
		score_abc_tune_release(&back);
		if (ret < 0) {
			out->len = start;
			out->s[start] = '\0';
		}
	}
out:
	free(p.items);
	score_abc_tune_release(&t);
	bj_error_clear();
	return ret;
}

int score_tune_held_out(const char *text, size_t len, double fraction)
{
	/* 64-bit FNV-1a, then the top bits as a number in [0, 1). */
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)text[i]) * 0x100000001b3ull;
	return (double)(h >> 11) / 9007199254740992.0 < fraction;
}
