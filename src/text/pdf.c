#include "text/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/atomic.h"
#include "base/error.h"
#include "text/buf.h"

#define FONT_FAMILY "Courier Prime"
#define FONT_SIZE 12.0  /* points */
#define COL_PT 7.2      /* Courier's advance at 12 pt: 0.6 em, 10 characters an inch */
#define ROW_PT 12.0     /* 6 lines an inch */
#define BASELINE_PT 9.6 /* baseline below the top of a row: 4/5 of it */

/* The four faces of the family, by the file names fonts-courier-prime (and
 * the upstream release) give them. */
static const struct face {
	const char *file;
	int slant, weight;
	const char *style;
} faces[] = {
	{ "Courier Prime.otf", FC_SLANT_ROMAN, FC_WEIGHT_REGULAR, "Regular" },
	{ "Courier Prime Italic.otf", FC_SLANT_ITALIC, FC_WEIGHT_REGULAR, "Italic" },
	{ "Courier Prime Bold.otf", FC_SLANT_ROMAN, FC_WEIGHT_BOLD, "Bold" },
	{ "Courier Prime Bold Italic.otf", FC_SLANT_ITALIC, FC_WEIGHT_BOLD, "Bold Italic" },
};

static void add_xml_escaped(text_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': text_buf_adds(b, "&amp;"); break;
		case '<': text_buf_adds(b, "&lt;"); break;
		case '>': text_buf_adds(b, "&gt;"); break;
		case '"': text_buf_adds(b, "&quot;"); break;
		default: text_buf_addc(b, *s);
		}
	}
}

/* A fontconfig configuration holding only Courier Prime's faces, each tagged
 * with its real slant and weight by a scan-time rule (fonts-conf(5), "match
 * target=scan"): the packaged files all claim to be the regular face. */
static int font_config(FcConfig **out)
{
	*out = NULL;
	char *paths[BJ_ARRAY_SIZE(faces)] = { 0 };
	FcPattern *pat = FcPatternBuild(NULL, FC_FAMILY, FcTypeString, FONT_FAMILY, (char *)NULL);
	FcObjectSet *os = FcObjectSetBuild(FC_FILE, (char *)NULL);
	FcFontSet *fs = pat && os ? FcFontList(NULL, pat, os) : NULL;
	for (int i = 0; fs && i < fs->nfont; i++) {
		FcChar8 *file;
		if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) != FcResultMatch)
			continue;
		const char *base = strrchr((const char *)file, '/');
		base = base ? base + 1 : (const char *)file;
		for (size_t k = 0; k < BJ_ARRAY_SIZE(faces); k++)
			if (!paths[k] && strcmp(base, faces[k].file) == 0)
				paths[k] = bj_xstrdup((const char *)file);
	}
	if (fs)
		FcFontSetDestroy(fs);
	if (os)
		FcObjectSetDestroy(os);
	if (pat)
		FcPatternDestroy(pat);

	int ret = 0;
	FcConfig *cfg = NULL;
	text_buf xml = { 0 };
	if (!paths[0]) {
		ret = bj_error_set(BJ_EUNSUPPORTED, "font '%s' is not installed (Debian package "
		                   "fonts-courier-prime)", FONT_FAMILY);
		goto out;
	}
	text_buf_adds(&xml, "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n"
	                    "<fontconfig>\n");
	for (size_t k = 0; k < BJ_ARRAY_SIZE(faces); k++) {
		if (!paths[k])
			continue;
		text_buf_adds(&xml, "<match target=\"scan\"><test name=\"file\"><string>");
		add_xml_escaped(&xml, paths[k]);
		text_buf_addf(&xml, "</string></test>"
		              "<edit name=\"slant\" mode=\"assign\"><int>%d</int></edit>"
		              "<edit name=\"weight\" mode=\"assign\"><int>%d</int></edit>"
		              "<edit name=\"style\" mode=\"assign\"><string>%s</string></edit>"
		              "</match>\n", faces[k].slant, faces[k].weight, faces[k].style);
	}
	text_buf_adds(&xml, "</fontconfig>\n");
	cfg = FcConfigCreate();
	if (!cfg || !FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)xml.s, FcTrue)) {
		ret = bj_error_set(BJ_EUNSUPPORTED, "font '%s': cannot set up fontconfig", FONT_FAMILY);
		goto out;
	}
	for (size_t k = 0; k < BJ_ARRAY_SIZE(faces); k++)
		if (paths[k] && !FcConfigAppFontAddFile(cfg, (const FcChar8 *)paths[k])) {
			ret = bj_error_set(BJ_EUNSUPPORTED, "font '%s': cannot load '%s'", FONT_FAMILY,
			                   paths[k]);
			goto out;
		}
	*out = cfg;
	cfg = NULL;
out:
	if (cfg)
		FcConfigDestroy(cfg);
	text_buf_release(&xml);
	for (size_t k = 0; k < BJ_ARRAY_SIZE(faces); k++)
		free(paths[k]);
	return ret;
}

