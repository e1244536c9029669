#include "writer/draw.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/utf8.h"

/* A logit far below any other: its probability is exactly 0. */
#define NEVER (-1e30f)

static void append(writer_pen *pen, const char *s, size_t n)
{
	BJ_GROW(pen->text, pen->cap, pen->len + n + 1);
	memcpy(pen->text + pen->len, s, n);
	pen->len += n;
	pen->text[pen->len] = '\0';
}

static int feed_ids(writer_pen *pen, const char *s, size_t len)
{
	if (!len)
		return 0;
	BJ_GROW(pen->ids, pen->cap_ids, len);
	size_t n = nn_charlm_encode(&pen->m, s, len, pen->ids);
	return nn_charlm_feed(&pen->m, &pen->s, pen->ids, (int)n);
}

int writer_pen_open(writer_pen *pen, const char *path, const nn_sample_opts *sample, uint64_t seed)
{
	memset(pen, 0, sizeof(*pen));
	int ret = nn_charlm_load(&pen->m, path, 0);
	if (ret < 0)
		return ret;
	nn_charlm_state_init(&pen->s, &pen->m, 1);
	pen->sample = *sample;
	bj_rng_init(&pen->rng, seed);
	pen->newline = nn_charlm_id(&pen->m, '\n');
	if (pen->newline == 0)
		pen->newline = -1;
	append(pen, "", 0);
	/* A text starts on a fresh line, as the corpus's files do. */
	if ((ret = feed_ids(pen, "\n", 1)) < 0)
		return ret;
	return 0;
}

void writer_pen_close(writer_pen *pen)
{
	nn_charlm_state_release(&pen->s);
	nn_charlm_release(&pen->m);
	free(pen->ids);
	free(pen->text);
	memset(pen, 0, sizeof(*pen));
}

int writer_pen_feed(writer_pen *pen, const char *s)
{
	size_t n = strlen(s);
	append(pen, s, n);
	return feed_ids(pen, s, n);
}

/* Letters and digits, and anything beyond ASCII (accented letters). */
static bool word_char(uint32_t cp)
{
	return cp >= 0x80 || (cp < 0x80 && isalnum((int)cp));
}

int writer_pen_draw_line(writer_pen *pen, unsigned flags, int max_chars)
{
	for (int i = 0;; i++) {
		if (i == max_chars - 1) {
			append(pen, "\n", 1);
			int ret = feed_ids(pen, "\n", 1);
			return ret < 0 ? ret : i + 1;
		}
		pen->m.next[0] = NEVER;
		if (i == 0 && (flags & WRITER_DRAW_NO_BLANK) && pen->newline > 0)
			pen->m.next[pen->newline] = NEVER;
		if (i == 0 && (flags & WRITER_DRAW_NO_WORD))
			for (int j = 1; j < pen->m.cfg.vocab; j++)
				if (word_char(pen->m.codepoints[j]))
					pen->m.next[j] = NEVER;
		int32_t id = nn_charlm_sample_next(&pen->m, &pen->sample, &pen->rng);
		pen->drawn++;
		char buf[BJ_UTF8_MAX];
		int n = bj_utf8_encode(pen->m.codepoints[id], buf);
		BJ_ASSERT(n > 0);
		append(pen, buf, (size_t)n);
		int ret = nn_charlm_feed(&pen->m, &pen->s, &id, 1);
		if (ret < 0)
			return ret;
		if (id == pen->newline)
			return i + 1;
	}
}

double writer_pen_logprob(writer_pen *pen, const char *s)
{
	size_t len = strlen(s);
	BJ_GROW(pen->ids, pen->cap_ids, len);
	size_t n = nn_charlm_encode(&pen->m, s, len, pen->ids);
	int V = pen->m.cfg.vocab;
	double lp = 0.0;
	for (size_t i = 0; i < n; i++) {
		const float *x = pen->m.next;
		float max = x[0];
		for (int j = 1; j < V; j++)
			max = x[j] > max ? x[j] : max;
		double sum = 0.0;
		for (int j = 0; j < V; j++)
			sum += exp((double)x[j] - max);
		lp += (double)x[pen->ids[i]] - max - log(sum);
		int32_t id = pen->ids[i];
		if (nn_charlm_feed(&pen->m, &pen->s, &id, 1) < 0)
			return -INFINITY;
	}
	return lp;
}

void writer_pen_clear(writer_pen *pen)
{
	pen->len = 0;
	pen->text[0] = '\0';
}

void writer_pen_mark(writer_pen *pen, writer_mark *mark)
{
	size_t lh = (size_t)pen->s.L * (size_t)pen->s.H, V = (size_t)pen->m.cfg.vocab;
	if (!mark->h) {
		mark->h = bj_xmalloc(lh * sizeof(float));
		mark->c = bj_xmalloc(lh * sizeof(float));
		mark->next = bj_xmalloc(V * sizeof(float));
	}
	memcpy(mark->h, pen->s.h, lh * sizeof(float));
	memcpy(mark->c, pen->s.c, lh * sizeof(float));
	memcpy(mark->next, pen->m.next, V * sizeof(float));
	mark->text_len = pen->len;
}

void writer_pen_back(writer_pen *pen, const writer_mark *mark)
{
	size_t lh = (size_t)pen->s.L * (size_t)pen->s.H, V = (size_t)pen->m.cfg.vocab;
	BJ_ASSERT(mark->h && mark->text_len <= pen->len);
	memcpy(pen->s.h, mark->h, lh * sizeof(float));
	memcpy(pen->s.c, mark->c, lh * sizeof(float));
	memcpy(pen->m.next, mark->next, V * sizeof(float));
	pen->len = mark->text_len;
	pen->text[pen->len] = '\0';
}

void writer_mark_release(writer_mark *mark)
{
	free(mark->h);
	free(mark->c);
	free(mark->next);
	memset(mark, 0, sizeof(*mark));
}
