#include "score/music.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

/* Exact times: fractions of a whole note in lowest terms. */
typedef struct frac {
	int64_t n, d;
} frac;

static int64_t gcd64(int64_t a, int64_t b)
{
	if (a < 0)
		a = -a;
	while (b) {
		int64_t r = a % b;
		a = b, b = r;
	}
	return a ? a : 1;
}

static frac mk(int64_t n, int64_t d)
{
	int64_t g = gcd64(n, d);
	return (frac){ n / g, d / g };
}

static frac add(frac a, frac b)
{
	int64_t g = gcd64(a.d, b.d);
	return mk(a.n * (b.d / g) + b.n * (a.d / g), a.d / g * b.d);
}

static frac sub(frac a, frac b)
{
	return add(a, (frac){ -b.n, b.d });
}

static frac mul(frac a, frac b)
{
	frac x = mk(a.n, b.d), y = mk(b.n, a.d);
	return mk(x.n * y.n, x.d * y.d);
}

static int cmp(frac a, frac b)
{
	frac c = sub(a, b);
	return (c.n > 0) - (c.n < 0);
}

static double dbl(frac a)
{
	return (double)a.n / (double)a.d;
}

/* Times keep small denominators in real music; past this, a tune (or a
 * sample) is nonsense and arithmetic could overflow. */
static int sane(frac a)
{
	return a.d > 0 && a.d <= (1 << 24) && a.n < ((int64_t)1 << 40) && a.n > -((int64_t)1 << 40);
}

static const int letter_semis[7] = { 9, 11, 0, 2, 4, 5, 7 };   /* A..G */

int score_key_parse(const char *v, score_key *k)
{
	memset(k, 0, sizeof(*k));
	while (*v == ' ')
		v++;
	if (*v == '\0' || strncmp(v, "none", 4) == 0) {
		return 0;   /* C major, no signature */
	}
	int flat_spelling = 0, sharp_spelling = 0;
	if (v[0] == 'H' && (v[1] == 'P' || v[1] == 'p')) {
		/* Highland pipes: written with no signature (HP) or F# and C# (Hp). */
		k->tonic = 2, k->mode = 7;
		if (v[1] == 'p')
			k->acc['F' - 'A'] = k->acc['C' - 'A'] = 1;
		return 0;
	}
	char t = (char)toupper((unsigned char)*v);
	if (t < 'A' || t > 'G')
		return -1;
	v++;
	int pc = letter_semis[t - 'A'];
	if (*v == '#')
		pc++, v++, sharp_spelling = 1;
	else if (*v == 'b')
		pc--, v++, flat_spelling = 1;
	pc = (pc + 12) % 12;
	while (*v == ' ')
		v++;
	char mode[4] = { 0 };
	int n = 0;
	while (isalpha((unsigned char)*v)) {
		if (n < 3)
			mode[n++] = (char)tolower((unsigned char)*v);
		v++;
	}
	static const struct { const char *name; int semis; } modes[] = {
		{ "", 0 }, { "maj", 0 }, { "ion", 0 }, { "m", 9 }, { "min", 9 }, { "aeo", 9 },
		{ "dor", 2 }, { "phr", 4 }, { "lyd", 5 }, { "mix", 7 }, { "loc", 11 },
	};
	int found = -1;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(mode, modes[i].name) == 0)
			found = modes[i].semis;
	if (found < 0) {
		/* Words such as "clef=bass" after the tonic are not modes. */
		if (*v != '=' && n > 0)
			return -1;
		found = 0;
	}
	k->tonic = pc, k->mode = found;
	int major = (pc - found + 12) % 12;
	/* Fifths of each major key's pitch class; 6 and 1 spelled by the tonic. */
	static const int fifths[12] = { 0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5 };
	int f = fifths[major];
	if (major == 6 && flat_spelling)
		f = -6;
	if (major == 1 && sharp_spelling)
		f = 7;
	if (major == 11 && flat_spelling && t == 'C')
		f = -7;
	static const char sharps[] = "FCGDAEB", flats[] = "BEADGCF";
	for (int i = 0; i < f; i++)
		k->acc[sharps[i] - 'A'] = 1;
	for (int i = 0; i < -f; i++)
		k->acc[flats[i] - 'A'] = -1;
	/* Explicit accidentals after the mode: "^f", "_b", "=c". */
	while (*v) {
		if ((*v == '^' || *v == '_' || *v == '=') && isalpha((unsigned char)v[1])) {
			char l = (char)toupper((unsigned char)v[1]);
			if (l >= 'A' && l <= 'G')
				k->acc[l - 'A'] = *v == '^' ? 1 : *v == '_' ? -1 : 0;
			v += 2;
		} else {
			v++;
		}
	}
	return 0;
}

