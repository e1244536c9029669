#include "text/fountain.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"
#include "base/utf8.h"
#include "text/buf.h"

/*
 * DECISIONS - how this parser reads what the spec (fountain_syntax.md) leaves open.
 *
 * Lines and blanks.  Whitespace is spaces, tabs and U+00A0 (no-break space); a
 * line of whitespace only is blank.  A run of blank lines of two or more
 * whitespace characters each ("two spaces") between two lines of a paragraph
 * (action, dialogue, note) keeps it together as empty lines of its text (spec:
 * Line Breaks, Notes).  Other runs of blank lines separate elements and are not
 * kept: emit writes one.  Trailing whitespace is dropped from every text after
 * it has decided the classification ("CUT TO: " is action, spec: Transition).
 * In action, tabs become four spaces (spec: Action) and indentation stays.
 *
 * Element starts.  Paragraph-level syntax is read where an element may start:
 * after a blank line, at the start of the body, or after an element that ends
 * at its own line (heading, transition, section, ...).  Inside an action
 * paragraph or a speech, lines are text: "BOB" after an action line is action,
 * "# 1" under a cue is dialogue.  Sections, synopses, page breaks and boneyard
 * blocks stand for a blank line for their neighbours' "blank line before/after"
 * rules, as they vanish from formatted output (spec: Boneyard's "CUT TO:" just
 * before a "/\*" line is still a transition).
 *
 * Precedence at an element start: boneyard block, note paragraph, page break,
 * synopsis, section, lyrics, forced action '!', forced cue '@', forced heading
 * '.' + alphanumeric (any non-ASCII character but U+00A0), centred text, forced
 * transition '>', heading, transition, cue, action.
 *
 * Headings: INT, EXT, EST, (I|INT)[.]/(E|EXT) or (E|EXT)[.]/(I|INT) (the last
 * not in the spec's list, but written), any case, then '.' or ' '; blank (or
 * separator) lines before and after.  A forced heading needs neither.
 * Transitions: no lower-case ASCII letter, ends exactly in "TO:", blank lines
 * around.  Cues: the name before the first '(' has an ASCII capital and no
 * ASCII small letter, a blank line before and a non-blank line after; a line
 * that reads as a heading or ends in "TO:" is never a cue (emit forces it '@').
 * Non-Latin names need '@' (spec: Character).
 *
 * Title page: the first lines of the file, up to the first blank line, when
 * each is "Key: value" (the key made of letters, digits, spaces, '-', '_',
 * '\'' or non-ASCII, starting with a letter) or an indented value line (a tab
 * or 3 spaces), and at least one key is a known one or has a value (so a
 * screenplay opening with "FADE IN:" has no title page).
 *
 * Speeches: after a cue, until a blank line, "(...)" lines are parentheticals,
 * '~' lines lyrics, others dialogue (leading whitespace dropped).  A lyric right
 * after a speech belongs to it (emit attaches it).  Only the '^' cue is marked
 * dual; its partner is the speech before it.
 *
 * Notes and boneyard: a note element is a paragraph that is exactly one
 * [[note]]; a boneyard element is a "/\*" at an element start whose first "*\/"
 * ends its line, spanning any number of lines, kept verbatim.  Anywhere else
 * both stay in the text as inline markup.  An unclosed "/\*" or "[[" is text.
 */

/* One line of input: the bytes without the line break. */
struct line {
	const char *s;
	size_t n;
	int no;        /* 1-based line number */
	size_t closer; /* the first line from this one on holding a "*\/", or the
	                * line count: keeps boneyard lookups linear (mark_closers) */
};

struct lines {
	struct line *v;
	size_t n, cap;
};

/* Splits s into lines at LF, CRLF and CR.  A final line break ends the last
 * line; it does not start an empty one. */
