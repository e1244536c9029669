#include "text/normalize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"
#include "base/utf8.h"
#include "text/buf.h"
#include "text/fountain.h"

/*
 * How a plain-text screenplay is read (the layout: "The Hollywood Standard",
 * Riley, ch. 1-2; what scrapes and conversions do to it: the files of
 * ../shared/data/text/screenplays):
 *
 * 1. Lines.  Tabs go to 8-column stops, a form feed is a page break, trailing
 *    blanks go.  Each line keeps its indent and width in columns.
 * 2. Page furniture.  Page numbers (a number alone, right-aligned or between
 *    blank lines: "12.", "a14", "- 3 -"), CONTINUED lines, (MORE) and page
 *    headers or footers (a line that comes back four times or more with a
 *    number that changes, or next to page numbers) are marked and skipped.
 * 3. Margins.  The action margin of a page is the commonest indent of its long
 *    lines (42 columns or more: only action is that wide); indents are read
 *    relative to it, so pages shifted by a scanner still line up.
 * 4. Levels.  A cue is an upper-case name of a few words, indented, with a
 *    line right under it that is less indented.  The commonest indents of such
 *    names, of the lines under them and of '(' lines under them are the file's
 *    cue, dialogue and parenthetical levels.  Dialogue within two columns of
 *    the margin makes the file "flat" (a PDF conversion): there, dialogue ends
 *    at a line too wide for the dialogue column, or one that the line before
 *    had room for (so the break was a paragraph's end, not a wrap).
 * 5. Elements.  Lines are read top to bottom: scene headings (INT./EXT./...,
 *    or an upper-case line ending in a time of day), transitions ("... TO:",
 *    FADE OUT. at the right), cues and their speeches, centred lines, action.
 *    A cue that repeats the last speaker after a page break, and a paragraph
 *    that goes on across one mid-sentence, are joined to what came before.
 * 6. Title page.  The lines before the first heading, cue or transition (and
 *    before the first long action line) give Title, Credit, Author, Source,
 *    Draft date and Notes.
 */

#define LONG_LINE 42  /* columns: wider than any dialogue column */
#define MAX_CUE 45    /* columns of a cue with its extensions */

struct nline {
	char *text;      /* the line, tabs expanded, no trailing blanks; owned */
	const char *s;   /* text after the indent */
	size_t n;        /* bytes of s */
	int indent;      /* columns before s */
	int width;       /* columns of s */
	int no;          /* 1-based line number */
	bool page_break; /* a form feed came before it */
	int cls;         /* enum text_norm_class; -1 while unread */
	int margin;      /* the action margin of its page */
};

struct entry {
	char *key;
	size_t count;
	uint64_t digits[3]; /* hashes of up to three different digit strings seen */
	int n_digits;
	size_t near_page; /* occurrences next to a page number */
};

struct table {
	struct entry *v;
	size_t cap, n;
};

struct norm {
	const char *name;
	struct nline *v;
	size_t n, cap;
	int cue_level, dlg_level, paren_level, margin;
	int cue_lo, dlg_lo, dlg_wrap;
	bool flat;
	bool cue_gap;    /* a blank line may stand between a cue and its speech */
	bool have_levels;
	struct table vocab;
	text_screenplay *sp;
	text_normalize_report *rep;

	/* the element being built */
	text_element_type ptype;
	bool pending;
	text_buf pbuf;
	int pline;
	bool paren_open;
	int paren_depth; /* '(' not yet closed in the parenthetical being built */
	/* reading state */
	bool in_speech;
	bool fresh;      /* no line of the speech read since its cue (or its "(CONT'D)") */
	int last_width;  /* columns of the speech's last line */
	char *speaker;   /* the name of the last speech's cue */
	char *scene_number; /* from a scene-number line, for the next heading */
};

/* ---------------------------------------------------------------- utilities */

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return is_upper(c) || is_lower(c);
}

static char to_upper(char c)
{
	return is_lower(c) ? (char)(c - 'a' + 'A') : c;
}

static char to_lower(char c)
{
	return is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static struct entry *table_find(struct table *t, const char *key, size_t n, bool add)
{
	if (add && (t->n + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct entry *v = bj_xcalloc(cap, sizeof(*v));
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->v[i].key)
				continue;
			size_t j = hash_bytes(t->v[i].key, strlen(t->v[i].key)) & (cap - 1);
			while (v[j].key)
				j = (j + 1) & (cap - 1);
			v[j] = t->v[i];
		}
		free(t->v);
		t->v = v;
		t->cap = cap;
	}
	if (!t->cap)
		return NULL;
	size_t j = hash_bytes(key, n) & (t->cap - 1);
	while (t->v[j].key) {
		if (strlen(t->v[j].key) == n && memcmp(t->v[j].key, key, n) == 0)
			return &t->v[j];
		j = (j + 1) & (t->cap - 1);
	}
	if (!add)
		return NULL;
	t->v[j].key = bj_xmalloc(n + 1);
	memcpy(t->v[j].key, key, n);
	t->v[j].key[n] = '\0';
	t->n++;
	return &t->v[j];
}

static void table_release(struct table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->v[i].key);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* The most common value of a histogram over [0, n), the smaller on a tie;
 * -1 when empty. */
static int hist_mode(const size_t *h, int n)
{
	int best = -1;
	for (int i = 0; i < n; i++)
		if (h[i] && (best < 0 || h[i] > h[best]))
			best = i;
	return best;
}

/* The value below which a fraction q of a histogram lies; -1 when empty. */
static int hist_quantile(const size_t *h, int n, double q)
{
	size_t total = 0;
	for (int i = 0; i < n; i++)
		total += h[i];
	if (!total)
		return -1;
	size_t want = (size_t)(q * (double)total), acc = 0;
	for (int i = 0; i < n; i++) {
		acc += h[i];
		if (acc > want)
			return i;
	}
	return n - 1;
}

#define HIST 256

static int clamp_hist(int v)
{
	return v < 0 ? 0 : v >= HIST ? HIST - 1 : v;
}

/* ------------------------------------------------------------------- lines */

static void add_line(struct norm *nm, const char *s, size_t len, int no, bool page_break)
{
	text_buf b = { 0 };
	size_t col = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		int k = bj_utf8_decode(s + i, len - i, &cp);
		if (k <= 0)
			k = 1;
		if (cp == '\t') {
			do {
				text_buf_addc(&b, ' ');
				col++;
			} while (col % 8);
		} else if (cp == 0xA0) {
			text_buf_addc(&b, ' '); /* no-break space */
			col++;
		} else if (cp < 0x20 || cp == 0x7F) {
			/* other control characters are dropped */
		} else {
			text_buf_add(&b, s + i, (size_t)k);
			col++;
		}
		i += (size_t)k;
	}
	/* trailing blanks, and the '*' revision marks of production drafts at the
	 * end of a line ("waste of time.      *") */
	for (;;) {
		while (b.len && b.s[b.len - 1] == ' ')
			b.s[--b.len] = '\0';
		if (b.len >= 2 && b.s[b.len - 1] == '*' && b.s[b.len - 2] == ' ')
			b.s[--b.len] = '\0';
		else
			break;
	}
	BJ_GROW(nm->v, nm->cap, nm->n + 1);
	struct nline *ln = &nm->v[nm->n++];
	memset(ln, 0, sizeof(*ln));
	ln->text = text_buf_detach(&b);
	size_t ind = 0;
	while (ln->text[ind] == ' ')
		ind++;
	ln->s = ln->text + ind;
	ln->n = strlen(ln->s);
	ln->indent = (int)ind;
	ln->width = (int)bj_utf8_count(ln->s, ln->n);
	ln->no = no;
	ln->page_break = page_break;
	ln->cls = -1;
}

