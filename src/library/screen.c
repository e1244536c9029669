/*
 * screen.c - identities' screen time, close-ups and speech (see screen.h).
 */
#include "library/screen.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "library/internal.h"

/* A track's seconds, from its times or its frames. */
#define TRACK_SECONDS \
	"COALESCE(t.end_s - t.start_s, (t.end_frame - t.start_frame + 1) / MAX(fi.fps, 1))"

static const char sql_screen[] =
	"SELECT i.id, i.name,"
	" (SELECT COALESCE(SUM(" TRACK_SECONDS "), 0) FROM tracks t"
	"   JOIN shots s ON s.id = t.shot_id JOIN films fi ON fi.id = s.film_id"
	"   WHERE t.identity_id = i.id),"
	" (SELECT COUNT(*) FROM faces f JOIN tracks t ON t.id = f.track_id"
	"   JOIN shots s ON s.id = t.shot_id JOIN films fi ON fi.id = s.film_id"
	"   WHERE t.identity_id = i.id AND ABS(f.yaw) <= ?1 AND ABS(f.pitch) <= ?2"
	"   AND (CASE WHEN f.h <= 1 THEN f.h ELSE f.h / MAX(fi.height, 1) END) >= ?3),"
	" (SELECT COALESCE(SUM(" TRACK_SECONDS " * MAX(COALESCE(s.speech, 0), 0)), 0) FROM tracks t"
	"   JOIN shots s ON s.id = t.shot_id JOIN films fi ON fi.id = s.film_id"
	"   WHERE t.identity_id = i.id)"
	" FROM identities i ORDER BY i.id";

static int by_score(const void *a, const void *b)
{
	const library_screen *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return (x->identity > y->identity) - (x->identity < y->identity);
}

int library_identity_screen(library *lib, library_screen **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st;
	int ret = library_prepare(lib, sql_screen, &st);
	if (ret < 0)
		return ret;
	sqlite3_bind_double(st, 1, LIBRARY_FRONTAL_YAW);
	sqlite3_bind_double(st, 2, LIBRARY_FRONTAL_PITCH);
	sqlite3_bind_double(st, 3, LIBRARY_CLOSEUP_HEIGHT);
	library_screen *s = NULL;
	size_t count = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		BJ_GROW(s, cap, count + 1);
		library_screen *e = &s[count++];
		const unsigned char *name = sqlite3_column_text(st, 1);
		*e = (library_screen){
			.identity = sqlite3_column_int64(st, 0),
			.name = name ? bj_xstrdup((const char *)name) : NULL,
			.seconds = sqlite3_column_double(st, 2),
			.closeup_seconds = sqlite3_column_int64(st, 3) * LIBRARY_FACE_SAMPLE_SECONDS,
			.speech_seconds = sqlite3_column_double(st, 4),
		};
		e->score = e->seconds + 2 * e->closeup_seconds + e->speech_seconds;
	}
	if (rc != SQLITE_DONE) {
		ret = library_sqlite_error(lib, "cannot read identities");
		library_screen_free(s, count);
		s = NULL;
		count = 0;
	}
	sqlite3_finalize(st);
	if (count > 1)
		qsort(s, count, sizeof *s, by_score);
	*out = s;
	*n = count;
	return ret;
}

void library_screen_free(library_screen *s, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		free(s[i].name);
	free(s);
}
