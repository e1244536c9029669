#include "text/markup.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

/* A run of one delimiter character ('*' or '_') in a line.  Its unused
 * characters are [start, start + count): an opener gives them up from the
 * end, a closer from the start (CommonMark 0.30, "process emphasis"). */
struct delim {
	size_t start, count;
	char c;
	bool can_open, can_close;
};

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (unsigned char)c >= 0x80;
}

static bool is_ascii_punct(char c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
	       (c >= '{' && c <= '~');
}

/* Whether s[from...] holds close before the end. */
static const char *closing(const char *s, const char *close)
{
	const char *p = strstr(s, close);
	return p ? p + strlen(close) : NULL;
}

/* Emphasis within one line, out[a, b): marks used delimiters in gone and ORs
 * styles into style. */
static void emphasis(const char *out, const bool *delim, size_t a, size_t b, bool *gone,
                     unsigned char *style)
{
	struct delim *runs = NULL, *stack = NULL;
	size_t n = 0, cap = 0, depth = 0;
	for (size_t i = a; i < b;) {
		if (!delim[i]) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < b && delim[j] && out[j] == out[i])
			j++;
		char c = out[i];
		bool ws_before = i == a || is_space(out[i - 1]);
		bool ws_after = j == b || is_space(out[j]);
		bool left = !ws_after, right = !ws_before;
		struct delim d = { i, j - i, c, left, right };
		if (c == '_') {
			/* No underline inside a word: snake_case_name stays as it is. */
			d.can_open = left && !(right && is_alnum(out[i - 1]));
			d.can_close = right && !(left && is_alnum(out[j]));
		}
		BJ_GROW(runs, cap, n + 1);
		runs[n++] = d;
		i = j;
	}
	stack = bj_xmalloc((n ? n : 1) * sizeof(*stack));
	for (size_t r = 0; r < n; r++) {
		struct delim *d = &runs[r];
		while (d->can_close && d->count > 0) {
			size_t o = depth;
			while (o > 0 && stack[o - 1].c != d->c)
				o--;
			if (o == 0)
				break;
			struct delim *op = &stack[o - 1];
			size_t use = d->c == '*' && op->count >= 2 && d->count >= 2 ? 2 : 1;
			unsigned s = d->c == '_' ? TEXT_STYLE_UNDERLINE
			             : use == 2 ? TEXT_STYLE_BOLD : TEXT_STYLE_ITALIC;
			for (size_t k = op->start + op->count; k < d->start; k++)
				style[k] |= (unsigned char)s;
			for (size_t k = 0; k < use; k++) {
				gone[op->start + op->count - 1 - k] = true;
				gone[d->start + k] = true;
			}
			op->count -= use;
			d->start += use;
			d->count -= use;
			/* Openers between the pair can no longer close anything. */
			depth = op->count ? o : o - 1;
		}
		if (d->can_open && d->count > 0)
			stack[depth++] = *d;
	}
	free(stack);
	free(runs);
}

void text_styled_init(text_styled *st, const char *text)
{
	memset(st, 0, sizeof(*st));
	size_t len = strlen(text);
	/* Pass 1: escapes, notes and boneyard out; '*' and '_' marked. */
	char *out = bj_xmalloc(len + 1);
	bool *delim = bj_xcalloc(len + 1, sizeof(bool));
	size_t n = 0;
	for (const char *p = text; *p;) {
		const char *skip_to;
		if (p[0] == '\\' && is_ascii_punct(p[1])) {
			out[n++] = p[1];
			p += 2;
		} else if (p[0] == '[' && p[1] == '[' && (skip_to = closing(p + 2, "]]"))) {
			p = skip_to;
		} else if (p[0] == '/' && p[1] == '*' && (skip_to = closing(p + 2, "*/"))) {
			p = skip_to;
		} else {
			delim[n] = *p == '*' || *p == '_';
			out[n++] = *p++;
		}
	}
	/* Pass 2: emphasis, line by line. */
	bool *gone = bj_xcalloc(n + 1, sizeof(bool));
	unsigned char *style = bj_xcalloc(n + 1, 1);
	for (size_t a = 0; a <= n;) {
		size_t b = a;
		while (b < n && out[b] != '\n')
			b++;
		emphasis(out, delim, a, b, gone, style);
		a = b + 1;
	}
	/* Pass 3: what is left, and its runs. */
	st->plain = bj_xmalloc(n + 1);
	size_t cap = 0;
	for (size_t i = 0; i < n; i++) {
		if (gone[i])
			continue;
		if (!st->n_runs || st->runs[st->n_runs - 1].style != style[i]) {
			BJ_GROW(st->runs, cap, st->n_runs + 1);
			st->runs[st->n_runs++] = (text_run){ st->len, 0, style[i] };
		}
		st->runs[st->n_runs - 1].len++;
		st->plain[st->len++] = out[i];
	}
	st->plain[st->len] = '\0';
	free(style);
	free(gone);
	free(delim);
	free(out);
}

void text_styled_release(text_styled *st)
{
	free(st->plain);
	free(st->runs);
	memset(st, 0, sizeof(*st));
}