static int split(struct norm *nm, const char *text, size_t len)
{
	size_t bad;
	if (memchr(text, '\0', len)) {
		size_t at = (size_t)((const char *)memchr(text, '\0', len) - text);
		int no = 1;
		for (size_t i = 0; i < at; i++)
			no += text[i] == '\n';
		return bj_error_set(BJ_EFORMAT, "'%s': line %d: NUL byte", nm->name, no);
	}
	if (!bj_utf8_validate(text, len, &bad)) {
		int no = 1;
		for (size_t i = 0; i < bad; i++)
			no += text[i] == '\n' || (text[i] == '\r' && (i + 1 >= len || text[i + 1] != '\n'));
		return bj_error_set(BJ_EFORMAT, "'%s': line %d: invalid UTF-8", nm->name, no);
	}
	size_t start = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		start = 3;
	int no = 1;
	bool page_break = false;
	for (size_t i = start; i <= len; i++) {
		bool end = i == len;
		if (!end && text[i] != '\n' && text[i] != '\r' && text[i] != '\f')
			continue;
		if (end && start == len)
			break;
		add_line(nm, text + start, i - start, no, page_break);
		page_break = false;
		if (!end && text[i] == '\f') {
			page_break = true;
			/* a form feed alone on its line is only the break */
			if (i == start && nm->n) {
				free(nm->v[nm->n - 1].text);
				nm->n--;
			}
		} else {
			no++;
			if (!end && text[i] == '\r' && i + 1 < len && text[i + 1] == '\n')
				i++;
		}
		start = i + 1;
	}
	return 0;
}

static bool blank(const struct nline *ln)
{
	return ln->n == 0;
}

static bool furniture(const struct nline *ln)
{
	return ln->cls == TEXT_NORM_PAGE_NUMBER || ln->cls == TEXT_NORM_CONTINUED ||
	       ln->cls == TEXT_NORM_HEADER;
}

/* A line that is neither blank nor page furniture nor a scene number. */
static bool content(const struct norm *nm, size_t i)
{
	return i < nm->n && !blank(&nm->v[i]) && !furniture(&nm->v[i]) &&
	       nm->v[i].cls != TEXT_NORM_SCENE_NUMBER;
}

/* ---------------------------------------------------------------- patterns */

/* "12", "12A", "A12", "a14", "12.", "112AB." */
static bool number_token(const char *s, size_t n)
{
	size_t i = 0;
	if (n && s[n - 1] == '.')
		n--;
	if (i < n && is_alpha(s[i]) && n > 1 && is_digit(s[i + 1]))
		i++;
	size_t d = i;
	while (i < n && is_digit(s[i]))
		i++;
	if (i == d || i - d > 4)
		return false;
	size_t a = i;
	while (i < n && is_alpha(s[i]))
		i++;
	return i == n && i - a <= 2;
}

/* A page number: "12", "12.", "a14", "- 12 -", "(12)", "Page 12", "p. 12". */
static bool page_number_text(const char *s, size_t n)
{
	while (n && (*s == '-' || *s == '(' || *s == '[' || *s == ' ')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == '-' || s[n - 1] == ')' || s[n - 1] == ']' || s[n - 1] == ' '))
		n--;
	if (n > 5 && strncasecmp(s, "page ", 5) == 0) {
		s += 5;
		n -= 5;
	} else if (n > 3 && strncasecmp(s, "p. ", 3) == 0) {
		s += 3;
		n -= 3;
	}
	return n > 0 && number_token(s, n);
}

/* Upper-cases s (ASCII) into a new buffer with punctuation ():.,-* removed and
 * scene-number tokens dropped, words separated by one space. */
static char *bare_words(const char *s, size_t n)
{
	text_buf b = { 0 };
	size_t i = 0;
	while (i < n) {
		while (i < n && (s[i] == ' ' || strchr("():.,-*", s[i])))
			i++;
		size_t w = i;
		while (i < n && s[i] != ' ' && !strchr("():,*", s[i]))
			i++;
		size_t e = i;
		while (e > w && (s[e - 1] == '.' || s[e - 1] == '-'))
			e--;
		if (e == w || number_token(s + w, e - w))
			continue;
		if (b.len)
			text_buf_addc(&b, ' ');
		for (size_t k = w; k < e; k++)
			text_buf_addc(&b, to_upper(s[k]));
	}
	return text_buf_detach(&b);
}

/* "(CONTINUED)", "CONTINUED:", "12 CONTINUED: (2) 12", "(MORE)", "(CONT'D)". */
static bool continued_text(const char *s, size_t n)
{
	if (n > 100)
		return false;
	char *w = bare_words(s, n);
	bool yes = strcmp(w, "CONTINUED") == 0 || strcmp(w, "CONTINUED ON NEXT PAGE") == 0 ||
	           strcmp(w, "CONTINUED NEXT PAGE") == 0 || strcmp(w, "CONT'D") == 0 ||
	           strcmp(w, "CONTINUING") == 0;
	if (!yes && n && s[0] == '(')
		yes = strcmp(w, "MORE") == 0 || strcmp(w, "CONTD") == 0 || strcmp(w, "CONT") == 0;
	free(w);
	return yes;
}

/* Letters: whether s has an ASCII capital and no ASCII small letter. */
static bool all_caps(const char *s, size_t n)
{
	bool cap = false;
	for (size_t i = 0; i < n; i++) {
		if (is_lower(s[i]))
			return false;
		cap |= is_upper(s[i]);
	}
	return cap;
}

static size_t count_if(const char *s, size_t n, bool (*f)(char))
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += f(s[i]);
	return k;
}

/* INT. / EXT. / EST. / INT./EXT. / I/E ... at the start, in capitals. */
static bool heading_keyword(const char *s, size_t n)
{
	static const char *const kw[] = {
		"INT./EXT.", "EXT./INT.", "INT/EXT.", "EXT/INT.", "INT/EXT", "EXT/INT", "I/E.", "I/E",
		"E/I", "INT.", "EXT.", "EST.", "INTERIOR", "EXTERIOR", "INT", "EXT", "EST",
	};
	for (size_t k = 0; k < BJ_ARRAY_SIZE(kw); k++) {
		size_t m = strlen(kw[k]);
		if (n < m || memcmp(s, kw[k], m) != 0)
			continue;
		if (m == n)
			return kw[k][m - 1] == '.';
		char c = s[m];
		if (c == ' ' || c == ':' || c == '-' || c == '/' || (c == '.' && kw[k][m - 1] != '.'))
			return true;
	}
	return false;
}

/* A heading without INT/EXT: capitals ending in " - DAY", " -- NIGHT", ... */
static bool time_of_day_heading(const char *s, size_t n)
{
	static const char *const times[] = {
		"DAY", "NIGHT", "MORNING", "EVENING", "DUSK", "DAWN", "CONTINUOUS", "LATER",
		"MOMENTS LATER", "SAME", "SAME TIME", "SUNSET", "SUNRISE", "AFTERNOON", "NOON",
		"MIDNIGHT", "PRE-DAWN", "MAGIC HOUR", "TWILIGHT",
	};
	if (!all_caps(s, n) || n > 80)
		return false;
	size_t d = n;
	while (d > 0 && s[d - 1] != '-')
		d--;
	if (d < 3 || (s[d - 2] != ' ' && s[d - 2] != '-'))
		return false;
	size_t a = d;
	while (a < n && s[a] == ' ')
		a++;
	size_t e = n;
	while (e > a && (s[e - 1] == ')' || s[e - 1] == '.'))
		e--;
	for (size_t k = 0; k < BJ_ARRAY_SIZE(times); k++)
		if (strlen(times[k]) == e - a && memcmp(s + a, times[k], e - a) == 0)
			return true;
	return false;
}

/* Splits a heading line into its text and scene numbers: "12  INT. HALL - DAY  12".
 * Returns whether the line is a heading by its keyword; [*a, *b) is the text. */
