/*
 * report.c - report.html from a film's folder (see report.h): gathers what
 * the stages left, lays out the page and writes it atomically.  The sections
 * are drawn by report_cut.c, report_cast.c and report_models.c.
 */
#include "film/report.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"
#include "base/json.h"
#include "base/progress.h"
#include "film/report_cast.h"
#include "film/report_cut.h"
#include "film/report_html.h"
#include "film/report_models.h"
#include "film/report_plot.h"
#include "film/report_style.h"
#include "film/timeline.h"
#include "media/decoder.h"
#include "text/fountain.h"

#define THUMB_W 320   /* thumbnail width in pixels (shown at about 220) */

static char *in_dir(const char *dir, const char *file)
{
	return bj_xasprintf("%s/%s", dir, file);
}

/* The frame's aspect: the film's own (film.mp4), the timeline's, or 16:9. */
static double aspect(const char *dir, const film_timeline *t)
{
	char *mp4 = in_dir(dir, "film.mp4");
	media_decoder *d;
	double a = t->width > 0 && t->height > 0 ? (double)t->width / t->height : 16.0 / 9.0;
	if (media_decoder_open(mp4, &d) == 0) {
		const media_info *info = media_decoder_info(d);
		if (info->video >= 0 && info->streams[info->video].height > 0)
			a = (double)info->streams[info->video].width / info->streams[info->video].height;
		media_decoder_close(d);
	}
	bj_error_clear();
	free(mp4);
	return a;
}

static void fact(text_buf *h, const char *label, const char *value)
{
	text_buf_adds(h, "<div><dt>");
	film_html_text(h, label);
	text_buf_adds(h, "</dt><dd>");
	film_html_text(h, value);
	text_buf_adds(h, "</dd></div>");
}

static void clock_text(char *buf, size_t size, double s)
{
	int m = (int)(s / 60);
	snprintf(buf, size, "%d:%04.1f", m, s - 60 * m);
}

static void header(text_buf *h, const film_timeline *t, const text_screenplay *sp)
{
	char buf[64];
	text_buf_adds(h, "<header><div class=\"kicker\">Director&rsquo;s report</div><h1>");
	film_html_text(h, t->title);
	text_buf_adds(h, "</h1><p class=\"by\">written, directed and edited by benjamin"
	                 "<span class=\"ai\">AI-GENERATED</span></p><dl class=\"facts\">");
	double len = film_timeline_duration(t);
	snprintf(buf, sizeof buf, "%d:%02d", (int)(len / 60), (int)fmod(len, 60));
	fact(h, "length", buf);
	int scenes = 0;
	for (size_t i = 0; i < t->n_clips; i++)
		scenes = t->clips[i].scene > scenes ? t->clips[i].scene : scenes;
	if (sp && sp->n_scenes)
		scenes = (int)sp->n_scenes;
	snprintf(buf, sizeof buf, "%d", scenes);
	fact(h, "scenes", buf);
	snprintf(buf, sizeof buf, "%zu", t->n_clips);
	fact(h, "shots", buf);
	size_t lines = 0;
	for (size_t i = 0; sp && i < sp->n_elements; i++)
		lines += sp->elements[i].type == TEXT_DIALOGUE;
	snprintf(buf, sizeof buf, "%zu", sp ? lines : t->n_lines);
	fact(h, "lines", buf);
	size_t sources = 0;
	for (size_t i = 0; i < t->n_clips; i++) {
		size_t k = 0;
		while (k < i && strcmp(t->clips[k].source, t->clips[i].source))
			k++;
		sources += k == i;
	}
	snprintf(buf, sizeof buf, "%zu", sources);
	fact(h, "sources", buf);
	text_buf_adds(h, "</dl></header><nav><a href=\"#glance\">EVERY SHOT</a>"
	                 "<a href=\"#cut\">SCREENPLAY &amp; SHOTS</a><a href=\"#cast\">CAST</a>"
	                 "<a href=\"#models\">MODELS</a><a href=\"#making\">MAKING OF</a></nav>");
}

