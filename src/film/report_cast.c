/*
 * report_cast.c - the cast with faces (see report_cast.h).
 */
#include "film/report_cast.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"
#include "base/json.h"
#include "library/portrait.h"
#include "media/decoder.h"
#include "media/imagefile.h"
#include "media/resize.h"

#define FACE 160   /* pixels of a face picture (shown at 96) */

/* The square around a box (x, y, w, h) grown by half, kept inside img,
 * resized to FACE; NULL with the error set. */
static media_image *square(const media_image *img, double x, double y, double w, double h)
{
	double side = fmin(fmax(w, h) * 1.5, fmin(img->width, img->height));
	double cx = x + w / 2, cy = y + h / 2;
	int sx = (int)fmin(fmax(cx - side / 2, 0), img->width - side);
	int sy = (int)fmin(fmax(cy - side / 2, 0), img->height - side);
	int s = (int)side < 1 ? 1 : (int)side;
	media_image v = media_image_view(img->data + (size_t)sy * img->stride + (size_t)sx * 3, s, s,
	                                 3, img->stride);
	return media_image_resize(&v, FACE, FACE);
}

static media_image *identity_face(library *lib, int64_t identity, char **name)
{
	library_portrait p;
	if (library_identity_portrait(lib, identity, &p) < 0)
		return NULL;
	media_image *face = NULL;
	media_decoder *d;
	if (media_decoder_open(p.film, &d) == 0) {
		const media_frame *f;
		if (media_decoder_seek(d, p.time) == 0 && media_decoder_read(d, &f) > 0)
			face = square(&f->image, p.x, p.y, p.w, p.h);
		media_decoder_close(d);
	}
	if (p.name && name)
		*name = bj_xstrdup(p.name);
	library_portrait_release(&p);
	return face;
}

/* The first picture of a folder of a star's faces, its middle square. */
static media_image *star_face(const char *dir)
{
	struct stat st;
	char **files;
	size_t n;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || bj_dir_files(dir, &files, &n) < 0)
		return NULL;
	media_image *face = NULL;
	for (size_t i = 0; i < n && !face; i++) {
		media_image *img = media_image_load(files[i], 3);
		if (img) {
			double s = fmin(img->width, img->height);
			face = square(img, (img->width - s / 1.5) / 2, (img->height - s / 1.5) / 2,
			              s / 1.5, s / 1.5);
			media_image_free(img);
		}
	}
	bj_free_strings(files, n);
	bj_error_clear();
	return face;
}

/* A folder named by a cast entry for its star: "star_dir", "faces", or
 * "star" as a path or an object with "dir"/"faces"/"path". */
static const char *star_dir(const json_t *entry)
{
	static const char *const keys[] = { "star_dir", "star_faces", "faces", "star" };
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		const json_t *v = json_object_get(entry, keys[k]);
		if (json_is_string(v))
			return json_string_value(v);
		if (json_is_object(v)) {
			const char *d = json_string_value(json_object_get(v, "dir"));
			if (!d)
				d = json_string_value(json_object_get(v, "faces"));
			if (!d)
				d = json_string_value(json_object_get(v, "path"));
			if (d)
				return d;
		}
	}
	return NULL;
}

static int is_speech_part(text_element_type t)
{
	return t == TEXT_DIALOGUE || t == TEXT_PARENTHETICAL || t == TEXT_LYRICS;
}

struct character {
	char *name;
	int lines;
	const json_t *entry;   /* in cast.json, or NULL */
};

static void add_character(struct character **c, size_t *n, size_t *cap, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*c)[i].name, name))
			return;
	BJ_GROW(*c, *cap, *n + 1);
	(*c)[(*n)++] = (struct character){ bj_xstrdup(name), 0, NULL };
}

static void initials(text_buf *h, const char *name)
{
	text_buf_adds(h, "<div class=\"face initials\">");
	char two[3] = { 0 };
	int k = 0;
	for (const char *p = name; *p && k < 2; p++)
		if (isalpha((unsigned char)*p) && (p == name || p[-1] == ' '))
			two[k++] = (char)toupper((unsigned char)*p);
	film_html_text(h, two);
	text_buf_adds(h, "</div>");
}

static void value_text(text_buf *h, const json_t *v)
{
	if (json_is_string(v)) {   /* a path by its last name: a star's folder, a voice sample */
		const char *t = json_string_value(v), *slash = strrchr(t, '/');
		if (slash && slash[1])
			t = slash + 1;
		film_html_text(h, t);
		return;
	}
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (s && strlen(s) > 90)
		memcpy(s + 86, " ...", 5);
	film_html_text(h, s ? s : "?");
	free(s);
}