int score_meter_parse(const char *v, int *num, int *den)
{
	while (*v == ' ')
		v++;
	*num = *den = 0;
	if (strncmp(v, "none", 4) == 0 || *v == '\0')
		return 0;
	if (v[0] == 'C') {
		*num = v[1] == '|' ? 2 : 4;
		*den = v[1] == '|' ? 2 : 4;
		return 0;
	}
	int n = 0, d = 0, term = 0;
	const char *p = v;
	if (*p == '(')
		p++;
	while (isdigit((unsigned char)*p) || *p == '+') {
		if (*p == '+') {
			n += term, term = 0;
		} else {
			term = term * 10 + (*p - '0');
			if (term > 1000)
				return -1;
		}
		p++;
	}
	n += term;
	if (*p == ')')
		p++;
	if (*p != '/')
		return -1;
	p++;
	while (isdigit((unsigned char)*p)) {
		d = d * 10 + (*p++ - '0');
		if (d > 1000)
			return -1;
	}
	if (n <= 0 || d <= 0)
		return -1;
	*num = n, *den = d;
	return 0;
}

/* "1/8" -> 1/8; 0 on anything else. */
static int parse_unit(const char *v, frac *out)
{
	long n, d;
	char extra;
	if (sscanf(v, "%ld/%ld%c", &n, &d, &extra) != 2 || n <= 0 || d <= 0 || n > 64 || d > 1024)
		return -1;
	*out = mk(n, d);
	return 0;
}

/* Q: "1/4=120", "3/8=80", "\"Allegro\" 1/4=120", or "120" (units of L). */
static double parse_tempo(const char *v, frac unit)
{
	const char *eq = strchr(v, '=');
	long bn, bd;
	double bpm;
	if (eq) {
		const char *b = eq;
		while (b > v && (isdigit((unsigned char)b[-1]) || b[-1] == '/'))
			b--;
		if (sscanf(b, "%ld/%ld", &bn, &bd) != 2 || bn <= 0 || bd <= 0)
			return 0.0;
		if (sscanf(eq + 1, "%lf", &bpm) != 1 || bpm <= 0 || bpm > 1000)
			return 0.0;
		return bpm * 4.0 * (double)bn / (double)bd;
	}
	if (sscanf(v, "%lf", &bpm) != 1 || bpm <= 0 || bpm > 1000)
		return 0.0;
	return bpm * 4.0 * dbl(unit);
}

