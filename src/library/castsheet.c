#include "library/castsheet.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/alloc.h"
#include "base/error.h"
#include "library/draw.h"
#include "library/identities.h"
#include "media/imagefile.h"

#define FACE 96
#define GAP 8
#define LABEL_W 200
#define TITLE_H 36

int library_cast_sheet_save(library *lib, const char *path, int faces)
{
	if (faces < 1 || faces > 16)
		return bj_error_set(BJ_EINVAL, "a cast sheet shows 1 to 16 faces an identity, not %d", faces);
	library_identity *ids;
	size_t n;
	int ret = library_identities(lib, &ids, &n);
	if (ret < 0)
		return ret;
	if (n == 0) {
		free(ids);
		return bj_error_set(BJ_ENOENT, "no footage actors in '%s': index with faces first", library_path(lib));
	}
	int W = GAP + LABEL_W + faces * (FACE + GAP);
	if (n > (size_t)((MEDIA_IMAGE_MAX_SIDE - TITLE_H) / (FACE + GAP))) {
		free(ids);
		return bj_error_set(BJ_EUNSUPPORTED, "'%s': %zu footage actors make a sheet too tall",
		                    library_path(lib), n);
	}
	int H = TITLE_H + GAP + (int)n * (FACE + GAP);
	cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
	cairo_t *cr = cairo_create(surf);
	cairo_set_source_rgb(cr, 0.08, 0.08, 0.08);
	cairo_paint(cr);
	char line[256];
	snprintf(line, sizeof line, "%zu footage actors, the most screen time first", n);
	library_draw_text(cr, "Sans Bold 14", line, GAP, 8, 0.95, 0.95, 0.95);
	uint8_t **jpegs = bj_xmalloc((size_t)faces * sizeof *jpegs);
	size_t *sizes = bj_xmalloc((size_t)faces * sizeof *sizes);
	for (size_t i = 0; i < n && ret >= 0; i++) {
		const library_identity *d = &ids[i];
		double y = TITLE_H + GAP + (double)i * (FACE + GAP);
		snprintf(line, sizeof line, "#%lld %s", (long long)d->id, d->name);
		library_draw_text(cr, "Sans Bold 13", line, GAP, y + 4, 1, 1, 0.85);
		snprintf(line, sizeof line, "%.1f s on screen\n%d tracks, %d shots\n%d films", d->screen_time,
		         d->n_tracks, d->n_shots, d->n_films);
		library_draw_text(cr, "Sans 10", line, GAP, y + 28, 0.85, 0.85, 0.85);
		int got = library_identity_thumbnails(lib, d->id, faces, jpegs, sizes);
		if (got < 0) {
			ret = got;
			break;
		}
		for (int k = 0; k < got; k++) {
			media_image *img = media_image_decode(jpegs[k], sizes[k], "face thumbnail", 3);
			free(jpegs[k]);
			if (!img)
				continue;
			double x = GAP + LABEL_W + k * (FACE + GAP);
			library_draw_image(cr, img, x, y, FACE, FACE);
			media_image_free(img);
			if (k == 0) {   /* the representative face, framed */
				cairo_set_source_rgb(cr, 0.95, 0.75, 0.2);
				cairo_set_line_width(cr, 3);
				cairo_rectangle(cr, x + 1.5, y + 1.5, FACE - 3, FACE - 3);
				cairo_stroke(cr);
			}
		}
	}
	free(jpegs);
	free(sizes);
	if (ret >= 0)
		ret = library_draw_save(surf, path);
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
	free(ids);
	return ret < 0 ? ret : 0;
}
