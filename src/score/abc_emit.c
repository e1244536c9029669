/*
 * abc_emit.c - score_abc_emit: a parsed tune back to ABC text, in a canonical
 * form that parses to an equal tune.
 */
#include "score/abc.h"

static void put_length(score_sbuf *b, int32_t num, int32_t den)
{
	if (num != 1)
		score_sbuf_addf(b, "%d", (int)num);
	if (den == 2)
		score_sbuf_putc(b, '/');
	else if (den != 1)
		score_sbuf_addf(b, "/%d", (int)den);
}

static void put_note(score_sbuf *b, const score_abc_item *it)
{
	static const char *const acc[] = { "__", "_", "", "^", "^^", "=" };
	score_sbuf_puts(b, acc[it->accidental + 2]);
	int oct = it->octave;
	score_sbuf_putc(b, oct >= 1 ? (char)(it->letter - 'A' + 'a') : it->letter);
	for (; oct > 1; oct--)
		score_sbuf_putc(b, '\'');
	for (; oct < 0; oct++)
		score_sbuf_putc(b, ',');
	put_length(b, it->num, it->den);
	if (it->tie)
		score_sbuf_putc(b, '-');
}

void score_abc_emit(const score_abc_tune *t, score_sbuf *b)
{
	for (size_t i = 0; i < t->n; i++) {
		const score_abc_item *it = &t->items[i];
		const char *text = score_abc_text(t, it);
		switch ((enum score_abc_kind)it->kind) {
		case SCORE_ABC_FIELD:
			if (it->num)
				score_sbuf_addf(b, "[%c:%s]", it->letter, text);
			else if (i < t->n_header)
				score_sbuf_addf(b, "%c:%s\n", it->letter, text);
			else   /* its EOL follows; "T: :x" would read as music without the space */
				score_sbuf_addf(b, "%c:%s%s", it->letter,
				                text[0] == ':' || text[0] == '|' ? " " : "", text);
			break;
		case SCORE_ABC_NOTE:
			put_note(b, it);
			break;
		case SCORE_ABC_REST:
			score_sbuf_putc(b, it->letter);
			put_length(b, it->num, it->den);
			if (it->tie)
				score_sbuf_putc(b, '-');
			break;
		case SCORE_ABC_CHORD_OPEN:
			score_sbuf_putc(b, '[');
			break;
		case SCORE_ABC_CHORD_CLOSE:
			score_sbuf_putc(b, ']');
			put_length(b, it->num, it->den);
			if (it->tie)
				score_sbuf_putc(b, '-');
			break;
		case SCORE_ABC_BAR:
			/* Two bar lines in a row would read as one: '`' (ignored by
			 * parsers) keeps them apart. */
			if (i > 0 && t->items[i - 1].kind == SCORE_ABC_BAR)
				score_sbuf_putc(b, '`');
			/* Nor may a line start like a field: "P:" after a decoration P. */
			else if (text[0] == ':' && b->len && ((b->s[b->len - 1] | 0x20) >= 'a' &&
			         (b->s[b->len - 1] | 0x20) <= 'z') && (b->len == 1 || b->s[b->len - 2] == '\n'))
				score_sbuf_putc(b, '`');
			score_sbuf_puts(b, text);
			break;
		case SCORE_ABC_ENDING:
			score_sbuf_addf(b, "[%s", text);
			break;
		case SCORE_ABC_TUPLET:
			score_sbuf_addf(b, "(%d", (int)it->num);
			if (it->den || it->r)
				score_sbuf_putc(b, ':');
			if (it->den)
				score_sbuf_addf(b, "%d", (int)it->den);
			if (it->r)
				score_sbuf_addf(b, ":%d", (int)it->r);
			break;
		case SCORE_ABC_BROKEN:
			for (int k = 0; k < it->num; k++)
				score_sbuf_putc(b, it->letter);
			break;
		case SCORE_ABC_SLUR_OPEN:
			score_sbuf_putc(b, '(');
			break;
		case SCORE_ABC_SLUR_CLOSE:
			score_sbuf_putc(b, ')');
			break;
		case SCORE_ABC_GRACE_OPEN:
			score_sbuf_puts(b, it->letter == '/' ? "{/" : "{");
			break;
		case SCORE_ABC_GRACE_CLOSE:
			score_sbuf_putc(b, '}');
			break;
		case SCORE_ABC_TEXT:
			score_sbuf_addf(b, "\"%s\"", text);
			break;
		case SCORE_ABC_DECORATION:
			if (it->letter == '!' || it->letter == '+')
				score_sbuf_addf(b, "%c%s%c", it->letter, text, it->letter);
			else
				score_sbuf_putc(b, it->letter);
			break;
		case SCORE_ABC_SPACE:
			score_sbuf_putc(b, ' ');
			break;
		case SCORE_ABC_SPACER:
			score_sbuf_putc(b, 'y');
			break;
		case SCORE_ABC_OVERLAY:
			score_sbuf_putc(b, '&');
			break;
		case SCORE_ABC_CONTINUE:
			score_sbuf_putc(b, '\\');
			break;
		case SCORE_ABC_EOL:
			score_sbuf_putc(b, '\n');
			break;
		}
	}
}
