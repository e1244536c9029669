#include "score/arrange.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

#define WHOLE (4 * SCORE_PPQ)    /* ticks of a whole note */

/* A chord of the harmony: from start to end (whole notes). */
struct span {
	double start, end;
	int root;                    /* pitch class */
	int pcs[4], n_pcs;
};

struct harmony {
	struct span *s;
	size_t n, cap;
};

static void add_span(struct harmony *h, double start, double end, int root, const int *pcs, int n)
{
	if (end <= start)
		return;
	BJ_GROW(h->s, h->cap, h->n + 1);
	struct span *s = &h->s[h->n++];
	s->start = start, s->end = end, s->root = root, s->n_pcs = n;
	memcpy(s->pcs, pcs, (size_t)n * sizeof(int));
}

/* "Am", "D7", "F#m", "Bb", "G/B", "Edim": root, triad (and a seventh). */
static int parse_chord(const char *s, int *root, int pcs[4], int *n, int *bass)
{
	static const int semis[7] = { 9, 11, 0, 2, 4, 5, 7 };
	if (s[0] < 'A' || s[0] > 'G')
		return -1;
	int r = semis[s[0] - 'A'];
	s++;
	if (*s == '#')
		r++, s++;
	else if (*s == 'b')
		r--, s++;
	r = (r + 12) % 12;
	int third = 4, fifth = 7, seventh = -1;
	if (strncmp(s, "maj", 3) == 0) {
		s += 3;
		if (*s == '7')
			seventh = 11, s++;
	} else if (strncmp(s, "dim", 3) == 0) {
		third = 3, fifth = 6, s += 3;
	} else if (strncmp(s, "aug", 3) == 0 || *s == '+') {
		fifth = 8, s += *s == '+' ? 1 : 3;
	} else if (*s == 'm') {
		third = 3, s++;
	}
	if (*s == '7' && seventh < 0)
		seventh = 10;
	*root = r;
	*bass = r;
	pcs[0] = r, pcs[1] = (r + third) % 12, pcs[2] = (r + fifth) % 12;
	*n = 3;
	if (seventh >= 0)
		pcs[(*n)++] = (r + seventh) % 12;
	const char *slash = strchr(s, '/');
	if (slash && slash[1] >= 'A' && slash[1] <= 'G') {
		int b = semis[slash[1] - 'A'];
		if (slash[2] == '#')
			b++;
		else if (slash[2] == 'b')
			b--;
		*bass = (b + 12) % 12;
	}
	return 0;
}

/* The scale of a key: seven pitch classes from the tonic. */
static void scale_of(const score_key *k, int scale[7])
{
	static const int major[7] = { 0, 2, 4, 5, 7, 9, 11 };
	int degree = 0;
	for (int i = 0; i < 7; i++)
		if (major[i] == k->mode)
			degree = i;
	int base = (k->tonic - k->mode + 12) % 12;
	for (int i = 0; i < 7; i++)
		scale[i] = (base + major[(degree + i) % 7]) % 12;
}

/* The diatonic triad that best fits the melody in [a, b): duration of
 * melody notes in the triad, a bias towards I, IV and V. */
static void fit_triad(const score_music *m, double a, double b, const int scale[7], int force_tonic,
                      int *root, int pcs[3])
{
	double best = -1.0;
	int pick = 0;
	for (int d = 0; d < 7 && !force_tonic; d++) {
		if (d == 6)
			continue;   /* the diminished triad on vii */
		int t[3] = { scale[d], scale[(d + 2) % 7], scale[(d + 4) % 7] };
		double score = d == 0 ? 0.30 : (d == 3 || d == 4) ? 0.15 : 0.0;
		score *= b - a;
		for (size_t i = 0; i < m->n_notes; i++) {
			const score_note *n = &m->notes[i];
			double s = fmax(n->start, a), e = fmin(n->start + n->dur, b);
			if (e <= s)
				continue;
			int pc = n->pitch % 12;
			if (pc == t[0] || pc == t[1] || pc == t[2])
				score += e - s;
		}
		if (score > best)
			best = score, pick = d;
	}
	*root = scale[pick];
	pcs[0] = scale[pick], pcs[1] = scale[(pick + 2) % 7], pcs[2] = scale[(pick + 4) % 7];
}

