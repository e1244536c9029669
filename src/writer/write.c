#include "writer/write.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/progress.h"
#include "base/rng.h"
#include "base/utf8.h"
#include "text/fountain.h"
#include "text/layout.h"
#include "writer/draw.h"

/*
 * The state machine.  Between paragraphs the model has just written a blank
 * line, as between the elements of the Fountain it learnt.  At each paragraph
 * the writer is in one of these states, checked in this order:
 *
 *   no scene yet      the paragraph must be a scene heading
 *   a line is due     a speech: a cue of the cast, the line, the model's rest
 *   an action is due  the action as a paragraph of its own
 *   (otherwise)       the model's paragraph, if it fits: a heading (a new scene,
 *                     or the end once the length is reached), action (with the
 *                     prop fed after its opening words when the prop is due), a
 *                     speech (its cue in the cast, or the cast's likeliest
 *                     name put in its place), a transition or centred text
 *
 * A paragraph is kept as the Fountain parser reads it at an element start; one
 * that reads as anything else (page breaks, notes, sections, lyrics, dual
 * dialogue, a cue without dialogue, several elements run together) is drawn
 * again from its start, REDRAWS times, then repaired or replaced.
 */

#define REDRAWS 8         /* draws of a paragraph before repairing it */
#define MAX_LINE 480      /* characters of a line drawn: ~14 rows of dialogue */
#define MAX_CUE 40        /* characters of a cue line drawn */
#define MAX_TITLE 60      /* characters of a title drawn */
#define MAX_LINES 12      /* lines of a paragraph */
#define MAX_PARAGRAPH 600 /* bytes of a paragraph before its last line: ~15 rows in all */
#define PROP_WAIT 3       /* paragraphs to wait for an action to put the prop in, */
#define PROP_LATE 0.2     /* or pages */
#define STOP_EARLY 0.5    /* no new scene past (pages - this) */
#define STOP_LATE (-0.05) /* the scene is cut short past (pages + this) */
#define MAX_NAME 24       /* bytes of a character's name */

enum prompt { PROMPT_LINE, PROMPT_ACTION, PROMPT_PROP, PROMPTS };

/* What a paragraph read as. */
enum kind { KIND_BAD, KIND_HEADING, KIND_ACTION, KIND_SPEECH, KIND_OTHER };

struct writer {
	const writer_write_opts *o;
	writer_pen pen;
	writer_mark start;        /* where the paragraph began */
	writer_mark inner;        /* after what was fed into it */
	text_screenplay *sp;
	char *cast[WRITER_MAX_CAST];
	int n_cast;
	int prev_speaker;         /* the cast member who spoke last, if nothing came since; or -1 */
	bool in_scene;
	size_t scene_elements;    /* elements since the last heading */
	double due[PROMPTS];      /* the length at which each prompt is due; < 0: none or placed */
	int prop_wait;            /* paragraphs since the prop fell due */
	double length;            /* pages so far, as laid out */
	int pages;
	bool done;                /* the script ends before the paragraph just drawn */
	bj_progress *progress;
	writer_write_report rep;
};

void writer_write_opts_init(writer_write_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->pages = 1;
	o->cast = 3;
	o->sample.temperature = 0.8f;
	o->seed = 1;
}

/* ---- reading paragraphs ---- */

/* Parses text (lines ending in '\n') as Fountain standing at an element start,
 * after a dummy forced action "." that keeps it from reading as a title page.
 * Returns the screenplay (elements[0] the dummy), or NULL. */
static text_screenplay *read_paragraph(const char *text)
{
	char *doc = bj_xasprintf("!.\n\n%s\n", text);
	text_screenplay *p = NULL;
	if (text_fountain_parse("paragraph", doc, strlen(doc), &p) < 0)
		p = NULL;
	free(doc);
	return p;
}

/* Would line (no newline) read as a cue if a line followed it? */
static bool cue_line(const char *line)
{
	char *probe = bj_xasprintf("%s\nx\n", line);
	text_screenplay *p = read_paragraph(probe);
	free(probe);
	bool cue = p && p->n_elements >= 2 && p->elements[1].type == TEXT_CHARACTER;
	text_screenplay_free(p);
	return cue;
}

/* Does the first line of text, standing alone, read as action? */
static bool action_start(const char *text)
{
	char *probe = bj_xasprintf("%.*s\n", (int)strcspn(text, "\n"), text);
	text_screenplay *p = read_paragraph(probe);
	free(probe);
	bool action = p && p->n_elements >= 2 && p->elements[1].type == TEXT_ACTION;
	text_screenplay_free(p);
	return action;
}