/* The walk through a tune in written order. */
struct walk {
	const score_abc_tune *t;
	frac time, unit;
	int mnum, mden;
	score_key key;
	int bar_acc[7][12];       /* accidental set in this bar, +10; 0 none */
	/* tuplets */
	int tup_left;
	frac tup_factor;
	/* broken rhythm: the factor for the next note group */
	frac next_factor;
	/* the last note group: where it began, its length and its notes */
	frac group_start, group_dur;
	size_t group_first;       /* index of its first note in notes */
	int have_group;
	/* a chord being read */
	int in_chord, in_grace;
	frac chord_first;         /* the first note's own length */
	size_t chord_first_note;
	int chord_has_note;
	int voice;                /* 0 the first voice, 1 another */
	/* output in written time */
	struct wnote { frac start, dur; int pitch, tie; } *notes;
	size_t n_notes, cap_notes;
	struct wbar { frac time; const char *text; int ending; int voice; int section; int rests; } *bars;
	size_t n_bars, cap_bars;
	struct wchord { frac time; const char *name; } *chords;
	size_t n_chords, cap_chords;
	int rests;                /* bars of multi-bar rests (Z, X) in this bar */
	frac bar_start, overlay_max;
	char *why;
	size_t why_size;
};

static int set_why(struct walk *w, const score_abc_item *it, const char *fmt, const char *arg)
{
	char msg[120];
	snprintf(msg, sizeof(msg), fmt, arg);
	if (w->why)
		snprintf(w->why, w->why_size, "line %d, column %d: %s", it->line, it->col, msg);
	return -1;
}

static int default_tuplet_q(const struct walk *w, int p)
{
	switch (p) {
	case 2: case 4: case 8: return 3;
	case 3: case 6: return 2;
	default: return w->mnum % 3 == 0 && w->mnum > 3 ? 3 : 2;
	}
}

static int apply_field(struct walk *w, const score_abc_item *it)
{
	const char *v = score_abc_text(w->t, it);
	switch (it->letter) {
	case 'K':
		if (score_key_parse(v, &w->key) < 0)
			return set_why(w, it, "unknown key '%s'", v);
		memset(w->bar_acc, 0, sizeof(w->bar_acc));
		if (w->n_bars && cmp(w->bars[w->n_bars - 1].time, w->time) == 0)
			w->bars[w->n_bars - 1].section = 1;
		break;
	case 'M':
		if (score_meter_parse(v, &w->mnum, &w->mden) < 0)
			return set_why(w, it, "unknown meter '%s'", v);
		break;
	case 'L':
		if (parse_unit(v, &w->unit) < 0)
			return set_why(w, it, "unit length '%s'", v);
		break;
	case 'P':
		/* A new part after a bar line ends a section there. */
		if (w->n_bars && cmp(w->bars[w->n_bars - 1].time, w->time) == 0)
			w->bars[w->n_bars - 1].section = 1;
		break;
	case 'V':
		/* Only the first voice is played; the others restart the time. */
		if (w->n_bars == 0 && w->n_notes == 0 && w->voice == 0)
			break;
		w->voice = 1;
		break;
	}
	return 0;
}

/* Ends the current note group: the broken-rhythm factor is used up. */
static void group_begin(struct walk *w)
{
	w->group_start = w->time;
	w->group_first = w->n_notes;
	w->have_group = 1;
}

/* The factor on the next group from tuplets and broken rhythm, consumed. */
static frac take_factor(struct walk *w)
{
	frac f = w->next_factor;
	w->next_factor = mk(1, 1);
	if (w->tup_left > 0) {
		f = mul(f, w->tup_factor);
		w->tup_left--;
	}
	return f;
}

static void add_note(struct walk *w, frac start, frac dur, int pitch, int tie)
{
	if (w->voice)
		return;
	/* A tie carries the note on: extend the tied note that ends here. */
	for (size_t i = w->n_notes; i-- > 0 && i + 8 > w->n_notes;) {
		struct wnote *p = &w->notes[i];
		if (p->tie && p->pitch == pitch && cmp(add(p->start, p->dur), start) == 0) {
			p->dur = add(p->dur, dur);
			p->tie = tie;
			return;
		}
	}
	BJ_GROW(w->notes, w->cap_notes, w->n_notes + 1);
	w->notes[w->n_notes++] = (struct wnote){ start, dur, pitch, tie };
}

