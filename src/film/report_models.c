/*
 * report_models.c - models and their learning curves (see report_models.h).
 */
#include "film/report_models.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/safetensors.h"
#include "film/report_plot.h"

struct curve {
	double *step, *train, *val;
	size_t n, cap;
};

static void add_point(struct curve *c, double step, double train, double val)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->step = bj_xrealloc(c->step, c->cap * sizeof(double));
		c->train = bj_xrealloc(c->train, c->cap * sizeof(double));
		c->val = bj_xrealloc(c->val, c->cap * sizeof(double));
	}
	c->step[c->n] = step;
	c->train[c->n] = train;
	c->val[c->n] = val;
	c->n++;
}

/* "step,train,val;..." (nn/trainer.h); stops at the first malformed point. */
static void parse_curve(const char *text, struct curve *c)
{
	for (const char *p = text; p && *p;) {
		char *end;
		double step = strtod(p, &end);
		if (*end != ',')
			return;
		double train = strtod(end + 1, &end);
		if (*end != ',')
			return;
		end++;
		double val = *end && *end != ';' ? strtod(end, &end) : NAN;
		add_point(c, step, train, val);
		p = *end == ';' ? end + 1 : NULL;
	}
}

/* The CSV of `benjamin train` beside the model: step,chars,seconds,lr,train_bpc,val_bpc. */
static void read_csv(const char *model, struct curve *c)
{
	size_t n = strlen(model);
	const char *ext = ".safetensors";
	size_t e = strlen(ext);
	char *csv = n > e && !strcmp(model + n - e, ext) ? bj_xasprintf("%.*s.csv", (int)(n - e), model)
	                                                   : bj_xasprintf("%s.csv", model);
	FILE *f = fopen(csv, "r");
	free(csv);
	if (!f)
		return;
	char line[512];
	while (fgets(line, sizeof line, f)) {
		double step, chars, secs, lr, train;
		char val[64] = "";
		if (sscanf(line, "%lf,%lf,%lf,%lf,%lf,%63s", &step, &chars, &secs, &lr, &train, val) >= 5)
			add_point(c, step, train, val[0] ? strtod(val, NULL) : NAN);
	}
	fclose(f);
}

static void curve_release(struct curve *c)
{
	free(c->step);
	free(c->train);
	free(c->val);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* A fact from the metadata as "<dt>label</dt><dd>value unit</dd>", if present. */
static void fact(text_buf *h, const bj_safetensors *st, const char *key, const char *label,
                 const char *unit)
{
	const char *v = bj_safetensors_meta(st, key);
	if (!v)
		return;
	text_buf_adds(h, "<dt>");
	film_html_text(h, label);
	text_buf_adds(h, "</dt><dd>");
	film_html_text(h, v);
	if (unit)
		text_buf_addf(h, " %s", unit);
	text_buf_adds(h, "</dd>");
}

static void model(text_buf *h, const char *role, const char *path)
{
	text_buf_adds(h, "<div class=\"model\"><h4>");
	film_html_text(h, role);
	text_buf_adds(h, " <span class=\"muted\">");
	film_html_text(h, base_name(path));
	text_buf_adds(h, "</span></h4>");
	bj_safetensors *st;
	if (bj_safetensors_load(path, &st) < 0) {
		text_buf_adds(h, "<p class=\"muted\">cannot read it: ");
		film_html_text(h, bj_error_message());
		text_buf_adds(h, "</p></div>");
		bj_error_clear();
		return;
	}
	text_buf_adds(h, "<div class=\"model-body\"><dl>");
	fact(h, st, "charlm.layers", "LSTM layers", NULL);
	fact(h, st, "charlm.hidden", "units a layer", NULL);
	fact(h, st, "charlm.vocab", "symbols", NULL);
	fact(h, st, "train.step", "steps trained", NULL);
	fact(h, st, "train.chars", "characters read", NULL);
	const char *secs = bj_safetensors_meta(st, "train.seconds");
	double t = secs ? strtod(secs, NULL) : -1;
	if (t >= 60)
		text_buf_addf(h, "<dt>training time</dt><dd>%.1f min</dd>", t / 60);
	else if (t >= 0)
		text_buf_addf(h, "<dt>training time</dt><dd>%.1f s</dd>", t);
	fact(h, st, "train.val_bpc", "held-out loss", "bits/char");
	fact(h, st, "composer.corpus.tunes", "tunes learnt", NULL);
	text_buf_adds(h, "</dl>");
	struct curve c = { 0 };
	parse_curve(bj_safetensors_meta(st, "train.curve"), &c);
	if (!c.n)
		read_csv(path, &c);
	if (c.n) {
		film_plot_series s[2] = {
			{ "training", c.step, c.train, c.n, 0x3b6ea5, 0 },
			{ "held out", c.step, c.val, c.n, 0xd0672c, 1 },
		};
		int has_val = 0;
		for (size_t i = 0; i < c.n; i++)
			has_val |= !isnan(c.val[i]);
		size_t size;
		char title[160];
		snprintf(title, sizeof title, "%s: learning curve", role);
		uint8_t *png = film_plot_lines(title, "training step", "loss (bits/char)", s,
		                               has_val ? 2 : 1, 680, 260, &size);
		if (png) {
			film_html_image(h, "image/png", png, size,
			                "class=\"plot\" width=\"680\" height=\"260\" alt=\"learning curve\"");
			free(png);
		}
	} else {
		text_buf_adds(h, "<p class=\"muted plot-none\">No learning curve is stored with this "
		                 "model (trained before benjamin kept one); train it again to see it.</p>");
	}
	text_buf_adds(h, "</div></div>");
	curve_release(&c);
	bj_safetensors_free(st);
}

void film_report_models(text_buf *h, const char *const *roles, const char *const *paths,
                        size_t n)
{
	if (!n)
		text_buf_adds(h, "<p class=\"muted\">No model is recorded for this film.</p>");
	for (size_t i = 0; i < n; i++)
		model(h, roles[i], paths[i]);
}