static enum kind kind_of(const text_screenplay *p, const char *text)
{
	/* Inline notes and boneyard could pair up with others across paragraphs. */
	if (!p || p->n_elements < 2 || strstr(text, "/*") || strstr(text, "*/") ||
	    strstr(text, "[[") || strstr(text, "]]"))
		return KIND_BAD;
	const text_element *e = &p->elements[1];
	size_t n = p->n_elements - 1;
	switch (e->type) {
	case TEXT_SCENE_HEADING:
		return n == 1 ? KIND_HEADING : KIND_BAD;
	case TEXT_ACTION:
		/* A lone cue-like line would read as a speaker without a speech, and
		 * a paragraph opening with a heading or transition as a broken one. */
		if (n != 1 || (!strchr(e->text, '\n') && cue_line(e->text)) || !action_start(e->text))
			return KIND_BAD;
		return KIND_ACTION;
	case TEXT_TRANSITION:
	case TEXT_CENTERED:
		return n == 1 ? KIND_OTHER : KIND_BAD;
	case TEXT_CHARACTER: {
		if (e->dual)
			return KIND_BAD;
		bool dialogue = false;
		for (size_t i = 2; i < p->n_elements; i++) {
			if (p->elements[i].type == TEXT_DIALOGUE)
				dialogue = true;
			else if (p->elements[i].type != TEXT_PARENTHETICAL)
				return KIND_BAD;
		}
		return dialogue ? KIND_SPEECH : KIND_BAD;
	}
	default:
		return KIND_BAD;
	}
}

/* Does some dialogue element of p have a line that is exactly line? */
static bool has_dialogue_line(const text_screenplay *p, const char *line)
{
	size_t n = strlen(line);
	for (size_t i = 0; i < p->n_elements; i++) {
		if (p->elements[i].type != TEXT_DIALOGUE)
			continue;
		for (const char *s = p->elements[i].text; s; ) {
			const char *end = strchr(s, '\n');
			size_t len = end ? (size_t)(end - s) : strlen(s);
			if (len == n && memcmp(s, line, n) == 0)
				return true;
			s = end ? end + 1 : NULL;
		}
	}
	return false;
}

/* ---- the script so far ---- */

static void measure(struct writer *w)
{
	text_layout l;
	text_layout_init(&l, w->sp, &(text_layout_options){ .paper = w->o->paper });
	w->length = text_layout_length(&l);
	w->pages = text_layout_pages(&l);
	uint64_t total = (uint64_t)w->o->pages * (uint64_t)l.lines_per_page;
	uint64_t done = (uint64_t)(w->length * l.lines_per_page);
	if (w->progress) {
		bj_progress_set_total(w->progress, total);
		bj_progress_set(w->progress, done < total ? done : total, NULL);
	}
	text_layout_release(&l);
}

static int cast_find(const struct writer *w, const char *cue);

static void add_element(struct writer *w, const text_element *e)
{
	if (e->type == TEXT_CHARACTER)
		w->prev_speaker = cast_find(w, e->text);
	else if (e->type != TEXT_DIALOGUE && e->type != TEXT_PARENTHETICAL)
		w->prev_speaker = -1;
	/* Scene numbers the model writes ("#12#") are left out: a draft has none. */
	text_element *d = text_screenplay_add(w->sp, e->type, e->text);
	d->depth = e->depth;
	d->dual = e->dual;
	if (e->type == TEXT_SCENE_HEADING) {
		w->in_scene = true;
		w->scene_elements = 0;
	} else {
		w->scene_elements++;
	}
}

static bool pending(const struct writer *w)
{
	for (int i = 0; i < PROMPTS; i++)
		if (w->due[i] >= 0.0)
			return true;
	return false;
}

/* Measures the script after the elements from index n were added: near its
 * end, a paragraph that would run past the pages asked is taken back, and the
 * script ends before it (w->done). */
static void added(struct writer *w, size_t n)
{
	double before = w->length;
	measure(w);
	if (!pending(w) && before >= w->o->pages - STOP_EARLY && w->pages > w->o->pages) {
		text_screenplay_truncate(w->sp, n);
		measure(w);
		w->done = true;
		return;
	}
	w->rep.paragraphs++;
}

/* Keeps the elements of paragraph p (and frees it). */
static void keep(struct writer *w, text_screenplay *p)
{
	size_t n = w->sp->n_elements;
	for (size_t i = 1; i < p->n_elements; i++)
		add_element(w, &p->elements[i]);
	text_screenplay_free(p);
	added(w, n);
}