/* The harmony of one tune placed at offset. */
static void harmonize(const score_music *m, double offset, struct harmony *h)
{
	if (m->n_chords > 0) {
		for (size_t i = 0; i < m->n_chords; i++) {
			double end = i + 1 < m->n_chords ? m->chords[i + 1].start : m->length;
			int root, pcs[4], n, bass;
			if (parse_chord(m->chords[i].name, &root, pcs, &n, &bass) == 0)
				add_span(h, offset + m->chords[i].start, offset + end, bass, pcs, n);
		}
		if (h->n && m->chords[0].start > 0) {
			/* Before the first symbol (a pickup): the tonic. */
			int scale[7], t[3] = { 0, 0, 0 }, root;
			scale_of(&m->key, scale);
			fit_triad(m, 0, m->chords[0].start, scale, 1, &root, t);
			add_span(h, offset, offset + m->chords[0].start, root, t, 3);
		}
		return;
	}
	int scale[7];
	scale_of(&m->key, scale);
	/* Half bars where the meter has two strong beats. */
	int halves = m->meter_den && (m->meter_num == 4 || m->meter_num == 6 || m->meter_num == 2);
	double prev = 0.0;
	for (size_t i = 0; i <= m->n_bars; i++) {
		double end = i < m->n_bars ? m->bars[i] : m->length;
		if (end - prev <= 1e-9)
			continue;
		double mid = (prev + end) / 2;
		int last = i >= m->n_bars - 1;
		int root, pcs[3];
		if (halves && end - prev > 0.3) {
			fit_triad(m, prev, mid, scale, prev == 0.0, &root, pcs);
			add_span(h, offset + prev, offset + mid, root, pcs, 3);
			fit_triad(m, mid, end, scale, last, &root, pcs);
			add_span(h, offset + mid, offset + end, root, pcs, 3);
		} else {
			fit_triad(m, prev, end, scale, prev == 0.0 || last, &root, pcs);
			add_span(h, offset + prev, offset + end, root, pcs, 3);
		}
		prev = end;
	}
}

static int cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

static void add_event(score_arrangement *a, double start, double dur, int channel, int pitch,
                      int velocity)
{
	int64_t t0 = llround(start * WHOLE), t1 = llround((start + dur) * WHOLE);
	if (t0 >= a->ticks)
		return;
	if (t1 > a->ticks)
		t1 = a->ticks;
	if (t1 <= t0 || pitch < 0 || pitch > 127)
		return;
	BJ_GROW(a->events, a->cap, a->n + 1);
	a->events[a->n++] = (score_event){ t0, t1 - t0, (uint8_t)channel, (uint8_t)pitch,
	                                   (uint8_t)velocity };
}

/* pc placed in [lo, lo + 12). */
static int place(int pc, int lo)
{
	return lo + ((pc - lo) % 12 + 12) % 12;
}

static int cmp_event(const void *a, const void *b)
{
	const score_event *x = a, *y = b;
	if (x->tick != y->tick)
		return x->tick < y->tick ? -1 : 1;
	if (x->channel != y->channel)
		return x->channel - y->channel;
	return x->pitch - y->pitch;
}

