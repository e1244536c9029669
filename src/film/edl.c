#include "film/edl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/atomic.h"
#include "film/names.h"

int film_edl_base(int fps_num, int fps_den)
{
	int base = (int)lround((double)fps_num / fps_den);
	return base < 1 ? 1 : base;
}

void film_edl_timecode(int64_t frames, int base, char out[12])
{
	if (frames < 0)
		frames = 0;
	int64_t s = frames / base;
	int n = snprintf(out, 12, "%02u:%02u:%02u:%02u", (unsigned)(s / 3600 % 100) % 100u,
	                 (unsigned)(s / 60 % 60) % 60u, (unsigned)(s % 60) % 60u,
	                 (unsigned)(frames % base) % 100u);
	(void)n;
}

/* One event: its number, reel, track, and the four timecodes. */
static void event(FILE *f, int n, const char *reel, const char *track, int64_t src_in,
                  int64_t rec_in, int64_t rec_out, int base, const char *source)
{
	int64_t offset = (int64_t)FILM_EDL_START_HOURS * 3600 * base;
	char a[12], b[12], c[12], d[12];
	film_edl_timecode(src_in, base, a);
	film_edl_timecode(src_in + rec_out - rec_in, base, b);
	film_edl_timecode(rec_in + offset, base, c);
	film_edl_timecode(rec_out + offset, base, d);
	fprintf(f, "%03d  %-8s %-5s C        %s %s %s %s\n", n, reel, track, a, b, c, d);
	const char *name = strrchr(source, '/');
	fprintf(f, "* FROM CLIP NAME: %s\n* SOURCE FILE: %s\n", name ? name + 1 : source, source);
}

void film_edl_write(const film_timeline *t, int fps_num, int fps_den, FILE *f)
{
	int base = film_edl_base(fps_num, fps_den);
	film_span *spans = bj_xcalloc(t->n_clips ? t->n_clips : 1, sizeof *spans);
	film_timeline_spans(t, fps_num, fps_den, spans);
	film_names reels;
	film_names_init(&reels, 8);
	/* The title line is one line: newlines in a title would end it. */
	fputs("TITLE: ", f);
	for (const char *p = t->title; *p; p++)
		fputc(*p == '\n' || *p == '\r' ? ' ' : *p, f);
	fputs("\nFCM: NON-DROP FRAME\n\n", f);
	/* Video and dialogue merged in record order (each list is sorted). */
	size_t i = 0, j = 0;
	int n = 1;
	while (i < t->n_clips || j < t->n_lines) {
		int64_t line_in = j < t->n_lines ? film_frames(t->lines[j].at, fps_num, fps_den) : INT64_MAX;
		if (i < t->n_clips && spans[i].rec_in <= line_in) {
			const film_clip *c = &t->clips[i];
			event(f, n++, film_names_get(&reels, c->source), "V", spans[i].src_in, spans[i].rec_in,
			      spans[i].rec_out, base, c->source);
			i++;
		} else {
			const film_line *l = &t->lines[j];
			int64_t len = film_frames(l->duration, fps_num, fps_den);
			event(f, n++, film_names_get(&reels, l->audio), "A", 0, line_in,
			      line_in + (len > 0 ? len : 1), base, l->audio);
			j++;
		}
		fputc('\n', f);
	}
	film_names_release(&reels);
	free(spans);
}

int film_edl_save(const film_timeline *t, int fps_num, int fps_den, const char *path)
{
	bj_atomic *a;
	int ret = bj_atomic_open(path, &a);
	if (ret < 0)
		return ret;
	film_edl_write(t, fps_num, fps_den, bj_atomic_stream(a));
	return bj_atomic_commit(a);
}