/* The stages of make.json: a bar chart of what each took to make and a table. */
static void timings(text_buf *h, const json_t *make)
{
	const json_t *stages = json_object_get(make, "stages");
	size_t n = json_array_size(stages);
	if (!n) {
		text_buf_adds(h, "<p class=\"muted\">No make.json here: the film was not made by "
		                 "<code>benjamin make</code>.</p>");
		return;
	}
	const char **labels = bj_xcalloc(n, sizeof(*labels));
	double *values = bj_xcalloc(n, sizeof(*values)), total = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *s = json_array_get(stages, i);
		labels[i] = json_string_value(json_object_get(s, "name"));
		if (!labels[i])
			labels[i] = "?";
		const json_t *made = json_object_get(s, "made_seconds");
		values[i] = json_is_number(made) ? json_number_value(made) : -1;
		total += fmax(values[i], 0);
	}
	size_t size;
	uint8_t *png = film_plot_bars("Time to make each stage", labels, values, n, "s", 520, &size);
	text_buf_adds(h, "<div class=\"timings\"><div>");
	if (png) {
		char attrs[96];
		snprintf(attrs, sizeof attrs, "class=\"plot\" width=\"520\" height=\"%d\" alt=\"stage times\"",
		         (int)(40 + 26 * n + 14));
		film_html_image(h, "image/png", png, size, attrs);
		free(png);
	}
	text_buf_adds(h, "</div><div><table class=\"stages\"><tr><th>stage</th><th>made in</th>"
	                 "<th>last run</th><th>key</th></tr>");
	for (size_t i = 0; i < n; i++) {
		const json_t *s = json_array_get(stages, i);
		const char *key = json_string_value(json_object_get(s, "key"));
		text_buf_adds(h, "<tr><td>");
		film_html_text(h, labels[i]);
		if (values[i] >= 0)
			text_buf_addf(h, "</td><td class=\"n\">%.2f s</td>", values[i]);
		else
			text_buf_adds(h, "</td><td class=\"n\">&ndash;</td>");
		if (json_is_true(json_object_get(s, "skipped")))
			text_buf_adds(h, "<td>up to date</td>");
		else
			text_buf_addf(h, "<td class=\"n\">%.2f s</td>",
			                 json_number_value(json_object_get(s, "seconds")));
		text_buf_adds(h, "<td><code>");
		film_html_text(h, key ? key : "");
		text_buf_adds(h, "</code></td></tr>");
	}
	text_buf_addf(h, "<tr><td><b>all</b></td><td class=\"n\"><b>%.2f s</b></td><td></td><td>"
	                    "</td></tr></table><p class=\"muted\">&ldquo;made in&rdquo;: what making "
	                    "the stage took, in the run that made it; each stage works in "
	                    "<code>.stages/&lt;stage&gt;-&lt;key&gt;/</code>.</p></div></div>", total);
	free(labels);
	free(values);
}

static void cut_intro(text_buf *h, const film_timeline *t)
{
	char a[32], b[32];
	text_buf_adds(h, "<p class=\"muted\">");
	if (t->title_card.present) {
		clock_text(a, sizeof a, t->title_card.at);
		clock_text(b, sizeof b, t->title_card.at + t->title_card.duration);
		text_buf_addf(h, "Title card %s&ndash;%s. ", a, b);
	}
	text_buf_adds(h, "Each shot shows three frames from its span and the score that chose it: "
	                 "what the line needs, how much of it the shot has, the weight the director "
	                 "gives it, and the runner-up it beat.");
	if (t->credits.present) {
		clock_text(a, sizeof a, t->credits.at);
		text_buf_addf(h, " Credits from %s.", a);
	}
	text_buf_adds(h, "</p>");
}