static void keep_action(struct writer *w, const char *text)
{
	size_t n = w->sp->n_elements;
	text_element e = { .type = TEXT_ACTION, .text = (char *)text };
	add_element(w, &e);
	added(w, n);
}

static bool is_due(const struct writer *w, enum prompt p)
{
	return w->due[p] >= 0.0 && w->length >= w->due[p];
}

/* ---- the cast ---- */

/* Is name fit for the cast: one to three words of capitals and digits (a
 * word starts with a capital; '.', '-' and '\'' may follow), short? */
static bool fit_name(const char *name)
{
	int words = 0;
	for (const char *s = name; *s; s++) {
		if (s == name || s[-1] == ' ') {
			if (*s < 'A' || *s > 'Z')
				return false;
			words++;
		} else if (!(*s >= 'A' && *s <= 'Z') && !isdigit((unsigned char)*s) &&
		           !strchr(" .-'", *s)) {
			return false;
		} else if (strchr(".-'", *s) && strchr(".-'", s[-1])) {
			return false;   /* "A..", "--" */
		}
	}
	return words >= 1 && words <= 3 && strlen(name) <= MAX_NAME;
}

/* The index in the cast of the speaker of cue, or -1. */
static int cast_find(const struct writer *w, const char *cue)
{
	char *name = text_character_name(cue);
	int i = 0;
	while (i < w->n_cast && strcmp(w->cast[i], name) != 0)
		i++;
	free(name);
	return i < w->n_cast ? i : -1;
}

/* The index in the cast of the speaker of cue, added when the cast has room;
 * -1 when the cast is full without them, -2 when the name is not fit for it. */
static int cast_member(struct writer *w, const char *cue)
{
	char *name = text_character_name(cue);
	if (!fit_name(name)) {
		free(name);
		return -2;
	}
	int i = 0;
	while (i < w->n_cast && strcmp(w->cast[i], name) != 0)
		i++;
	if (i == w->n_cast) {
		if (w->n_cast == w->o->cast) {
			free(name);
			return -1;
		}
		w->cast[w->n_cast++] = name;
		return i;
	}
	free(name);
	return i;
}

/* A member of the (non-empty) cast, drawn by how likely the model is to write
 * their cue here, under the sampling temperature; not the one who just spoke,
 * when there are others.  Leaves the pen at start. */
static int likeliest_cast(struct writer *w)
{
	BJ_ASSERT(w->n_cast > 0);
	double lp[WRITER_MAX_CAST], max = -INFINITY;
	for (int i = 0; i < w->n_cast; i++) {
		writer_pen_back(&w->pen, &w->start);
		char *cue = bj_xasprintf("%s\n", w->cast[i]);
		lp[i] = writer_pen_logprob(&w->pen, cue);
		free(cue);
		max = lp[i] > max ? lp[i] : max;
	}
	writer_pen_back(&w->pen, &w->start);
	double t = w->o->sample.temperature, total = 0.0, p[WRITER_MAX_CAST];
	int best = 0;
	int skip = w->n_cast > 1 ? w->prev_speaker : -1;
	if (skip == 0)
		best = 1;
	for (int i = 0; i < w->n_cast; i++) {
		if (i != skip && lp[i] > lp[best])
			best = i;
		p[i] = t > 0 && i != skip ? exp((lp[i] - max) / t) : 0.0;
		total += p[i];
	}
	if (!(t > 0) || !(total > 0))
		return best;
	double u = bj_rng_double(&w->pen.rng) * total;
	for (int i = 0; i < w->n_cast; i++) {
		if (u < p[i])
			return i;
		u -= p[i];
	}
	return w->n_cast - 1;
}

/* A name when the model gives none: Sunspring's H, H2 and C, then C2, C3... */
static char *stand_in_name(int i)
{
	static const char *const names[] = { "H", "H2", "C" };
	return i < 3 ? bj_xstrdup(names[i]) : bj_xasprintf("C%d", i - 1);
}

/* Someone to answer the last speaker: the cast's likeliest other member, or,
 * when the last speaker is the whole cast so far and it has room, a stand-in
 * who joins it.  Leaves the pen at start. */
static int another_speaker(struct writer *w)
{
	if (w->n_cast == 1 && w->prev_speaker == 0 && w->o->cast > 1) {
		char *name = stand_in_name(1);
		for (int i = 2; strcmp(name, w->cast[0]) == 0; i++) {
			free(name);
			name = stand_in_name(i);
		}
		w->cast[w->n_cast] = name;
		w->rep.fallbacks++;
		return w->n_cast++;
	}
	return likeliest_cast(w);
}