static bool heading_parts(const char *s, size_t n, size_t *a, size_t *b, char **number)
{
	*number = NULL;
	/* a number first, and one last after two spaces or more */
	size_t w = 0;
	while (w < n && s[w] != ' ')
		w++;
	size_t lead = w < n && number_token(s, w) ? w : 0;
	size_t i = lead;
	while (lead && i < n && s[i] == ' ')
		i++;
	size_t e = n, t = n;
	while (t > i && s[t - 1] != ' ')
		t--;
	size_t trail = t > i + 2 && s[t - 2] == ' ' && number_token(s + t, n - t) ? t : 0;
	if (trail) {
		e = t;
		while (e > i && s[e - 1] == ' ')
			e--;
	}
	/* the same number on both sides marks a heading whatever it says
	 * ("12  ON A DEEP DARKNESS  12"); else it needs its INT./EXT. */
	bool numbered = lead && trail && lead == n - trail && memcmp(s, s + trail, lead) == 0 && e > i;
	if (!numbered && !heading_keyword(s + i, e - i))
		return false;
	if (lead || trail) {
		const char *src = lead ? s : s + trail;
		size_t m = lead ? lead : n - trail;
		if (m && src[m - 1] == '.')
			m--;
		*number = bj_xmalloc(m + 1);
		memcpy(*number, src, m);
		(*number)[m] = '\0';
	}
	/* a lower-case heading is prose that starts with "Int" */
	size_t lower = 0, upper = 0;
	for (size_t k = i; k < e; k++) {
		lower += is_lower(s[k]);
		upper += is_upper(s[k]);
	}
	if (lower > upper) {
		free(*number);
		*number = NULL;
		return false;
	}
	*a = i;
	*b = e;
	return true;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* "cut to", "Dissolve to:" and the like in any case. */
static bool lower_transition(const char *s, size_t n)
{
	static const char *const starts[] = {
		"cut to", "dissolve to", "smash cut to", "match cut to", "fade to", "jump cut to",
		"wipe to", "back to", "cut back to", "flash cut to",
	};
	while (n && (s[n - 1] == ':' || s[n - 1] == '.'))
		n--;
	for (size_t k = 0; k < BJ_ARRAY_SIZE(starts); k++)
		if (strlen(starts[k]) == n && strncasecmp(s, starts[k], n) == 0)
			return true;
	return false;
}

static bool known_transition(const char *s, size_t n)
{
	static const char *const t[] = {
		"FADE OUT.", "FADE OUT", "FADE OUT:", "FADE TO BLACK.", "FADE TO BLACK", "CUT TO BLACK.",
		"CUT TO BLACK", "SMASH CUT:", "CUT:", "DISSOLVE:", "FADE IN:", "FADE IN", "FADE IN.",
		"IRIS OUT.", "WIPE:",
	};
	for (size_t k = 0; k < BJ_ARRAY_SIZE(t); k++)
		if (strlen(t[k]) == n && memcmp(s, t[k], n) == 0)
			return true;
	return false;
}

/* The name part of a cue-like line: capitals, a few words, before any '('. */
static bool cue_text(const char *s, size_t n, int width)
{
	if (!n || width > MAX_CUE)
		return false;
	size_t e = 0;
	while (e < n && s[e] != '(')
		e++;
	while (e > 0 && s[e - 1] == ' ')
		e--;
	if (!e || e > 38 || !all_caps(s, e))
		return false;
	char last = s[e - 1];
	if (last == '!' || last == '?' || last == ',' || last == ';' || last == ':' || last == '-')
		return false;
	if (!is_alpha(s[0]) && !is_digit(s[0]) && s[0] != '#' && s[0] != '\'' && s[0] != '"')
		return false;
	int words = 1;
	for (size_t i = 0; i < e; i++)
		words += s[i] == ' ' && i + 1 < e && s[i + 1] != ' ';
	if (words > 5)
		return false;
	if (heading_keyword(s, n) || ends_with(s, n, "TO:") || known_transition(s, n))
		return false;
	/* a closing parenthesis where one was opened */
	for (size_t i = e; i < n; i++)
		if (s[i] == '(' && !memchr(s + i, ')', n - i))
			return false;
	return true;
}

/* ----------------------------------------------------------- furniture pass */

/* The key of a line for repeat counting: its text with every run of digits
 * as '#', runs of spaces as one and no final full stops; *digits hashes the
 * digits themselves. */
static char *repeat_key(const char *s, size_t n, uint64_t *digits)
{
	text_buf b = { 0 };
	text_buf d = { 0 };
	for (size_t i = 0; i < n; i++) {
		if (is_digit(s[i])) {
			text_buf_addc(&d, s[i]);
			if (!b.len || b.s[b.len - 1] != '#')
				text_buf_addc(&b, '#');
			continue;
		}
		if (s[i] == ' ' && b.len && b.s[b.len - 1] == ' ')
			continue;
		if (d.len && d.s[d.len - 1] != ',')
			text_buf_addc(&d, ',');
		text_buf_addc(&b, s[i]);
	}
	*digits = hash_bytes(d.s ? d.s : "", d.len);
	text_buf_release(&d);
	/* "2/12/09 39." and "2/12/09 39" are the same header */
	while (b.len && b.s[b.len - 1] == '.')
		b.s[--b.len] = '\0';
	return text_buf_detach(&b);
}

/* The nearest line before (dir -1) or after (+1) i that is not blank, within
 * 3 lines; n when none. */
static size_t neighbour(const struct norm *nm, size_t i, int dir)
{
	for (int k = 1; k <= 3; k++) {
		if (dir < 0 && i < (size_t)k)
			return nm->n;
		size_t j = dir < 0 ? i - (size_t)k : i + (size_t)k;
		if (j >= nm->n)
			return nm->n;
		if (!blank(&nm->v[j]))
			return j;
	}
	return nm->n;
}

static bool blank_or_edge(const struct norm *nm, size_t i, int dir)
{
	if (dir < 0)
		return i == 0 || blank(&nm->v[i - 1]) || nm->v[i].page_break;
	return i + 1 >= nm->n || blank(&nm->v[i + 1]) || nm->v[i + 1].page_break;
}

static void mark_furniture(struct norm *nm)
{
	/* the right edge of the text: the commonest end column of long lines */
	size_t h[HIST] = { 0 };
	for (size_t i = 0; i < nm->n; i++)
		if (nm->v[i].width >= LONG_LINE)
			h[clamp_hist(nm->v[i].indent + nm->v[i].width)]++;
	int right = hist_quantile(h, HIST, 0.9);
	if (right < 0)
		right = 70;

	for (size_t i = 0; i < nm->n; i++) {
		struct nline *ln = &nm->v[i];
		if (blank(ln))
			continue;
		if (continued_text(ln->s, ln->n)) {
			ln->cls = TEXT_NORM_CONTINUED;
			continue;
		}
		if (!page_number_text(ln->s, ln->n))
			continue;
		bool isolated = blank_or_edge(nm, i, -1) && blank_or_edge(nm, i, +1);
		bool far_right = ln->indent >= 40 || ln->indent + ln->width >= right - 4;
		/* a number over a heading or a CONTINUED line is a scene number */
		if (!blank_or_edge(nm, i, +1) && !far_right) {
			const struct nline *nx = &nm->v[i + 1];
			size_t a, b;
			char *num;
			if (heading_parts(nx->s, nx->n, &a, &b, &num) || continued_text(nx->s, nx->n) ||
			    time_of_day_heading(nx->s, nx->n)) {
				free(num);
				ln->cls = TEXT_NORM_SCENE_NUMBER;
				continue;
			}
		}
		if (isolated || far_right)
			ln->cls = TEXT_NORM_PAGE_NUMBER;
	}

	/* headers and footers: lines that come back with a changing number, or
	 * next to page numbers */
	struct table t = { 0 };
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < nm->n; i++) {
			struct nline *ln = &nm->v[i];
			if (blank(ln) || ln->cls >= 0 || ln->n > 80)
				continue;
			uint64_t dig;
			char *key = repeat_key(ln->s, ln->n, &dig);
			struct entry *e = table_find(&t, key, strlen(key), pass == 0);
			free(key);
			if (!e)
				continue;
			if (pass == 0) {
				e->count++;
				if (strchr(e->key, '#')) {
					bool seen = false;
					for (int k = 0; k < e->n_digits; k++)
						seen |= e->digits[k] == dig;
					if (!seen && e->n_digits < 3)
						e->digits[e->n_digits++] = dig;
				}
				size_t p = neighbour(nm, i, -1), q = neighbour(nm, i, +1);
				if ((p < nm->n && nm->v[p].cls == TEXT_NORM_PAGE_NUMBER) ||
				    (q < nm->n && nm->v[q].cls == TEXT_NORM_PAGE_NUMBER) ||
				    ln->page_break)
					e->near_page++;
				continue;
			}
			bool numbered = e->n_digits >= 3 && e->count >= 4;
			bool at_pages = e->count >= 4 && e->near_page * 4 >= e->count * 3;
			/* a cue or a heading comes back too, but not beside page numbers */
			size_t a, b;
			char *num = NULL;
			bool heading = heading_parts(ln->s, ln->n, &a, &b, &num);
			free(num);
			if (heading)
				continue;
			bool letters = count_if(ln->s, ln->n, is_alpha) > 0;
			/* "GUARD #2" comes back with other numbers too */
			if (numbered && !cue_text(ln->s, ln->n, ln->width) &&
			    (!letters || e->near_page * 2 >= e->count || e->count >= 10))
				ln->cls = TEXT_NORM_HEADER;
			else if (at_pages)
				ln->cls = TEXT_NORM_HEADER;
		}
	}
	table_release(&t);
}