static int note_pitch(struct walk *w, const score_abc_item *it)
{
	int li = it->letter - 'A';
	int oct = it->octave + 5;
	if (oct < 0)
		oct = 0;
	if (oct > 11)
		oct = 11;
	int acc;
	if (it->accidental) {
		acc = it->accidental == SCORE_ABC_NATURAL ? 0 : it->accidental;
		w->bar_acc[li][oct] = acc + 10;
	} else if (w->bar_acc[li][oct]) {
		acc = w->bar_acc[li][oct] - 10;
	} else {
		acc = w->key.acc[li];
	}
	int p = 60 + 12 * it->octave + letter_semis[li] + acc;
	return p < 0 ? 0 : p > 127 ? 127 : p;
}

static int walk_item(struct walk *w, const score_abc_item *it)
{
	switch ((enum score_abc_kind)it->kind) {
	case SCORE_ABC_FIELD:
		return apply_field(w, it);
	case SCORE_ABC_NOTE: {
		if (w->in_grace)
			return 0;
		frac len = mul(w->unit, mk(it->num, it->den));
		int pitch = note_pitch(w, it);
		if (w->in_chord) {
			if (!w->chord_has_note) {
				w->chord_first = len;
				w->chord_has_note = 1;
				w->chord_first_note = w->n_notes;
			}
			if (w->voice == 0) {
				BJ_GROW(w->notes, w->cap_notes, w->n_notes + 1);
				w->notes[w->n_notes++] = (struct wnote){ w->time, len, pitch, it->tie };
			}
			return 0;
		}
		group_begin(w);
		frac dur = mul(len, take_factor(w));
		add_note(w, w->time, dur, pitch, it->tie);
		w->group_dur = dur;
		w->time = add(w->time, dur);
		return sane(w->time) ? 0 : set_why(w, it, "%s", "a time too fine or too long");
	}
	case SCORE_ABC_REST: {
		if (w->in_grace)
			return 0;
		group_begin(w);
		frac dur;
		if (it->letter == 'Z' || it->letter == 'X') {
			dur = mul(mk(it->num, it->den), w->mden ? mk(w->mnum, w->mden) : mk(1, 1));
			w->rests += it->num;
		} else {
			dur = mul(mul(w->unit, mk(it->num, it->den)), take_factor(w));
		}
		w->group_dur = dur;
		w->time = add(w->time, dur);
		return sane(w->time) ? 0 : set_why(w, it, "%s", "a time too fine or too long");
	}
	case SCORE_ABC_CHORD_OPEN:
		w->in_chord = 1;
		w->chord_has_note = 0;
		group_begin(w);
		return 0;
	case SCORE_ABC_CHORD_CLOSE: {
		w->in_chord = 0;
		if (!w->chord_has_note)
			return set_why(w, it, "%s", "an empty chord");
		frac f = mul(mk(it->num, it->den), take_factor(w));
		for (size_t i = w->group_first; i < w->n_notes && w->voice == 0; i++) {
			w->notes[i].dur = mul(w->notes[i].dur, f);
			w->notes[i].tie |= it->tie;
		}
		frac dur = mul(w->chord_first, f);
		w->group_dur = dur;
		w->time = add(w->time, dur);
		return sane(w->time) ? 0 : set_why(w, it, "%s", "a time too fine or too long");
	}
	case SCORE_ABC_TUPLET: {
		int p = it->num, q = it->den ? it->den : default_tuplet_q(w, p);
		w->tup_factor = mk(q, p);
		w->tup_left = it->r ? it->r : p;
		return 0;
	}
	case SCORE_ABC_BROKEN: {
		if (!w->have_group || w->in_chord)
			return set_why(w, it, "%s", "broken rhythm after no note");
		int64_t half = (int64_t)1 << it->num;          /* 2, 4, 8 */
		frac longer = mk(2 * half - 1, half), shorter = mk(1, half);
		frac prev = it->letter == '>' ? longer : shorter;
		frac next = it->letter == '>' ? shorter : longer;
		frac dur = mul(w->group_dur, prev);
		for (size_t i = w->group_first; i < w->n_notes && w->voice == 0; i++)
			w->notes[i].dur = mul(w->notes[i].dur, prev);
		w->time = add(w->group_start, dur);
		w->group_dur = dur;
		w->next_factor = next;
		return 0;
	}
	case SCORE_ABC_GRACE_OPEN:
		w->in_grace = 1;
		return 0;
	case SCORE_ABC_GRACE_CLOSE:
		w->in_grace = 0;
		return 0;
	case SCORE_ABC_BAR: {
		memset(w->bar_acc, 0, sizeof(w->bar_acc));
		if (cmp(w->overlay_max, w->time) > 0)
			w->time = w->overlay_max;
		BJ_GROW(w->bars, w->cap_bars, w->n_bars + 1);
		w->bars[w->n_bars++] = (struct wbar){ w->time, score_abc_text(w->t, it), 0, w->voice, 0, w->rests };
		w->bar_start = w->time;
		w->overlay_max = w->time;
		w->rests = 0;
		return 0;
	}
	case SCORE_ABC_ENDING: {
		const char *e = score_abc_text(w->t, it);
		/* The ending belongs to the bar line before it, or to the start. */
		if (w->n_bars == 0 || cmp(w->bars[w->n_bars - 1].time, w->time) != 0) {
			BJ_GROW(w->bars, w->cap_bars, w->n_bars + 1);
			w->bars[w->n_bars++] = (struct wbar){ w->time, "", 0, w->voice, 0, 0 };
		}
		w->bars[w->n_bars - 1].ending = e[0] ? e[0] - '0' : 1;
		return 0;
	}
	case SCORE_ABC_TEXT: {
		const char *s = score_abc_text(w->t, it);
		/* Annotations start with one of ^_<>@; chord symbols with a note name. */
		if (w->voice == 0 && s[0] >= 'A' && s[0] <= 'G') {
			BJ_GROW(w->chords, w->cap_chords, w->n_chords + 1);
			w->chords[w->n_chords++] = (struct wchord){ w->time, s };
		}
		return 0;
	}
	case SCORE_ABC_OVERLAY:
		if (cmp(w->time, w->overlay_max) > 0)
			w->overlay_max = w->time;
		w->time = w->bar_start;
		w->voice |= 2;   /* overlaid notes are not the melody */
		return 0;
	case SCORE_ABC_EOL:
		w->voice &= 1;
		return 0;
	default:
		return 0;
	}
}

