#include "vision/track.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"

const vision_track_params vision_track_defaults = {
	.min_iou = 0.3,
	.max_shift = 0.5,
	.max_gap = 2,
	.min_detections = 2,
	.smooth = { .min_cutoff = 1.0, .beta = 4.0, .d_cutoff = 1.0 },
};

struct vision_tracker {
	int parts;
	vision_track_params p;
	double *times;          /* every frame added */
	int n_frames, cap_frames;
	vision_track *tracks;
	unsigned char *open;    /* per track */
	int *cap;               /* per track: entries allocated */
	size_t n_tracks, cap_tracks;
	int finished;
};

/* A candidate link of open track `track` and detection `det`. */
struct link {
	double iou;
	size_t track;
	int det;
};

vision_tracker *vision_tracker_new(int parts, const vision_track_params *params)
{
	const vision_track_params *p = params ? params : &vision_track_defaults;
	if (parts < 0 || parts > 4096 || !(p->min_iou >= 0 && p->min_iou <= 1) || !(p->max_shift > 0) ||
	    p->max_gap < 0 || p->min_detections < 1)
		return bj_error_set(BJ_EINVAL, "bad tracker settings"), NULL;
	vision_tracker *t = bj_xcalloc(1, sizeof *t);
	t->parts = parts;
	t->p = *p;
	return t;
}

static double iou(const float *a, const float *b)
{
	double x0 = fmax(a[0], b[0]), y0 = fmax(a[1], b[1]);
	double x1 = fmin(a[0] + a[2], b[0] + b[2]), y1 = fmin(a[1] + a[3], b[1] + b[3]);
	double inter = x1 > x0 && y1 > y0 ? (x1 - x0) * (y1 - y0) : 0.0;
	return inter / ((double)a[2] * a[3] + (double)b[2] * b[3] - inter);
}

/* The mean distance between two sets of points, in units of width. */
static double shift(const float *a, const float *b, int parts, double width)
{
	double sum = 0.0;
	for (int k = 0; k < parts; k++)
		sum += hypot((double)a[2 * k] - b[2 * k], (double)a[2 * k + 1] - b[2 * k + 1]);
	return sum / parts / width;
}

/* Whether box a lies mostly (80 %) inside the larger box b: the cascade often
 * fires on part of a face (eyes and nose) inside the whole face's box. */
static int nested(const float *a, const float *b)
{
	if ((double)a[2] * a[3] >= (double)b[2] * b[3])
		return 0;
	double x0 = fmax(a[0], b[0]), y0 = fmax(a[1], b[1]);
	double x1 = fmin(a[0] + a[2], b[0] + b[2]), y1 = fmin(a[1] + a[3], b[1] + b[3]);
	double inter = x1 > x0 && y1 > y0 ? (x1 - x0) * (y1 - y0) : 0.0;
	return inter >= 0.8 * a[2] * a[3];
}

static int by_overlap(const void *pa, const void *pb)
{
	const struct link *a = pa, *b = pb;
	if (a->iou != b->iou)
		return a->iou > b->iou ? -1 : 1;
	if (a->track != b->track)
		return a->track < b->track ? -1 : 1;
	return a->det - b->det;
}

/* Appends an entry to track i for frame (its next one): box and points. */
static void append(vision_tracker *t, size_t i, const float *box, const float *points, int detected)
{
	vision_track *tr = &t->tracks[i];
	size_t np = 2 * (size_t)t->parts;
	if (tr->n == t->cap[i]) {
		int cap = t->cap[i] ? 2 * t->cap[i] : 8;
		tr->time = bj_xrealloc(tr->time, (size_t)cap * sizeof *tr->time);
		tr->boxes = bj_xrealloc(tr->boxes, (size_t)cap * 4 * sizeof *tr->boxes);
		tr->detected = bj_xrealloc(tr->detected, (size_t)cap);
		if (np)
			tr->raw = bj_xrealloc(tr->raw, (size_t)cap * np * sizeof *tr->raw);
		t->cap[i] = cap;
	}
	tr->time[tr->n] = t->times[tr->first_frame + tr->n];
	memcpy(tr->boxes + 4 * (size_t)tr->n, box, 4 * sizeof *box);
	if (np)
		memcpy(tr->raw + np * (size_t)tr->n, points, np * sizeof *points);
	tr->detected[tr->n] = (unsigned char)detected;
	tr->n++;
	tr->n_detected += detected;
}

static void start(vision_tracker *t, const float *box, const float *points)
{
	if (t->n_tracks == t->cap_tracks) {
		t->cap_tracks = t->cap_tracks ? 2 * t->cap_tracks : 8;
		t->tracks = bj_xrealloc(t->tracks, t->cap_tracks * sizeof *t->tracks);
		t->open = bj_xrealloc(t->open, t->cap_tracks);
		t->cap = bj_xrealloc(t->cap, t->cap_tracks * sizeof *t->cap);
	}
	size_t i = t->n_tracks++;
	t->tracks[i] = (vision_track){ .first_frame = t->n_frames - 1 };
	t->open[i] = 1;
	t->cap[i] = 0;
	append(t, i, box, points, 1);
}

/* Links detection (box, points) to track i in the current frame, filling the
 * frames it missed by interpolating from its last entry. */