struct sink {
	FILE *f;
	int err; /* errno of the first failed write */
};

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int len)
{
	struct sink *s = closure;
	if (s->err)
		return CAIRO_STATUS_WRITE_ERROR;
	if (len && fwrite(data, 1, len, s->f) != len) {
		s->err = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

static void set_line(PangoLayout *pl, const text_layout_line *ln)
{
	pango_layout_set_text(pl, ln->text, (int)ln->len);
	PangoAttrList *al = pango_attr_list_new();
	for (size_t r = 0; r < ln->n_runs; r++) {
		const text_run *run = &ln->runs[r];
		if (!run->style)
			continue;
		PangoAttribute *a[3];
		int n = 0;
		if (run->style & TEXT_STYLE_ITALIC)
			a[n++] = pango_attr_style_new(PANGO_STYLE_ITALIC);
		if (run->style & TEXT_STYLE_BOLD)
			a[n++] = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
		if (run->style & TEXT_STYLE_UNDERLINE)
			a[n++] = pango_attr_underline_new(PANGO_UNDERLINE_SINGLE);
		for (int i = 0; i < n; i++) {
			a[i]->start_index = (guint)run->start;
			a[i]->end_index = (guint)(run->start + run->len);
			pango_attr_list_insert(al, a[i]);
		}
	}
	pango_layout_set_attributes(pl, al);
	pango_attr_list_unref(al);
}

/* One font map for the process, made on first use and kept: fonts are the
 * same for every screenplay, and pango and cairo cache what they load from
 * it.  The lock also keeps pango's font map to one thread at a time. */
static pthread_mutex_t font_lock = PTHREAD_MUTEX_INITIALIZER;
static PangoFontMap *font_map;

static int get_font_map(PangoFontMap **out)
{
	if (!font_map) {
		FcConfig *cfg;
		int ret = font_config(&cfg);
		if (ret < 0)
			return ret;
		font_map = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
		pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(font_map), cfg);
		FcConfigDestroy(cfg); /* the font map holds it */
	}
	*out = font_map;
	return 0;
}

static int save(const text_layout *l, const char *path, PangoFontMap *fm)
{
	bj_atomic *a = NULL;
	struct sink sink = { 0 };
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	PangoContext *pc = NULL;
	PangoLayout *pl = NULL;
	PangoFontDescription *fd = NULL;
	cairo_font_options_t *fo = NULL;

	int ret = bj_atomic_open(path, &a);
	if (ret < 0)
		goto out;
	sink.f = bj_atomic_stream(a);
	surface = cairo_pdf_surface_create_for_stream(write_out, &sink, l->width_pt, l->height_pt);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "benjamin");
	/* No creation date (cairo reads "" as none), so the same screenplay gives
	 * the same bytes (DESIGN.md, conduct). */
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "");
	if (l->title)
		cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, l->title);
	cr = cairo_create(surface);

	pc = pango_font_map_create_context(fm);
	/* unhinted metrics: every advance is exactly 7.2 pt */
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pc, fo);
	pango_cairo_update_context(cr, pc);
	pl = pango_layout_new(pc);
	fd = pango_font_description_new();
	pango_font_description_set_family(fd, FONT_FAMILY);
	pango_font_description_set_absolute_size(fd, FONT_SIZE * PANGO_SCALE);
	pango_layout_set_font_description(pl, fd);

	cairo_set_source_rgb(cr, 0, 0, 0);
	size_t i = 0;
	for (int p = 0; p < l->n_pages; p++) {
		for (; i < l->n_lines && l->lines[i].page == p; i++) {
			const text_layout_line *ln = &l->lines[i];
			if (!ln->len)
				continue;
			set_line(pl, ln);
			double baseline = pango_layout_get_baseline(pl) / (double)PANGO_SCALE;
			cairo_move_to(cr, ln->col * COL_PT, ln->row * ROW_PT + BASELINE_PT - baseline);
			pango_cairo_show_layout(cr, pl);
		}
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cr = NULL;
	cairo_surface_finish(surface);
	cairo_status_t st = cairo_surface_status(surface);
	if (sink.err) {
		ret = bj_error_set_errno(sink.err, "'%s': cannot write", path);
		goto out;
	}
	if (st != CAIRO_STATUS_SUCCESS) {
		ret = bj_error_set(BJ_EIO, "'%s': cannot write: %s", path, cairo_status_to_string(st));
		goto out;
	}
	ret = bj_atomic_commit(a);
	a = NULL;
out:
	if (a)
		bj_atomic_abort(a);
	if (fd)
		pango_font_description_free(fd);
	if (pl)
		g_object_unref(pl);
	if (pc)
		g_object_unref(pc);
	if (fo)
		cairo_font_options_destroy(fo);
	if (cr)
		cairo_destroy(cr);
	if (surface)
		cairo_surface_destroy(surface);
	return ret;
}

int text_pdf_save(const text_layout *l, const char *path)
{
	pthread_mutex_lock(&font_lock);
	PangoFontMap *fm;
	int ret = get_font_map(&fm);
	if (ret == 0)
		ret = save(l, path, fm);
	pthread_mutex_unlock(&font_lock);
	return ret;
}