static void walk_release(struct walk *w)
{
	free(w->notes);
	free(w->bars);
	free(w->chords);
}

static int walk(const score_abc_tune *t, struct walk *w, char *why, size_t why_size)
{
	memset(w, 0, sizeof(*w));
	w->t = t;
	w->time = mk(0, 1);
	w->unit = mk(0, 1);
	w->next_factor = mk(1, 1);
	w->tup_factor = mk(1, 1);
	w->bar_start = w->overlay_max = mk(0, 1);
	w->why = why, w->why_size = why_size;
	w->mnum = w->mden = 0;
	for (size_t i = 0; i < t->n_header; i++) {
		const score_abc_item *it = &t->items[i];
		if ((it->letter == 'K' || it->letter == 'M' || it->letter == 'L') &&
		    apply_field(w, it) < 0)
			return -1;
	}
	if (w->unit.n == 0) {
		/* ABC 2.1, 3.1.7: 1/16 below 3/4, else 1/8. */
		int small = w->mden && 4 * w->mnum < 3 * w->mden;
		w->unit = mk(1, small ? 16 : 8);
	}
	for (size_t i = t->n_header; i < t->n; i++) {
		const score_abc_item *it = &t->items[i];
		if (it->kind == SCORE_ABC_FIELD && it->letter == 'V') {
			if (w->n_notes || w->n_bars)
				w->voice = 1;
			continue;
		}
		if (walk_item(w, it) < 0)
			return -1;
	}
	if (cmp(w->overlay_max, w->time) > 0)
		w->time = w->overlay_max;
	return 0;
}