static void extend(vision_tracker *t, size_t i, const float *box, const float *points)
{
	vision_track *tr = &t->tracks[i];
	size_t np = 2 * (size_t)t->parts;
	int missed = t->n_frames - 1 - (tr->first_frame + tr->n);
	float fill_box[4], *fill_pts = np ? bj_xmalloc(np * sizeof *fill_pts) : NULL;
	for (int g = 1; g <= missed; g++) {
		/* the last entry moves as entries are appended: interpolate from the one
		 * before the gap, which stays at index n0 */
		int n0 = tr->n - g;
		double w = (double)g / (missed + 1);
		const float *b0 = tr->boxes + 4 * (size_t)n0, *p0 = np ? tr->raw + np * (size_t)n0 : NULL;
		for (int k = 0; k < 4; k++)
			fill_box[k] = (float)(b0[k] + w * (box[k] - b0[k]));
		for (size_t k = 0; k < np; k++)
			fill_pts[k] = (float)(p0[k] + w * (points[k] - p0[k]));
		append(t, i, fill_box, fill_pts, 0);
	}
	free(fill_pts);
	append(t, i, box, points, 1);
}

int vision_tracker_add(vision_tracker *t, double time, int n, const float *boxes, const float *points)
{
	if (!isfinite(time) || (t->n_frames && time <= t->times[t->n_frames - 1]) || n < 0 || t->finished)
		return bj_error_set(BJ_EINVAL, "tracker frame times must rise");
	for (int i = 0; i < n; i++)
		if (!(boxes[4 * i + 2] > 0 && boxes[4 * i + 3] > 0) || !isfinite(boxes[4 * i]) || !isfinite(boxes[4 * i + 1]))
			return bj_error_set(BJ_EINVAL, "tracker given an empty box");
	if (t->n_frames == t->cap_frames) {
		t->cap_frames = t->cap_frames ? 2 * t->cap_frames : 64;
		t->times = bj_xrealloc(t->times, (size_t)t->cap_frames * sizeof *t->times);
	}
	t->times[t->n_frames++] = time;
	size_t np = 2 * (size_t)t->parts;
	struct link *links = bj_xmalloc(((size_t)n * t->n_tracks + 1) * sizeof *links);
	size_t n_links = 0;
	for (size_t j = 0; j < t->n_tracks; j++) {
		vision_track *tr = &t->tracks[j];
		if (t->open[j] && t->n_frames - 1 - (tr->first_frame + tr->n) > t->p.max_gap)
			t->open[j] = 0;
		if (!t->open[j])
			continue;
		const float *last = tr->boxes + 4 * (size_t)(tr->n - 1);
		for (int i = 0; i < n; i++) {
			double o = iou(last, boxes + 4 * i);
			if (o < t->p.min_iou || o <= 0)
				continue;
			if (np && shift(tr->raw + np * (size_t)(tr->n - 1), points + np * i, t->parts, boxes[4 * i + 2]) >
			          t->p.max_shift)
				continue;
			links[n_links++] = (struct link){ o, j, i };
		}
	}
	qsort(links, n_links, sizeof *links, by_overlap);
	unsigned char *det_used = bj_xcalloc((size_t)n + 1, 1);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n && !det_used[i]; j++)
			det_used[i] = j != i && nested(boxes + 4 * i, boxes + 4 * j);
	size_t n_before = t->n_tracks;
	unsigned char *track_used = bj_xcalloc(n_before + 1, 1);
	for (size_t k = 0; k < n_links; k++) {
		if (det_used[links[k].det] || track_used[links[k].track])
			continue;
		det_used[links[k].det] = track_used[links[k].track] = 1;
		extend(t, links[k].track, boxes + 4 * links[k].det, np ? points + np * links[k].det : NULL);
	}
	for (int i = 0; i < n; i++)
		if (!det_used[i])
			start(t, boxes + 4 * i, np ? points + np * i : NULL);
	free(track_used);
	free(det_used);
	free(links);
	return 0;
}

void vision_tracker_cut(vision_tracker *t)
{
	memset(t->open, 0, t->n_tracks);
}

static void free_track(vision_track *tr)
{
	free(tr->time);
	free(tr->boxes);
	free(tr->points);
	free(tr->raw);
	free(tr->detected);
}

/* The scale of a face for the one-euro filter: its outer eye-corner distance
 * with 68 points, else its box width. */
static double face_scale(const vision_tracker *t, const vision_track *tr, int i)
{
	if (t->parts == 68) {
		const float *p = tr->raw + 136 * (size_t)i;
		double d = hypot((double)p[72] - p[90], (double)p[73] - p[91]);
		if (d > 1e-3)
			return d;
	}
	return tr->boxes[4 * (size_t)i + 2];
}

int vision_tracker_finish(vision_tracker *t, const vision_track **tracks, size_t *n_tracks)
{
	if (!t->finished) {
		t->finished = 1;
		size_t kept = 0, np = 2 * (size_t)t->parts;
		for (size_t j = 0; j < t->n_tracks; j++) {
			vision_track *tr = &t->tracks[j];
			if (tr->n_detected < t->p.min_detections) {
				free_track(tr);
				continue;
			}
			if (np) {
				tr->points = bj_xmalloc((size_t)tr->n * np * sizeof *tr->points);
				vision_smooth *s = vision_smooth_new(t->parts, &t->p.smooth);
				if (!s)
					return bj_error_code();
				for (int i = 0; i < tr->n; i++)
					vision_smooth_push(s, tr->time[i], face_scale(t, tr, i), tr->raw + np * (size_t)i,
					                   tr->points + np * (size_t)i);
				vision_smooth_free(s);
			}
			t->tracks[kept++] = *tr;
		}
		t->n_tracks = kept;
	}
	*tracks = t->tracks;
	*n_tracks = t->n_tracks;
	return 0;
}

void vision_tracker_free(vision_tracker *t)
{
	if (!t)
		return;
	for (size_t j = 0; j < t->n_tracks; j++)
		free_track(&t->tracks[j]);
	free(t->tracks);
	free(t->open);
	free(t->cap);
	free(t->times);
	free(t);
}