/* The speaker of a speech the writer must place: a cue the model writes here
 * when its name fits the cast, else the cast's likeliest.  Leaves the pen at
 * start. */
static int choose_speaker(struct writer *w)
{
	for (int t = 0; t < REDRAWS && w->n_cast < w->o->cast; t++) {
		writer_pen_back(&w->pen, &w->start);
		if (writer_pen_draw_line(&w->pen, WRITER_DRAW_NO_BLANK, MAX_CUE) < 0)
			break;
		char *probe = bj_xasprintf("%sx\n", w->pen.text);
		text_screenplay *p = read_paragraph(probe);
		free(probe);
		int c = -1;
		if (p && p->n_elements >= 2 && p->elements[1].type == TEXT_CHARACTER &&
		    !p->elements[1].dual && !strchr(w->pen.text, '[') && !strchr(w->pen.text, '/'))
			c = cast_member(w, p->elements[1].text);
		text_screenplay_free(p);
		/* Not the one who just spoke, when there is anyone else. */
		if (c >= 0 && (c != w->prev_speaker || w->n_cast == 1)) {
			writer_pen_back(&w->pen, &w->start);
			return c;
		}
	}
	writer_pen_back(&w->pen, &w->start);
	if (w->n_cast == 0) {
		w->cast[w->n_cast++] = stand_in_name(0);
		w->rep.fallbacks++;
		return 0;
	}
	return another_speaker(w);
}

/* ---- paragraphs ---- */

static bool blank_line(const char *s)
{
	for (; *s && *s != '\n'; s++)
		if (*s != ' ' && *s != '\t')
			return false;
	return true;
}

/* Draws lines from here until a blank one (not kept in pen.text), or feeds the
 * blank line after MAX_LINES lines or MAX_PARAGRAPH bytes.  first: the
 * WRITER_DRAW_* flags of the first line. */
static int draw_rest(struct writer *w, unsigned first)
{
	for (int lines = 0;; lines++) {
		if (lines == MAX_LINES || w->pen.len > MAX_PARAGRAPH) {
			if (w->pen.len && w->pen.text[w->pen.len - 1] != '\n')
				return writer_pen_feed(&w->pen, "\n\n");
			return writer_pen_feed(&w->pen, "\n");
		}
		size_t before = w->pen.len;
		int ret = writer_pen_draw_line(&w->pen, lines == 0 ? first : 0, MAX_LINE);
		if (ret < 0)
			return ret;
		/* A line started by a feed ("INT. ") is not blank, whatever follows. */
		bool line_start = before == 0 || w->pen.text[before - 1] == '\n';
		if (line_start && blank_line(w->pen.text + before)) {
			w->pen.len = before;
			w->pen.text[before] = '\0';
			return 0;
		}
	}
}

/* Writes text that always reads back, from the words the model drew, as the
 * paragraph of action that replaces one that would not fit. */
static int fallback_action(struct writer *w)
{
	char *text = bj_xmalloc(w->pen.len + 16);
	size_t n = 0;
	for (const char *s = w->pen.text; *s && n < 200; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || strchr(" ,.;'?-", c))
			text[n++] = (char)c;
		else if (n && text[n - 1] != ' ')
			text[n++] = ' ';
	}
	while (n && text[n - 1] == ' ')
		n--;
	size_t i = 0;
	while (i < n && !isalpha((unsigned char)text[i]))
		i++;
	memmove(text, text + i, n - i);
	n -= i;
	if (n < 2) {
		memcpy(text, "Silence.", 8);
		n = 8;
	}
	text[n] = '\0';
	/* Lower case after the first letter, so it never reads as a cue or heading. */
	for (size_t k = 1; k < n; k++)
		text[k] = (char)tolower((unsigned char)text[k]);
	text[0] = (char)toupper((unsigned char)text[0]);
	writer_pen_back(&w->pen, &w->start);
	char *fed = bj_xasprintf("%s\n\n", text);
	int ret = writer_pen_feed(&w->pen, fed);
	free(fed);
	keep_action(w, text);
	free(text);
	w->rep.fallbacks++;
	return ret;
}

/* A speech by cast member c from start: the cue fed, then line (or nothing),
 * then the model's rest, redrawn until it reads as a speech with the line. */
