#include "film/burn.h"

#include <ass/ass.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

struct film_burner {
	ASS_Library *lib;
	ASS_Renderer *renderer;
	ASS_Track *track;
};

static void ass_time(FILE *f, double t)
{
	long long cs = llround(fmax(t, 0) * 100);
	fprintf(f, "%lld:%02lld:%02lld.%02lld", cs / 360000, cs / 6000 % 60, cs / 100 % 60, cs % 100);
}

static char *script(const film_subtitles *s, int width, int height)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	BJ_ASSERT(f);
	fprintf(f, "[Script Info]\nScriptType: v4.00+\nPlayResX: %d\nPlayResY: %d\n"
	           "ScaledBorderAndShadow: yes\nWrapStyle: 2\n\n", width, height);
	fprintf(f, "[V4+ Styles]\nFormat: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, "
	           "OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, "
	           "Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, "
	           "MarginV, Encoding\n");
	fprintf(f, "Style: Default,DejaVu Sans,%d,&H00FFFFFF,&H000000FF,&H00000000,&H80000000,"
	           "0,0,0,0,100,100,0,0,1,%.1f,%.1f,2,%d,%d,%d,1\n\n",
	        (int)lround(height * 0.055), fmax(height / 360.0, 1), fmax(height / 720.0, 0.5),
	        width / 20, width / 20, (int)lround(height * 0.06));
	fprintf(f, "[Events]\nFormat: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, "
	           "Effect, Text\n");
	for (size_t i = 0; i < s->n; i++) {
		fputs("Dialogue: 0,", f);
		ass_time(f, s->cues[i].start);
		fputc(',', f);
		ass_time(f, s->cues[i].end);
		fputs(",Default,,0,0,0,,", f);
		for (const char *p = s->cues[i].text; *p; p++) {
			switch (*p) {
			case '\n': fputs("\\N", f); break;
			case '{': fputc('(', f); break;
			case '}': fputc(')', f); break;
			case '\\': fputc('/', f); break;
			case '\r': break;
			default: fputc(*p, f);
			}
		}
		fputc('\n', f);
	}
	BJ_ASSERT(fclose(f) == 0);
	return buf;
}

/* libass reports on stderr by default; the library layer never prints. */
static void quiet(int level, const char *fmt, va_list args, void *data)
{
	(void)level;
	(void)fmt;
	(void)args;
	(void)data;
}

film_burner *film_burner_new(const film_subtitles *s, int width, int height)
{
	film_burner *b = bj_xcalloc(1, sizeof *b);
	b->lib = ass_library_init();
	if (b->lib) {
		ass_set_message_cb(b->lib, quiet, NULL);
		b->renderer = ass_renderer_init(b->lib);
	}
	if (!b->renderer) {
		film_burner_free(b);
		bj_error_set(BJ_EUNSUPPORTED, "libass cannot start");
		return NULL;
	}
	ass_set_frame_size(b->renderer, width, height);
	ass_set_storage_size(b->renderer, width, height);
	ass_set_fonts(b->renderer, NULL, "DejaVu Sans", ASS_FONTPROVIDER_AUTODETECT, NULL, 1);
	char *text = script(s, width, height);
	b->track = ass_read_memory(b->lib, text, strlen(text), NULL);
	free(text);
	if (!b->track) {
		film_burner_free(b);
		bj_error_set(BJ_EUNSUPPORTED, "libass cannot read the subtitles");
		return NULL;
	}
	return b;
}

void film_burner_draw(film_burner *b, media_image *frame, double seconds)
{
	int change;
	ASS_Image *img = ass_render_frame(b->renderer, b->track, llround(seconds * 1000), &change);
	for (; img; img = img->next) {
		/* color is RRGGBBAA with AA the transparency. */
		unsigned opacity = 255 - (img->color & 255);
		unsigned rgb[3] = { img->color >> 24, (img->color >> 16) & 255, (img->color >> 8) & 255 };
		for (int y = 0; y < img->h; y++) {
			int fy = img->dst_y + y;
			if (fy < 0 || fy >= frame->height)
				continue;
			const unsigned char *src = img->bitmap + (size_t)y * img->stride;
			uint8_t *dst = frame->data + (size_t)fy * frame->stride;
			for (int x = 0; x < img->w; x++) {
				int fx = img->dst_x + x;
				unsigned a = src[x] * opacity / 255;
				if (fx < 0 || fx >= frame->width || a == 0)
					continue;
				uint8_t *d = dst + fx * 3;
				for (int c = 0; c < 3; c++)
					d[c] = (uint8_t)((rgb[c] * a + d[c] * (255 - a) + 127) / 255);
			}
		}
	}
}

void film_burner_free(film_burner *b)
{
	if (!b)
		return;
	if (b->track)
		ass_free_track(b->track);
	if (b->renderer)
		ass_renderer_done(b->renderer);
	if (b->lib)
		ass_library_done(b->lib);
	free(b);
}