int score_arrange(const score_music *tunes, size_t n_tunes, const score_arrange_opts *o,
                  score_arrangement *a)
{
	memset(a, 0, sizeof(*a));
	BJ_ASSERT(o->seconds > 0 && o->qpm > 0);
	a->seconds = o->seconds;
	a->program[0] = o->mood->melody, a->program[1] = o->mood->chords, a->program[2] = o->mood->bass;
	/* Bar lines of all the tunes, end to end, in whole notes. */
	double *bars = NULL;
	size_t nb = 0, capb = 0;
	struct harmony h = { 0 };
	double offset = 0.0;
	BJ_GROW(bars, capb, 1);
	bars[nb++] = 0.0;
	for (size_t t = 0; t < n_tunes; t++) {
		const score_music *m = &tunes[t];
		for (size_t i = 0; i < m->n_bars; i++)
			if (m->bars[i] > 1e-9 && offset + m->bars[i] > bars[nb - 1] + 1e-9) {
				BJ_GROW(bars, capb, nb + 1);
				bars[nb++] = offset + m->bars[i];
			}
		if (offset + m->length > bars[nb - 1] + 1e-9) {
			BJ_GROW(bars, capb, nb + 1);
			bars[nb++] = offset + m->length;
		}
		harmonize(m, offset, &h);
		offset += m->length;
	}
	if (nb < 2) {
		free(bars);
		free(h.s);
		return bj_error_set(BJ_EINVAL, "no bars to arrange");
	}
	qsort(h.s, h.n, sizeof(*h.s), cmp_span);
	/* The cut: the bar line e whose last phrase (up to 4 bars, from p) needs
	 * the smallest tempo change to end exactly at o->seconds. */
	double sec_per_whole = 240.0 / o->qpm;
	size_t best_e = nb - 1, best_p = 0;
	double best_cost = INFINITY;
	for (size_t e = 1; e < nb; e++) {
		size_t p = e > 4 ? e - 4 : 0;
		double before = bars[p] * sec_per_whole;
		if (before >= o->seconds)
			break;
		double f = (o->seconds - before) / ((bars[e] - bars[p]) * sec_per_whole);
		/* Prefer whole phrases: cuts on a multiple of 4 bars. */
		double cost = fabs(log(f)) + (e % 4 ? 0.05 : 0.0);
		if (cost < best_cost)
			best_cost = cost, best_e = e, best_p = p;
	}
	double end = bars[best_e], phrase = bars[best_p];
	double last_bar = bars[best_e - 1];
	a->ticks = llround(end * WHOLE);
	a->meter_num = tunes[0].meter_num ? tunes[0].meter_num : 4;
	a->meter_den = tunes[0].meter_den ? tunes[0].meter_den : 4;
	/* The tempo map: the tune's tempo, then the last phrase's. */
	uint32_t upq0 = (uint32_t)llround(60e6 / o->qpm);
	int64_t pt = llround(phrase * WHOLE);
	double before = (double)pt / SCORE_PPQ * upq0 / 1e6;
	double rest_q = (double)(a->ticks - pt) / SCORE_PPQ;
	uint32_t upq1 = (uint32_t)llround((o->seconds - before) * 1e6 / rest_q);
	if (pt > 0) {
		a->tempo[0] = (score_tempo){ 0, upq0 };
		a->tempo[1] = (score_tempo){ pt, upq1 };
		a->n_tempo = 2;
	} else {
		a->tempo[0] = (score_tempo){ 0, upq1 };
		a->n_tempo = 1;
	}
	/* The melody, but for the last bar. */
	offset = 0.0;
	int last_pitch = 0;
	for (size_t t = 0; t < n_tunes; t++) {
		const score_music *m = &tunes[t];
		for (size_t i = 0; i < m->n_notes; i++) {
			double s = offset + m->notes[i].start;
			if (s >= last_bar - 1e-9)
				break;
			add_event(a, s, fmin(m->notes[i].dur, last_bar - s), 0, m->notes[i].pitch,
			          o->mood->melody_vel);
			last_pitch = m->notes[i].pitch;
		}
		offset += m->length;
	}
	/* Chords and bass, but for the last bar. */
	for (size_t i = 0; i < h.n; i++) {
		const struct span *s = &h.s[i];
		if (s->start >= last_bar - 1e-9)
			break;
		double e = fmin(s->end, last_bar);
		for (int k = 0; k < s->n_pcs; k++)
			add_event(a, s->start, e - s->start, 1, place(s->pcs[k], 55), o->mood->chords_vel);
		double len = e - s->start;
		if (len >= 0.5 - 1e-9) {
			add_event(a, s->start, len / 2, 2, place(s->root, 36), o->mood->bass_vel);
			add_event(a, s->start + len / 2, len / 2, 2, place(s->pcs[2 % s->n_pcs], 36),
			          o->mood->bass_vel - 8);
		} else {
			add_event(a, s->start, len, 2, place(s->root, 36), o->mood->bass_vel);
		}
	}
	/* The cadence: the tonic held through the last bar. */
	const score_key *k = &tunes[0].key;
	int tonic = k->tonic, third = (k->tonic + (k->mode == 0 || k->mode == 5 || k->mode == 7 ? 4 : 3)) % 12;
	int top = last_pitch ? last_pitch : 72;
	int mel = place(tonic, top - 6);
	add_event(a, last_bar, end - last_bar, 0, mel, o->mood->melody_vel);
	int triad[3] = { tonic, third, (tonic + 7) % 12 };
	for (int i = 0; i < 3; i++)
		add_event(a, last_bar, end - last_bar, 1, place(triad[i], 55), o->mood->chords_vel);
	add_event(a, last_bar, end - last_bar, 2, place(tonic, 36), o->mood->bass_vel);
	qsort(a->events, a->n, sizeof(*a->events), cmp_event);
	free(bars);
	free(h.s);
	return 0;
}

void score_arrangement_release(score_arrangement *a)
{
	free(a->events);
	memset(a, 0, sizeof(*a));
}

double score_arrangement_time(const score_arrangement *a, int64_t tick)
{
	double s = 0.0;
	for (int i = 0; i < a->n_tempo; i++) {
		int64_t from = a->tempo[i].tick;
		int64_t to = i + 1 < a->n_tempo ? a->tempo[i + 1].tick : INT64_MAX;
		if (tick <= from)
			break;
		int64_t upto = tick < to ? tick : to;
		s += (double)(upto - from) / SCORE_PPQ * a->tempo[i].usec_per_quarter / 1e6;
	}
	return s;
}
