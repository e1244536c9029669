#include "base/progress.h"

#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"

#define REDRAW_INTERVAL 0.1  /* seconds between redraws of a bar */
#define RATE_SMOOTHING 0.3   /* weight of the newest rate sample */

struct bj_progress {
	pthread_mutex_t lock;
	char *label, *unit, *item;
	uint64_t done, total;
	double start, last_draw, last_sample_time;
	uint64_t last_sample_done;
	double rate;       /* smoothed units per second; 0 until measured */
	int bar;           /* 1: redraw in place; 0: plain lines */
	int drawn;         /* a bar is on the line and must be cleared or ended */
};

static FILE *output;   /* NULL until set: means stderr */
static enum bj_progress_mode output_mode = BJ_PROGRESS_AUTO;
static double output_plain_interval = 5.0;

void bj_progress_set_output(FILE *out, enum bj_progress_mode mode, double plain_interval)
{
	output = out;
	output_mode = mode;
	output_plain_interval = plain_interval > 0 ? plain_interval : 5.0;
}

static FILE *out_stream(void)
{
	return output ? output : stderr;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int terminal_width(FILE *f)
{
	struct winsize ws;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	const char *cols = getenv("COLUMNS");
	long c = cols ? strtol(cols, NULL, 10) : 0;
	return c >= 20 && c <= 1000 ? (int)c : 80;
}

void bj_progress_format_duration(char *buf, size_t size, double seconds)
{
	if (!(seconds >= 0) || !isfinite(seconds) || seconds > 360000.0) {
		snprintf(buf, size, "--:--");
		return;
	}
	long s = lround(seconds);
	if (s >= 3600)
		snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

static void format_rate(char *buf, size_t size, double rate, const char *unit)
{
	if (rate <= 0)
		snprintf(buf, size, "-- %s/s", unit);
	else if (rate >= 100)
		snprintf(buf, size, "%.0f %s/s", rate, unit);
	else if (rate >= 10)
		snprintf(buf, size, "%.1f %s/s", rate, unit);
	else
		snprintf(buf, size, "%.2f %s/s", rate, unit);
}

/* Appends to buf at *len, never past size. */
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	if (*len + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n > 0)
		*len = *len + (size_t)n < size ? *len + (size_t)n : size - 1;
}

void bj_progress_format(char *buf, size_t size, int bar, int width, const char *label,
                        uint64_t done, uint64_t total, const char *unit, double elapsed,
                        double rate, const char *item)
{
	char rate_s[48], time_s[24];
	size_t len = 0;
	buf[0] = '\0';
	format_rate(rate_s, sizeof(rate_s), rate, unit);
	if (total > 0) {
		double frac = done >= total ? 1.0 : (double)done / (double)total;
		double eta = rate > 0 ? (double)(total - (done < total ? done : total)) / rate : -1;
		bj_progress_format_duration(time_s, sizeof(time_s), eta);
		if (bar) {
			/* The cells shrink, down to none, before the item is cut. */
			enum { BAR_WIDTH = 20 };
			char cells[BAR_WIDTH + 4];
			for (int cells_n = BAR_WIDTH;; cells_n = 0) {
				int filled = (int)(frac * cells_n);
				size_t c = 0;
				if (cells_n) {
					cells[c++] = '[';
					for (int i = 0; i < cells_n; i++)
						cells[c++] = i < filled ? '#' : '.';
					cells[c++] = ']';
				}
				cells[c] = '\0';
				len = 0;
				append(buf, size, &len, "%s  %s%s%3d%%  %llu/%llu %s  %s  ETA %s", label, cells,
				       cells_n ? " " : "", (int)(frac * 100), (unsigned long long)done,
				       (unsigned long long)total, unit, rate_s, time_s);
				size_t item_len = item && *item ? strlen(item) + 2 : 0;
				if (cells_n == 0 || width <= 0 || len + item_len <= (size_t)width - 1)
					break;
			}
		} else {
			append(buf, size, &len, "%s: %llu/%llu %s (%d%%), %s, ETA %s", label,
			       (unsigned long long)done, (unsigned long long)total, unit,
			       (int)(frac * 100), rate_s, time_s);
		}
	} else {
		bj_progress_format_duration(time_s, sizeof(time_s), elapsed);
		append(buf, size, &len, bar ? "%s  %llu %s  %s  %s" : "%s: %llu %s, %s, %s elapsed",
		       label, (unsigned long long)done, unit, rate_s, time_s);
	}
	if (item && *item)
		append(buf, size, &len, bar ? "  %s" : ", %s", item);
	/* A bar must fit the terminal's line or it scrolls instead of redrawing. */
	if (bar && width > 0 && len > (size_t)width - 1)
		buf[width - 1] = '\0';
}

bj_progress *bj_progress_new(const char *label, uint64_t total, const char *unit)
{
	struct bj_progress *p = bj_xcalloc(1, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	p->label = bj_xstrdup(label);
	p->unit = bj_xstrdup(unit);
	p->total = total;
	p->start = p->last_sample_time = now();
	p->last_draw = -1e9;
	switch (output_mode) {
	case BJ_PROGRESS_AUTO: p->bar = isatty(fileno(out_stream())); break;
	case BJ_PROGRESS_BAR: p->bar = 1; break;
	default: p->bar = 0; break;
	}
	return p;
}

static void update_rate(struct bj_progress *p, double t)
{
	double dt = t - p->last_sample_time;
	if (dt < 0.5)
		return;
	double sample = (double)(p->done - p->last_sample_done) / dt;
	if (p->done < p->last_sample_done)
		sample = 0;
	p->rate = p->rate > 0 ? RATE_SMOOTHING * sample + (1 - RATE_SMOOTHING) * p->rate : sample;
	p->last_sample_time = t;
	p->last_sample_done = p->done;
}

static void draw(struct bj_progress *p, double t, int final)
{
	FILE *f = out_stream();
	char line[1024];
	double elapsed = t - p->start;
	double rate = p->rate;
	if (final || rate <= 0)
		rate = elapsed > 0 ? (double)p->done / elapsed : 0;
	bj_progress_format(line, sizeof(line), p->bar, p->bar ? terminal_width(f) : 0, p->label,
	                   p->done, p->total, p->unit, elapsed, rate, final ? NULL : p->item);
	if (p->bar) {
		fprintf(f, "\r\033[K%s", line);
		if (final) {
			char took[24];
			bj_progress_format_duration(took, sizeof(took), elapsed);
			fprintf(f, "  done in %s\n", took);
		}
		p->drawn = !final;
	} else if (final) {
		char took[24];
		bj_progress_format_duration(took, sizeof(took), elapsed);
		fprintf(f, "%s, done in %s\n", line, took);
	} else {
		fprintf(f, "%s\n", line);
	}
	fflush(f);
	p->last_draw = t;
}

static void maybe_draw(struct bj_progress *p)
{
	if (output_mode == BJ_PROGRESS_OFF)
		return;
	double t = now();
	update_rate(p, t);
	double interval = p->bar ? REDRAW_INTERVAL : output_plain_interval;
	if (t - p->last_draw >= interval && (p->bar || t - p->start >= interval))
		draw(p, t, 0);
}

void bj_progress_set(bj_progress *p, uint64_t done, const char *item)
{
	pthread_mutex_lock(&p->lock);
	p->done = done;
	if (item && (!p->item || strcmp(item, p->item) != 0)) {
		free(p->item);
		p->item = bj_xstrdup(item);
	}
	maybe_draw(p);
	pthread_mutex_unlock(&p->lock);
}

void bj_progress_add(bj_progress *p, uint64_t n)
{
	pthread_mutex_lock(&p->lock);
	p->done += n;
	maybe_draw(p);
	pthread_mutex_unlock(&p->lock);
}

void bj_progress_set_total(bj_progress *p, uint64_t total)
{
	pthread_mutex_lock(&p->lock);
	p->total = total;
	pthread_mutex_unlock(&p->lock);
}

void bj_progress_finish(bj_progress *p)
{
	if (!p)
		return;
	if (output_mode != BJ_PROGRESS_OFF)
		draw(p, now(), 1);
	pthread_mutex_destroy(&p->lock);
	free(p->label);
	free(p->unit);
	free(p->item);
	free(p);
}
