#include "library/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "library/internal.h"

void library_query_init(library_query *q)
{
	memset(q, 0, sizeof(*q));
	q->min_duration = q->max_duration = -1;
	q->min_brightness = q->max_brightness = -1;
	q->bw = q->speech = q->motion = -1;
}

int library_query_shots(library *lib, const library_query *q, library_shot **shots, size_t *n)
{
	*shots = NULL;
	*n = 0;
	/* Only fixed SQL text is built; every value is bound. */
	char sql[2048];
	size_t len = (size_t)snprintf(sql, sizeof(sql),
	                              "SELECT %s FROM shots s JOIN films f ON f.id = s.film_id WHERE 1", library_shot_columns());
#define ADD(text) len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s", text)
	double dv[8];
	int nd = 0;
	if (q->min_duration >= 0) { ADD(" AND s.duration >= ?"); dv[nd++] = q->min_duration; }
	if (q->max_duration >= 0) { ADD(" AND s.duration <= ?"); dv[nd++] = q->max_duration; }
	if (q->min_brightness >= 0) { ADD(" AND s.brightness >= ?"); dv[nd++] = q->min_brightness; }
	if (q->max_brightness >= 0) { ADD(" AND s.brightness <= ?"); dv[nd++] = q->max_brightness; }
	if (q->bw == 1)
		ADD(" AND s.bw = 1");
	else if (q->bw == 0)
		ADD(" AND s.bw = 0");
	char buf[128];
	if (q->speech == 1) {
		snprintf(buf, sizeof(buf), " AND s.speech >= %g", LIBRARY_SPEECH_MIN);
		ADD(buf);
	} else if (q->speech == 0) {
		snprintf(buf, sizeof(buf), " AND (s.speech IS NULL OR s.speech < %g)", LIBRARY_SPEECH_MIN);
		ADD(buf);
	}
	if (q->motion == 1) {
		snprintf(buf, sizeof(buf), " AND (s.motion >= %g OR s.camera_motion >= %g)", LIBRARY_MOTION_MIN, LIBRARY_CAMERA_MIN);
		ADD(buf);
	} else if (q->motion == 0) {
		snprintf(buf, sizeof(buf), " AND s.motion < %g AND s.camera_motion < %g", LIBRARY_MOTION_MIN, LIBRARY_CAMERA_MIN);
		ADD(buf);
	}
	if (q->daynight)
		ADD(" AND s.daynight = ?");
	if (q->place)
		ADD(" AND s.place = ?");
	if (q->film_id)
		ADD(" AND s.film_id = ?");
	ADD(" ORDER BY f.path, s.number");
	if (q->limit > 0) {
		snprintf(buf, sizeof(buf), " LIMIT %d", q->limit);
		ADD(buf);
	}
#undef ADD
	sqlite3_stmt *st;
	int ret = library_prepare(lib, sql, &st);
	if (ret < 0)
		return ret;
	int k = 1;
	for (int i = 0; i < nd; i++)
		sqlite3_bind_double(st, k++, dv[i]);
	if (q->daynight)
		sqlite3_bind_text(st, k++, q->daynight, -1, SQLITE_STATIC);
	if (q->place)
		sqlite3_bind_text(st, k++, q->place, -1, SQLITE_STATIC);
	if (q->film_id)
		sqlite3_bind_int64(st, k++, q->film_id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		BJ_GROW(*shots, cap, *n + 1);
		library_shot_from_row(st, &(*shots)[(*n)++]);
	}
	if (rc != SQLITE_DONE) {
		ret = library_sqlite_error(lib, "cannot read library");
		free(*shots);
		*shots = NULL;
		*n = 0;
	}
	sqlite3_finalize(st);
	return ret;
}