/* Whether bar line text starts or ends a repeat or a section. */
static int is_boundary(const char *text)
{
	return text[0] && strcmp(text, "|") != 0;
}

/* The meter check; with open_end, t is a tune still being written: what
 * follows its last bar line is not judged, and that bar line does not end
 * the tune (the bar before it may not be short unless the line is a repeat,
 * a double bar or an ending). */
static int check_meter(const score_abc_tune *t, char *why, size_t size, int open_end)
{
	struct walk w;
	if (why && size)
		why[0] = '\0';
	int ok = 1;
	if (walk(t, &w, why, size) < 0) {
		walk_release(&w);
		return 0;
	}
	if (!w.mden) {
		walk_release(&w);
		return 1;
	}
	/* Each bar is held to the meter in force there: the header's, changed by
	 * the M: fields met in a second pass over the items, in step with the
	 * bar lines. */
	int mnum = 0, mden = 0;
	const char *hm = score_abc_header(t, 'M');
	if (hm)
		score_meter_parse(hm, &mnum, &mden);
	size_t bar = 0;
	frac start = mk(0, 1);
	const char *prev_text = "";
	int prev_ending = 1;   /* the tune's start counts as a boundary */
	size_t nb = w.n_bars;
	size_t item = t->n_header;
	int bar_no = 1;
	/* The last bar with music in it may be short (it completes a pickup). */
	size_t last = nb;
	while (!open_end && last > 0 &&
	       cmp(w.bars[last - 1].time, last == nb ? w.time : w.bars[last].time) == 0)
		last--;
	if (open_end)
		last = nb + 1;
	for (bar = 0; bar <= nb && ok; bar++) {
		frac end = bar < nb ? w.bars[bar].time : w.time;
		const char *text = bar < nb ? w.bars[bar].text : "|]";
		int ending = bar < nb ? w.bars[bar].ending || w.bars[bar].section : 0;
		/* Meter changes up to this bar line. */
		int seen = 0;
		for (; item < t->n; item++) {
			const score_abc_item *it = &t->items[item];
			if (it->kind == SCORE_ABC_BAR) {
				if (seen++ == 0 && bar < nb) {
					item++;
					break;
				}
			}
			if (it->kind == SCORE_ABC_FIELD && it->letter == 'M')
				score_meter_parse(score_abc_text(t, it), &mnum, &mden);
		}
		frac d = sub(end, start);
		if (open_end && bar == nb)
			break;
		if (d.n != 0 && mden && (bar == nb || w.bars[bar].voice == 0)) {
			frac m = mk(mnum, mden);
			int rests = bar < nb ? w.bars[bar].rests : w.rests;
			if (rests > 0)
				m = mul(m, mk(rests, 1));
			int c = cmp(d, m);
			int edge = bar == 0 || bar >= last || prev_ending || ending ||
			           is_boundary(prev_text) || is_boundary(text) || bar_no == 1;
			if (c > 0 || (c < 0 && !edge)) {
				if (why)
					snprintf(why, size, "bar %d is %lld/%lld long in %d/%d", bar_no,
					         (long long)d.n, (long long)d.d, mnum, mden);
				ok = 0;
			}
			bar_no++;
		}
		if (d.n != 0 || bar == 0) {
			prev_text = text;
			prev_ending = ending;
		} else if (is_boundary(text)) {
			prev_text = text;
		}
		if (ending)
			prev_ending = ending;
		start = end;
	}
	walk_release(&w);
	return ok;
}

int score_music_fits_meter(const score_abc_tune *t, char *why, size_t size)
{
	return check_meter(t, why, size, 0);
}