static int speech_by(struct writer *w, int c, const char *line)
{
	writer_pen_back(&w->pen, &w->start);
	char *head = line ? bj_xasprintf("%s\n%s\n", w->cast[c], line)
	                  : bj_xasprintf("%s\n", w->cast[c]);
	int ret = writer_pen_feed(&w->pen, head);
	writer_pen_mark(&w->pen, &w->inner);
	for (int t = 0; ret >= 0 && t < REDRAWS; t++) {
		if (t) {
			writer_pen_back(&w->pen, &w->inner);
			w->rep.redrawn++;
		}
		if ((ret = draw_rest(w, line ? 0 : WRITER_DRAW_NO_BLANK)) < 0)
			break;
		text_screenplay *p = read_paragraph(w->pen.text);
		if (kind_of(p, w->pen.text) == KIND_SPEECH && (!line || has_dialogue_line(p, line)) &&
		    cast_member(w, p->elements[1].text) == c) {
			free(head);
			keep(w, p);
			return 0;
		}
		text_screenplay_free(p);
	}
	if (ret >= 0) {
		/* The cue and the line alone, or the cue and the model's first line. */
		writer_pen_back(&w->pen, &w->inner);
		ret = line ? writer_pen_feed(&w->pen, "\n") : writer_pen_draw_line(&w->pen, WRITER_DRAW_NO_BLANK, MAX_LINE);
		text_screenplay *p = read_paragraph(w->pen.text);
		if (ret >= 0 && kind_of(p, w->pen.text) == KIND_SPEECH) {
			ret = line ? 0 : writer_pen_feed(&w->pen, "\n");
			keep(w, p);
		} else {
			text_screenplay_free(p);
			ret = ret < 0 ? ret : fallback_action(w);
		}
		w->rep.fallbacks++;
	}
	free(head);
	return ret < 0 ? ret : 0;
}

/* Is word (len bytes) an article or possessive, after which a noun comes? */
static bool determiner(const char *word, size_t len)
{
	static const char *const words[] = { "the", "a", "an", "his", "her", "their", "its", "my",
	                                     "your", "our", "this", "that", "some", NULL };
	for (int i = 0; words[i]; i++)
		if (strlen(words[i]) == len && strncasecmp(word, words[i], len) == 0)
			return true;
	return false;
}

static bool starts_with_determiner(const char *s)
{
	size_t n = strcspn(s, " ");
	return determiner(s, n);
}

/* The lead-in to the prop in an action line the model began: its words up to
 * the first article (not included when the prop has its own), or NULL. */
static char *prop_lead(const char *action, const char *prop)
{
	size_t limit = strcspn(action, "\n");
	limit = limit < 100 ? limit : 100;
	bool own = starts_with_determiner(prop);
	for (size_t i = 0; i < limit;) {
		size_t n = 0;
		while (i + n < limit && action[i + n] != ' ')
			n++;
		if (i > 0 && determiner(action + i, n) && i + n < limit)
			return own ? bj_xasprintf("%.*s", (int)i, action)
			           : bj_xasprintf("%.*s ", (int)(i + n), action);
		i += n + 1;
	}
	return NULL;
}

/* An action paragraph from start: lead and the prop fed, the model's rest
 * drawn until it reads as action; the lead and the prop alone at last. */
static int prop_action(struct writer *w, const char *lead)
{
	writer_pen_back(&w->pen, &w->start);
	char *head = bj_xasprintf("%s%s", lead, w->o->prop);
	int ret = writer_pen_feed(&w->pen, head);
	writer_pen_mark(&w->pen, &w->inner);
	for (int t = 0; ret >= 0 && t < REDRAWS; t++) {
		if (t) {
			writer_pen_back(&w->pen, &w->inner);
			w->rep.redrawn++;
		}
		if ((ret = draw_rest(w, WRITER_DRAW_NO_WORD)) < 0)
			break;
		text_screenplay *p = read_paragraph(w->pen.text);
		if (kind_of(p, w->pen.text) == KIND_ACTION && strstr(p->elements[1].text, w->o->prop)) {
			free(head);
			w->due[PROMPT_PROP] = -1.0;
			keep(w, p);
			return 0;
		}
		text_screenplay_free(p);
	}
	if (ret >= 0) {
		writer_pen_back(&w->pen, &w->inner);
		ret = writer_pen_feed(&w->pen, ".\n\n");
		char *text = bj_xasprintf("%s.", head);
		keep_action(w, text);
		free(text);
		w->due[PROMPT_PROP] = -1.0;
		w->rep.fallbacks++;
	}
	free(head);
	return ret < 0 ? ret : 0;
}

/* The first paragraph of the script: a heading, drawn, else started "INT. "
 * or "EXT. " (the likelier) for the model to finish. */