/* ------------------------------------------------------------ margins, levels */

static void learn_margins(struct norm *nm)
{
	size_t all[HIST] = { 0 };
	for (size_t i = 0; i < nm->n; i++)
		if (content(nm, i) && nm->v[i].width >= LONG_LINE)
			all[clamp_hist(nm->v[i].indent)]++;
	int global = hist_mode(all, HIST);
	if (global < 0) {
		/* no long lines (a scrap of a script): the smallest indent that a
		 * tenth of the lines share */
		size_t any[HIST] = { 0 }, k = 0;
		for (size_t i = 0; i < nm->n; i++)
			if (content(nm, i)) {
				any[clamp_hist(nm->v[i].indent)]++;
				k++;
			}
		for (int c = 0; c < HIST && global < 0; c++)
			if (any[c] >= 2 && any[c] * 10 >= k)
				global = c;
	}
	if (global < 0)
		global = 0;
	nm->margin = global;

	/* pages: runs of lines between page numbers, headers or form feeds */
	size_t start = 0;
	while (start < nm->n) {
		size_t end = start + 1;
		while (end < nm->n && !nm->v[end].page_break && nm->v[end].cls != TEXT_NORM_PAGE_NUMBER &&
		       nm->v[end].cls != TEXT_NORM_HEADER)
			end++;
		size_t h[HIST] = { 0 }, k = 0;
		for (size_t i = start; i < end; i++)
			if (content(nm, i) && nm->v[i].width >= LONG_LINE) {
				h[clamp_hist(nm->v[i].indent)]++;
				k++;
			}
		int m = k >= 3 ? hist_mode(h, HIST) : global;
		/* a page's margin moves by a few columns at most */
		if (m < global - 12 || m > global + 12)
			m = global;
		for (size_t i = start; i < end; i++)
			nm->v[i].margin = m;
		start = end;
	}
}

static int rel(const struct norm *nm, size_t i)
{
	return nm->v[i].indent - nm->v[i].margin;
}

static bool starts_paren(const struct nline *ln)
{
	return ln->n && ln->s[0] == '(';
}

/* The line under a cue-like line i: the next one, or in a file that puts a
 * blank line between cue and speech the one after it; nm->n when none. */
static size_t cue_next(const struct norm *nm, size_t i)
{
	if (content(nm, i + 1))
		return i + 1;
	/* a blank line between: where the file does so, or before a parenthetical */
	if (i + 1 < nm->n && blank(&nm->v[i + 1]) && content(nm, i + 2) &&
	    (nm->cue_gap || starts_paren(&nm->v[i + 2])))
		return i + 2;
	return nm->n;
}

/* A cue candidate for learning: capitals, indented, a line under it that is
 * less indented (or as much, and not in capitals: cue and speech aligned). */
static bool cue_shape(const struct norm *nm, size_t i)
{
	const struct nline *ln = &nm->v[i];
	if (!content(nm, i) || rel(nm, i) < 5)
		return false;
	size_t j = cue_next(nm, i);
	if (j >= nm->n)
		return false;
	const struct nline *nx = &nm->v[j];
	if (nx->indent > ln->indent ||
	    (nx->indent == ln->indent && all_caps(nx->s, nx->n) && !starts_paren(nx)))
		return false;
	return cue_text(ln->s, ln->n, ln->width);
}

static void learn_levels(struct norm *nm)
{
	size_t hc[HIST] = { 0 }, hd[HIST] = { 0 }, hp[HIST] = { 0 }, hw[HIST] = { 0 };
	/* a blank line between cue and speech (some scrapes are double-spaced) */
	size_t direct = 0, gapped = 0;
	for (size_t i = 0; i + 1 < nm->n; i++)
		direct += cue_shape(nm, i);
	nm->cue_gap = true;
	for (size_t i = 0; i + 1 < nm->n; i++)
		gapped += cue_shape(nm, i);
	nm->cue_gap = gapped >= 2 * direct + 10;
	for (size_t i = 0; i + 1 < nm->n; i++)
		if (cue_shape(nm, i))
			hc[clamp_hist(rel(nm, i))]++;
	nm->cue_level = hist_mode(hc, HIST);
	nm->have_levels = nm->cue_level >= 0;
	if (!nm->have_levels)
		return;
	for (size_t i = 0; i + 1 < nm->n; i++) {
		if (!cue_shape(nm, i) || abs(rel(nm, i) - nm->cue_level) > 4)
			continue;
		size_t j = cue_next(nm, i);
		const struct nline *nx = &nm->v[j];
		if (starts_paren(nx)) {
			hp[clamp_hist(rel(nm, j))]++;
			continue;
		}
		hd[clamp_hist(rel(nm, j))]++;
		if (content(nm, j + 1) && !starts_paren(&nm->v[j + 1]))
			hw[clamp_hist(nx->width)]++;
	}
	nm->dlg_level = hist_mode(hd, HIST);
	if (nm->dlg_level < 0)
		nm->dlg_level = 0;
	nm->paren_level = hist_mode(hp, HIST);
	if (nm->paren_level < 0)
		nm->paren_level = nm->dlg_level;
	nm->flat = nm->dlg_level <= 2;
	nm->dlg_wrap = hist_quantile(hw, HIST, 0.9);
	if (nm->dlg_wrap < 25)
		nm->dlg_wrap = 35;
	if (nm->flat) {
		nm->cue_lo = nm->cue_level / 2;
		if (nm->cue_lo < 4)
			nm->cue_lo = 4;
		nm->dlg_lo = 0;
	} else {
		nm->cue_lo = (nm->dlg_level + nm->cue_level + 1) / 2;
		nm->dlg_lo = (nm->dlg_level + 1) / 2;
	}
}

/* A cue in the body: a cue candidate at the cue level, with dialogue or a
 * parenthetical under it where they stand. */
static bool is_cue(const struct norm *nm, size_t i)
{
	if (!nm->have_levels || !cue_shape(nm, i))
		return false;
	int r = rel(nm, i);
	if (r < nm->cue_lo || r > nm->cue_level + 20)
		return false;
	size_t j = cue_next(nm, i);
	const struct nline *nx = &nm->v[j];
	int rn = rel(nm, j);
	if (starts_paren(nx))
		return true;
	return rn <= nm->dlg_level + 4 && rn >= nm->dlg_level - 4;
}

static bool alone(const struct norm *nm, size_t i)
{
	return !content(nm, i + 1) && (i == 0 || !content(nm, i - 1));
}

