/*
 * report_cut.c - the screenplay beside its shots (see report_cut.h).
 */
#include "film/report_cut.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "film/render.h"
#include "film/report_frames.h"
#include "media/imagefile.h"
#include "text/markup.h"

#define FRAMES 3
#define JPEG_QUALITY 80

/* What a director reads for each feature of film/pick.h. */
static const struct {
	const char *name, *label;
} feature_labels[] = {
	{ "length", "long enough" },       { "trim", "room to trim its edges" },
	{ "speech", "voices in its sound" }, { "identity", "the speaker on screen" },
	{ "face", "a face on screen" },    { "close", "close-up" },
	{ "no_face", "no face (establishing)" }, { "motion", "motion" },
	{ "still", "stillness" },          { "daynight", "day/night as the heading" },
	{ "place", "interior/exterior as the heading" },
	{ "same_film", "same film as the last shot" },
	{ "look", "look matches the scene" }, { "variety", "variety (seeded tie-break)" },
};

static const char *feature_label(const char *name)
{
	for (size_t i = 0; i < sizeof(feature_labels) / sizeof(feature_labels[0]); i++)
		if (!strcmp(feature_labels[i].name, name))
			return feature_labels[i].label;
	return name;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static void clock_text(text_buf *h, double s)
{
	int m = (int)(s / 60);
	text_buf_addf(h, "%d:%04.1f", m, s - 60 * m);
}

/* One clip's pictures: JPEGs of its frames, or why there are none. */
struct pics {
	uint8_t *jpeg[FRAMES];
	size_t size[FRAMES];
	char *error;
};

static void take_pictures(const film_clip *c, int w, int h, struct pics *p)
{
	media_image *img[FRAMES];
	memset(p, 0, sizeof(*p));
	if (film_report_frames(c, FRAMES, w, h, img) < 0) {
		p->error = bj_xstrdup(bj_error_message());
		return;
	}
	for (int k = 0; k < FRAMES; k++) {
		p->jpeg[k] = media_image_encode_jpeg(img[k], JPEG_QUALITY, &p->size[k]);
		if (!p->jpeg[k] && !p->error)
			p->error = bj_xstrdup(bj_error_message());
		media_image_free(img[k]);
	}
}

static void pics_release(struct pics *p)
{
	for (int k = 0; k < FRAMES; k++)
		free(p->jpeg[k]);
	free(p->error);
}

struct feature_row {
	const char *name;
	double value, weight;
};

static int by_points(const void *a, const void *b)
{
	const struct feature_row *x = a, *y = b;
	double px = x->value * x->weight, py = y->value * y->weight;
	return px < py ? 1 : px > py ? -1 : strcmp(x->name, y->name);
}

/* The table of why: features by the points they gave, each value drawn as a
 * bar, and the runner-up. */
static void why_table(text_buf *h, const json_t *why)
{
	const json_t *features = json_object_get(why, "features");
	size_t n = json_object_size(features), k = 0;
	if (n) {
		struct feature_row *rows = bj_xcalloc(n, sizeof(*rows));
		const char *name;
		const json_t *f;
		json_object_foreach((json_t *)features, name, f) {
			rows[k].name = name;
			rows[k].value = json_number_value(json_object_get(f, "value"));
			rows[k].weight = json_number_value(json_object_get(f, "weight"));
			k++;
		}
		qsort(rows, k, sizeof(*rows), by_points);
		text_buf_adds(h, "<table class=\"why\"><tr><th>what the line needs</th><th>shot has</th>"
		                 "<th>weight</th><th>points</th></tr>");
		size_t missing = 0;
		for (size_t i = 0; i < k; i++) {
			double v = rows[i].value, pts = v * rows[i].weight;
			if (v == 0) {   /* listed on one line after the table */
				missing++;
				continue;
			}
			text_buf_adds(h, "<tr><td>");
			film_html_text(h, feature_label(rows[i].name));
			text_buf_addf(h, "</td><td><span class=\"meter\"><span style=\"width:%.0f%%\">"
			                    "</span></span>%.2f</td><td>&times;%.2g</td><td>%.2f</td></tr>",
			                 100 * fmin(fmax(v, 0), 1), v, rows[i].weight, pts);
		}
		const json_t *total = json_object_get(why, "total");
		if (json_is_number(total))
			text_buf_addf(h, "<tr class=\"total\"><td colspan=\"3\">total</td><td>%.2f</td>"
			                    "</tr>", json_number_value(total));
		text_buf_adds(h, "</table>");
		if (missing) {
			text_buf_adds(h, "<p class=\"runner\">not in this shot: ");
			for (size_t i = 0, j = 0; i < k; i++)
				if (rows[i].value == 0) {
					text_buf_adds(h, j++ ? ", " : "");
					film_html_text(h, feature_label(rows[i].name));
				}
			text_buf_adds(h, "</p>");
		}
		free(rows);
	}
	const json_t *ru = json_object_get(why, "runner_up");
	if (json_is_object(ru)) {
		const char *film = json_string_value(json_object_get(ru, "film"));
		text_buf_adds(h, "<p class=\"runner\">runner-up: ");
		film_html_text(h, film ? base_name(film) : "?");
		text_buf_addf(h, " shot %lld, %.2f",
		                 (long long)json_integer_value(json_object_get(ru, "number")),
		                 json_number_value(json_object_get(ru, "total")));
		const json_t *total = json_object_get(why, "total");
		if (json_is_number(total))
			text_buf_addf(h, " (%.2f behind)",
			                 json_number_value(total) - json_number_value(json_object_get(ru, "total")));
		text_buf_adds(h, "</p>");
	}
	if (json_is_true(json_object_get(why, "reused")))
		text_buf_adds(h, "<p class=\"runner\">reused: every shot that fits had been used</p>");
}

static void clip_card(text_buf *h, const film_clip *c, size_t index, const struct pics *p, int w,
                      int hh)
{
	json_t *why = c->why ? json_loads(c->why, JSON_DECODE_ANY, NULL) : NULL;
	text_buf_addf(h, "<div class=\"clip\" id=\"clip%zu\"><div class=\"frames\">", index + 1);
	char attrs[96];
	snprintf(attrs, sizeof attrs, "width=\"%d\" height=\"%d\" alt=\"frame\"", w, hh);
	for (int k = 0; k < FRAMES && !p->error; k++)
		film_html_image(h, "image/jpeg", p->jpeg[k], p->size[k], attrs);
	if (p->error) {
		text_buf_adds(h, "<div class=\"nopic\">no pictures: ");
		film_html_text(h, p->error);
		text_buf_adds(h, "</div>");
	}
	text_buf_adds(h, "</div><div class=\"about\"><div class=\"caption\"><span class=\"tc\">");
	clock_text(h, c->at);
	text_buf_adds(h, "&ndash;");
	clock_text(h, c->at + c->out - c->in);
	text_buf_adds(h, "</span> <b>");
	film_html_text(h, base_name(c->source));
	text_buf_adds(h, "</b>");
	const json_t *shot = json_object_get(why, "shot");
	if (json_is_integer(json_object_get(shot, "number")))
		text_buf_addf(h, " shot %lld", (long long)json_integer_value(json_object_get(shot, "number")));
	if (c->still)
		text_buf_addf(h, " &middot; still, %.1f s, %s", c->out - c->in,
		              c->has_effect ? "its pan and zoom" : "the render's pan and zoom");
	else
		text_buf_addf(h, " &middot; %.1f&ndash;%.1f s", c->in, c->out);
	const json_t *total = json_object_get(why, "total");
	if (json_is_number(total))
		text_buf_addf(h, " <span class=\"score\">score %.2f</span>", json_number_value(total));
	text_buf_adds(h, "</div>");
	if (why)
		why_table(h, why);
	text_buf_adds(h, "</div></div>");
	json_decref(why);
}

static int source_line(const film_clip *c)
{
	json_t *why = c->why ? json_loads(c->why, JSON_DECODE_ANY, NULL) : NULL;
	int line = (int)json_integer_value(json_object_get(why, "source_line"));
	json_decref(why);
	return line;
}

static void plain(text_buf *h, const char *text)
{
	text_styled st;
	text_styled_init(&st, text);
	film_html_text(h, st.plain);
	text_styled_release(&st);
}

/* The screenplay markup of element e. */
static void element(text_buf *h, const text_element *e)
{
	static const char *const cls[TEXT_ELEMENT_TYPES] = {
		[TEXT_ACTION] = "action",       [TEXT_SCENE_HEADING] = "heading",
		[TEXT_CHARACTER] = "cue",       [TEXT_DIALOGUE] = "dialogue",
		[TEXT_PARENTHETICAL] = "paren", [TEXT_LYRICS] = "dialogue",
		[TEXT_TRANSITION] = "transition", [TEXT_CENTERED] = "centered",
	};
	const char *c = cls[e->type] ? cls[e->type] : "action";
	text_buf_addf(h, "<div class=\"sp %s\">", c);
	plain(h, e->text);
	text_buf_adds(h, "</div>");
}

static int is_speech(text_element_type t)
{
	return t == TEXT_CHARACTER || t == TEXT_DIALOGUE || t == TEXT_PARENTHETICAL ||
	       t == TEXT_LYRICS;
}

void film_report_cut(const film_timeline *t, const text_screenplay *sp, uint64_t seed, int w,
                     int h, bj_progress *bar, text_buf *sheet, text_buf *cut)
{
	struct pics *pics = bj_xcalloc(t->n_clips + 1, sizeof(*pics));
	int *lines = bj_xcalloc(t->n_clips + 1, sizeof(*lines));
	char attrs[128];
	for (size_t i = 0; i < t->n_clips; i++) {
		film_clip seen = t->clips[i];   /* a still moves as the render moves it */
		if (seen.still && !seen.has_effect) {
			film_still_move(seed, i, &seen.from, &seen.to);
			seen.has_effect = 1;
		}
		take_pictures(&seen, w, h, &pics[i]);
		lines[i] = source_line(&t->clips[i]);
		if (bar)
			bj_progress_set(bar, i + 1, base_name(t->clips[i].source));
		/* the contact sheet: the middle frame of each clip, linked to its card */
		text_buf_addf(sheet, "<a href=\"#clip%zu\" title=\"", i + 1);
		film_html_text(sheet, base_name(t->clips[i].source));
		text_buf_adds(sheet, "\">");
		snprintf(attrs, sizeof attrs, "width=\"%d\" height=\"%d\" alt=\"clip %zu\"", w / 2, h / 2,
		         i + 1);
		if (!pics[i].error)
			film_html_image(sheet, "image/jpeg", pics[i].jpeg[FRAMES / 2],
			                pics[i].size[FRAMES / 2], attrs);
		else
			text_buf_addf(sheet, "<span class=\"nopic\" style=\"width:%dpx;height:%dpx\">"
			                        "</span>", w / 2, h / 2);
		text_buf_adds(sheet, "</a>");
	}
	char *shown = bj_xcalloc(t->n_clips + 1, 1);
	int scene = 0;
	for (size_t i = 0; sp && i < sp->n_elements;) {
		const text_element *e = &sp->elements[i];
		/* a row: a speech (cue, parentheticals and lines) or one element */
		size_t end = i + 1;
		if (e->type == TEXT_CHARACTER)
			while (end < sp->n_elements && is_speech(sp->elements[end].type) &&
			       sp->elements[end].type != TEXT_CHARACTER)
				end++;
		if (e->type == TEXT_SCENE_HEADING)
			text_buf_addf(cut, "<h3 class=\"scene\">Scene %d</h3>", ++scene);
		text_buf_adds(cut, "<div class=\"row\"><div class=\"script\">");
		for (size_t k = i; k < end; k++)
			element(cut, &sp->elements[k]);
		text_buf_adds(cut, "</div><div class=\"shots\">");
		for (size_t c = 0; c < t->n_clips; c++)
			for (size_t k = i; k < end; k++)
				if (lines[c] && lines[c] == sp->elements[k].line && !shown[c]) {
					clip_card(cut, &t->clips[c], c, &pics[c], w, h);
					shown[c] = 1;
				}
		text_buf_adds(cut, "</div></div>");
		i = end;
	}
	int others = 0;
	for (size_t c = 0; c < t->n_clips; c++)
		if (!shown[c]) {
			if (!others++)
				text_buf_adds(cut, "<h3 class=\"scene\">Shots not tied to a line of the "
				                   "screenplay</h3><div class=\"row\"><div class=\"script\"></div>"
				                   "<div class=\"shots\">");
			clip_card(cut, &t->clips[c], c, &pics[c], w, h);
		}
	if (others)
		text_buf_adds(cut, "</div></div>");
	for (size_t i = 0; i < t->n_clips; i++)
		pics_release(&pics[i]);
	free(pics);
	free(lines);
	free(shown);
}
