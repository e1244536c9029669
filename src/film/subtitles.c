#include "film/subtitles.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/atomic.h"
#include "base/error.h"
#include "base/utf8.h"

static size_t chars(const char *s, size_t len)
{
	return bj_utf8_count(s, len);
}

char *film_subtitle_wrap(const char *text, size_t width)
{
	size_t len = strlen(text);
	if (chars(text, len) <= width)
		return bj_xstrdup(text);
	/* Two lines: of the spaces that leave both halves short enough, the one with
	 * the shorter longer half (the earliest on a tie: a bottom-heavy pair). */
	size_t best = 0, best_long = (size_t)-1;
	for (size_t i = 0; i < len; i++) {
		if (text[i] != ' ')
			continue;
		size_t a = chars(text, i), b = chars(text + i + 1, len - i - 1);
		size_t longer = a > b ? a : b;
		if (a <= width && b <= width && longer < best_long) {
			best = i;
			best_long = longer;
		}
	}
	if (best_long == (size_t)-1)
		return NULL;
	char *out = bj_xstrdup(text);
	out[best] = '\n';
	return out;
}

/* A word of a dialogue line and its time, seconds from the line's start. */
struct word {
	const char *s;
	size_t len;
	double start, end;
};

/* Splits text at runs of white space. */
static size_t split_words(const char *text, struct word **out)
{
	size_t n = 0, cap = 0;
	struct word *w = NULL;
	const char *p = text;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		const char *q = p;
		while (*q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r')
			q++;
		BJ_GROW(w, cap, n + 1);
		w[n++] = (struct word){ .s = p, .len = (size_t)(q - p) };
		p = q;
	}
	*out = w;
	return n;
}

/* Times each word: from the timings when they pair one to one, else in
 * proportion to the words' lengths (plus one for the space) over the span. */
static void time_words(const film_line *l, struct word *w, size_t n)
{
	if (l->n_words == n) {
		for (size_t i = 0; i < n; i++) {
			w[i].start = l->words[i].start;
			w[i].end = l->words[i].end;
		}
		return;
	}
	double t0 = l->n_words ? l->words[0].start : 0;
	double t1 = l->n_words ? l->words[l->n_words - 1].end : l->duration;
	size_t total = 0, done = 0;
	for (size_t i = 0; i < n; i++)
		total += chars(w[i].s, w[i].len) + 1;
	for (size_t i = 0; i < n; i++) {
		w[i].start = t0 + (t1 - t0) * (double)done / (double)total;
		done += chars(w[i].s, w[i].len) + 1;
		w[i].end = t0 + (t1 - t0) * (double)done / (double)total;
	}
}

static char *join_words(const struct word *w, size_t n)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += w[i].len + 1;
	char *s = bj_xmalloc(len + 1), *p = s;
	for (size_t i = 0; i < n; i++) {
		memcpy(p, w[i].s, w[i].len);
		p += w[i].len;
		*p++ = ' ';
	}
	p[n ? -1 : 0] = '\0';
	return s;
}

static void add_cue(film_subtitles *s, size_t *cap, double start, double end, char *text)
{
	BJ_GROW(s->cues, *cap, s->n + 1);
	s->cues[s->n++] = (film_cue){ start, end, text };
}

/* The cue of words [first, last) wrapped, or NULL when it does not fit; a
 * single word wider than a line is shown anyway. */
static char *cue_text(const struct word *w, size_t first, size_t last)
{
	char *joined = join_words(w + first, last - first);
	char *wrapped = film_subtitle_wrap(joined, FILM_SUB_CHARS);
	if (!wrapped && last == first + 1)
		return joined;
	free(joined);
	return wrapped;
}

/* Cuts words into cues of at most limit characters each (and that fit),
 * greedily; writes the end of each cue into ends and returns how many. */
static size_t cut(const struct word *w, size_t n, size_t limit, size_t *ends)
{
	size_t k = 0, first = 0;
	while (first < n) {
		size_t last = first + 1, len = chars(w[first].s, w[first].len);
		while (last < n) {
			size_t more = len + 1 + chars(w[last].s, w[last].len);
			char *t = more <= limit ? cue_text(w, first, last + 1) : NULL;
			if (!t)
				break;
			free(t);
			len = more;
			last++;
		}
		ends[k++] = last;
		first = last;
	}
	return k;
}

/* Cuts one line's words into as few cues as fit, of about equal length: the
 * greedy cut gives the count k, then the smallest length limit from total / k
 * up that still cuts into k cues. */
static void add_line(film_subtitles *s, size_t *cap, const film_line *l)
{
	struct word *w;
	size_t n = split_words(l->text, &w);
	time_words(l, w, n);
	size_t *ends = bj_xcalloc(n ? n : 1, sizeof *ends);
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += chars(w[i].s, w[i].len) + (i > 0);
	size_t k = cut(w, n, (size_t)-1, ends);
	if (k > 1) {
		size_t limit = (total + k - 1) / k;
		while (limit <= FILM_SUB_CHARS * FILM_SUB_LINES && cut(w, n, limit, ends) != k)
			limit++;
		if (limit > FILM_SUB_CHARS * FILM_SUB_LINES)
			cut(w, n, (size_t)-1, ends);
	}
	size_t first = 0;
	for (size_t i = 0; i < k; i++) {
		add_cue(s, cap, l->at + w[first].start, l->at + w[ends[i] - 1].end,
		        cue_text(w, first, ends[i]));
		first = ends[i];
	}
	free(ends);
	free(w);
}

static int by_start(const void *a, const void *b)
{
	const film_cue *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

void film_subtitles_build(const film_timeline *t, film_subtitles *s)
{
	size_t cap = 0;
	memset(s, 0, sizeof *s);
	for (size_t i = 0; i < t->n_lines; i++)
		add_line(s, &cap, &t->lines[i]);
	if (s->n)   /* qsort's array may not be NULL, even empty */
		qsort(s->cues, s->n, sizeof *s->cues, by_start);
	/* Long enough to read, and never on screen together with the next cue. */
	for (size_t i = 0; i < s->n; i++) {
		film_cue *c = &s->cues[i];
		c->end = fmax(c->end, c->start + FILM_SUB_MIN_SECONDS);
		if (i + 1 < s->n && c->end > s->cues[i + 1].start - FILM_SUB_GAP)
			c->end = fmax(s->cues[i + 1].start - FILM_SUB_GAP, c->start + 0.001);
	}
}

static void srt_time(FILE *f, double t)
{
	long long ms = llround(fmax(t, 0) * 1000);
	fprintf(f, "%02lld:%02lld:%02lld,%03lld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60,
	        ms % 1000);
}

static void write_srt(FILE *f, const film_subtitles *s)
{
	for (size_t i = 0; i < s->n; i++) {
		fprintf(f, "%zu\n", i + 1);
		srt_time(f, s->cues[i].start);
		fputs(" --> ", f);
		srt_time(f, s->cues[i].end);
		fprintf(f, "\n%s\n\n", s->cues[i].text);
	}
}

char *film_subtitles_srt(const film_subtitles *s)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	BJ_ASSERT(f);
	write_srt(f, s);
	BJ_ASSERT(fclose(f) == 0);
	return buf;
}

int film_subtitles_save_srt(const film_subtitles *s, const char *path)
{
	bj_atomic *a;
	int ret = bj_atomic_open(path, &a);
	if (ret < 0)
		return ret;
	write_srt(bj_atomic_stream(a), s);
	return bj_atomic_commit(a);
}

void film_subtitles_release(film_subtitles *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->cues[i].text);
	free(s->cues);
	memset(s, 0, sizeof *s);
}