static bool is_transition(const struct norm *nm, size_t i)
{
	const struct nline *ln = &nm->v[i];
	if (!alone(nm, i))
		return false;
	if (all_caps(ln->s, ln->n) && ln->width <= 30 && ends_with(ln->s, ln->n, "TO:"))
		return true;
	if (lower_transition(ln->s, ln->n))
		return true;
	if (known_transition(ln->s, ln->n) && strncmp(ln->s, "FADE IN", 7) != 0)
		return rel(nm, i) >= 20;
	/* capitals alone ending in '.' or ':', further right than any cue:
	 * right-aligned ("BURN TO PINK.") */
	return nm->have_levels && all_caps(ln->s, ln->n) && ln->width <= 30 &&
	       (ln->s[ln->n - 1] == '.' || ln->s[ln->n - 1] == ':') &&
	       rel(nm, i) >= nm->cue_level + 10;
}

static bool is_heading(const struct norm *nm, size_t i)
{
	const struct nline *ln = &nm->v[i];
	size_t a, b;
	char *num;
	if (nm->have_levels && rel(nm, i) >= nm->cue_lo)
		return false;
	if (heading_parts(ln->s, ln->n, &a, &b, &num)) {
		free(num);
		return true;
	}
	return rel(nm, i) <= 3 && !content(nm, i + 1) && time_of_day_heading(ln->s, ln->n);
}

static bool is_centered(const struct norm *nm, size_t i)
{
	const struct nline *ln = &nm->v[i];
	int r = rel(nm, i);
	if (r < 6)
		return false;
	/* the centre of the action column, 60 columns wide */
	int twice_centre = 2 * r + ln->width;
	return twice_centre >= 60 - 6 && twice_centre <= 60 + 6;
}

/* --------------------------------------------------------------- elements */

/* Keeps Fountain's reading of a speech line: a parenthetical is "(...)" (one
 * is closed where a scan lost its ')'), dialogue that is "(...)" is one, and
 * dialogue that starts with '~' is not lyrics. */
static void fountain_speech(text_buf *b, text_element_type *type)
{
	if (*type == TEXT_PARENTHETICAL && (!b->len || b->s[b->len - 1] != ')'))
		text_buf_addc(b, ')');
	if (*type == TEXT_DIALOGUE && memchr(b->s, '\n', b->len)) {
		/* a line of it that is "(...)" would read as a parenthetical: make
		 * the speech one line */
		bool paren_line = false;
		for (size_t i = 0; i < b->len; i++)
			if ((i == 0 || b->s[i - 1] == '\n') && b->s[i] == '(') {
				size_t e = i;
				while (e < b->len && b->s[e] != '\n')
					e++;
				paren_line |= b->s[e - 1] == ')';
			}
		for (size_t i = 0; paren_line && i < b->len; i++)
			if (b->s[i] == '\n')
				b->s[i] = ' ';
	}
	if (*type == TEXT_DIALOGUE && b->len >= 2 && b->s[0] == '(' && b->s[b->len - 1] == ')' &&
	    !memchr(b->s, '\n', b->len))
		*type = TEXT_PARENTHETICAL;
	/* a '~' that starts a line of dialogue would make it lyrics: escape it */
	if (*type == TEXT_DIALOGUE && b->len && (b->s[0] == '~' || strstr(b->s, "\n~"))) {
		text_buf e = { 0 };
		for (size_t i = 0; i < b->len; i++) {
			if (b->s[i] == '~' && (i == 0 || b->s[i - 1] == '\n'))
				text_buf_addc(&e, '\\');
			text_buf_addc(&e, b->s[i]);
		}
		text_buf_release(b);
		*b = e;
	}
}

static void flush(struct norm *nm)
{
	if (!nm->pending)
		return;
	text_buf *b = &nm->pbuf;
	fountain_speech(b, &nm->ptype);
	text_element *e = text_screenplay_add(nm->sp, nm->ptype, b->s ? b->s : "");
	e->line = nm->pline;
	nm->rep->elements[nm->ptype]++;
	text_buf_release(b);
	nm->pending = false;
	nm->paren_open = false;
}

/* Appends a line's text with runs of spaces made one. */
static void add_squeezed(text_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' && i > 0 && s[i - 1] == ' ')
			continue;
		text_buf_addc(b, s[i]);
	}
}

static void start_text(struct norm *nm, text_element_type type, int line_no, const char *s,
                       size_t n)
{
	flush(nm);
	nm->pending = true;
	nm->ptype = type;
	nm->pline = line_no;
	add_squeezed(&nm->pbuf, s, n);
}

static void start(struct norm *nm, text_element_type type, size_t i)
{
	start_text(nm, type, nm->v[i].no, nm->v[i].s, nm->v[i].n);
}

/* The word of letters (and inner hyphens) that ends at s[n) or starts at s. */
static void vocab_add_words(struct table *t, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && !is_alpha(s[i]))
			i++;
		size_t w = i;
		while (i < n && (is_alpha(s[i]) || ((s[i] == '-' || s[i] == '\'') && i + 1 < n &&
		                                    is_alpha(s[i + 1]) && i > w)))
			i++;
		if (i > w && i - w < 64) {
			char word[64];
			for (size_t k = w; k < i; k++)
				word[k - w] = to_lower(s[k]);
			struct entry *e = table_find(t, word, i - w, true);
			e->count++;
		}
	}
}

static bool vocab_has(struct table *t, const char *w, size_t n)
{
	char word[128] = { 0 };
	if (n >= sizeof(word))
		return false;
	for (size_t k = 0; k < n; k++)
		word[k] = to_lower(w[k]);
	return table_find(t, word, n, false) != NULL;
}

/* Joins a wrapped line to the text being built: a space between, except
 * after a hyphen at a word's end (kept, or dropped when the file spells the
 * joined word without it and never with it). */
static void join_text(struct norm *nm, const char *s, size_t n)
{
	text_buf *b = &nm->pbuf;
	if (b->len >= 2 && b->s[b->len - 1] == '-' && is_alpha(b->s[b->len - 2]) && n &&
	    is_alpha(s[0])) {
		size_t a = b->len - 1;
		while (a > 0 && is_alpha(b->s[a - 1]))
			a--;
		size_t e = 0;
		while (e < n && is_alpha(s[e]))
			e++;
		char word[128], hyph[128];
		size_t left = b->len - 1 - a;
		if (left + e + 1 < sizeof(word)) {
			memcpy(word, b->s + a, left);
			memcpy(word + left, s, e);
			memcpy(hyph, b->s + a, left + 1);
			memcpy(hyph + left + 1, s, e);
			if (vocab_has(&nm->vocab, word, left + e) &&
			    !vocab_has(&nm->vocab, hyph, left + 1 + e))
				b->s[--b->len] = '\0';
		}
		add_squeezed(b, s, n);
		return;
	}
	if (b->len && n)
		text_buf_addc(b, ' ');
	add_squeezed(b, s, n);
}

static void join(struct norm *nm, size_t i)
{
	join_text(nm, nm->v[i].s, nm->v[i].n);
}

/* Whether text ends mid-sentence, so a paragraph cut by a page break goes on. */
static bool mid_sentence(const text_buf *b, const struct nline *next)
{
	if (!b->len || all_caps(b->s, b->len))
		return false;
	if (next->n && is_lower(next->s[0]))
		return true;
	char c = b->s[b->len - 1];
	return is_alpha(c) || is_digit(c) || c == ',' || c == ';';
}

static char *speaker_name(const char *s, size_t n)
{
	char *cue = bj_xmalloc(n + 1);
	memcpy(cue, s, n);
	cue[n] = '\0';
	char *name = text_character_name(cue);
	free(cue);
	return name;
}

static void set_class(struct norm *nm, size_t i, int cls)
{
	nm->v[i].cls = cls;
}