static int first_heading(struct writer *w)
{
	for (int t = 0; t < 2 * REDRAWS; t++) {
		writer_pen_back(&w->pen, &w->start);
		int ret;
		if (t < REDRAWS) {
			ret = draw_rest(w, WRITER_DRAW_NO_BLANK);
		} else {
			if (t == REDRAWS)
				w->rep.repaired++;
			double in = writer_pen_logprob(&w->pen, "INT. ");
			writer_pen_back(&w->pen, &w->start);
			double ex = writer_pen_logprob(&w->pen, "EXT. ");
			writer_pen_back(&w->pen, &w->start);
			ret = writer_pen_feed(&w->pen, in >= ex ? "INT. " : "EXT. ");
			if (ret >= 0)
				ret = writer_pen_draw_line(&w->pen, WRITER_DRAW_NO_BLANK, MAX_CUE);
			if (ret >= 0)
				ret = writer_pen_feed(&w->pen, "\n");
		}
		if (ret < 0)
			return ret;
		if (t)
			w->rep.redrawn++;
		text_screenplay *p = read_paragraph(w->pen.text);
		if (kind_of(p, w->pen.text) == KIND_HEADING) {
			keep(w, p);
			return 0;
		}
		text_screenplay_free(p);
	}
	writer_pen_back(&w->pen, &w->start);
	w->rep.fallbacks++;
	text_element e = { .type = TEXT_SCENE_HEADING, .text = "INT. ROOM - NIGHT" };
	add_element(w, &e);
	w->rep.paragraphs++;
	measure(w);
	return writer_pen_feed(&w->pen, "INT. ROOM - NIGHT\n\n");
}

/* The next paragraph.  Returns 0, 1 when the script ends here, or an error. */
static int next_paragraph(struct writer *w)
{
	writer_pen_clear(&w->pen);
	writer_pen_mark(&w->pen, &w->start);
	if (!w->in_scene)
		return first_heading(w);
	if (is_due(w, PROMPT_LINE)) {
		w->due[PROMPT_LINE] = -1.0;
		return speech_by(w, choose_speaker(w), w->o->line);
	}
	if (is_due(w, PROMPT_ACTION)) {
		w->due[PROMPT_ACTION] = -1.0;
		char *fed = bj_xasprintf("%s\n\n", w->o->action);
		int ret = writer_pen_feed(&w->pen, fed);
		free(fed);
		keep_action(w, w->o->action);
		return ret;
	}
	bool prop = is_due(w, PROMPT_PROP);
	if (prop && (w->prop_wait++ >= PROP_WAIT || w->length >= w->due[PROMPT_PROP] + PROP_LATE))
		return prop_action(w, starts_with_determiner(w->o->prop) ? "We see " : "We see the ");
	for (int t = 0; t < REDRAWS; t++) {
		if (t) {
			writer_pen_back(&w->pen, &w->start);
			w->rep.redrawn++;
		}
		int ret = draw_rest(w, WRITER_DRAW_NO_BLANK);
		if (ret < 0)
			return ret;
		text_screenplay *p = read_paragraph(w->pen.text);
		switch (kind_of(p, w->pen.text)) {
		case KIND_HEADING:
			if (w->scene_elements == 0)
				break;   /* a scene of nothing but its heading */
			if (w->length >= w->o->pages - STOP_EARLY && !pending(w)) {
				text_screenplay_free(p);
				return 1;
			}
			keep(w, p);
			return 0;
		case KIND_SPEECH:
			ret = cast_member(w, p->elements[1].text);
			if (ret == -2 && w->n_cast == 0)
				break;
			/* The only speaker so far again: draw again for someone new. */
			if (ret == w->prev_speaker && w->n_cast == 1 && w->o->cast > 1)
				break;
			/* The same speaker twice running, or one outside the cast. */
			if (ret < 0 || (ret == w->prev_speaker && w->n_cast > 1)) {
				text_screenplay_free(p);
				w->rep.repaired++;
				return speech_by(w, likeliest_cast(w), NULL);
			}
			keep(w, p);
			return 0;
		case KIND_ACTION:
			if (prop) {
				char *lead = prop_lead(p->elements[1].text, w->o->prop);
				if (lead) {
					text_screenplay_free(p);
					ret = prop_action(w, lead);
					free(lead);
					return ret;
				}
			}
			keep(w, p);
			return 0;
		case KIND_OTHER:
			keep(w, p);
			return 0;
		case KIND_BAD:
			break;
		}
		text_screenplay_free(p);
	}
	if (w->n_cast > 0) {
		w->rep.repaired++;
		return speech_by(w, another_speaker(w), NULL);
	}
	return fallback_action(w);
}