static void split_lines(const char *s, size_t len, struct lines *out)
{
	size_t start = 0;
	int no = 1;
	for (size_t i = 0; i <= len; i++) {
		bool end = i == len;
		if (!end && s[i] != '\n' && s[i] != '\r')
			continue;
		if (end && start == len)
			break;
		BJ_GROW(out->v, out->cap, out->n + 1);
		out->v[out->n++] = (struct line){ s + start, i - start, no++, 0 };
		if (!end && s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			i++;
		start = i + 1;
	}
}

static size_t find(const char *s, size_t n, const char *p);

/* Fills in closer for every line. */
static void mark_closers(struct lines *l)
{
	size_t next = l->n;
	for (size_t i = l->n; i-- > 0;) {
		if (find(l->v[i].s, l->v[i].n, "*/") < l->v[i].n)
			next = i;
		l->v[i].closer = next;
	}
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* The bytes of the whitespace character at s[at] (before s[n]): 1 for a space
 * or tab, 2 for U+00A0 NO-BREAK SPACE (word processors leave it in scripts,
 * e.g. "WILL\u00a0" in big_fish), 0 for anything else. */
static size_t ws_at(const char *s, size_t n, size_t at)
{
	if (is_ws(s[at]))
		return 1;
	if (at + 1 < n && s[at] == '\xC2' && s[at + 1] == '\xA0')
		return 2;
	return 0;
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_alnum(char c)
{
	return is_lower(c) || is_upper(c) || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* Leading spaces and tabs. */
static size_t lead_ws(const char *s, size_t n)
{
	size_t k = 0, w;
	while (k < n && (w = ws_at(s, n, k)) > 0)
		k += w;
	return k;
}

/* n without trailing whitespace. */
static size_t rtrim(const char *s, size_t n)
{
	for (;;) {
		if (n > 0 && is_ws(s[n - 1]))
			n--;
		else if (n > 1 && s[n - 2] == '\xC2' && s[n - 1] == '\xA0')
			n -= 2;
		else
			return n;
	}
}

static bool is_blank(const struct line *l)
{
	return lead_ws(l->s, l->n) == l->n;
}

/* A "two spaces" line: blank, but able to join two lines of a paragraph. */
static bool is_joiner(const struct line *l)
{
	if (!is_blank(l))
		return false;
	size_t chars = 0;
	for (size_t k = 0; k < l->n; k += ws_at(l->s, l->n, k))
		chars++;
	return chars >= 2;
}

static bool starts_with(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);
	return n >= k && memcmp(s, p, k) == 0;
}

static bool ends_with(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);
	return n >= k && memcmp(s + n - k, p, k) == 0;
}

/* Finds p in s[0, n); returns its offset or n. */
static size_t find(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(s + i, p, k) == 0)
			return i;
	return n;
}

/* The line without leading whitespace, as (s, n) with trailing whitespace too
 * when trim is set. */
struct str {
	const char *s;
	size_t n;
};

static struct str stripped(const struct line *l, bool trim)
{
	size_t k = lead_ws(l->s, l->n);
	struct str r = { l->s + k, l->n - k };
	if (trim)
		r.n = rtrim(r.s, r.n);
	return r;
}

/* The last line of the paragraph starting at line i: it runs on over non-blank
 * lines and over runs of "two spaces" lines that are followed by a non-blank one. */
static size_t para_last(const struct line *v, size_t n, size_t i)
{
	size_t j = i;
	while (j + 1 < n) {
		if (!is_blank(&v[j + 1])) {
			j++;
			continue;
		}
		size_t k = j + 1;
		while (k < n && is_joiner(&v[k]))
			k++;
		if (k > j + 1 && k < n && !is_blank(&v[k])) {
			j = k;
			continue;
		}
		break;
	}
	return j;
}

/* Scene heading prefixes (spec: Scene Heading), case-insensitive. */
static size_t word_ci(const char *s, size_t n, size_t at, const char *w)
{
	size_t k = strlen(w);
	if (at + k > n || strncasecmp(s + at, w, k) != 0)
		return 0;
	return at + k;
}

static bool heading_end(const char *s, size_t n, size_t at)
{
	return at > 0 && at < n && (s[at] == '.' || s[at] == ' ');
}

static bool heading_prefix(const char *s, size_t n)
{
	static const char *const simple[] = { "INT", "EXT", "EST" };
	/* INT./EXT and its spellings, and the mirrored EXT./INT (not in the spec's
	 * list, but written, e.g. twice in big_fish). */
	static const char *const pair[2][2][2] = {
		{ { "INT", "I" }, { "EXT", "E" } },
		{ { "EXT", "E" }, { "INT", "I" } },
	};
	for (size_t o = 0; o < 2; o++) {
		for (size_t a = 0; a < 2; a++) {
			size_t p = word_ci(s, n, 0, pair[o][0][a]);
			if (!p)
				continue;
			if (p < n && s[p] == '.')
				p++;
			if (p >= n || s[p] != '/')
				continue;
			for (size_t b = 0; b < 2; b++)
				if (heading_end(s, n, word_ci(s, n, p + 1, pair[o][1][b])))
					return true;
		}
	}
	for (size_t a = 0; a < 3; a++)
		if (heading_end(s, n, word_ci(s, n, 0, simple[a])))
			return true;
	return false;
}

static bool has_lower(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (is_lower(s[i]))
			return true;
	return false;
}

/* A transition by its text alone (spec: Transition).  s is not right-trimmed:
 * trailing spaces after "TO:" make the line action. */
static bool transition_like(const char *s, size_t n)
{
	return ends_with(s, n, "TO:") && !has_lower(s, n);
}

/* The dual-dialogue caret: s (right-trimmed) ends in '^'.  Stores the length
 * without it and the whitespace before it. */
static bool strip_caret(const char *s, size_t *n)
{
	if (*n == 0 || s[*n - 1] != '^')
		return false;
	*n = rtrim(s, *n - 1);
	return true;
}

/* A character cue by its text alone (spec: Character). */
static bool cue_like(const char *s, size_t n)
{
	n = rtrim(s, n);
	strip_caret(s, &n);
	if (heading_prefix(s, n) || ends_with(s, n, "TO:"))
		return false;
	bool letter = false;
	for (size_t i = 0; i < n && s[i] != '('; i++) {
		if (is_lower(s[i]))
			return false;
		letter |= is_upper(s[i]);
	}
	return letter;
}

static bool page_break_like(struct str t)
{
	if (t.n < 3)
		return false;
	for (size_t i = 0; i < t.n; i++)
		if (t.s[i] != '=')
			return false;
	return true;
}

static bool centered_like(struct str t)
{
	return t.n >= 2 && t.s[0] == '>' && t.s[t.n - 1] == '<';
}

/* A boneyard block starting at line i: "/\*" first on the line, "*\/" later
 * with nothing after it on its line.  Stores its last line in *last and, when
 * content is not NULL, appends what lies between the markers. */
static bool boneyard_block(const struct line *v, size_t n, size_t i, size_t *last,
                           text_buf *content)
{
	struct str t = stripped(&v[i], false);
	if (!starts_with(t.s, t.n, "/*"))
		return false;
	/* The first "*\/" after the opening decides: on this line, or on the
	 * next line that has one. */
	const char *from = t.s + 2, *s = from;
	size_t j = i, len = (size_t)(v[i].s + v[i].n - from), at = find(s, len, "*/");
	if (at == len) {
		j = i + 1 < n ? v[i + 1].closer : n;
		if (j >= n)
			return false;
		s = v[j].s;
		len = v[j].n;
		at = find(s, len, "*/");
	}
	if (lead_ws(s + at + 2, len - at - 2) != len - at - 2)
		return false;
	*last = j;
	for (size_t k = i; content && k <= j; k++) {
		const char *a = k == i ? from : v[k].s;
		const char *b = k == j ? s + at : v[k].s + v[k].n;
		if (k > i)
			text_buf_addc(content, '\n');
		text_buf_add(content, a, (size_t)(b - a));
	}
	return true;
}

/* A note paragraph starting at line i: the paragraph is one [[note]]. */
static bool note_block(const struct line *v, size_t n, size_t i, size_t *last)
{
	struct str first = stripped(&v[i], true);
	if (!starts_with(first.s, first.n, "[["))
		return false;
	size_t j = para_last(v, n, i);
	struct str end = stripped(&v[j], true);
	if (!ends_with(end.s, end.n, "]]"))
		return false;
	for (size_t k = i; k <= j; k++) {
		struct str t = stripped(&v[k], true);
		size_t skip = k == i ? 2 : 0;
		size_t stop = k == j ? t.n - 2 : t.n;
		if (stop < skip)
			return false; /* "[[]" is not a note */
		if (find(t.s + skip, stop - skip, "]]") != stop - skip ||
		    find(t.s + skip, stop - skip, "[[") != stop - skip)
			return false;
	}
	*last = j;
	return true;
}

/* Lines that stand for a blank line before and after them (see DECISIONS). */
static bool separator_line(const struct line *v, size_t n, size_t i)
{
	struct str t = stripped(&v[i], false);
	size_t last;
	return t.n > 0 && (t.s[0] == '#' || t.s[0] == '=' || boneyard_block(v, n, i, &last, NULL));
}

static bool next_sep(const struct line *v, size_t n, size_t i)
{
	return i + 1 >= n || is_blank(&v[i + 1]) || separator_line(v, n, i + 1);
}

enum kind {
	K_BONEYARD,
	K_NOTE,
	K_PAGE_BREAK,
	K_SYNOPSIS,
	K_SECTION,
	K_LYRICS,
	K_FORCED_ACTION,
	K_FORCED_CUE,
	K_FORCED_HEADING,
	K_CENTERED,
	K_FORCED_TRANSITION,
	K_HEADING,
	K_TRANSITION,
	K_CUE,
	K_ACTION,
	K_NONE, /* a blank line, where reading() is asked about one */
};

/* What the non-blank line i is, read at an element start; prev_sep tells
 * whether a blank line (or a separator) precedes it. */
static enum kind classify(const struct line *v, size_t n, size_t i, bool prev_sep)
{
	struct str t = stripped(&v[i], true);
	size_t last;
	BJ_ASSERT(t.n > 0);
	if (boneyard_block(v, n, i, &last, NULL))
		return K_BONEYARD;
	if (note_block(v, n, i, &last))
		return K_NOTE;
	if (page_break_like(t))
		return K_PAGE_BREAK;
	switch (t.s[0]) {
	case '=':
		return K_SYNOPSIS;
	case '#':
		return K_SECTION;
	case '~':
		return K_LYRICS;
	case '!':
		return K_FORCED_ACTION;
	case '@':
		return K_FORCED_CUE;
	case '.':
		/* Non-ASCII counts as alphanumeric, but U+00A0 is whitespace:
		 * ".\u00a0ext." is ". ext.", action (found by make fuzz). */
		if (t.n > 1 && is_alnum(t.s[1]) && ws_at(t.s, t.n, 1) == 0)
			return K_FORCED_HEADING;
		break;
	case '>':
		return centered_like(t) ? K_CENTERED : K_FORCED_TRANSITION;
	}
	if (prev_sep && next_sep(v, n, i)) {
		if (heading_prefix(t.s, t.n))
			return K_HEADING;
		struct str raw = stripped(&v[i], false);
		if (transition_like(raw.s, raw.n))
			return K_TRANSITION;
	}
	if (prev_sep && i + 1 < n && !is_blank(&v[i + 1]) && cue_like(t.s, t.n))
		return K_CUE;
	return K_ACTION;
}

struct parser {
	const struct line *v;
	size_t n;
	text_screenplay *sp;
};

static text_element *add(struct parser *p, text_element_type type, text_buf *text,
                         size_t first, size_t last)
{
	text_element *e = text_screenplay_add(p->sp, type, text->s ? text->s : "");
	text_buf_release(text);
	e->line = p->v[first].no;
	e->last_line = p->v[last].no;
	return e;
}

/* Appends line text from byte from on, right-trimmed; in action tabs become
 * four spaces (spec: Action). */
static void add_text(text_buf *b, const struct line *l, size_t from, bool action)
{
	size_t n = rtrim(l->s, l->n);
	for (size_t k = from; k < n; k++) {
		if (action && l->s[k] == '\t')
			text_buf_add(b, "    ", 4);
		else
			text_buf_addc(b, l->s[k]);
	}
}

/* An action paragraph from line i; from skips a forcing '!'. */
static size_t parse_action(struct parser *p, size_t i, size_t from)
{
	size_t last = para_last(p->v, p->n, i);
	text_buf b = {0};
	for (size_t j = i; j <= last; j++) {
		if (j > i)
			text_buf_addc(&b, '\n');
		add_text(&b, &p->v[j], j == i ? from : 0, true);
	}
	add(p, TEXT_ACTION, &b, i, last);
	return last + 1;
}

static bool scene_number_char(char c)
{
	return is_upper(c) || is_lower(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* A heading line: t is the text after any forcing '.', right-trimmed. */
static void parse_heading(struct parser *p, size_t i, struct str t)
{
	char *number = NULL;
	/* A trailing "#1A#": alphanumerics, '-' and '.' between two '#'. */
	if (t.n >= 3 && t.s[t.n - 1] == '#') {
		size_t k = t.n - 1;
		while (k > 0 && scene_number_char(t.s[k - 1]))
			k--;
		if (k > 0 && k < t.n - 1 && t.s[k - 1] == '#') {
			number = bj_xmalloc(t.n - 1 - k + 1);
			memcpy(number, t.s + k, t.n - 1 - k);
			number[t.n - 1 - k] = '\0';
			t.n = rtrim(t.s, k - 1);
		}
	}
	text_buf b = {0};
	text_buf_add(&b, t.s, t.n);
	text_element *e = add(p, TEXT_SCENE_HEADING, &b, i, i);
	e->scene_number = number;
}

/* Consecutive '~' lines (TEXT_LYRICS) or ">text<" lines (TEXT_CENTERED) from
 * line i, as one element without the markers.  Returns the line after them. */
static size_t parse_run(struct parser *p, size_t i, text_element_type type)
{
	text_buf b = {0};
	size_t j = i;
	for (; j < p->n; j++) {
		struct str t = stripped(&p->v[j], true);
		if (type == TEXT_LYRICS) {
			if (t.n == 0 || t.s[0] != '~')
				break;
			if (j > i)
				text_buf_addc(&b, '\n');
			text_buf_add(&b, t.s + 1, t.n - 1);
		} else {
			if (!centered_like(t))
				break;
			if (j > i)
				text_buf_addc(&b, '\n');
			size_t a = 1 + lead_ws(t.s + 1, t.n - 2);
			text_buf_add(&b, t.s + a, rtrim(t.s + a, t.n - 1 - a));
		}
	}
	add(p, type, &b, i, j - 1);
	return j;
}

/* A cue at line i (t: its text after any '@'), then its speech until a blank
 * line.  Returns the line after the speech. */
static size_t parse_speech(struct parser *p, size_t i, struct str t)
{
	t.n = rtrim(t.s, t.n);
	bool dual = strip_caret(t.s, &t.n);
	text_buf b = {0};
	text_buf_add(&b, t.s, t.n);
	add(p, TEXT_CHARACTER, &b, i, i)->dual = dual;

	text_element_type open = TEXT_CHARACTER; /* the kind of b: none yet */
	size_t open_first = 0, open_lines = 0;
	size_t j = i + 1;
	while (j < p->n) {
		const struct line *l = &p->v[j];
		text_element_type want;
		struct str s = stripped(l, true);
		size_t skip = 0;
		size_t next = j + 1;
		if (is_blank(l)) {
			size_t k = j;
			while (k < p->n && is_joiner(&p->v[k]))
				k++;
			if (k == j || k >= p->n || is_blank(&p->v[k]))
				break;
			want = TEXT_DIALOGUE;
			next = k;
			s.n = 0;
		} else if (s.s[0] == '(' && s.s[s.n - 1] == ')') {
			want = TEXT_PARENTHETICAL;
		} else if (s.s[0] == '~') {
			want = TEXT_LYRICS;
			skip = 1;
		} else {
			want = TEXT_DIALOGUE;
		}
		if (open != want || want == TEXT_PARENTHETICAL) {
			if (open != TEXT_CHARACTER)
				add(p, open, &b, open_first, j - 1);
			open = want;
			open_first = j;
			open_lines = 0;
		}
		/* A run of "two spaces" lines is that many empty lines. */
		size_t copies = next - j;
		for (size_t c = 0; c < copies; c++) {
			if (open_lines++)
				text_buf_addc(&b, '\n');
			text_buf_add(&b, s.s + skip, s.n - skip);
		}
		j = next;
	}
	if (open != TEXT_CHARACTER)
		add(p, open, &b, open_first, j - 1);
	return j;
}

static size_t parse_note(struct parser *p, size_t i, size_t last)
{
	text_buf raw = {0};
	for (size_t j = i; j <= last; j++) {
		if (j > i)
			text_buf_addc(&raw, '\n');
		struct str t = stripped(&p->v[j], true);
		text_buf_add(&raw, t.s, t.n);
	}
	/* Without the brackets, and trimmed of whitespace and line breaks. */
	const char *s = raw.s + 2;
	size_t n = raw.len - 4;
	for (size_t w; n > 0 && ((w = ws_at(s, n, 0)) > 0 || (w = *s == '\n') > 0);)
		s += w, n -= w;
	for (size_t m; n > 0 && ((m = rtrim(s, n)) < n || (m = n - (s[n - 1] == '\n')) < n);)
		n = m;
	text_buf b = {0};
	text_buf_add(&b, s, n);
	text_buf_release(&raw);
	add(p, TEXT_NOTE, &b, i, last);
	return last + 1;
}

/* The body from line i: classifies each element start and hands over. */
static void parse_body(struct parser *p, size_t i)
{
	bool prev_sep = true;
	while (i < p->n) {
		const struct line *l = &p->v[i];
		if (is_blank(l)) {
			prev_sep = true;
			i++;
			continue;
		}
		struct str t = stripped(l, true);
		text_buf b = {0};
		size_t last;
		enum kind k = classify(p->v, p->n, i, prev_sep);
		prev_sep = false;
		switch (k) {
		case K_BONEYARD:
			boneyard_block(p->v, p->n, i, &last, &b);
			add(p, TEXT_BONEYARD, &b, i, last);
			i = last + 1;
			prev_sep = true;
			break;
		case K_NOTE:
			note_block(p->v, p->n, i, &last);
			i = parse_note(p, i, last);
			break;
		case K_PAGE_BREAK:
			add(p, TEXT_PAGE_BREAK, &b, i, i);
			i++;
			prev_sep = true;
			break;
		case K_SYNOPSIS: {
			size_t a = 1 + lead_ws(t.s + 1, t.n - 1);
			text_buf_add(&b, t.s + a, t.n - a);
			add(p, TEXT_SYNOPSIS, &b, i, i);
			i++;
			prev_sep = true;
			break;
		}
		case K_SECTION: {
			size_t depth = 0;
			while (depth < t.n && t.s[depth] == '#')
				depth++;
			size_t a = depth + lead_ws(t.s + depth, t.n - depth);
			text_buf_add(&b, t.s + a, t.n - a);
			add(p, TEXT_SECTION, &b, i, i)->depth = (int)depth;
			i++;
			prev_sep = true;
			break;
		}
		case K_LYRICS:
			i = parse_run(p, i, TEXT_LYRICS);
			break;
		case K_FORCED_ACTION:
			i = parse_action(p, i, (size_t)(t.s - l->s) + 1);
			break;
		case K_FORCED_CUE: {
			size_t a = 1 + lead_ws(t.s + 1, t.n - 1);
			i = parse_speech(p, i, (struct str){ t.s + a, t.n - a });
			break;
		}
		case K_FORCED_HEADING:
			parse_heading(p, i, (struct str){ t.s + 1, t.n - 1 });
			i++;
			break;
		case K_CENTERED:
			i = parse_run(p, i, TEXT_CENTERED);
			break;
		case K_FORCED_TRANSITION: {
			size_t a = 1 + lead_ws(t.s + 1, t.n - 1);
			text_buf_add(&b, t.s + a, t.n - a);
			add(p, TEXT_TRANSITION, &b, i, i);
			i++;
			break;
		}
		case K_HEADING:
			parse_heading(p, i, t);
			i++;
			break;
		case K_TRANSITION:
			text_buf_add(&b, t.s, t.n);
			add(p, TEXT_TRANSITION, &b, i, i);
			i++;
			break;
		case K_CUE:
			i = parse_speech(p, i, t);
			break;
		case K_ACTION:
			i = parse_action(p, i, 0);
			break;
		case K_NONE:
			BJ_ASSERT(!"classify() never answers K_NONE");
		}
	}
}

/* Title page keys that make a block a title page even without values. */
static bool known_key(const char *s, size_t n)
{
	static const char *const keys[] = {
		"title", "credit", "author", "authors", "source", "draft date", "date",
		"contact", "copyright", "notes", "revision",
	};
	for (size_t i = 0; i < BJ_ARRAY_SIZE(keys); i++)
		if (strlen(keys[i]) == n && strncasecmp(s, keys[i], n) == 0)
			return true;
	return false;
}

/* "Key: value": stores the key's length (right-trimmed) and the colon's offset. */
static bool title_key(const struct line *l, size_t *key_len, size_t *colon)
{
	if (l->n == 0 || !(is_upper(l->s[0]) || is_lower(l->s[0]) || (unsigned char)l->s[0] >= 0x80))
		return false;
	/* A key may not start with a byte-order mark: at the start of a file the
	 * parser drops one, so such a key could not be written back. */
	if (starts_with(l->s, l->n, "\xEF\xBB\xBF"))
		return false;
	/* Nor with U+00A0, which is whitespace, not a letter: "\u00a0: 3" would
	 * be a key "" (found by make fuzz). */
	if (ws_at(l->s, l->n, 0) > 0)
		return false;
	for (size_t k = 0; k < l->n; k++) {
		char c = l->s[k];
		if (c == ':') {
			*colon = k;
			*key_len = rtrim(l->s, k);
			return true;
		}
		if (!is_alnum(c) && c != ' ' && c != '-' && c != '_' && c != '\'')
			return false;
	}
	return false;
}

static bool title_value_line(const struct line *l)
{
	return !is_blank(l) && (l->s[0] == '\t' || starts_with(l->s, l->n, "   "));
}

/* The number of lines of the title page at the start of v, 0 if there is none. */
static size_t title_page_lines(const struct line *v, size_t n)
{
	size_t i = 0, key_len, colon;
	bool useful = false;
	for (; i < n && !is_blank(&v[i]); i++) {
		if (title_key(&v[i], &key_len, &colon)) {
			struct str value = stripped(&(struct line){ v[i].s + colon + 1, v[i].n - colon - 1, 0, 0 },
			                            true);
			useful |= known_key(v[i].s, key_len) || value.n > 0;
		} else if (i > 0 && title_value_line(&v[i])) {
			useful = true;
		} else {
			return 0;
		}
	}
	return useful ? i : 0;
}

static void parse_title(struct parser *p, size_t count)
{
	size_t key_len, colon;
	text_buf value = {0};
	for (size_t i = 0; i < count;) {
		const struct line *l = &p->v[i];
		BJ_ASSERT(title_key(l, &key_len, &colon));
		struct str inline_value = stripped(&(struct line){ l->s + colon + 1, l->n - colon - 1, 0, 0 },
		                                   true);
		text_buf_add(&value, inline_value.s, inline_value.n);
		size_t j = i + 1;
		for (; j < count && !title_key(&p->v[j], &key_len, &colon); j++) {
			struct str t = stripped(&p->v[j], true);
			if (value.len)
				text_buf_addc(&value, '\n');
			text_buf_add(&value, t.s, t.n);
		}
		title_key(l, &key_len, &colon);
		char *key = bj_xmalloc(key_len + 1);
		memcpy(key, l->s, key_len);
		key[key_len] = '\0';
		text_title_field *f = text_screenplay_title_add(p->sp, key, value.s ? value.s : "");
		f->line = l->no;
		free(key);
		text_buf_release(&value);
		i = j;
	}
}

int text_fountain_parse(const char *name, const char *text, size_t len, text_screenplay **out)
{
	*out = NULL;
	if (len > TEXT_FOUNTAIN_MAX_BYTES)
		return bj_error_set(BJ_EFORMAT, "'%s': text is %zu bytes, limit %u", name, len,
		                    TEXT_FOUNTAIN_MAX_BYTES);
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		text += 3, len -= 3;
	struct lines lines = {0};
	split_lines(text, len, &lines);
	mark_closers(&lines);
	int ret = 0;
	for (size_t i = 0; i < lines.n; i++) {
		const struct line *l = &lines.v[i];
		if (memchr(l->s, '\0', l->n)) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': line %d: NUL byte", name, l->no);
			goto out;
		}
		if (!bj_utf8_validate(l->s, l->n, NULL)) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': line %d: invalid UTF-8", name, l->no);
			goto out;
		}
	}
	struct parser p = { lines.v, lines.n, text_screenplay_new() };
	size_t title = title_page_lines(lines.v, lines.n);
	parse_title(&p, title);
	parse_body(&p, title);
	*out = p.sp;
out:
	free(lines.v);
	return ret;
}

int text_fountain_load(const char *path, text_screenplay **out)
{
	*out = NULL;
	uint8_t *data;
	size_t size;
	int ret = bj_file_read(path, TEXT_FOUNTAIN_MAX_BYTES, &data, &size);
	if (ret < 0)
		return ret;
	ret = text_fountain_parse(path, (const char *)data, size, out);
	free(data);
	return ret;
}

/* --- emitting --- */

/* How the parser would read text (lines separated by '\n') at the start of
 * the body, after a blank line, when next_line follows it ("" for a blank).
 *
 * Whether a "/\*" line inside text opens a boneyard block depends on a "*\/"
 * anywhere later in the document, and a block stands for a blank line (see
 * DECISIONS), so "CUT TO:\n/\*" may read as a transition.  The check assumes
 * the worst: a closing line follows.  At worst that forces an element that
 * did not need it. */
static enum kind reading(const char *text, const char *next_line)
{
	struct lines l = {0};
	split_lines(text, strlen(text), &l);
	bool empty = l.n == 0 || is_blank(&l.v[0]);
	BJ_GROW(l.v, l.cap, l.n + 2);
	l.v[l.n++] = (struct line){ next_line, strlen(next_line), 0, 0 };
	l.v[l.n++] = (struct line){ "*/", 2, 0, 0 };
	mark_closers(&l);
	enum kind k = empty ? K_NONE : classify(l.v, l.n, 0, true);
	free(l.v);
	return k;
}

/* Appends the lines of text, each after prefix, with "" lines written as two
 * spaces so that they stay inside their paragraph. */
static void add_lines(text_buf *b, const char *prefix, const char *text, const char *suffix)
{
	const char *s = text;
	for (;;) {
		size_t n = strcspn(s, "\n");
		text_buf_adds(b, prefix);
		if (n == 0 && !*prefix)
			text_buf_adds(b, "  ");
		text_buf_add(b, s, n);
		text_buf_adds(b, suffix);
		text_buf_addc(b, '\n');
		if (!s[n])
			break;
		s += n + 1;
	}
}

static bool attached(const text_screenplay *sp, size_t k)
{
	text_element_type t = sp->elements[k].type;
	if (t == TEXT_DIALOGUE || t == TEXT_PARENTHETICAL)
		return true;
	if (t != TEXT_LYRICS || k == 0)
		return false;
	t = sp->elements[k - 1].type;
	return t == TEXT_CHARACTER || t == TEXT_DIALOGUE || t == TEXT_PARENTHETICAL;
}

static void emit_element(const text_screenplay *sp, size_t k, bool force, text_buf *b);

/* The speech under the cue at k as it is written (its elements' lines). */
static void speech_lines(const text_screenplay *sp, size_t k, text_buf *b)
{
	for (size_t j = k + 1; j < sp->n_elements && attached(sp, j); j++)
		emit_element(sp, j, false, b);
}

static void emit_element(const text_screenplay *sp, size_t k, bool force, text_buf *b)
{
	const text_element *e = &sp->elements[k];
	text_buf natural = {0};
	switch (e->type) {
	case TEXT_ACTION:
		add_lines(&natural, "", e->text, "");
		if (force || reading(natural.s, "") != K_ACTION) {
			text_buf_addc(b, '!');
			/* "!" alone is an empty first line; "!  " would be too. */
			if (e->text[0] == '\n' || !e->text[0]) {
				text_buf_adds(b, natural.s + 2);
				break;
			}
		}
		text_buf_add(b, natural.s, natural.len);
		break;
	case TEXT_SCENE_HEADING:
		text_buf_adds(&natural, e->text);
		if (e->scene_number)
			text_buf_addf(&natural, " #%s#", e->scene_number);
		if (force || reading(natural.s, "") != K_HEADING)
			text_buf_addc(b, '.');
		text_buf_add(b, natural.s, natural.len);
		text_buf_addc(b, '\n');
		break;
	case TEXT_CHARACTER: {
		text_buf_adds(&natural, e->text);
		if (e->dual)
			text_buf_adds(&natural, " ^");
		/* The whole speech is one paragraph for the parser: "[[BOB" over
		 * dialogue ending in "]]" would read as a note (found by make fuzz). */
		text_buf para = {0};
		text_buf_add(&para, natural.s, natural.len);
		text_buf_addc(&para, '\n');
		speech_lines(sp, k, &para);
		if (force || reading(para.s, "") != K_CUE)
			text_buf_addc(b, '@');
		text_buf_release(&para);
		text_buf_add(b, natural.s, natural.len);
		text_buf_addc(b, '\n');
		break;
	}
	case TEXT_DIALOGUE:
		add_lines(b, "", e->text, "");
		break;
	case TEXT_PARENTHETICAL:
		text_buf_adds(b, e->text);
		text_buf_addc(b, '\n');
		break;
	case TEXT_LYRICS:
		add_lines(b, "~", e->text, "");
		break;
	case TEXT_TRANSITION:
		if (force || reading(e->text, "") != K_TRANSITION)
			text_buf_adds(b, "> ");
		text_buf_adds(b, e->text);
		text_buf_addc(b, '\n');
		break;
	case TEXT_CENTERED:
		add_lines(b, "> ", e->text, " <");
		break;
	case TEXT_PAGE_BREAK:
		text_buf_adds(b, "===\n");
		break;
	case TEXT_NOTE:
		text_buf_adds(&natural, "[[");
		text_buf_adds(&natural, e->text);
		text_buf_adds(&natural, "]]");
		add_lines(b, "", natural.s, "");
		break;
	case TEXT_BONEYARD:
		text_buf_addf(b, "/*%s*/\n", e->text);
		break;
	case TEXT_SECTION:
		for (int d = 0; d < e->depth; d++)
			text_buf_addc(b, '#');
		if (*e->text)
			text_buf_addf(b, " %s", e->text);
		text_buf_addc(b, '\n');
		break;
	case TEXT_SYNOPSIS:
		text_buf_addc(b, '=');
		if (*e->text)
			text_buf_addf(b, " %s", e->text);
		text_buf_addc(b, '\n');
		break;
	}
	text_buf_release(&natural);
}

static char *emit(const text_screenplay *sp, bool force_first)
{
	text_buf b = {0};
	for (size_t i = 0; i < sp->n_title; i++) {
		const text_title_field *f = &sp->title[i];
		text_buf_adds(&b, f->key);
		text_buf_addc(&b, ':');
		if (strchr(f->value, '\n')) {
			text_buf_addc(&b, '\n');
			add_lines(&b, "    ", f->value, "");
		} else if (*f->value)
			text_buf_addf(&b, " %s\n", f->value);
		else
			text_buf_addc(&b, '\n');
	}
	for (size_t k = 0; k < sp->n_elements; k++) {
		if ((k > 0 || sp->n_title > 0) && !(k > 0 && attached(sp, k)))
			text_buf_addc(&b, '\n');
		emit_element(sp, k, force_first && k == 0, &b);
	}
	return text_buf_detach(&b);
}

char *text_fountain_emit(const text_screenplay *sp)
{
	char *s = emit(sp, false);
	if (sp->n_title == 0 && sp->n_elements > 0) {
		/* The first element must not read as a title page ("Note: ..."), nor
		 * start with a byte-order mark, which the parser drops at the start of
		 * a file: forcing its type puts a marker before either. */
		struct lines l = {0};
		split_lines(s, strlen(s), &l);
		size_t title = title_page_lines(l.v, l.n);
		free(l.v);
		if (title || strncmp(s, "\xEF\xBB\xBF", 3) == 0) {
			free(s);
			s = emit(sp, true);
		}
	}
	return s;
}

int text_fountain_save(const text_screenplay *sp, const char *path)
{
	char *s = text_fountain_emit(sp);
	int ret = bj_file_write(path, s, strlen(s));
	free(s);
	return ret;
}