/* Reads a speech line (dialogue or parenthetical) at i. */
static void speech_line(struct norm *nm, size_t i)
{
	const struct nline *ln = &nm->v[i];
	nm->fresh = false;
	nm->last_width = ln->width;
	bool in_paren = nm->pending && nm->ptype == TEXT_PARENTHETICAL && nm->paren_open;
	/* a '(' at the dialogue's indent, in a file whose parentheticals stand
	 * deeper, is dialogue wrapped there: "He isn't\n(grunt) dead" */
	bool wrapped = nm->pending && nm->ptype == TEXT_DIALOGUE && !nm->flat &&
	               nm->paren_level > nm->dlg_level + 2 && abs(rel(nm, i) - nm->dlg_level) <= 1;
	if (in_paren || (starts_paren(ln) && !wrapped)) {
		/* the parenthetical ends at its closing ')'; what follows on the
		 * line is dialogue: "(gasp) Where am I?" */
		if (!in_paren) {
			flush(nm);
			nm->pending = true;
			nm->ptype = TEXT_PARENTHETICAL;
			nm->pline = ln->no;
			nm->paren_depth = 0;
		}
		size_t k = 0;
		while (k < ln->n) {
			char c = ln->s[k++];
			if (c == '(')
				nm->paren_depth++;
			else if (c == ')' && nm->paren_depth > 0 && --nm->paren_depth == 0)
				break;
		}
		join_text(nm, ln->s, k);
		nm->paren_open = nm->paren_depth > 0;
		set_class(nm, i, TEXT_NORM_PARENTHETICAL);
		while (k < ln->n && strchr(" .,;:", ln->s[k]))
			k++;
		if (k < ln->n) {
			flush(nm);
			start_text(nm, TEXT_DIALOGUE, ln->no, ln->s + k, ln->n - k);
		}
		return;
	}
	if (nm->pending && nm->ptype == TEXT_DIALOGUE)
		join(nm, i);
	else
		start(nm, TEXT_DIALOGUE, i);
	set_class(nm, i, TEXT_NORM_DIALOGUE);
}

/* Whether line i, right under a speech line, goes on with the speech. */
static bool speech_goes_on(struct norm *nm, size_t i)
{
	const struct nline *ln = &nm->v[i];
	if (nm->pending && nm->ptype == TEXT_PARENTHETICAL && nm->paren_open)
		return true;
	if (is_heading(nm, i) || is_transition(nm, i))
		return false;
	if (!nm->flat)
		return rel(nm, i) >= nm->dlg_lo;
	if (rel(nm, i) > 3 && !starts_paren(ln))
		return false;
	/* the first line under a cue or a parenthetical is the speech's */
	if (nm->fresh || starts_paren(ln) || !nm->pending || nm->ptype != TEXT_DIALOGUE)
		return true;
	if (ln->width > nm->dlg_wrap + 3)
		return false;
	if (is_lower(ln->s[0]))
		return true;
	/* a line the one above had room for starts a new paragraph: action */
	int first = 0;
	while ((size_t)first < ln->n && ln->s[first] != ' ')
		first++;
	return nm->last_width + 1 + first > nm->dlg_wrap - 2;
}

/* Where text at column min_col or further starts after a gap of two spaces
 * or more (or at the line's start): the right column of a line of dual
 * dialogue.  Returns a byte offset in ln->text, its length when there is none. */
static size_t right_part(const struct nline *ln, int min_col)
{
	const char *t = ln->text;
	size_t len = strlen(t);
	int col = 0;
	for (size_t i = 0; i < len;) {
		if (t[i] != ' ' && col >= min_col &&
		    (i == 0 || (i >= 2 && t[i - 1] == ' ' && t[i - 2] == ' ')))
			return i;
		uint32_t cp;
		int k = bj_utf8_decode(t + i, len - i, &cp);
		i += k > 0 ? (size_t)k : 1;
		col++;
	}
	return len;
}

/* Two cues on one line, far apart, with speech under them: dual dialogue.
 * Stores the byte offset and column of the right cue. */
static bool dual_cue(const struct norm *nm, size_t i, size_t *at, int *col)
{
	const struct nline *ln = &nm->v[i];
	if (!nm->have_levels || !content(nm, i + 1) || rel(nm, i) < 0)
		return false;
	size_t gap = 0;
	while (gap + 4 <= ln->n && memcmp(ln->s + gap, "    ", 4) != 0)
		gap++;
	if (gap + 4 > ln->n)
		return false;
	size_t r = gap;
	while (r < ln->n && ln->s[r] == ' ')
		r++;
	if (!cue_text(ln->s, gap, (int)bj_utf8_count(ln->s, gap)) ||
	    !cue_text(ln->s + r, ln->n - r, (int)bj_utf8_count(ln->s + r, ln->n - r)))
		return false;
	if (memchr(ln->s + r, ' ', ln->n - r) && strstr(ln->s + r, "    "))
		return false; /* three of them: a table, not speech */
	*at = (size_t)(ln->s - ln->text) + r;
	*col = ln->indent + (int)bj_utf8_count(ln->s, r);
	return true;
}

/* One side of dual dialogue: a cue and its lines. */
static void dual_side(struct norm *nm, const char *cue, size_t cue_n, bool right,
                      text_buf *lines, size_t n, int line_no)
{
	text_buf t = { 0 };
	add_squeezed(&t, cue, cue_n);
	text_element *e = text_screenplay_add(nm->sp, TEXT_CHARACTER, t.s);
	e->dual = right;
	e->line = line_no;
	nm->rep->elements[TEXT_CHARACTER]++;
	text_buf_release(&t);
	text_element_type type = TEXT_DIALOGUE;
	bool open = false;
	for (size_t k = 0; k <= n; k++) {
		const char *s = k < n && lines[k].s ? lines[k].s : "";
		size_t len = k < n ? lines[k].len : 0;
		bool paren = len && s[0] == '(';
		bool ends = k == n || (t.len && !open) || paren || (type == TEXT_PARENTHETICAL && !open);
		if (ends && t.len) {
			fountain_speech(&t, &type);
			e = text_screenplay_add(nm->sp, type, t.s);
			e->line = line_no + 1;
			nm->rep->elements[type]++;
			text_buf_release(&t);
		}
		if (k == n)
			break;
		if (!len)
			continue;
		if (!t.len)
			type = paren ? TEXT_PARENTHETICAL : TEXT_DIALOGUE;
		else
			text_buf_addc(&t, ' ');
		add_squeezed(&t, s, len);
		open = type == TEXT_DIALOGUE || s[len - 1] != ')';
	}
	text_buf_release(&t);
}

/* Reads the dual dialogue whose cues are on line i; returns its last line. */
static size_t read_dual(struct norm *nm, size_t i, size_t at, int col)
{
	size_t end = i + 1;
	while (content(nm, end))
		end++;
	size_t n = end - i - 1;
	/* the right column starts as far left of its cue as the left one does */
	int left_edge = nm->v[i].indent;
	for (size_t j = i + 1; j < end; j++)
		if (nm->v[j].indent < left_edge)
			left_edge = nm->v[j].indent;
	int min_col = col - (nm->v[i].indent - left_edge) - 2;
	text_buf *left = bj_xcalloc(n + 1, sizeof(*left)), *right = bj_xcalloc(n + 1, sizeof(*right));
	for (size_t j = i + 1; j < end; j++) {
		const struct nline *ln = &nm->v[j];
		size_t rp = right_part(ln, min_col);
		size_t a = 0;
		while (a < rp && ln->text[a] == ' ')
			a++;
		size_t b = rp;
		while (b > a && ln->text[b - 1] == ' ')
			b--;
		text_buf_add(&left[j - i - 1], ln->text + a, b - a);
		text_buf_adds(&right[j - i - 1], ln->text + rp);
		nm->v[j].cls = TEXT_NORM_DIALOGUE;
	}
	const struct nline *c = &nm->v[i];
	size_t gap = 0;
	while (c->s[gap] && memcmp(c->s + gap, "    ", 4) != 0)
		gap++;
	flush(nm);
	dual_side(nm, c->s, gap, false, left, n, c->no);
	dual_side(nm, c->text + at, strlen(c->text + at), true, right, n, c->no);
	nm->v[i].cls = TEXT_NORM_CHARACTER;
	for (size_t k = 0; k < n; k++) {
		text_buf_release(&left[k]);
		text_buf_release(&right[k]);
	}
	free(left);
	free(right);
	free(nm->speaker);
	nm->speaker = NULL;
	return end - 1;
}