/* The title page: the title fed, or drawn after "Title: ". */
static int title_page(struct writer *w)
{
	int ret = writer_pen_feed(&w->pen, "Title: ");
	char *title = NULL;
	if (w->o->title) {
		title = bj_xstrdup(w->o->title);
		ret = ret < 0 ? ret : writer_pen_feed(&w->pen, title);
		ret = ret < 0 ? ret : writer_pen_feed(&w->pen, "\n");
	} else {
		writer_pen_mark(&w->pen, &w->inner);
		for (int t = 0; ret >= 0 && t < REDRAWS && !title; t++) {
			writer_pen_back(&w->pen, &w->inner);
			ret = 0;
			size_t from = w->pen.len;
			if ((ret = writer_pen_draw_line(&w->pen, WRITER_DRAW_NO_BLANK, MAX_TITLE)) < 0)
				break;
			if (ret == MAX_TITLE)
				continue;   /* cut short */
			/* The title without the spaces around it. */
			const char *t = w->pen.text + from, *end = w->pen.text + w->pen.len - 1;
			while (t < end && (*t == ' ' || *t == '\t'))
				t++;
			while (end > t && (end[-1] == ' ' || end[-1] == '\t'))
				end--;
			char *s = bj_xasprintf("%.*s", (int)(end - t), t);
			writer_write_opts probe = { .title = s };
			bool letter = false;
			for (const char *c = s; *c; c++)
				letter |= isalpha((unsigned char)*c) != 0;
			if (letter && writer_write_check(&probe) == 0)
				title = s;
			else
				free(s);
		}
		bj_error_clear();
		if (ret >= 0 && !title) {
			writer_pen_back(&w->pen, &w->inner);
			title = bj_xstrdup("Untitled");
			ret = writer_pen_feed(&w->pen, "Untitled\n");
			w->rep.fallbacks++;
		}
	}
	ret = ret < 0 ? ret : writer_pen_feed(&w->pen, "Credit: Written by\nAuthor: benjamin\n\n");
	if (title) {
		text_screenplay_title_add(w->sp, "Title", title);
		text_screenplay_title_add(w->sp, "Credit", "Written by");
		text_screenplay_title_add(w->sp, "Author", "benjamin");
	}
	free(title);
	return ret;
}

/* Spreads the prompts given over the script: k of them at (i + 1) / (k + 1)
 * of its length, in an order and with a jitter drawn from the seed. */
static void plan_prompts(struct writer *w)
{
	const char *given[PROMPTS] = { w->o->line, w->o->action, w->o->prop };
	enum prompt order[PROMPTS];
	int k = 0;
	for (int i = 0; i < PROMPTS; i++) {
		w->due[i] = -1.0;
		if (given[i])
			order[k++] = (enum prompt)i;
	}
	bj_rng_shuffle(&w->pen.rng, order, (size_t)k, sizeof(order[0]));
	for (int i = 0; i < k; i++) {
		double jitter = (bj_rng_double(&w->pen.rng) - 0.5) * 0.5 / (k + 1);
		w->due[order[i]] = ((i + 1.0) / (k + 1) + jitter) * (w->o->pages - STOP_EARLY);
	}
}