int score_music_fits_meter_so_far(const score_abc_tune *t, char *why, size_t size)
{
	return check_meter(t, why, size, 1);
}

static void push_note(score_music *m, double start, double dur, int pitch)
{
	BJ_GROW(m->notes, m->cap_notes, m->n_notes + 1);
	m->notes[m->n_notes++] = (score_note){ start, dur, pitch };
}

/* Appends the written-time range [a, b) of w to m at offset *at. */
static void play_range(score_music *m, const struct walk *w, frac a, frac b, frac *at)
{
	if (cmp(b, a) <= 0)
		return;
	frac shift = sub(*at, a);
	for (size_t i = 0; i < w->n_notes; i++)
		if (cmp(w->notes[i].start, a) >= 0 && cmp(w->notes[i].start, b) < 0)
			push_note(m, dbl(add(w->notes[i].start, shift)), dbl(w->notes[i].dur),
			          w->notes[i].pitch);
	for (size_t i = 0; i < w->n_chords; i++)
		if (cmp(w->chords[i].time, a) >= 0 && cmp(w->chords[i].time, b) < 0) {
			BJ_GROW(m->chords, m->cap_chords, m->n_chords + 1);
			score_chord *c = &m->chords[m->n_chords++];
			c->start = dbl(add(w->chords[i].time, shift));
			snprintf(c->name, sizeof(c->name), "%s", w->chords[i].name);
		}
	for (size_t i = 0; i < w->n_bars; i++)
		if (w->bars[i].voice == 0 && cmp(w->bars[i].time, a) > 0 && cmp(w->bars[i].time, b) <= 0) {
			BJ_GROW(m->bars, m->cap_bars, m->n_bars + 1);
			m->bars[m->n_bars++] = dbl(add(w->bars[i].time, shift));
		}
	*at = add(*at, sub(b, a));
}

static int cmp_notes(const void *a, const void *b)
{
	const score_note *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->pitch - y->pitch;
}

int score_music_from_abc(const score_abc_tune *t, score_music *m)
{
	memset(m, 0, sizeof(*m));
	struct walk w;
	char why[200];
	if (walk(t, &w, why, sizeof(why)) < 0) {
		walk_release(&w);
		return bj_error_set(BJ_EFORMAT, "%s", why);
	}
	const char *hm = score_abc_header(t, 'M'), *hk = score_abc_header(t, 'K');
	if (hm)
		score_meter_parse(hm, &m->meter_num, &m->meter_den);
	if (hk)
		score_key_parse(hk, &m->key);
	const char *hq = score_abc_header(t, 'Q');
	if (hq)
		m->qpm = parse_tempo(hq, w.unit);
	/* Repeats: play [pos, t) then again from the repeat's start; a first
	 * ending is skipped the second time round. */
	frac at = mk(0, 1), pos = mk(0, 1), rs = mk(0, 1), first = mk(-1, 1);
	for (size_t i = 0; i < w.n_bars; i++) {
		const struct wbar *b = &w.bars[i];
		if (b->voice)
			continue;
		if (b->text[0] == ':') {
			play_range(m, &w, pos, b->time, &at);
			play_range(m, &w, rs, first.n >= 0 ? first : b->time, &at);
			pos = b->time;
			first = mk(-1, 1);
			rs = b->time;
		} else if (strchr(b->text, ':')) {
			rs = b->time;
		}
		if (b->ending == 1)
			first = b->time;
		else if (b->ending >= 2 && first.n >= 0 && cmp(first, b->time) < 0)
			first = mk(-1, 1);
	}
	play_range(m, &w, pos, w.time, &at);
	m->length = dbl(at);
	qsort(m->notes, m->n_notes, sizeof(*m->notes), cmp_notes);
	walk_release(&w);
	return 0;
}

void score_music_release(score_music *m)
{
	free(m->notes);
	free(m->chords);
	free(m->bars);
	memset(m, 0, sizeof(*m));
}