static void read_body(struct norm *nm, size_t from)
{
	bool para_start = true, page_break = false;
	for (size_t i = from; i < nm->n; i++) {
		struct nline *ln = &nm->v[i];
		if (ln->page_break)
			page_break = true;
		if (blank(ln)) {
			set_class(nm, i, TEXT_NORM_BLANK);
			if (!(nm->in_speech && nm->fresh))
				para_start = true; /* the blank under a cue in a double-spaced file */
			continue;
		}
		if (furniture(ln)) {
			page_break = true;
			para_start = true;
			continue;
		}
		if (ln->cls == TEXT_NORM_SCENE_NUMBER) {
			free(nm->scene_number);
			nm->scene_number = bj_xmalloc(ln->n + 1);
			memcpy(nm->scene_number, ln->s, ln->n);
			nm->scene_number[ln->n] = '\0';
			if (ln->n && nm->scene_number[ln->n - 1] == '.')
				nm->scene_number[ln->n - 1] = '\0';
			para_start = true;
			continue;
		}
		bool was_para_start = para_start, was_page_break = page_break;
		para_start = false;
		page_break = false;
		size_t dual_at;
		int dual_col;
		bool dual = dual_cue(nm, i, &dual_at, &dual_col);

		if (nm->in_speech && !was_para_start && !dual && !is_cue(nm, i)) {
			if (speech_goes_on(nm, i)) {
				speech_line(nm, i);
				continue;
			}
			nm->in_speech = false;
		} else if (nm->in_speech && was_para_start && !nm->flat && !dual && !is_cue(nm, i) &&
		           rel(nm, i) >= nm->dlg_lo && rel(nm, i) < nm->cue_lo && !is_heading(nm, i) &&
		           !is_transition(nm, i) && nm->pending &&
		           (nm->ptype == TEXT_DIALOGUE || nm->ptype == TEXT_PARENTHETICAL)) {
			/* dialogue that goes on after a blank line or a page break */
			if (nm->ptype == TEXT_DIALOGUE && !starts_paren(ln) && !was_page_break) {
				text_buf_addc(&nm->pbuf, '\n');
				add_squeezed(&nm->pbuf, ln->s, ln->n);
				set_class(nm, i, TEXT_NORM_DIALOGUE);
			} else {
				speech_line(nm, i);
			}
			continue;
		} else {
			nm->in_speech = false;
		}

		if (is_heading(nm, i)) {
			size_t a = 0, b = ln->n;
			char *num = NULL;
			if (!heading_parts(ln->s, ln->n, &a, &b, &num)) {
				a = 0;
				b = ln->n;
			}
			flush(nm);
			/* revision marks and dots before a heading are not part of it */
			while (a < b && !is_alpha(ln->s[a]) && !is_digit(ln->s[a]))
				a++;
			text_buf t = { 0 };
			add_squeezed(&t, ln->s + a, b - a);
			text_element *e = text_screenplay_add(nm->sp, TEXT_SCENE_HEADING, t.s ? t.s : "");
			text_buf_release(&t);
			e->line = ln->no;
			if (num || nm->scene_number)
				e->scene_number = num ? num : nm->scene_number;
			else
				free(num);
			if (num)
				free(nm->scene_number);
			nm->scene_number = NULL;
			nm->rep->elements[TEXT_SCENE_HEADING]++;
			set_class(nm, i, TEXT_NORM_HEADING);
			continue;
		}
		free(nm->scene_number);
		nm->scene_number = NULL;
		if (is_transition(nm, i)) {
			flush(nm);
			text_buf t = { 0 };
			for (size_t k = 0; k < ln->n; k++)
				text_buf_addc(&t, to_upper(ln->s[k]));
			if (ends_with(t.s, t.len, " TO") || ends_with(t.s, t.len, " WITH"))
				text_buf_addc(&t, ':');
			text_element *e = text_screenplay_add(nm->sp, TEXT_TRANSITION, t.s);
			text_buf_release(&t);
			e->line = ln->no;
			nm->rep->elements[TEXT_TRANSITION]++;
			set_class(nm, i, TEXT_NORM_TRANSITION);
			continue;
		}
		if (dual) {
			i = read_dual(nm, i, dual_at, dual_col);
			continue;
		}
		if (is_cue(nm, i)) {
			char *name = speaker_name(ln->s, ln->n);
			bool same = nm->speaker && strcmp(name, nm->speaker) == 0;
			if (same && was_page_break && nm->pending &&
			    (nm->ptype == TEXT_DIALOGUE || nm->ptype == TEXT_PARENTHETICAL)) {
				/* "NAME (CONT'D)" atop a page: the same speech goes on */
				free(name);
				nm->in_speech = true;
				nm->fresh = true;
				nm->rep->joined++;
				set_class(nm, i, TEXT_NORM_CONTINUED);
				continue;
			}
			free(nm->speaker);
			nm->speaker = name;
			start(nm, TEXT_CHARACTER, i);
			flush(nm);
			nm->in_speech = true;
			nm->fresh = true;
			set_class(nm, i, TEXT_NORM_CHARACTER);
			continue;
		}
		if (was_para_start && is_centered(nm, i)) {
			start(nm, TEXT_CENTERED, i);
			/* the lines right under it that are centred too */
			while (content(nm, i + 1) && is_centered(nm, i + 1) && !is_cue(nm, i + 1)) {
				set_class(nm, i, TEXT_NORM_CENTERED);
				i++;
				text_buf_addc(&nm->pbuf, '\n');
				add_squeezed(&nm->pbuf, nm->v[i].s, nm->v[i].n);
			}
			set_class(nm, i, TEXT_NORM_CENTERED);
			flush(nm);
			continue;
		}
		if (nm->pending && nm->ptype == TEXT_ACTION &&
		    (!was_para_start || (was_page_break && mid_sentence(&nm->pbuf, ln)))) {
			if (was_para_start)
				nm->rep->joined++;
			join(nm, i);
		} else {
			start(nm, TEXT_ACTION, i);
		}
		set_class(nm, i, TEXT_NORM_ACTION);
	}
	flush(nm);
}

/* ------------------------------------------------------------- title page */

static bool month_or_date(const char *s, size_t n)
{
	static const char *const months[] = {
		"january", "february", "march", "april", "may ", "june", "july", "august",
		"september", "october", "november", "december", "draft", "revised", "revision",
	};
	for (size_t k = 0; k < BJ_ARRAY_SIZE(months); k++) {
		size_t m = strlen(months[k]);
		for (size_t i = 0; i + m <= n; i++)
			if (strncasecmp(s + i, months[k], m) == 0)
				return true;
	}
	size_t slashes = 0, digits = count_if(s, n, is_digit);
	for (size_t i = 0; i < n; i++)
		slashes += s[i] == '/';
	return slashes >= 2 && digits >= 3;
}

static bool credit_line(const char *s, size_t n)
{
	while (n && (s[n - 1] == ':' || s[n - 1] == ' '))
		n--;
	if (n >= 2 && strncasecmp(s + n - 2, "by", 2) == 0 && (n == 2 || s[n - 3] == ' '))
		return true;
	return false;
}

static bool source_line(const char *s, size_t n)
{
	static const char *const starts[] = {
		"based on", "inspired by", "adapted from", "from the", "story by",
	};
	for (size_t k = 0; k < BJ_ARRAY_SIZE(starts); k++) {
		size_t m = strlen(starts[k]);
		if (n >= m && strncasecmp(s, starts[k], m) == 0)
			return true;
	}
	return false;
}