static void card(text_buf *h, const struct character *c, library *lib)
{
	text_buf_adds(h, "<div class=\"member\">");
	media_image *face = NULL;
	char *identity_name = NULL;
	const json_t *id = json_object_get(c->entry, "identity");
	if (lib && json_is_integer(id) && json_integer_value(id) > 0)
		face = identity_face(lib, json_integer_value(id), &identity_name);
	const char *star = c->entry ? star_dir(c->entry) : NULL;
	media_image *sface = star ? star_face(star) : NULL;
	size_t size;
	uint8_t *jpeg;
	int faces = 0;
	text_buf_adds(h, "<div class=\"faces\">");
	const media_image *pics[2] = { face, sface };
	for (int k = 0; k < 2; k++)
		if (pics[k] && (jpeg = media_image_encode_jpeg(pics[k], 85, &size))) {
			film_html_image(h, "image/jpeg", jpeg, size, k ? "class=\"face\" width=\"96\" "
			                "height=\"96\" alt=\"star\"" : "class=\"face\" width=\"96\" "
			                "height=\"96\" alt=\"footage face\"");
			faces++;
			free(jpeg);
		}
	if (!faces)
		initials(h, c->name);
	text_buf_adds(h, "</div><div class=\"who\"><h4>");
	film_html_text(h, c->name);
	text_buf_addf(h, "</h4><p class=\"muted\">%d line%s</p>", c->lines, c->lines == 1 ? "" : "s");
	if (!c->entry) {
		text_buf_adds(h, "<p class=\"muted\">not cast: the director chooses any face "
		                 "(<code>benjamin cast</code> casts it)</p>");
	} else {
		text_buf_adds(h, "<dl>");
		const char *key;
		const json_t *v;
		json_object_foreach((json_t *)c->entry, key, v) {
			if (!strcmp(key, "character") || json_is_null(v) ||
			    (!strcmp(key, "identity") && json_is_integer(v) && json_integer_value(v) <= 0))
				continue;
			text_buf_adds(h, "<dt>");
			film_html_text(h, key);
			text_buf_adds(h, "</dt><dd>");
			value_text(h, v);
			if (!strcmp(key, "identity") && identity_name) {
				text_buf_adds(h, " (");
				film_html_text(h, identity_name);
				text_buf_adds(h, ")");
			}
			text_buf_adds(h, "</dd>");
		}
		text_buf_adds(h, "</dl>");
	}
	text_buf_adds(h, "</div></div>");
	free(identity_name);
	media_image_free(face);
	media_image_free(sface);
}

void film_report_cast(text_buf *h, const char *cast_json, const char *library_db,
                      const text_screenplay *sp)
{
	struct character *c = NULL;
	size_t n = 0, cap = 0;
	size_t speaker = SIZE_MAX;   /* the character whose speech this is */
	for (size_t i = 0; sp && i < sp->n_elements; i++) {
		const text_element *e = &sp->elements[i];
		if (e->type == TEXT_CHARACTER) {
			char *name = text_character_name(e->text);
			add_character(&c, &n, &cap, name);
			for (speaker = 0; strcmp(c[speaker].name, name); speaker++)
				;
			free(name);
		} else if (e->type == TEXT_DIALOGUE && speaker < n) {
			c[speaker].lines++;
		} else if (!is_speech_part(e->type)) {
			speaker = SIZE_MAX;
		}
	}
	json_t *root = NULL;
	if (cast_json && bj_json_load(cast_json, &root) < 0)
		root = NULL;
	if (root) {
		size_t i;
		json_t *entry;
		json_array_foreach(json_object_get(root, "cast"), i, entry) {
			const char *who = json_string_value(json_object_get(entry, "character"));
			if (!who)
				continue;
			add_character(&c, &n, &cap, who);
			for (size_t k = 0; k < n; k++)
				if (!strcmp(c[k].name, who))
					c[k].entry = entry;
		}
	}
	library *lib = NULL;
	if (library_db && library_open_readonly(library_db, &lib) < 0)
		lib = NULL;
	bj_error_clear();
	if (!n)
		text_buf_adds(h, "<p class=\"muted\">Nobody speaks in this screenplay.</p>");
	text_buf_adds(h, "<div class=\"cast\">");
	for (size_t i = 0; i < n; i++)
		card(h, &c[i], lib);
	text_buf_adds(h, "</div>");
	library_close(lib);
	json_decref(root);
	for (size_t i = 0; i < n; i++)
		free(c[i].name);
	free(c);
}