/* The models: make.json's "models" (role: path), then the caller's. */
static void models(text_buf *h, const json_t *make, const film_report_opts *o)
{
	const json_t *m = json_object_get(make, "models");
	size_t n = json_object_size(m) + o->n_models, k = 0;
	const char **roles = bj_xcalloc(n + 1, sizeof(*roles)), **paths = bj_xcalloc(n + 1, sizeof(*paths));
	const char *role;
	const json_t *path;
	json_object_foreach((json_t *)m, role, path)
		if (json_is_string(path)) {
			roles[k] = role;
			paths[k++] = json_string_value(path);
		}
	for (size_t i = 0; i < o->n_models; i++) {
		roles[k] = "model";
		paths[k++] = o->models[i];
	}
	film_report_models(h, roles, paths, k);
	free(roles);
	free(paths);
}

int film_report_save(const film_report_opts *o)
{
	char *tl_path = in_dir(o->film_dir, "timeline.json");
	char *fountain = in_dir(o->film_dir, "film.fountain");
	char *make_path = in_dir(o->film_dir, "make.json");
	char *cast_path = in_dir(o->film_dir, "cast.json");
	char *out = o->out ? bj_xstrdup(o->out) : in_dir(o->film_dir, "report.html");
	film_timeline t;
	text_screenplay *sp = NULL;
	json_t *make = NULL;
	text_buf h = { 0 }, sheet = { 0 }, cut = { 0 };
	int ret = film_timeline_load(tl_path, &t);
	if (ret < 0)
		goto out;
	if (text_fountain_load(fountain, &sp) < 0)
		sp = NULL;
	if (bj_json_load(make_path, &make) < 0)
		make = NULL;
	bj_error_clear();
	double a = aspect(o->film_dir, &t);
	int tw = THUMB_W, th = 2 * (int)lround(THUMB_W / a / 2);
	if (th < 16)
		th = 16;
	bj_progress *bar = o->progress ? bj_progress_new("report", t.n_clips, "clips") : NULL;
	const json_t *js = json_object_get(make, "seed");
	uint64_t seed = o->seed >= 0 ? (uint64_t)o->seed
	                : json_is_integer(js) && json_integer_value(js) >= 0 ? (uint64_t)json_integer_value(js)
	                                                                      : 0;
	film_report_cut(&t, sp, seed, tw, th, bar, &sheet, &cut);
	bj_progress_finish(bar);

	text_buf_adds(&h, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
	                  "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
	film_html_text(&h, t.title);
	text_buf_addf(&h, " &mdash; director&rsquo;s report</title><style>%s</style></head><body>",
	                 film_report_css);
	header(&h, &t, sp);
	text_buf_adds(&h, "<main><section id=\"glance\"><h2>Every shot, in order</h2><div class=\"sheet\">");
	text_buf_adds(&h, sheet.s ? sheet.s : "");
	text_buf_adds(&h, "</div></section><section id=\"cut\"><h2>The screenplay and the shots</h2>");
	cut_intro(&h, &t);
	text_buf_adds(&h, cut.s ? cut.s : "");
	text_buf_adds(&h, "</section><section id=\"cast\"><h2>Cast</h2>");
	const char *library_db = json_string_value(json_object_get(make, "library"));
	film_report_cast(&h, cast_path, library_db, sp);
	text_buf_adds(&h, "</section><section id=\"models\"><h2>Models</h2>");
	models(&h, make, o);
	text_buf_adds(&h, "</section><section id=\"making\"><h2>Making of</h2>");
	timings(&h, make);
	text_buf_adds(&h, "</section></main><footer>report.html by benjamin &middot; an AI-generated "
	                  "film &middot; every picture is inside this file</footer></body></html>\n");
	ret = bj_file_write(out, h.s, h.len);
	film_timeline_release(&t);
out:
	text_buf_release(&h);
	text_buf_release(&sheet);
	text_buf_release(&cut);
	json_decref(make);
	text_screenplay_free(sp);
	free(tl_path);
	free(fountain);
	free(make_path);
	free(cast_path);
	free(out);
	return ret;
}