static void add_value(text_buf *b, const char *s, size_t n)
{
	if (b->len)
		text_buf_addc(b, '\n');
	add_squeezed(b, s, n);
}

/* Reads lines [0, end) as the title page. */
static void read_title(struct norm *nm, size_t end)
{
	text_buf title = { 0 }, credit = { 0 }, author = { 0 }, source = { 0 }, date = { 0 },
	         notes = { 0 };
	/* the title: the first centred paragraph, else the first one */
	size_t t0 = end, t1 = end;
	for (size_t i = 0; i < end; i++)
		if (content(nm, i) && rel(nm, i) >= 10 &&
		    abs(2 * rel(nm, i) + nm->v[i].width - 60) <= 20) {
			t0 = i;
			break;
		}
	if (t0 == end)
		for (size_t i = 0; i < end; i++)
			if (content(nm, i)) {
				t0 = i;
				break;
			}
	for (t1 = t0; t1 < end && content(nm, t1) && t1 - t0 < 3; t1++)
		add_value(&title, nm->v[t1].s, nm->v[t1].n);
	text_buf *into = NULL;   /* the field the lines of a paragraph go to */
	text_buf *expect = NULL; /* the field whose name comes next ("Written by") */
	for (size_t i = 0; i < end; i++) {
		struct nline *ln = &nm->v[i];
		if (blank(ln) || furniture(ln) || ln->cls == TEXT_NORM_SCENE_NUMBER) {
			if (blank(ln))
				set_class(nm, i, TEXT_NORM_BLANK);
			into = NULL;
			continue;
		}
		set_class(nm, i, TEXT_NORM_TITLE);
		if (i >= t0 && i < t1)
			continue;
		if (title.s && strcasecmp(title.s, ln->s) == 0 && i < t0)
			continue; /* the title again (IMSDb puts it first) */
		/* bits of text far apart on a line (contact left, date right) are read apart */
		const char *cs = ln->s, *end_s = ln->s + ln->n;
		while (cs < end_s) {
			const char *gap = strstr(cs, "    ");
			size_t cn = gap ? (size_t)(gap - cs) : (size_t)(end_s - cs);
			text_buf *f;
			if (credit_line(cs, cn) && !credit.len)
				f = &credit;
			else if (credit_line(cs, cn) || source_line(cs, cn))
				f = &source;
			else if (month_or_date(cs, cn))
				f = &date;
			else
				f = NULL;
			if (f) {
				add_value(f, cs, cn);
				into = f;
				expect = credit_line(cs, cn) ? (f == &credit ? &author : f) : NULL;
			} else if (expect) {
				add_value(expect, cs, cn);
				into = expect;
				expect = NULL;
			} else {
				add_value(into ? into : &notes, cs, cn);
			}
			cs += cn;
			while (cs < end_s && *cs == ' ')
				cs++;
		}
	}
	text_screenplay *sp = nm->sp;
	if (title.len)
		text_screenplay_title_add(sp, "Title", title.s);
	if (credit.len)
		text_screenplay_title_add(sp, "Credit", credit.s);
	if (author.len)
		text_screenplay_title_add(sp, "Author", author.s);
	if (source.len)
		text_screenplay_title_add(sp, "Source", source.s);
	if (date.len)
		text_screenplay_title_add(sp, "Draft date", date.s);
	if (notes.len)
		text_screenplay_title_add(sp, "Notes", notes.s);
	text_buf_release(&title);
	text_buf_release(&credit);
	text_buf_release(&author);
	text_buf_release(&source);
	text_buf_release(&date);
	text_buf_release(&notes);
}

/* Where the script starts: the first heading, cue or transition, or the first
 * long line at the margin; 0 when that is far in (no title page then). */
static size_t body_start(const struct norm *nm)
{
	size_t seen = 0;
	for (size_t i = 0; i < nm->n; i++) {
		if (!content(nm, i))
			continue;
		const struct nline *ln = &nm->v[i];
		bool anchor = is_heading(nm, i) || is_cue(nm, i) || is_transition(nm, i) ||
		              strncmp(ln->s, "FADE IN", 7) == 0;
		/* a paragraph at the margin that is not a date or a contact line
		 * (the file's first line is IMSDb's title) */
		bool margin = seen > 0 && rel(nm, i) <= 2 && !month_or_date(ln->s, ln->n) &&
		              (i == 0 || !content(nm, i - 1));
		for (size_t j = i; margin && content(nm, j); j++)
			margin = !strstr(nm->v[j].s, "    ");
		if (anchor || margin)
			return seen > 40 ? 0 : i;
		seen++;
	}
	return 0;
}

/* ------------------------------------------------------------------ driver */

const char *text_norm_class_name(enum text_norm_class c)
{
	static const char *const names[] = {
		"blank", "heading", "action", "character", "dialogue", "parenthetical", "transition",
		"centered", "title", "page-number", "continued", "header", "scene-number",
	};
	return (unsigned)c < BJ_ARRAY_SIZE(names) ? names[c] : "?";
}

static void release(struct norm *nm)
{
	for (size_t i = 0; i < nm->n; i++)
		free(nm->v[i].text);
	free(nm->v);
	table_release(&nm->vocab);
	text_buf_release(&nm->pbuf);
	free(nm->speaker);
	free(nm->scene_number);
}

int text_normalize(const char *name, const char *text, size_t len, text_screenplay **out,
                   text_normalize_report *rep)
{
	text_normalize_report dummy;
	if (!rep)
		rep = &dummy;
	memset(rep, 0, sizeof(*rep));
	*out = NULL;
	if (len > TEXT_FOUNTAIN_MAX_BYTES)
		return bj_error_set(BJ_EFORMAT, "'%s': text is %zu bytes, limit %u", name, len,
		                    TEXT_FOUNTAIN_MAX_BYTES);
	struct norm nm = { .name = name, .rep = rep };
	int ret = split(&nm, text, len);
	if (ret < 0) {
		release(&nm);
		return ret;
	}
	rep->lines = nm.n;
	mark_furniture(&nm);
	learn_margins(&nm);
	learn_levels(&nm);
	for (size_t i = 0; i < nm.n; i++)
		if (content(&nm, i))
			vocab_add_words(&nm.vocab, nm.v[i].s, nm.v[i].n);

	nm.sp = text_screenplay_new();
	size_t from = nm.have_levels ? body_start(&nm) : 0;
	if (from)
		read_title(&nm, from);
	read_body(&nm, from);

	for (size_t i = 0; i < nm.n; i++)
		if (nm.v[i].cls >= 0)
			rep->count[nm.v[i].cls]++;
	rep->flat = nm.flat;
	rep->action_indent = nm.margin;
	if (nm.have_levels) {
		rep->cue_indent = nm.margin + nm.cue_level;
		rep->dialogue_indent = nm.margin + nm.dlg_level;
		rep->paren_indent = nm.margin + nm.paren_level;
	}

	size_t cues = rep->elements[TEXT_CHARACTER], heads = rep->elements[TEXT_SCENE_HEADING];
	size_t text_lines = nm.n - rep->count[TEXT_NORM_BLANK];
	if (cues < 5 || cues * 100 < text_lines || (heads == 0 && cues < 20)) {
		ret = bj_error_set(BJ_EUNSUPPORTED,
		                   "'%s': not a screenplay: %zu character cues and %zu scene headings "
		                   "in %zu lines", name, cues, heads, nm.n);
		text_screenplay_free(nm.sp);
		release(&nm);
		return ret;
	}
	*out = nm.sp;
	release(&nm);
	return 0;
}

int text_normalize_load(const char *path, text_screenplay **out, text_normalize_report *rep)
{
	uint8_t *data;
	size_t size;
	*out = NULL;
	if (rep)
		memset(rep, 0, sizeof(*rep));
	int ret = bj_file_read(path, TEXT_FOUNTAIN_MAX_BYTES, &data, &size);
	if (ret < 0)
		return ret;
	ret = text_normalize(path, (const char *)data, size, out, rep);
	free(data);
	return ret;
}
