#include "library/face_boxes.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "library/internal.h"

static const char sql[] =
	"SELECT f.track_id, f.frame, f.x, f.y, f.w, f.h, s.start_frame, s.end_frame, fi.fps, fi.width, fi.height"
	" FROM faces f JOIN tracks t ON t.id = f.track_id JOIN shots s ON s.id = f.shot_id"
	" JOIN films fi ON fi.id = s.film_id"
	" WHERE s.film_id = ?1 AND (?2 = 0 OR t.identity_id = ?2) AND (?3 = 0 OR t.id = ?3)"
	" AND s.end_frame >= ?4 AND s.start_frame <= ?5"
	" ORDER BY f.track_id, f.frame, f.id";

/* One stored face of a track. */
struct key {
	int64_t frame;
	float box[4];
};

/* Fills the frames of one track's keys (n >= 1, by frame) that no earlier
 * track filled, between the shot's ends s0..s1 and the range first..last. */
static int64_t fill_track(const struct key *k, size_t n, int64_t s0, int64_t s1, int64_t slack, int64_t first,
                          int64_t last, float *boxes)
{
	int64_t from = k[0].frame - slack, to = k[n - 1].frame + slack, filled = 0;
	from = from > s0 ? from : s0;
	from = from > first ? from : first;
	to = to < s1 ? to : s1;
	to = to < last ? to : last;
	size_t i = 0;
	for (int64_t f = from; f <= to; f++) {
		float *b = boxes + 4 * (f - first);
		if (b[2] > 0)
			continue;
		while (i + 1 < n && k[i + 1].frame <= f)
			i++;
		if (f <= k[0].frame || i + 1 >= n) {
			memcpy(b, f <= k[0].frame ? k[0].box : k[n - 1].box, 4 * sizeof(*b));
		} else {
			float a = (float)(f - k[i].frame) / (float)(k[i + 1].frame - k[i].frame);
			for (int c = 0; c < 4; c++)
				b[c] = (1 - a) * k[i].box[c] + a * k[i + 1].box[c];
		}
		filled++;
	}
	return filled;
}

int library_face_boxes(library *lib, int64_t film_id, int64_t identity, int64_t track, int64_t first,
                       int64_t last, float *boxes)
{
	if (first < 0 || last < first || (!identity && !track))
		return bj_error_set(BJ_EINVAL, "'%s': face boxes need a range and an identity or a track",
		                    lib->path);
	memset(boxes, 0, 4 * (size_t)(last - first + 1) * sizeof(*boxes));
	sqlite3_stmt *st;
	int ret = library_prepare(lib, sql, &st);
	if (ret < 0)
		return ret;
	sqlite3_bind_int64(st, 1, film_id);
	sqlite3_bind_int64(st, 2, identity);
	sqlite3_bind_int64(st, 3, track);
	sqlite3_bind_int64(st, 4, first);
	sqlite3_bind_int64(st, 5, last);
	struct key *keys = NULL;
	size_t n = 0, cap = 0;
	int64_t cur = -1, s0 = 0, s1 = 0, slack = 0, filled = 0;
	int rc;
	/* one more round after the last row, to fill the last track */
	for (;;) {
		rc = sqlite3_step(st);
		int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
		if (n && id != cur) {
			filled += fill_track(keys, n, s0, s1, slack, first, last, boxes);
			n = 0;
		}
		if (rc != SQLITE_ROW)
			break;
		cur = id;
		s0 = sqlite3_column_int64(st, 6);
		s1 = sqlite3_column_int64(st, 7);
		slack = (int64_t)lround(LIBRARY_FACE_BOX_SLACK * sqlite3_column_double(st, 8));
		double w = sqlite3_column_double(st, 9), h = sqlite3_column_double(st, 10);
		float box[4];
		for (int c = 0; c < 4; c++)
			box[c] = (float)sqlite3_column_double(st, 2 + c);
		if (box[2] <= 1 && box[3] <= 1) {
			box[0] *= (float)w, box[2] *= (float)w;
			box[1] *= (float)h, box[3] *= (float)h;
		}
		BJ_GROW(keys, cap, n + 1);
		keys[n].frame = sqlite3_column_int64(st, 1);
		memcpy(keys[n++].box, box, sizeof(box));
	}
	if (rc != SQLITE_DONE)
		ret = library_sqlite_error(lib, "cannot read faces");
	sqlite3_finalize(st);
	free(keys);
	return ret < 0 ? ret : (int)filled;
}
