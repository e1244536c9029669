#include "score/abc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

struct parser {
	score_abc_tune *t;
	const char *s, *end;    /* the whole text */
	const char *p;          /* the next byte */
	const char *line_start;
	int line;
	const char *name;
	int in_chord, in_grace;
};

static int fail(struct parser *ps, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *ps, const char *at, const char *fmt, ...)
{
	char what[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return bj_error_set(BJ_EFORMAT, "'%s': line %d, column %d: %s", ps->name, ps->line,
	                    (int)(at - ps->line_start) + 1, what);
}

/* A printable description of byte c for messages. */
static const char *show(char c, char buf[8])
{
	unsigned char u = (unsigned char)c;
	if (u >= 0x21 && u < 0x7f)
		snprintf(buf, 8, "'%c'", c);
	else
		snprintf(buf, 8, "0x%02X", u);
	return buf;
}

/* Text inside quotes, decorations and fields is printable ASCII too. */
static int check_ascii(struct parser *ps, const char *from, const char *to)
{
	char sb[8];
	for (const char *q = from; q < to; q++)
		if ((unsigned char)*q >= 0x80 || (*q < 0x20 && *q != '\t'))
			return fail(ps, q, "%s is not ABC (not printable ASCII)", show(*q, sb));
	return 0;
}

static uint32_t intern(score_abc_tune *t, const char *s, size_t n)
{
	BJ_GROW(t->pool, t->pool_cap, t->pool_len + n + 1);
	uint32_t at = (uint32_t)t->pool_len;
	memcpy(t->pool + at, s, n);
	t->pool[at + n] = '\0';
	t->pool_len += n + 1;
	return at;
}

static score_abc_item *add(struct parser *ps, int kind, const char *at)
{
	score_abc_tune *t = ps->t;
	BJ_GROW(t->items, t->cap, t->n + 1);
	score_abc_item *it = &t->items[t->n++];
	memset(it, 0, sizeof(*it));
	it->kind = (uint8_t)kind;
	it->line = ps->line;
	it->col = (int)(at - ps->line_start) + 1;
	return it;
}

static long gcd(long a, long b)
{
	while (b) {
		long r = a % b;
		a = b, b = r;
	}
	return a;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads digits at *q (up to e) as a number no larger than max; -1 if too large,
 * 0 digits leave *out alone and return 0. */
static int digits(const char **q, const char *e, long max, long *out)
{
	long v = 0;
	int n = 0;
	while (*q < e && is_digit(**q)) {
		v = v * 10 + (**q - '0');
		if (v > max)
			return -1;
		(*q)++, n++;
	}
	if (n)
		*out = v;
	return n;
}

/* A length after a note, rest or chord: [num][/[den]]..., reduced. */
static int length(struct parser *ps, const char *e, score_abc_item *it)
{
	const char *at = ps->p;
	long num = 1, den = 1, d;
	if (digits(&ps->p, e, SCORE_ABC_MAX_NUM, &num) < 0)
		return fail(ps, at, "length too long");
	while (ps->p < e && *ps->p == '/') {
		ps->p++;
		d = 2;
		if (digits(&ps->p, e, SCORE_ABC_MAX_DEN, &d) < 0)
			return fail(ps, at, "length too short");
		den *= d;
		if (den > SCORE_ABC_MAX_DEN || d == 0)
			return fail(ps, at, "length too short");
	}
	if (num == 0)
		return fail(ps, at, "length of 0");
	long g = gcd(num, den);
	it->num = (int32_t)(num / g);
	it->den = (int32_t)(den / g);
	return 0;
}

static int tie(struct parser *ps, const char *e, score_abc_item *it)
{
	if (ps->p < e && *ps->p == '-') {
		it->tie = 1;
		ps->p++;
	}
	return 0;
}

static int is_note_letter(char c)
{
	return (c >= 'A' && c <= 'G') || (c >= 'a' && c <= 'g');
}

static int note(struct parser *ps, const char *e)
{
	const char *at = ps->p;
	int acc = 0;
	if (*ps->p == '=') {
		acc = SCORE_ABC_NATURAL, ps->p++;
	} else {
		while (ps->p < e && (*ps->p == '^' || *ps->p == '_') && acc > -2 && acc < 2)
			acc += *ps->p++ == '^' ? 1 : -1;
	}
	if (ps->p >= e || !is_note_letter(*ps->p))
		return fail(ps, at, "accidental without a note");
	char c = *ps->p++;
	score_abc_item *it = add(ps, SCORE_ABC_NOTE, at);
	it->accidental = (int8_t)acc;
	it->letter = c >= 'a' ? (char)(c - 'a' + 'A') : c;
	int oct = c >= 'a';
	while (ps->p < e && (*ps->p == '\'' || *ps->p == ',')) {
		oct += *ps->p++ == '\'' ? 1 : -1;
		if (oct < -5 || oct > 5)
			return fail(ps, at, "note out of range");
	}
	it->octave = (int8_t)oct;
	size_t idx = (size_t)(it - ps->t->items);
	int ret = length(ps, e, it);
	if (ret < 0)
		return ret;
	return tie(ps, e, &ps->t->items[idx]);
}

/* A quoted string or a !name! / +name+ decoration, to its closing quote. */
static int quoted(struct parser *ps, const char *e, int kind, char close)
{
	const char *at = ps->p++;
	const char *q = memchr(ps->p, close, (size_t)(e - ps->p));
	if (kind == SCORE_ABC_DECORATION) {
		/* A '!' with no name after it is abc 1.6's line break: kept as an
		 * empty decoration ("!!" when written back). */
		const char *sp = q ? memchr(ps->p, ' ', (size_t)(q - ps->p)) : NULL;
		const char *bar = q ? memchr(ps->p, '|', (size_t)(q - ps->p)) : NULL;
		if (close == '!' && (!q || sp || bar))
			q = ps->p - 1, ps->p--;
	}
	if (!q)
		return fail(ps, at, close == '"' ? "unclosed quote" : "unclosed decoration");
	int ret = check_ascii(ps, ps->p, q);
	if (ret < 0)
		return ret;
	score_abc_item *it = add(ps, kind, at);
	if (kind == SCORE_ABC_DECORATION)
		it->letter = close;
	it->text = intern(ps->t, ps->p, (size_t)(q - ps->p));
	ps->p = q + 1;
	return 0;
}

static int is_bar_char(char c)
{
	return c == '|' || c == ':';
}

/* A bar line: a run of '|' and ':' (":|", "|:", "::", "||" ...), perhaps
 * starting "[|" or ending "|]", then perhaps an ending's numbers. */
static int bar(struct parser *ps, const char *e)
{
	const char *at = ps->p, *q = ps->p;
	if (*q == '[')
		q++;
	while (q < e && is_bar_char(*q))
		q++;
	if (q < e && *q == ']' && q[-1] == '|')
		q++;
	score_abc_item *it = add(ps, SCORE_ABC_BAR, at);
	it->text = intern(ps->t, at, (size_t)(q - at));
	ps->p = q;
	if (ps->p < e && is_digit(*ps->p) && q[-1] != ']') {
		const char *d = ps->p;
		while (ps->p < e && (is_digit(*ps->p) || ((*ps->p == ',' || *ps->p == '-') &&
		                     ps->p + 1 < e && is_digit(ps->p[1]))))
			ps->p++;
		score_abc_item *en = add(ps, SCORE_ABC_ENDING, d);
		en->text = intern(ps->t, d, (size_t)(ps->p - d));
	}
	return 0;
}

static int ending(struct parser *ps, const char *e)
{
	const char *at = ps->p++;
	const char *d = ps->p;
	while (ps->p < e && (is_digit(*ps->p) || ((*ps->p == ',' || *ps->p == '-') &&
	                     ps->p + 1 < e && is_digit(ps->p[1]))))
		ps->p++;
	score_abc_item *en = add(ps, SCORE_ABC_ENDING, at);
	en->text = intern(ps->t, d, (size_t)(ps->p - d));
	return 0;
}

/* [X:value] */
static int inline_field(struct parser *ps, const char *e)
{
	const char *at = ps->p;
	const char *q = memchr(at, ']', (size_t)(e - at));
	if (!q)
		return fail(ps, at, "unclosed inline field");
	const char *v = at + 3, *ve = q;
	int ret = check_ascii(ps, v, ve);
	if (ret < 0)
		return ret;
	while (v < ve && *v == ' ')
		v++;
	while (ve > v && ve[-1] == ' ')
		ve--;
	score_abc_item *it = add(ps, SCORE_ABC_FIELD, at);
	it->letter = at[1];
	it->num = 1;
	it->text = intern(ps->t, v, (size_t)(ve - v));
	ps->p = q + 1;
	return 0;
}

/* "(p", "(p:q", "(p:q:r" or "(p::r"; a ':' that no number follows is not the
 * tuplet's ("(3:|" is a tuplet before a bar line). */
static int tuplet(struct parser *ps, const char *e)
{
	const char *at = ps->p++;
	long v[3] = { 0, 0, 0 };
	if (digits(&ps->p, e, 64, &v[0]) < 0)
		return fail(ps, at, "tuplet too large");
	for (int i = 1; i < 3; i++) {
		const char *q = ps->p;
		if (q >= e || *q != ':')
			break;
		q++;
		if (i == 1 && q < e && *q == ':' && q + 1 < e && is_digit(q[1])) {
			ps->p = q;   /* "(p::r": no q */
			continue;
		}
		if (q >= e || !is_digit(*q))
			break;
		ps->p = q;
		if (digits(&ps->p, e, 64, &v[i]) < 0)
			return fail(ps, at, "tuplet too large");
	}
	if (v[0] < 2)
		return fail(ps, at, "tuplet of fewer than 2 notes");
	score_abc_item *it = add(ps, SCORE_ABC_TUPLET, at);
	it->num = (int32_t)v[0], it->den = (int32_t)v[1], it->r = (int32_t)v[2];
	return 0;
}

static int is_decoration_letter(char c)
{
	return c == '.' || c == '~' || (c >= 'H' && c <= 'W') || (c >= 'h' && c <= 'w');
}

/* One body line, [p, e). */
static int body_line(struct parser *ps, const char *e)
{
	char sb[8];
	while (ps->p < e) {
		const char *at = ps->p;
		char c = *at;
		int ret = 0;
		if ((unsigned char)c >= 0x80 || (c < 0x20 && c != '\t'))
			return fail(ps, at, "%s is not ABC (not printable ASCII)", show(c, sb));
		if (c == '%')
			break;
		if (c == ' ' || c == '\t') {
			while (ps->p < e && (*ps->p == ' ' || *ps->p == '\t'))
				ps->p++;
			/* One beam break, even around ignored marks ("A ` B"). */
			score_abc_tune *t = ps->t;
			if (ps->p < e && *ps->p != '%' &&
			    !(t->n > t->n_header && t->items[t->n - 1].kind == SCORE_ABC_SPACE))
				add(ps, SCORE_ABC_SPACE, at);
			continue;
		}
		if (c == '\\') {
			/* Continues the line; a stray one inside a line is kept as it is. */
			add(ps, SCORE_ABC_CONTINUE, at);
			ps->p++;
			continue;
		}
		if (is_note_letter(c) || c == '^' || c == '_' || c == '=') {
			ret = note(ps, e);
		} else if (c == 'z' || c == 'x' || c == 'Z' || c == 'X') {
			score_abc_item *it = add(ps, SCORE_ABC_REST, at);
			it->letter = c;
			ps->p++;
			size_t idx = (size_t)(it - ps->t->items);
			ret = length(ps, e, it);
			if (ret == 0)
				ret = tie(ps, e, &ps->t->items[idx]);
		} else if (c == '[' && at + 2 < e && at[2] == ':' &&
		           ((at[1] >= 'A' && at[1] <= 'Z') || (at[1] >= 'a' && at[1] <= 'z'))) {
			ret = inline_field(ps, e);
		} else if (c == '[' && at + 1 < e && is_digit(at[1])) {
			ret = ending(ps, e);
		} else if (c == '|' || c == ':' || (c == '[' && at + 1 < e && at[1] == '|')) {
			ret = bar(ps, e);
		} else if (c == '[') {
			if (ps->in_chord)
				return fail(ps, at, "chord inside a chord");
			add(ps, SCORE_ABC_CHORD_OPEN, at);
			ps->in_chord = 1;
			ps->p++;
		} else if (c == ']') {
			if (!ps->in_chord)
				return fail(ps, at, "']' without '['");
			score_abc_item *it = add(ps, SCORE_ABC_CHORD_CLOSE, at);
			ps->in_chord = 0;
			ps->p++;
			size_t idx = (size_t)(it - ps->t->items);
			ret = length(ps, e, it);
			if (ret == 0)
				ret = tie(ps, e, &ps->t->items[idx]);
		} else if (c == '(' && at + 1 < e && is_digit(at[1])) {
			ret = tuplet(ps, e);
		} else if (c == '(') {
			add(ps, SCORE_ABC_SLUR_OPEN, at);
			ps->p++;
		} else if (c == ')') {
			add(ps, SCORE_ABC_SLUR_CLOSE, at);
			ps->p++;
		} else if (c == '{') {
			if (ps->in_grace)
				return fail(ps, at, "'{' inside grace notes");
			score_abc_item *it = add(ps, SCORE_ABC_GRACE_OPEN, at);
			ps->in_grace = 1;
			ps->p++;
			if (ps->p < e && *ps->p == '/')
				it->letter = '/', ps->p++;
		} else if (c == '}') {
			if (!ps->in_grace)
				return fail(ps, at, "'}' without '{'");
			add(ps, SCORE_ABC_GRACE_CLOSE, at);
			ps->in_grace = 0;
			ps->p++;
		} else if (c == '>' || c == '<') {
			/* "A>->B" is "A->>B": the run goes on after a tie. */
			score_abc_tune *t = ps->t;
			score_abc_item *it = t->n > t->n_header && t->items[t->n - 1].kind == SCORE_ABC_BROKEN &&
			                     t->items[t->n - 1].letter == c ? &t->items[t->n - 1] : NULL;
			if (!it) {
				it = add(ps, SCORE_ABC_BROKEN, at);
				it->letter = c;
			}
			while (ps->p < e && *ps->p == c)
				ps->p++;
			it->num += (int32_t)(ps->p - at);
			if (it->num > 3)
				return fail(ps, at, "broken rhythm of more than 3");
		} else if (c == '"') {
			ret = quoted(ps, e, SCORE_ABC_TEXT, '"');
		} else if (c == '!' || c == '+') {
			ret = quoted(ps, e, SCORE_ABC_DECORATION, c);
		} else if (is_decoration_letter(c)) {
			score_abc_item *it = add(ps, SCORE_ABC_DECORATION, at);
			it->letter = c;
			ps->p++;
		} else if (c == 'y') {
			add(ps, SCORE_ABC_SPACER, at);
			ps->p++;
		} else if (c == '&') {
			add(ps, SCORE_ABC_OVERLAY, at);
			ps->p++;
		} else if (c == '`' || c == '*') {
			ps->p++;   /* abc2mtex spacing and stray marks: nothing to keep */
		} else if (c == '-') {
			/* A tie written after a space, a broken rhythm or a slur ("A -A",
			 * "d>-c") belongs to the note before. */
			score_abc_tune *t = ps->t;
			size_t k = t->n;
			while (k > t->n_header && (t->items[k - 1].kind == SCORE_ABC_SPACE ||
			                             t->items[k - 1].kind == SCORE_ABC_BROKEN ||
			                             t->items[k - 1].kind == SCORE_ABC_SLUR_CLOSE ||
			                             t->items[k - 1].kind == SCORE_ABC_GRACE_CLOSE ||
			                             t->items[k - 1].kind == SCORE_ABC_DECORATION))
				k--;
			if (k == t->n_header || (t->items[k - 1].kind != SCORE_ABC_NOTE &&
			                         t->items[k - 1].kind != SCORE_ABC_CHORD_CLOSE &&
			                         t->items[k - 1].kind != SCORE_ABC_REST))
				return fail(ps, at, "tie '-' after no note");
			t->items[k - 1].tie = 1;
			/* Spaces before the '-' go: "A -B" is "A- B" (one beam break). */
			if (t->items[t->n - 1].kind == SCORE_ABC_SPACE)
				t->n--;
			ps->p++;
		} else {
			return fail(ps, at, "unexpected %s", show(c, sb));
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int is_field_start(const char *p, const char *e, int body)
{
	if (e - p < 2 || p[1] != ':')
		return 0;
	char c = p[0];
	if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
		return 0;
	if (!body)
		return 1;
	/* In the body "A:|" is music; field letters are the standard's. */
	if (!strchr("ABCDFGHIKLMNOPQRSTUVWXZmrsw", c))
		return 0;
	return !(e - p >= 3 && (p[2] == '|' || p[2] == ':'));
}

static int field_line(struct parser *ps, const char *e)
{
	const char *at = ps->p;
	const char *v = at + 2, *ve = e;
	/* A comment ends a field's value, as in the body. */
	const char *pc = memchr(v, '%', (size_t)(ve - v));
	if (pc && (pc == v || pc[-1] != '\\'))
		ve = pc;
	while (v < ve && (*v == ' ' || *v == '\t'))
		v++;
	/* A '\' continuing a field's line is not part of its value (the
	 * continuation itself is skipped in the header). */
	while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r' || ve[-1] == '\\'))
		ve--;
	int ret = check_ascii(ps, v, ve);
	if (ret < 0)
		return ret;
	score_abc_item *it = add(ps, SCORE_ABC_FIELD, at);
	it->letter = at[0];
	it->text = intern(ps->t, v, (size_t)(ve - v));
	ps->p = e;
	return 0;
}

int score_abc_parse(score_abc_tune *t, const char *text, size_t len, const char *name,
                    int first_line)
{
	memset(t, 0, sizeof(*t));
	struct parser ps = { .t = t, .s = text, .end = text + len, .p = text, .line_start = text,
	                     .line = first_line, .name = name };
	int in_body = 0, header_continues = 0;
	while (ps.p < ps.end) {
		const char *nl = memchr(ps.p, '\n', (size_t)(ps.end - ps.p));
		const char *e = nl ? nl : ps.end;
		if (e > ps.p && e[-1] == '\r')
			e--;
		ps.line_start = ps.p;
		const char *first = ps.p;
		while (first < e && (*first == ' ' || *first == '\t'))
			first++;
		if (first < e)
			first = ps.p;   /* blanks only: an empty line */
		int ret = 0, continued = header_continues;
		header_continues = !in_body && e > first && e[-1] == '\\';
		if (first == e || *first == '%' || (continued && !in_body)) {
			/* empty lines, comments, and what continues a header line */
		} else if (!in_body) {
			if (!is_field_start(first, e, 0))
				return fail(&ps, first, "expected a header field such as 'K:', not text");
			ret = field_line(&ps, e);
			if (ret == 0 && first[0] == 'K') {
				in_body = 1;
				t->n_header = t->n;
			}
		} else if (is_field_start(first, e, 1)) {
			ret = field_line(&ps, e);
			if (ret == 0)
				add(&ps, SCORE_ABC_EOL, e);
		} else {
			size_t before = t->n;
			ret = body_line(&ps, e);
			/* Blanks end a line only before ignored marks ("A `"): none kept. */
			if (ret == 0 && t->n > before && t->items[t->n - 1].kind == SCORE_ABC_SPACE)
				t->n--;
			if (ret == 0 && t->n > before)   /* not a line of '`' only */
				add(&ps, SCORE_ABC_EOL, e);
		}
		if (ret < 0)
			return ret;
		ps.p = nl ? nl + 1 : ps.end;
		ps.line++;
	}
	ps.line_start = ps.p;
	if (!in_body) {
		return fail(&ps, ps.p, "no K: field (the key ends the header)");
	}
	if (ps.in_chord)
		return fail(&ps, ps.p, "unclosed chord '['");
	if (ps.in_grace)
		return fail(&ps, ps.p, "unclosed grace notes '{'");
	return 0;
}

void score_abc_tune_release(score_abc_tune *t)
{
	free(t->items);
	free(t->pool);
	memset(t, 0, sizeof(*t));
}

const char *score_abc_header(const score_abc_tune *t, char letter)
{
	const char *v = NULL;
	for (size_t i = 0; i < t->n_header; i++)
		if (t->items[i].letter == letter)
			v = score_abc_text(t, &t->items[i]);
	return v;
}

int score_abc_equal(const score_abc_tune *a, const score_abc_tune *b)
{
	if (a->n != b->n || a->n_header != b->n_header)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const score_abc_item *x = &a->items[i], *y = &b->items[i];
		if (x->kind != y->kind || x->letter != y->letter || x->octave != y->octave ||
		    x->accidental != y->accidental || x->tie != y->tie || x->num != y->num ||
		    x->den != y->den || x->r != y->r)
			return 0;
		int has_text = x->kind == SCORE_ABC_FIELD || x->kind == SCORE_ABC_BAR ||
		               x->kind == SCORE_ABC_ENDING || x->kind == SCORE_ABC_TEXT ||
		               (x->kind == SCORE_ABC_DECORATION && (x->letter == '!' || x->letter == '+'));
		if (has_text && strcmp(score_abc_text(a, x), score_abc_text(b, y)) != 0)
			return 0;
	}
	return 1;
}