int writer_write(const writer_write_opts *o, text_screenplay **out, writer_write_report *rep)
{
	*out = NULL;
	BJ_ASSERT(o->pages >= 1 && o->pages <= WRITER_MAX_PAGES);
	BJ_ASSERT(o->cast >= 1 && o->cast <= WRITER_MAX_CAST);
	int ret = writer_write_check(o);
	if (ret < 0)
		return ret;
	struct writer w = { .o = o, .prev_speaker = -1 };
	if ((ret = writer_pen_open(&w.pen, o->model_path, &o->sample, o->seed)) < 0)
		goto out;
	w.sp = text_screenplay_new();
	plan_prompts(&w);
	if (o->progress)
		w.progress = bj_progress_new("write", 0, "lines");   /* measure() sets the total */
	if ((ret = title_page(&w)) < 0)
		goto out;
	/* A bound on the paragraphs, far above what the pages hold, for a model
	 * that writes nothing but blank pages' worth of nothing. */
	int limit = 400 * o->pages + 100;
	for (;;) {
		if ((ret = next_paragraph(&w)) < 0)
			goto out;
		if (ret == 1 || w.done || (!pending(&w) && w.length >= o->pages + STOP_LATE))
			break;
		if (w.rep.paragraphs >= limit) {
			if (!pending(&w))
				break;
			for (int i = 0; i < PROMPTS; i++)
				w.due[i] = w.due[i] >= 0.0 ? 0.0 : w.due[i];
			w.prop_wait = PROP_WAIT;
		}
	}
	ret = 0;
	/* What is written reads back as itself, or it is a bug of ours. */
	char *text = text_fountain_emit(w.sp);
	text_screenplay *back = NULL;
	if (text_fountain_parse("screenplay", text, strlen(text), &back) < 0 ||
	    !text_screenplay_equal(back, w.sp))
		ret = bj_error_set(BJ_EFORMAT, "the screenplay written does not read back as itself");
	text_screenplay_free(back);
	free(text);
	if (ret == 0) {
		w.rep.drawn = w.pen.drawn;
		w.rep.pages = w.pages;
		w.rep.length = w.length;
		/* The cast as it speaks in the script (a speech taken back at the end
		 * may have brought someone in). */
		for (int i = 0; i < w.n_cast; i++) {
			bool speaks = false;
			for (size_t k = 0; k < w.sp->n_elements && !speaks; k++)
				speaks = w.sp->elements[k].type == TEXT_CHARACTER &&
				         cast_find(&w, w.sp->elements[k].text) == i;
			if (speaks)
				snprintf(w.rep.cast[w.rep.n_cast++], sizeof(w.rep.cast[0]), "%s", w.cast[i]);
		}
		if (rep)
			*rep = w.rep;
		*out = w.sp;
		w.sp = NULL;
	}
out:
	bj_progress_finish(w.progress);
	for (int i = 0; i < w.n_cast; i++)
		free(w.cast[i]);
	text_screenplay_free(w.sp);
	writer_mark_release(&w.start);
	writer_mark_release(&w.inner);
	writer_pen_close(&w.pen);
	return ret;
}

/* ---- the brief ---- */

static int check_text(const char *what, const char *s)
{
	size_t n = strlen(s), bad;
	if (!n)
		return bj_error_set(BJ_EINVAL, "the %s is empty", what);
	if (n > WRITER_MAX_PROMPT)
		return bj_error_set(BJ_EINVAL, "the %s is %zu bytes, limit %d", what, n,
		                    WRITER_MAX_PROMPT);
	if (!bj_utf8_validate(s, n, &bad))
		return bj_error_set(BJ_EINVAL, "the %s is not UTF-8 (invalid byte at %zu)", what, bad);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return bj_error_set(BJ_EINVAL, "the %s '%s' has a control character or a line "
			                    "break; it must be one line", what, s);
	if (s[0] == ' ' || s[n - 1] == ' ')
		return bj_error_set(BJ_EINVAL, "the %s '%s' begins or ends with a space", what, s);
	return 0;
}

/* Does sp read back as itself through Fountain? */
static bool reads_back(const text_screenplay *sp)
{
	char *text = text_fountain_emit(sp);
	text_screenplay *back = NULL;
	bool same = text_fountain_parse("prompt", text, strlen(text), &back) == 0 &&
	            text_screenplay_equal(back, sp);
	text_screenplay_free(back);
	free(text);
	return same;
}

int writer_write_check(const writer_write_opts *o)
{
	const char *what[] = { "title", "line", "prop", "action" };
	const char *given[] = { o->title, o->line, o->prop, o->action };
	for (int i = 0; i < 4; i++) {
		if (!given[i])
			continue;
		int ret = check_text(what[i], given[i]);
		if (ret < 0)
			return ret;
		text_screenplay *sp = text_screenplay_new();
		text_screenplay_title_add(sp, "Title", i == 0 ? given[i] : "T");
		text_screenplay_add(sp, TEXT_SCENE_HEADING, "INT. ROOM - DAY");
		const char *fail = NULL;
		if (i == 1) {
			text_screenplay_add(sp, TEXT_CHARACTER, "H");
			text_screenplay_add(sp, TEXT_DIALOGUE, given[i]);
			fail = "would not read back as a line of dialogue";
		} else if (i == 2) {
			char *s = bj_xasprintf("We see the %s.", given[i]);
			text_screenplay_add(sp, TEXT_ACTION, s);
			free(s);
			fail = "would not read back in a line of action";
		} else if (i == 3) {
			text_screenplay_add(sp, TEXT_ACTION, given[i]);
			fail = "would not read back as a line of action";
		} else {
			fail = "would not read back as a title";
		}
		bool ok = reads_back(sp);
		text_screenplay_free(sp);
		if (!ok)
			return bj_error_set(BJ_EINVAL, "the %s '%s' %s in Fountain", what[i], given[i], fail);
	}
	return 0;
}
